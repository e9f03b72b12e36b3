package cues

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestClipCache_SameSamplesFromTheCache: a pack with a clip cache gives the
// very samples a pack without one decodes, first from decoding, then from
// the cache; a damaged entry is decoded again.
func TestClipCache_SameSamplesFromTheCache(t *testing.T) {
	want, err := NewPack(48000).Clip("neck-tilts.how")
	if err != nil {
		t.Fatal(err)
	}
	cache := &ClipCache{Dir: t.TempDir()}
	for run := range 3 {
		p := NewPack(48000)
		p.UseClipCache(cache)
		got, err := p.Clip("neck-tilts.how")
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, want) {
			t.Fatalf("run %d: the cache gives other samples", run)
		}
		entries, _ := filepath.Glob(filepath.Join(cache.Dir, "neck-tilts.how.*.48000.v*.f32"))
		if len(entries) != 1 {
			t.Fatalf("run %d: cache holds %v", run, entries)
		}
		if run == 1 { // damage it: the next run must not use it
			data, _ := os.ReadFile(entries[0])
			data[100] ^= 0x10
			os.WriteFile(entries[0], data, 0o644)
		}
	}
}

func BenchmarkClip_Cached(b *testing.B) {
	cache := &ClipCache{Dir: b.TempDir()}
	p := NewPack(44100)
	p.UseClipCache(cache)
	p.Clip("childs-pose.how")
	for b.Loop() {
		p := NewPack(44100)
		p.UseClipCache(cache)
		if _, err := p.Clip("childs-pose.how"); err != nil {
			b.Fatal(err)
		}
	}
}

// TestPack_ReadsCachedClipsAsTheyPlay: with a clip cache, a prepared clip
// is read from its entry, not kept in memory, and any window of it is the
// window of the decoded clip.
func TestPack_ReadsCachedClipsAsTheyPlay(t *testing.T) {
	const id = "childs-pose.how"
	want, err := NewPack(44100).Clip(id)
	if err != nil {
		t.Fatal(err)
	}
	p := NewPack(44100)
	p.UseClipCache(&ClipCache{Dir: t.TempDir()})
	defer p.Close()
	if err := p.Prepare([]string{id, "hold"}); err != nil {
		t.Fatal(err)
	}
	if c := p.load(id); c.samples != nil || c.entry == nil {
		t.Fatal("a cached clip is kept in memory")
	}
	buf := make([]float32, 1000)
	for _, off := range []int{0, 1, 999, len(want) - 500, len(want) - 1, len(want), len(want) + 10} {
		n, err := p.ReadClip(id, off, buf)
		if err != nil {
			t.Fatal(err)
		}
		end := min(max(off, len(want)), off+len(buf))
		if wantN := max(end-off, 0); n != wantN {
			t.Fatalf("ReadClip at %d gave %d samples, want %d", off, n, wantN)
		}
		if n > 0 && !slices.Equal(buf[:n], want[off:off+n]) {
			t.Fatalf("ReadClip at %d gave other samples", off)
		}
	}
	if err := p.Prepare([]string{"no-such-cue"}); err == nil {
		t.Error("Prepare took an unknown cue")
	}
}

// TestPack_HoldClips: a pack told to hold its clips reads them from the
// cache into memory, for live play, and gives the same samples.
func TestPack_HoldClips(t *testing.T) {
	const id = "childs-pose.how"
	cache := &ClipCache{Dir: t.TempDir()}
	want, err := NewPack(44100).Clip(id)
	if err != nil {
		t.Fatal(err)
	}
	for run := range 2 { // decoded, then from the cache
		p := NewPack(44100)
		p.UseClipCache(cache)
		p.HoldClips()
		if err := p.Prepare([]string{id}); err != nil {
			t.Fatal(err)
		}
		if c := p.load(id); c.entry != nil || !slices.Equal(c.samples, want) {
			t.Fatalf("run %d: clip not held in memory as decoded", run)
		}
		p.Close()
	}
}

// TestPack_EntryChangedWhileRead: every block of a cached clip is checked
// as it is read, against the checksums the entry had when it was opened:
// an entry written over or cut short meanwhile is an error naming it,
// never noise or missing speech given as the clip.
func TestPack_EntryChangedWhileRead(t *testing.T) {
	const id = "childs-pose.how" // several blocks long
	want, err := NewPack(44100).Clip(id)
	if err != nil {
		t.Fatal(err)
	}
	if len(want) < 3*entryBlock {
		t.Fatalf("%s is %d samples, want a longer clip", id, len(want))
	}
	tests := []struct {
		name   string
		change func(path string)
	}{
		{"written over", func(path string) {
			f, _ := os.OpenFile(path, os.O_WRONLY, 0)
			f.WriteAt(make([]byte, 64), 4*(2*entryBlock+10))
			f.Close()
		}},
		{"cut short", func(path string) { os.Truncate(path, 4*(2*entryBlock+10)) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := NewPack(44100)
			p.UseClipCache(&ClipCache{Dir: t.TempDir()})
			defer p.Close()
			if err := p.Prepare([]string{id}); err != nil {
				t.Fatal(err)
			}
			buf := make([]float32, 1000)
			// The blocks read before the change are fine, on either side
			// of a block's end.
			for _, off := range []int{0, entryBlock - 500, entryBlock} {
				if n, err := p.ReadClip(id, off, buf); err != nil || !slices.Equal(buf[:n], want[off:off+n]) {
					t.Fatalf("before the change, at %d: %d samples, %v", off, n, err)
				}
			}
			tt.change(p.load(id).entry.path)
			_, err := p.ReadClip(id, 2*entryBlock, buf)
			if err == nil || !strings.Contains(err.Error(), "changed while it was read") {
				t.Errorf("after the change: %v, want an error", err)
			}
		})
	}
}
