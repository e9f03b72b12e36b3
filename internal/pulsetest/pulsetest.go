// Package pulsetest starts a PulseAudio daemon of a test's own: the sound
// server most Linux desktops run, with null sinks instead of sound cards,
// so that tests can play into it, capture from it and record what it
// heard, on a machine without a sound card.
package pulsetest

import (
	"encoding/binary"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/limber-audio/limber/internal/testtools"
)

// Sink is a null sink to create: sound played into it goes nowhere but
// to its monitor source, NAME.monitor.
type Sink struct {
	Name     string
	Rate     int    // samples per second; 0 means 44100
	Channels int    // 0 means 2
	Format   string // sample format, such as "float32le"; "" means PulseAudio's default
}

// Server is a running daemon.
type Server struct {
	// Home is the daemon's HOME (and XDG_RUNTIME_DIR beneath it).
	Home string
	// Socket is the path of its native protocol socket.
	Socket string
}

// Start starts a daemon with the sinks, the first the default sink, and
// stops it when the test ends. Tests that need it skip where pulseaudio
// is not installed (and fail in CI, where scripts/deps.sh installs it).
func Start(tb testing.TB, sinks ...Sink) *Server {
	tb.Helper()
	daemon := testtools.RequireTool(tb, "pulseaudio")
	testtools.RequireTool(tb, "pactl")
	home := tb.TempDir()
	s := &Server{Home: home, Socket: filepath.Join(home, "pulse.sock")}
	if err := os.MkdirAll(filepath.Join(home, "run"), 0o700); err != nil {
		tb.Fatal(err)
	}
	args := []string{"-n", "--daemonize=no", "--exit-idle-time=-1", "--use-pid-file=no", "--log-target=stderr"}
	for _, k := range sinks {
		rate, ch := k.Rate, k.Channels
		if rate == 0 {
			rate = 44100
		}
		if ch == 0 {
			ch = 2
		}
		format := ""
		if k.Format != "" {
			format = " format=" + k.Format
		}
		args = append(args, "--load=module-null-sink sink_name="+k.Name+" rate="+strconv.Itoa(rate)+format+
			" channels="+strconv.Itoa(ch)+" sink_properties=device.description="+k.Name)
	}
	args = append(args, "--load=module-native-protocol-unix socket="+s.Socket+" auth-anonymous=1")
	cmd := exec.Command(daemon, args...)
	cmd.Env = append(os.Environ(), "HOME="+home, "XDG_RUNTIME_DIR="+filepath.Join(home, "run"))
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	for start := time.Now(); s.run("info") != nil; time.Sleep(50 * time.Millisecond) {
		if time.Since(start) > 20*time.Second { // a guard against a daemon that never comes up
			tb.Fatal("pulseaudio did not start")
		}
	}
	return s
}

// Address is the server's address as PULSE_SERVER and --server take it.
func (s *Server) Address() string { return "unix:" + s.Socket }

// Env returns the environment that points PulseAudio clients at the
// server: PULSE_SERVER and a HOME of its own.
func (s *Server) Env() []string {
	return []string{"PULSE_SERVER=" + s.Address(), "HOME=" + s.Home}
}

// RouteALSA makes ALSA's default device the server (through ALSA's pulse
// plugin) for programs run with HOME set to s.Home, as desktops do.
func (s *Server) RouteALSA(tb testing.TB) {
	tb.Helper()
	if m, _ := filepath.Glob("/usr/lib/*/alsa-lib/libasound_module_pcm_pulse.so"); len(m) == 0 {
		if os.Getenv("CI") != "" {
			tb.Fatal("ALSA's pulse plugin is not installed (libasound2-plugins; scripts/deps.sh installs it)")
		}
		tb.Skip("ALSA's pulse plugin is not installed")
	}
	conf := "pcm.!default { type pulse; server \"" + s.Address() + "\" }\nctl.!default { type pulse; server \"" + s.Address() + "\" }\n"
	if err := os.WriteFile(filepath.Join(s.Home, ".asoundrc"), []byte(conf), 0o644); err != nil {
		tb.Fatal(err)
	}
}

func (s *Server) run(args ...string) error {
	return exec.Command("pactl", append([]string{"--server", s.Address()}, args...)...).Run()
}

// Pactl runs pactl on the server and returns its output.
func (s *Server) Pactl(tb testing.TB, args ...string) string {
	tb.Helper()
	out, err := exec.Command("pactl", append([]string{"--server", s.Address()}, args...)...).CombinedOutput()
	if err != nil {
		tb.Fatalf("pactl %s: %v: %s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

// SetDefaultSource makes source (such as "room.monitor") the default
// capture device: the "microphone".
func (s *Server) SetDefaultSource(tb testing.TB, source string) {
	tb.Helper()
	s.Pactl(tb, "set-default-source", source)
}

// Play plays a sound file into sink with paplay and returns when it has
// been played. It may be called from another goroutine than the test's:
// a failure is reported with Errorf.
func (s *Server) Play(tb testing.TB, sink, file string) {
	tb.Helper()
	paplay, err := exec.LookPath("paplay")
	if err != nil {
		tb.Errorf("paplay not installed (scripts/deps.sh installs it)")
		return
	}
	if out, err := exec.Command(paplay, "--server", s.Address(), "-d", sink, file).CombinedOutput(); err != nil {
		tb.Errorf("paplay %s: %v: %s", file, err, out)
	}
}

// Record records source (such as "out.monitor") with parec, as 32-bit
// float stereo at rate, from when it returns until stop is called; stop
// returns the frames heard.
func (s *Server) Record(tb testing.TB, source string, rate int) (stop func() [][2]float32) {
	tb.Helper()
	parec := testtools.RequireTool(tb, "parec")
	path := filepath.Join(tb.TempDir(), "recorded.raw")
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	cmd := exec.Command(parec, "--server", s.Address(), "-d", source, "--format=float32le",
		"--rate="+strconv.Itoa(rate), "--channels=2", "--raw", "--latency-msec=20")
	cmd.Stdout = f
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	// Recording has begun once the idle sink's silence arrives.
	for start := time.Now(); ; time.Sleep(20 * time.Millisecond) {
		if st, err := f.Stat(); err == nil && st.Size() > 0 {
			break
		}
		if time.Since(start) > 20*time.Second {
			tb.Fatal("parec records nothing")
		}
	}
	return func() [][2]float32 {
		cmd.Process.Kill()
		cmd.Wait()
		f.Close()
		data, err := os.ReadFile(path)
		if err != nil {
			tb.Fatal(err)
		}
		frames := make([][2]float32, len(data)/8)
		for i := range frames {
			frames[i][0] = math.Float32frombits(binary.LittleEndian.Uint32(data[8*i:]))
			frames[i][1] = math.Float32frombits(binary.LittleEndian.Uint32(data[8*i+4:]))
		}
		return frames
	}
}
