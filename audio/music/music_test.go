package music

import (
	"encoding/binary"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/limber-audio/limber/internal/testtools"
)

// soxFixture makes a one-second 440 Hz tone with sox and returns its path.
func soxFixture(t *testing.T, name string, args ...string) string {
	t.Helper()
	return soxTone(t, name, "1", args...)
}

// soxTone makes a 440 Hz tone of the given length (sox's syntax) and
// returns its path.
func soxTone(t *testing.T, name, length string, args ...string) string {
	t.Helper()
	sox := testtools.RequireTool(t, "sox")
	path := filepath.Join(t.TempDir(), name)
	cmdArgs := append([]string{"-n"}, args...)
	cmdArgs = append(cmdArgs, path, "synth", length, "sine", "440", "gain", "-6")
	if out, err := exec.Command(sox, cmdArgs...).CombinedOutput(); err != nil {
		t.Fatalf("sox %v: %v\n%s", cmdArgs, err, out)
	}
	return path
}

func TestLoop_EveryFormatLoops(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"pcm16.wav", []string{"-r", "48000", "-c", "2", "-b", "16"}},
		{"int24.wav", []string{"-r", "44100", "-c", "1", "-b", "24"}},
		{"int32.wav", []string{"-r", "44100", "-c", "2", "-b", "32"}},
		{"pcm8.wav", []string{"-r", "16000", "-c", "1", "-b", "8"}},
		{"float.wav", []string{"-r", "22050", "-c", "1", "-e", "floating-point", "-b", "32"}},
		{"mono.flac", []string{"-r", "22050", "-c", "1"}},
		{"stereo.mp3", []string{"-r", "44100", "-c", "2"}},
		{"vorbis.ogg", []string{"-r", "32000", "-c", "2"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := soxFixture(t, tc.name, tc.args...)
			m, err := Open(path, 44100, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer m.Close()
			// 3.5 s from a 1 s file: it must loop, staying a 440 Hz tone.
			buf := make([][2]float64, 44100*7/2)
			if n, ok := m.Stream(buf); n != len(buf) || !ok {
				t.Fatalf("streamed %d of %d frames (%v)", n, len(buf), m.Err())
			}
			// Every 0.1 s window is the tone; MP3 and Vorbis pad their ends,
			// so a window at the loop's seam may not be.
			good, windows := 0, 0
			for w := 0; w+4410 <= len(buf); w += 4410 {
				var peak float64
				crossings := 0
				for i := w; i < w+4410; i++ {
					peak = max(peak, math.Abs(buf[i][0]))
					if i > w && (buf[i-1][0] < 0) != (buf[i][0] < 0) {
						crossings++
					}
				}
				windows++
				if peak >= 0.3 && crossings >= 80 && crossings <= 96 {
					good++
				}
			}
			lossy := strings.HasSuffix(tc.name, ".mp3") || strings.HasSuffix(tc.name, ".ogg")
			if good < windows && !lossy || good < windows*3/4 {
				t.Errorf("%d of %d windows hold the 440 Hz tone", good, windows)
			}
			if err := m.Seek(44100 * 10); err != nil {
				t.Errorf("seek: %v", err)
			}
			if n, _ := m.Stream(buf[:1000]); n != 1000 {
				t.Errorf("after seeking, streamed %d", n)
			}
		})
	}
}

func TestLoop_BadFiles(t *testing.T) {
	dir := t.TempDir()
	garbage := filepath.Join(dir, "song.ogg")
	os.WriteFile(garbage, []byte("not music"), 0o644)
	text := filepath.Join(dir, "notes.txt")
	os.WriteFile(text, []byte("x"), 0o644)
	for path, want := range map[string]string{
		filepath.Join(dir, "none.mp3"): "no such file",
		garbage:                        "music " + garbage + ": decode ogg",
		text:                           "unsupported audio type",
	} {
		if _, err := Open(path, 44100, nil); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", filepath.Base(path), err, want)
		}
	}
}

// streamFrames streams n frames of m.
func streamFrames(t *testing.T, m *Loop, n int) [][2]float64 {
	t.Helper()
	buf := make([][2]float64, n)
	for got := 0; got < n; {
		k, ok := m.Stream(buf[got:min(n, got+3000)])
		if !ok {
			t.Fatalf("stream ended after %d frames: %v", got, m.Err())
		}
		got += k
	}
	return buf
}

// TestLoop_CacheGivesTheSameSamples: a bed played without the cache,
// played while it is recorded, and played from the cache gives the same
// samples, over several passes; a damaged entry is not used.
func TestLoop_CacheGivesTheSameSamples(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"song.wav", []string{"-r", "48000", "-c", "2", "-b", "16"}},
		{"song.flac", []string{"-r", "44100", "-c", "1"}},
		{"song.mp3", []string{"-r", "44100", "-c", "2"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := soxTone(t, tc.name, "2.5", tc.args...)
			cache := &Cache{Dir: t.TempDir()}
			const n = 44100 * 6 // more than two passes
			play := func(c *Cache) ([][2]float64, *Loop) {
				m, err := Open(path, 44100, c)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { m.Close() })
				return streamFrames(t, m, n), m
			}
			want, _ := play(nil)
			for run, what := range []string{"recording", "from the cache", "damaged entry"} {
				got, m := play(cache)
				if !slices.Equal(got, want) {
					t.Fatalf("%s: other samples than without the cache", what)
				}
				entries, _ := filepath.Glob(filepath.Join(cache.Dir, "*.pcm"))
				if len(entries) != 1 {
					t.Fatalf("%s: cache holds %v", what, entries)
				}
				if fromCache := m.entry != nil && m.p == nil; run == 1 && !fromCache {
					t.Errorf("%s: decoded the file again", what)
				}
				if run == 1 {
					data, _ := os.ReadFile(entries[0])
					data[1000] ^= 1
					os.WriteFile(entries[0], data, 0o644)
				}
			}
		})
	}
}

// TestLoop_EntryChangedWhilePlayed: a cache entry written over while a
// bed plays from it stops the bed with an error naming it, at the first
// block changed: never noise.
func TestLoop_EntryChangedWhilePlayed(t *testing.T) {
	path := soxTone(t, "song.wav", "3", "-r", "44100", "-c", "2", "-b", "16")
	cache := &Cache{Dir: t.TempDir()}
	m, err := Open(path, 44100, cache)
	if err != nil {
		t.Fatal(err)
	}
	streamFrames(t, m, 44100*4) // records it
	m.Close()
	if m, err = Open(path, 44100, cache); err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if m.entry == nil {
		t.Fatal("not played from the cache")
	}
	streamFrames(t, m, blockFrames+10) // into the second block
	f, _ := os.OpenFile(m.entry.path, os.O_WRONLY, 0)
	f.WriteAt(make([]byte, 100), entryHeader+4*3*blockFrames+8) // the fourth block
	f.Close()
	buf := make([][2]float64, 1000)
	for played := blockFrames + 10; ; {
		n, ok := m.Stream(buf)
		if !ok {
			break
		}
		if played += n; played > 4*blockFrames {
			t.Fatal("played past the changed block")
		}
	}
	if err := m.Err(); err == nil || !strings.Contains(err.Error(), "changed while it was played") {
		t.Errorf("Err() = %v", err)
	}
}

// TestLoop_SeekInTheCache: seeking a cached bed anywhere, even past many
// loops, gives the samples of playing it from the start.
func TestLoop_SeekInTheCache(t *testing.T) {
	path := soxTone(t, "song.wav", "2", "-r", "44100", "-c", "2", "-b", "16")
	cache := &Cache{Dir: t.TempDir()}
	m, err := Open(path, 44100, cache)
	if err != nil {
		t.Fatal(err)
	}
	streamFrames(t, m, 44100*3) // records it
	m.Close()
	if m, err = Open(path, 44100, cache); err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	whole := streamFrames(t, m, 44100*2)
	for _, p := range []int{0, 1, 44100*2 - 1, 44100*2 + 5, 44100*2*1000 + 12345} {
		if err := m.Seek(p); err != nil {
			t.Fatal(err)
		}
		got := streamFrames(t, m, 100)
		for i, v := range got {
			if w := whole[(p+i)%len(whole)]; v != w {
				t.Fatalf("after Seek(%d), frame %d is %v, want %v", p, i, v, w)
			}
		}
	}
}

// TestLoop_SeekedPassIsNotRecorded: a pass that was seeked in is not a
// whole pass, so nothing goes into the cache.
func TestLoop_SeekedPassIsNotRecorded(t *testing.T) {
	path := soxTone(t, "song.wav", "2", "-r", "44100", "-c", "2", "-b", "16")
	cache := &Cache{Dir: t.TempDir()}
	m, err := Open(path, 44100, cache)
	if err != nil {
		t.Fatal(err)
	}
	streamFrames(t, m, 1000)
	m.Seek(30000)
	streamFrames(t, m, 44100*3)
	m.Close()
	if entries, _ := filepath.Glob(filepath.Join(cache.Dir, "*")); len(entries) != 0 {
		t.Errorf("cache holds %v", entries)
	}
}

// TestLoop_TinyLoopIsHeldInMemory: a bed of one frame loops from memory,
// a frame after another, without opening a decoder per frame.
func TestLoop_TinyLoopIsHeldInMemory(t *testing.T) {
	path := soxTone(t, "tick.wav", "1s", "-r", "44100", "-c", "2", "-b", "16")
	m, err := Open(path, 44100, &Cache{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if m.mem == nil || m.passLen != 1 {
		t.Fatalf("a one-frame bed is not held in memory (pass of %d)", m.passLen)
	}
	got := streamFrames(t, m, 44100)
	for i, v := range got {
		if v != got[0] {
			t.Fatalf("frame %d = %v, frame 0 = %v", i, v, got[0])
		}
	}
}

// TestCache_KeepsUnderItsSize: when an entry would take the cache
// past its size, the entries used longest ago go.
func TestCache_KeepsUnderItsSize(t *testing.T) {
	dir := t.TempDir()
	old := filepath.Join(dir, "0123.pcm")
	os.WriteFile(old, make([]byte, 700_000), 0o644)
	os.Chtimes(old, time.Now().Add(-time.Hour), time.Now().Add(-time.Hour))
	other := filepath.Join(dir, "notes.txt")
	os.WriteFile(other, make([]byte, 600_000), 0o644)
	cache := &Cache{Dir: dir, MaxBytes: 1_000_000}
	path := soxTone(t, "song.wav", "2", "-r", "44100", "-c", "2", "-b", "16") // 353 kB decoded
	m, err := Open(path, 44100, cache)
	if err != nil {
		t.Fatal(err)
	}
	streamFrames(t, m, 44100*3)
	m.Close()
	if _, err := os.Stat(old); err == nil {
		t.Error("the oldest entry was kept past the cache's size")
	}
	if _, err := os.Stat(other); err != nil {
		t.Error("a file that is not an entry was removed")
	}
	if entries, _ := filepath.Glob(filepath.Join(dir, "*.pcm")); len(entries) != 1 {
		t.Errorf("cache holds %v, want the new entry", entries)
	}
}

// BenchmarkMusic streams a minute of a 30-second stereo bed at 44.1 kHz,
// decoding each format as it plays, and from the music cache.
func BenchmarkMusic(b *testing.B) {
	sox, err := exec.LookPath("sox")
	if err != nil {
		b.Skip("sox not found")
	}
	dir := b.TempDir()
	for _, tc := range []struct{ name, rate string }{
		{"wav44k", "44100"}, {"wav48k", "48000"}, {"flac48k", "48000"}, {"mp3", "44100"},
	} {
		ext := tc.name[:3]
		if ext == "fla" {
			ext = "flac"
		}
		path := filepath.Join(dir, tc.name+"."+ext)
		out, err := exec.Command(sox, "-n", "-r", tc.rate, "-c", "2", "-b", "16", path,
			"synth", "30", "sine", "220", "sine", "330", "gain", "-20").CombinedOutput()
		if err != nil {
			b.Fatalf("sox: %v\n%s", err, out)
		}
		buf := make([][2]float64, 8192)
		play := func(b *testing.B, cache *Cache) {
			m, err := Open(path, 44100, cache)
			if err != nil {
				b.Fatal(err)
			}
			defer m.Close()
			for n := 0; n < 60*44100; n += len(buf) {
				if _, ok := m.Stream(buf); !ok {
					b.Fatal(m.Err())
				}
			}
		}
		b.Run(tc.name+"/decoded", func(b *testing.B) {
			for b.Loop() {
				play(b, nil)
			}
		})
		b.Run(tc.name+"/cached", func(b *testing.B) {
			cache := &Cache{Dir: b.TempDir()}
			play(b, cache)
			for b.Loop() {
				play(b, cache)
			}
		})
	}
}

// TestLoop_CompleteCache: a bed played for more than half a pass is
// finished into the cache, with the samples it would have had; one played
// for less is not.
func TestLoop_CompleteCache(t *testing.T) {
	path := soxTone(t, "song.flac", "4", "-r", "48000", "-c", "2")
	want := streamFrames(t, mustOpen(t, path, nil), 44100*5)
	for _, tc := range []struct {
		played int
		cached bool
	}{{44100 * 3, true}, {44100 * 1, false}} {
		cache := &Cache{Dir: t.TempDir()}
		m := mustOpen(t, path, cache)
		streamFrames(t, m, tc.played)
		if got := m.CompleteCache(); got != tc.cached {
			t.Fatalf("after %d frames: cached %v, want %v", tc.played, got, tc.cached)
		}
		m.Close()
		m = mustOpen(t, path, cache)
		if (m.entry != nil) != tc.cached {
			t.Fatalf("after %d frames: entry %v", tc.played, m.entry != nil)
		}
		if got := streamFrames(t, m, len(want)); !slices.Equal(got, want) {
			t.Fatalf("after %d frames: the cache gives other samples", tc.played)
		}
	}
}

func mustOpen(t *testing.T, path string, cache *Cache) *Loop {
	t.Helper()
	m, err := Open(path, 44100, cache)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	return m
}

// TestLoop_SeekIgnoresALyingSeekTable: a FLAC bed's seek table is not
// trusted (the decoder finds frames by their headers), so a table that
// points into the middle of frames does not matter: a seek lands on the
// sample asked for.
func TestLoop_SeekIgnoresALyingSeekTable(t *testing.T) {
	flacBin := testtools.RequireTool(t, "flac")
	wav := soxTone(t, "song.wav", "20", "-r", "44100", "-c", "2", "-b", "16")
	path := filepath.Join(t.TempDir(), "song.flac")
	if out, err := exec.Command(flacBin, "-s", "-S", "1s", "-o", path, wav).CombinedOutput(); err != nil {
		t.Fatalf("flac: %v\n%s", err, out)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// Every point's offset, after the first, moved 3 bytes into its frame.
	at := 4 + 4 + 34 // after STREAMINFO
	if data[at]&0x7f != 3 {
		t.Fatalf("flac wrote block %d after STREAMINFO, not a SEEKTABLE", data[at]&0x7f)
	}
	n := int(data[at+1])<<16 | int(data[at+2])<<8 | int(data[at+3])
	for p := at + 4 + 18; p+18 <= at+4+n; p += 18 {
		binary.BigEndian.PutUint64(data[p+8:], binary.BigEndian.Uint64(data[p+8:])+3)
	}
	os.WriteFile(path, data, 0o644)
	whole := streamFrames(t, mustOpen(t, path, nil), 44100*20)
	m := mustOpen(t, path, nil)
	for _, p := range []int{44100*12 + 5, 3, 44100 * 19} {
		if err := m.Seek(p); err != nil {
			t.Fatalf("seek: %v", err)
		}
		if got := streamFrames(t, m, 500); !slices.Equal(got, whole[p:p+500]) {
			t.Fatalf("after Seek(%d): other samples", p)
		}
	}
}

// TestCache_ReadOnly: a read-only cache gives its entries and
// records none.
func TestCache_ReadOnly(t *testing.T) {
	path := soxTone(t, "song.wav", "2", "-r", "44100", "-c", "2", "-b", "16")
	dir := t.TempDir()
	streamFrames(t, mustOpen(t, path, &Cache{Dir: dir, ReadOnly: true}), 44100*3)
	if entries, _ := filepath.Glob(filepath.Join(dir, "*")); len(entries) != 0 {
		t.Fatalf("a read-only cache recorded %v", entries)
	}
	streamFrames(t, mustOpen(t, path, &Cache{Dir: dir}), 44100*3)
	if m := mustOpen(t, path, &Cache{Dir: dir, ReadOnly: true}); m.entry == nil {
		t.Error("a read-only cache does not give its entry")
	}
}

// TestPrefetch_SameSamplesAndStops: a prefetched stream gives its
// source's samples in order, ends where it ends, and stops early when
// told, leaving the source alone.
func TestPrefetch_SameSamplesAndStops(t *testing.T) {
	src := func() *countStream { return &countStream{n: 10_000} }
	p := newPrefetch(src())
	got := testtools.Drain(p, 777)
	p.Stop()
	buf := make([][2]float64, 10)
	if len(got) != 10_000 {
		t.Fatalf("got %d frames, want 10000", len(got))
	}
	for i, v := range got {
		if v[0] != float64(i) {
			t.Fatalf("frame %d is %v", i, v)
		}
	}
	s := &countStream{n: 1 << 30} // more than it reads ahead
	p = newPrefetch(s)
	p.Stream(buf[:10])
	p.Stop()
	at := s.i
	s.Stream(buf[:1]) // free again: no goroutine reads it
	if s.i != at+1 {
		t.Fatal("the source moved after Stop")
	}
}

// countStream gives n frames numbered from 0.
type countStream struct{ i, n int }

func (c *countStream) Stream(buf [][2]float64) (int, bool) {
	k := min(len(buf), c.n-c.i)
	for j := range buf[:k] {
		buf[j] = [2]float64{float64(c.i + j), 0}
	}
	c.i += k
	return k, k > 0
}

func (c *countStream) Err() error { return nil }
