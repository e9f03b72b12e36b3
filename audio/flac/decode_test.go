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
// to 8 channels, 8 to 32 bits, a side channel of 33) decodes to the
// samples flac -d gives.
func TestDecode_SameAsTheReference(t *testing.T) {
	sox := testtools.RequireTool(t, "sox")
	flacBin := testtools.RequireTool(t, "flac")
	dir := t.TempDir()
	for _, tc := range []struct {
		name  string
		sox   []string // the source's format
		flac  []string
		synth []string // what sox makes, if not pink noise and a tone
	}{
		{"level0", []string{"-r", "44100", "-c", "2", "-b", "16"}, []string{"-0"}, nil},
		{"level5", []string{"-r", "48000", "-c", "2", "-b", "16"}, []string{"-5"}, nil},
		{"level8", []string{"-r", "22050", "-c", "1", "-b", "16"}, []string{"-8"}, nil},
		{"lpc32", []string{"-r", "44100", "-c", "2", "-b", "16"}, []string{"--lax", "-l", "32", "-q", "15", "-r", "8"}, nil},
		{"no-mid-side", []string{"-r", "44100", "-c", "2", "-b", "16"}, []string{"-5", "--no-mid-side"}, nil},
		{"block192", []string{"-r", "8000", "-c", "1", "-b", "16"}, []string{"-5", "--lax", "--blocksize=192"}, nil},
		{"block16384", []string{"-r", "96000", "-c", "2", "-b", "24"}, []string{"-5", "--lax", "--blocksize=16384"}, nil},
		{"bits24", []string{"-r", "48000", "-c", "2", "-b", "24"}, []string{"-8"}, nil},
		{"bits8", []string{"-r", "16000", "-c", "1", "-b", "8"}, []string{"-5"}, nil},
		{"bits32", []string{"-r", "48000", "-c", "2", "-b", "32"}, []string{"-8"}, nil},
		// Right is left upside down, at full scale: side, left less right,
		// takes 33 bits (a noisy 32-bit file gets there now and then).
		{"bits32-side", []string{"-r", "48000", "-c", "2", "-b", "32"}, []string{"-8"}, []string{"sine", "440", "remix", "1", "1i"}},
		{"bits20", []string{"-r", "44100", "-c", "2", "-b", "20"}, []string{"-5"}, nil},
		{"channels6", []string{"-r", "44100", "-c", "6", "-b", "16"}, []string{"-5"}, nil},
		{"odd-block", []string{"-r", "44100", "-c", "2", "-b", "16"}, []string{"-5", "--lax", "--blocksize=4001"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := filepath.Join(dir, tc.name+".wav")
			synth := tc.synth
			if synth == nil {
				synth = []string{"pinknoise", "sine", "440", "gain", "-3"}
			}
			args := append(append(append([]string{"-n"}, tc.sox...), src, "synth", "3.3"), synth...)
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
