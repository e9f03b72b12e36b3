// Package testtools holds helpers shared by limber's tests.
package testtools

import (
	"bytes"
	"encoding/binary"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/gopxl/beep/v2"
)

// RequireTool returns the path of an external program a test reads
// limber's output with (sox, sndfile-info, tmux). When it is missing the
// test fails in CI, which installs it (scripts/deps.sh), and is skipped
// elsewhere.
func RequireTool(tb testing.TB, name string) string {
	tb.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") != "" {
			tb.Fatalf("%s not installed (scripts/deps.sh installs it)", name)
		}
		tb.Skipf("%s not installed", name)
	}
	return path
}

// DirNames lists the names in a folder, so a test can check that nothing
// (a temporary file, a partial output) was left behind.
func DirNames(tb testing.TB, dir string) []string {
	tb.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		tb.Fatal(err)
	}
	names := make([]string, 0, len(es))
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

// Golden compares got with the golden file at path, or, with update set
// (each package's -update flag), rewrites the file with got.
func Golden(tb testing.TB, path string, got []byte, update bool) {
	tb.Helper()
	if update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			tb.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("%v (run go test -update to create it)", err)
	}
	if string(got) != string(want) {
		tb.Errorf("%s differs (go test -update rewrites it):\n got:\n%s\nwant:\n%s", path, got, want)
	}
}

// AllocBudget runs f and fails tb when f allocated more than budget bytes
// in all: fuzz tests use it to catch inputs that make a parser balloon,
// not only those that crash it. The count covers every goroutine, so call
// it where nothing else runs.
func AllocBudget(tb testing.TB, budget uint64, f func()) {
	tb.Helper()
	if got := Allocated(f); got > budget {
		tb.Fatalf("allocated %d bytes, over the budget of %d", got, budget)
	}
}

// Allocated runs f and returns how many bytes were allocated meanwhile,
// for a check made on another goroutine than f's.
func Allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// Drain streams s to its end, size frames at a time, and returns it all.
func Drain(s beep.Streamer, size int) [][2]float64 {
	var out [][2]float64
	buf := make([][2]float64, size)
	for {
		n, ok := s.Stream(buf)
		out = append(out, buf[:n]...)
		if !ok {
			return out
		}
	}
}

// Frames is a seekable stream of fixed frames (a beep.StreamSeeker), for
// the writers' tests.
type Frames struct {
	X   [][2]float64
	pos int
}

// Stream copies the next frames into buf.
func (s *Frames) Stream(buf [][2]float64) (int, bool) {
	n := copy(buf, s.X[s.pos:])
	s.pos += n
	return n, n > 0
}

// Err is always nil.
func (s *Frames) Err() error { return nil }

// Len is the number of frames.
func (s *Frames) Len() int { return len(s.X) }

// Position is the next frame Stream gives.
func (s *Frames) Position() int { return s.pos }

// Seek moves to frame p.
func (s *Frames) Seek(p int) error { s.pos = p; return nil }

// SpeechLike is a minute of speech-like bursts between silences at
// 44.1 kHz, for the writers' benchmarks.
func SpeechLike() [][2]float64 {
	x := make([][2]float64, 60*44100)
	for i := range x {
		if i%44100 < 20000 {
			v := 0.2*math.Sin(float64(i)*0.05) + 0.05*math.Sin(float64(i)*0.7)
			x[i] = [2]float64{v, v}
		}
	}
	return x
}

// FloatWAV returns x as a mono WAV file of 32-bit IEEE float samples at
// rate, as some engines and editors write them.
func FloatWAV(x []float32, rate int) []byte {
	var b bytes.Buffer
	b.WriteString("RIFF")
	binary.Write(&b, binary.LittleEndian, uint32(4+8+16+8+4*len(x)))
	b.WriteString("WAVEfmt ")
	for _, v := range []any{uint32(16), uint16(3), uint16(1), uint32(rate), uint32(4 * rate), uint16(4), uint16(32)} { // IEEE float, mono
		binary.Write(&b, binary.LittleEndian, v)
	}
	b.WriteString("data")
	binary.Write(&b, binary.LittleEndian, uint32(4*len(x)))
	binary.Write(&b, binary.LittleEndian, x)
	return b.Bytes()
}
