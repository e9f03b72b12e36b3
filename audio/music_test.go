package audio

import (
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/limber-audio/limber/internal/testtools"
)

// soxFixture makes a one-second 440 Hz tone with sox and returns its path.
func soxFixture(t *testing.T, name string, args ...string) string {
	t.Helper()
	sox := testtools.RequireTool(t, "sox")
	path := filepath.Join(t.TempDir(), name)
	cmdArgs := append([]string{"-n"}, args...)
	cmdArgs = append(cmdArgs, path, "synth", "1", "sine", "440", "gain", "-6")
	if out, err := exec.Command(sox, cmdArgs...).CombinedOutput(); err != nil {
		t.Fatalf("sox %v: %v\n%s", cmdArgs, err, out)
	}
	return path
}

func TestMusic_EveryFormatLoops(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"pcm16.wav", []string{"-r", "48000", "-c", "2", "-b", "16"}},
		{"int24.wav", []string{"-r", "44100", "-c", "1", "-b", "24"}},
		{"int32.wav", []string{"-r", "44100", "-c", "2", "-b", "32"}},
		{"pcm8.wav", []string{"-r", "16000", "-c", "1", "-b", "8"}}, // through beep's decoder
		{"float.wav", []string{"-r", "22050", "-c", "1", "-e", "floating-point", "-b", "32"}},
		{"mono.flac", []string{"-r", "22050", "-c", "1"}},
		{"stereo.mp3", []string{"-r", "44100", "-c", "2"}},
		{"vorbis.ogg", []string{"-r", "32000", "-c", "2"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := soxFixture(t, tc.name, tc.args...)
			m, err := OpenMusic(path, 44100)
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

func TestMusic_BadFiles(t *testing.T) {
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
		if _, err := OpenMusic(path, 44100); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", filepath.Base(path), err, want)
		}
	}
}
