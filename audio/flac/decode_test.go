package flac

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gopxl/beep/v2"

	"github.com/limber-audio/limber/audio/wav"
	"github.com/limber-audio/limber/internal/testtools"
)

// TestDecode_SameAsTheReference: every way the flac encoder codes a
// file (each level, LPC orders to 32, escapes, tiny and huge blocks, mono
// to 8 channels, 8 to 24 bits) decodes to the samples flac -d gives.
func TestDecode_SameAsTheReference(t *testing.T) {
	sox := testtools.RequireTool(t, "sox")
	flacBin := testtools.RequireTool(t, "flac")
	dir := t.TempDir()
	for _, tc := range []struct {
		name string
		sox  []string // the source: format, then synth
		flac []string
	}{
		{"level0", []string{"-r", "44100", "-c", "2", "-b", "16"}, []string{"-0"}},
		{"level5", []string{"-r", "48000", "-c", "2", "-b", "16"}, []string{"-5"}},
		{"level8", []string{"-r", "22050", "-c", "1", "-b", "16"}, []string{"-8"}},
		{"lpc32", []string{"-r", "44100", "-c", "2", "-b", "16"}, []string{"--lax", "-l", "32", "-q", "15", "-r", "8"}},
		{"no-mid-side", []string{"-r", "44100", "-c", "2", "-b", "16"}, []string{"-5", "--no-mid-side"}},
		{"block192", []string{"-r", "8000", "-c", "1", "-b", "16"}, []string{"-5", "--lax", "--blocksize=192"}},
		{"block16384", []string{"-r", "96000", "-c", "2", "-b", "24"}, []string{"-5", "--lax", "--blocksize=16384"}},
		{"bits24", []string{"-r", "48000", "-c", "2", "-b", "24"}, []string{"-8"}},
		{"bits8", []string{"-r", "16000", "-c", "1", "-b", "8"}, []string{"-5"}},
		{"bits32", []string{"-r", "48000", "-c", "2", "-b", "32"}, []string{"-8"}},
		{"bits20", []string{"-r", "44100", "-c", "2", "-b", "20"}, []string{"-5"}},
		{"channels6", []string{"-r", "44100", "-c", "6", "-b", "16"}, []string{"-5"}},
		{"odd-block", []string{"-r", "44100", "-c", "2", "-b", "16"}, []string{"-5", "--lax", "--blocksize=4001"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := filepath.Join(dir, tc.name+".wav")
			args := append(append([]string{"-n"}, tc.sox...), src, "synth", "3.3", "pinknoise", "sine", "440", "gain", "-3")
			if out, err := exec.Command(sox, args...).CombinedOutput(); err != nil {
				t.Fatalf("sox: %v\n%s", err, out)
			}
			enc := filepath.Join(dir, tc.name+".flac")
			if out, err := exec.Command(flacBin, append([]string{"-s", "-f", "-o", enc}, append(tc.flac, src)...)...).CombinedOutput(); err != nil {
				t.Fatalf("flac: %v\n%s", err, out)
			}
			ref := filepath.Join(dir, tc.name+".ref.wav")
			if out, err := exec.Command(flacBin, "-s", "-f", "-d", "-o", ref, enc).CombinedOutput(); err != nil {
				t.Fatalf("flac -d: %v\n%s", err, out)
			}
			if strings.HasPrefix(tc.name, "channels") { // limber plays the first two
				two := filepath.Join(dir, tc.name+".ref2.wav")
				if out, err := exec.Command(sox, ref, two, "remix", "1", "2").CombinedOutput(); err != nil {
					t.Fatalf("sox remix: %v\n%s", err, out)
				}
				ref = two
			}
			want := decodeAll(t, ref, wav.Decode)
			got := decodeAll(t, enc, Decode)
			if len(got) != len(want) {
				t.Fatalf("decoded %d frames, flac -d %d", len(got), len(want))
			}
			for i := range got {
				if got[i] != want[i] {
					t.Fatalf("frame %d: %v, flac -d gives %v", i, got[i], want[i])
				}
			}
		})
	}
}

// decodeAll decodes a whole file with decode.
func decodeAll(t *testing.T, path string, decode func(io.ReadSeeker) (beep.StreamSeekCloser, beep.Format, error)) [][2]float64 {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s, _, err := decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	out := testtools.Drain(s, 1000)
	if err := s.Err(); err != nil {
		t.Fatal(err)
	}
	if s.Len() != len(out) {
		t.Fatalf("Len %d, decoded %d", s.Len(), len(out))
	}
	return out
}

// TestDecode_SeekAnywhere: a seek lands on the very sample asked for,
// in a file with no seek table, including the last frame's.
func TestDecode_SeekAnywhere(t *testing.T) {
	sox := testtools.RequireTool(t, "sox")
	flacBin := testtools.RequireTool(t, "flac")
	dir := t.TempDir()
	src := filepath.Join(dir, "song.wav")
	if out, err := exec.Command(sox, "-n", "-r", "44100", "-c", "2", "-b", "16", src, "synth", "20", "pinknoise", "gain", "-3").CombinedOutput(); err != nil {
		t.Fatalf("sox: %v\n%s", err, out)
	}
	enc := filepath.Join(dir, "song.flac")
	if out, err := exec.Command(flacBin, "-s", "-f", "--no-seektable", "-o", enc, src).CombinedOutput(); err != nil {
		t.Fatalf("flac: %v\n%s", err, out)
	}
	whole := decodeAll(t, enc, Decode)
	data, _ := os.ReadFile(enc)
	s, _, err := Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	buf := make([][2]float64, 300)
	for _, p := range []int{0, 1, 4095, 4096, 44100 * 7, 44100*13 + 77, len(whole) - 300, len(whole) - 1, 17} {
		if err := s.Seek(p); err != nil {
			t.Fatalf("Seek(%d): %v", p, err)
		}
		if s.Position() != p {
			t.Fatalf("Seek(%d): at %d", p, s.Position())
		}
		n, _ := s.Stream(buf)
		if n != min(300, len(whole)-p) || !slices.Equal(buf[:n], whole[p:p+n]) {
			t.Fatalf("after Seek(%d): %d frames, not those of decoding from the start", p, n)
		}
	}
	if err := s.Seek(len(whole) + 1); err == nil {
		t.Error("seek past the end accepted")
	}
}
