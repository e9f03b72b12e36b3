//go:build linux

package main

import (
	"encoding/binary"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/limber-audio/limber/internal/pulsetest"
	"github.com/limber-audio/limber/internal/testtools"
)

// pulseServer is a user-level PulseAudio daemon with a null sink, the
// sound server most Linux desktops run, started by the test: ALSA is routed
// to it through the pulse plugin, and parec records the sink's monitor.
type pulseServer struct {
	home, sock string
}

// startPulse starts the daemon with one float null sink, limber, and
// routes ALSA's default device to it for programs run with HOME=home.
func startPulse(t *testing.T) *pulseServer {
	t.Helper()
	s := pulsetest.Start(t, pulsetest.Sink{Name: "limber", Format: "float32le"})
	s.RouteALSA(t)
	return &pulseServer{home: s.Home, sock: s.Socket}
}

// recording is parec recording the null sink's monitor into a file.
type recording struct {
	cmd  *exec.Cmd
	f    *os.File
	path string
}

// record starts parec on the null sink's monitor.
func (p *pulseServer) record(t *testing.T) *recording {
	t.Helper()
	parec := testtools.RequireTool(t, "parec")
	out := filepath.Join(t.TempDir(), "monitor.raw")
	f, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(parec, "--server", "unix:"+p.sock, "-d", "limber.monitor", "--format=float32le", "--rate=44100", "--channels=2", "--raw")
	cmd.Stdout = f
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait(); f.Close() })
	// Recording has begun once the idle sink's silence arrives; a sound
	// played before that would be missed.
	eventually(t, "parec recording", func() bool {
		st, err := os.Stat(out)
		return err == nil && st.Size() > 0
	})
	return &recording{cmd: cmd, f: f, path: out}
}

// frames returns the frames recorded so far as 16-bit values, zero frames
// left out.
func (r *recording) frames(t *testing.T) [][2]int16 {
	t.Helper()
	data, err := os.ReadFile(r.path)
	if err != nil {
		t.Fatal(err)
	}
	var frames [][2]int16
	for i := 0; i+8 <= len(data); i += 8 {
		l := math.Float32frombits(binary.LittleEndian.Uint32(data[i:]))
		r := math.Float32frombits(binary.LittleEndian.Uint32(data[i+4:]))
		if l != 0 || r != 0 {
			frames = append(frames, [2]int16{int16(math.Round(float64(l) * 32768)), int16(math.Round(float64(r) * 32768))})
		}
	}
	return frames
}

// TestPlay_ThroughPulseAudio plays through a real sound server, as on a
// desktop, and checks that what the server's sink heard is the export's
// sound, frame for frame.
func TestPlay_ThroughPulseAudio(t *testing.T) {
	slow(t)
	pulse := startPulse(t)
	routines := writeFile(t, "tiny.json", tinyRoutine)
	rec := pulse.record(t)
	_, stderr, code := limberProc(t, []string{"HOME=" + pulse.home}, "play", "tiny", "--routines", routines)
	if code != 0 {
		t.Fatalf("play: exit %d: %s", code, stderr)
	}
	want := wavFrames(t, export(t, "tiny", "--routines", routines))
	// The server may still hold the end of it: wait until as much sound
	// as the export holds has reached the sink (a guard ends the wait).
	got := rec.frames(t)
	for start := time.Now(); len(got) < len(want) && time.Since(start) < 30*time.Second; got = rec.frames(t) {
		time.Sleep(50 * time.Millisecond)
	}
	if len(got) != len(want) {
		t.Fatalf("the sink heard %d sound frames, the export holds %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("sound frame %d: sink %v, export %v", i, got[i], want[i])
		}
	}
}
