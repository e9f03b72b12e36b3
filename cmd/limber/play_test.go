//go:build linux

package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// soundCard is a stand-in for a sound card: ALSA's file plugin writing
// into a named pipe that the test reads. A pipe blocks its writer when
// full, so reading it at 44100 frames a second paces the player just as
// a real card would.
type soundCard struct {
	home string // HOME with the .asoundrc
	mu   sync.Mutex
	data bytes.Buffer // what was played: float32 stereo, zero frames dropped
	all  bytes.Buffer // everything from the first sound frame on
	// first is when the first sound frame arrived
	first time.Time
	stop  chan struct{}
	done  chan struct{}
}

// newSoundCard makes the card; paced reads in real time, else as fast as
// the player writes.
func newSoundCard(t testing.TB, paced bool) *soundCard {
	t.Helper()
	home := t.TempDir()
	fifo := filepath.Join(home, "card.raw")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	conf := `pcm.!default { type file; slave.pcm "null"; file "` + fifo + `"; format "raw" }` + "\n"
	if err := os.WriteFile(filepath.Join(home, ".asoundrc"), []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	c := &soundCard{home: home, done: make(chan struct{}), stop: make(chan struct{})}
	go func() {
		defer close(c.done)
		for {
			c.read(fifo, paced) // one player's output, until it closes the device
			select {
			case <-c.stop:
				return
			default:
			}
		}
	}()
	t.Cleanup(func() {
		close(c.stop)
		// Unblock a reader waiting for a player to open the card. Opening
		// the pipe without blocking fails while no reader waits in open
		// (it may be between two players), and the reader would then wait
		// forever: so again, until it is gone.
		for {
			if f, err := os.OpenFile(fifo, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
				f.Close()
			}
			select {
			case <-c.done:
				return
			case <-time.After(10 * time.Millisecond):
			}
		}
	})
	return c
}

const frameBytes = 8 // float32 stereo

func (c *soundCard) read(fifo string, paced bool) {
	f, err := os.Open(fifo)
	if err != nil {
		return
	}
	defer f.Close()
	// A pipe holds 64 KiB, 190 ms of sound, which would sit between the
	// player and the "card" like a huge hardware buffer; a page of it is
	// closer to a real card's.
	if paced {
		syscall.Syscall(syscall.SYS_FCNTL, f.Fd(), syscall.F_SETPIPE_SZ, 4096)
	}
	buf := make([]byte, 441*frameBytes) // 10 ms
	start := time.Now()
	var total int
	for {
		n, err := io.ReadFull(f, buf)
		c.mu.Lock()
		for i := 0; i+frameBytes <= n; i += frameBytes {
			if binary.LittleEndian.Uint64(buf[i:]) != 0 {
				if c.first.IsZero() {
					c.first = time.Now()
				}
				c.data.Write(buf[i : i+frameBytes])
			}
			if !c.first.IsZero() {
				c.all.Write(buf[i : i+frameBytes])
			}
		}
		c.mu.Unlock()
		total += n
		if err != nil {
			return
		}
		if paced {
			due := start.Add(time.Duration(total/frameBytes) * time.Second / 44100)
			time.Sleep(time.Until(due))
		}
	}
}

// frames returns what was played as 16-bit values, zero frames left out.
func (c *soundCard) frames() [][2]int16 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return int16Frames(c.data.Bytes())
}

// allFrames returns everything played from the first sound frame on,
// silence included.
func (c *soundCard) allFrames() [][2]int16 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return int16Frames(c.all.Bytes())
}

func int16Frames(b []byte) [][2]int16 {
	out := make([][2]int16, 0, len(b)/frameBytes)
	for i := 0; i+frameBytes <= len(b); i += frameBytes {
		l := math.Float32frombits(binary.LittleEndian.Uint32(b[i:]))
		r := math.Float32frombits(binary.LittleEndian.Uint32(b[i+4:]))
		out = append(out, [2]int16{int16(math.Round(float64(l) * 32768)), int16(math.Round(float64(r) * 32768))})
	}
	return out
}

// TestPlay_NoDropouts plays into a card read at real-time pace and checks
// that from the first sound on the card received the export frame for
// frame, silences included: any moment the player was late would show as
// zeros the export does not have.
func TestPlay_NoDropouts(t *testing.T) {
	slow(t)
	checkNoDropouts(t, newSoundCard(t, true))
}

// checkNoDropouts plays a short routine with args into card, read in real
// time, and checks that from the first sound on it received the export
// frame for frame.
func checkNoDropouts(t *testing.T, card *soundCard, args ...string) {
	t.Helper()
	routine := writeFile(t, "short.json", `{"version": 1,
	  "stretches": {"s": {"name": "S", "name_cue": "neck-tilts", "steps": [{"say": "neck-tilts.how"}, {"hold": 1}]}},
	  "routines": {"short": {"name": "Short", "lead_in": 0, "stretches": ["s"]}}}`)
	_, stderr, code := limberProc(t, []string{"HOME=" + card.home}, append([]string{"play", "short", "--routines", routine}, args...)...)
	if code != 0 {
		t.Fatalf("play: exit %d: %s", code, stderr)
	}
	t.Logf("play: %s", stderr)
	got := card.allFrames()
	data, err := os.ReadFile(export(t, "short", "--routines", routine))
	if err != nil {
		t.Fatal(err)
	}
	var want [][2]int16
	end := 44 + int(binary.LittleEndian.Uint32(data[40:44]))
	for i := 44; i+2 <= end; i += 2 {
		v := int16(binary.LittleEndian.Uint16(data[i:]))
		if len(want) == 0 && v == 0 {
			continue // what precedes the first sound
		}
		want = append(want, [2]int16{v, v})
	}
	want = want[:len(want)-int(0.5*44100)] // the tail of silence may be cut short by the exit
	if len(got) < len(want) {
		t.Fatalf("card received %d frames from the first sound on, export holds %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("frame %d (%.3f s after the first sound): card %v, export %v: a dropout", i, float64(i)/44100, got[i], want[i])
		}
	}
}

// wavFrames reads a mono 16-bit WAV written by limber and returns its
// frames as stereo, zero frames left out.
func wavFrames(t *testing.T, path string) [][2]int16 {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	size := int(binary.LittleEndian.Uint32(data[40:44]))
	pcm := data[44 : 44+size]
	var out [][2]int16
	for i := 0; i+2 <= len(pcm); i += 2 {
		if v := int16(binary.LittleEndian.Uint16(pcm[i:])); v != 0 {
			out = append(out, [2]int16{v, v})
		}
	}
	return out
}

// tinyRoutine plays in a few seconds.
const tinyRoutine = `{
  "version": 1,
  "stretches": {"tilt": {"name": "Tilt", "name_cue": "neck-tilts", "sides": 2, "steps": [{"say": "neck-tilts.tilt"}, {"hold": 1.5}]}},
  "routines": {"tiny": {"name": "Tiny", "lead_in": 0, "stretches": ["tilt"]}}
}`

// TestPlay_CaptureEqualsExport plays a routine into the stand-in card
// and checks that what the card received is what export writes. oto fills
// any moment the player is late with silence, and a card that is read
// faster than real time makes such moments, so zero frames are left out
// of both sides before comparing; every sound frame must match exactly
// and in order.
func TestPlay_CaptureEqualsExport(t *testing.T) {
	slow(t)
	routines := writeFile(t, "tiny.json", tinyRoutine)
	music := filepath.Join("..", "..", "cues", "testdata", "formats", "rest.flac")
	for name, extra := range map[string][]string{
		"voice":       nil,
		"with music":  {"--music", music},
		"brief coach": {"--coach", "brief", "--pace", "0.5"},
	} {
		t.Run(name, func(t *testing.T) {
			card := newSoundCard(t, false)
			args := append([]string{"tiny", "--routines", routines}, extra...)
			_, stderr, code := limberProc(t, []string{"HOME=" + card.home}, append([]string{"play"}, args...)...)
			if code != 0 {
				t.Fatalf("play: exit %d: %s", code, stderr)
			}
			if strings.Contains(stderr, "ALSA lib") {
				t.Errorf("alsa-lib messages reached the user:\n%s", stderr)
			}
			// Not a terminal: one plain line per stretch.
			if !strings.Contains(stderr, "00:00  Tilt\n") {
				t.Errorf("stderr lacks the line for the stretch:\n%s", stderr)
			}
			want := wavFrames(t, export(t, args...))
			got := card.frames()
			if len(want) == 0 {
				t.Fatal("export is silent")
			}
			if len(got) != len(want) {
				t.Fatalf("card received %d sound frames, export holds %d", len(got), len(want))
			}
			for i := range want {
				if got[i] != want[i] {
					t.Fatalf("sound frame %d: card %v, export %v", i, got[i], want[i])
				}
			}
		})
	}
}

// TestPlay_MusicThatFailsIsReported: a music bed damaged halfway stops
// there, the routine plays on to its end, and limber says why the music
// stopped, exit 1 (it used to say nothing).
func TestPlay_MusicThatFailsIsReported(t *testing.T) {
	slow(t)
	sox := requireTool(t, "sox")
	dir := t.TempDir()
	bed := filepath.Join(dir, "bed.flac")
	if out, err := exec.Command(sox, "-n", "-r", "44100", "-c", "2", "-b", "16", bed, "synth", "6", "pinknoise", "gain", "-20").CombinedOutput(); err != nil {
		t.Fatalf("sox: %v\n%s", err, out)
	}
	data, err := os.ReadFile(bed)
	if err != nil {
		t.Fatal(err)
	}
	for i := len(data) / 2; i < len(data)/2+64; i++ {
		data[i] ^= 0x5a // a frame in the middle no longer checks out
	}
	if err := os.WriteFile(bed, data, 0o644); err != nil {
		t.Fatal(err)
	}
	card := newSoundCard(t, false)
	routines := writeFile(t, "tiny.json", tinyRoutine)
	_, stderr, code := limberProc(t, []string{"HOME=" + card.home}, "play", "tiny", "--routines", routines, "--music", bed)
	lines := strings.Split(strings.TrimSpace(stderr), "\n")
	last := lines[len(lines)-1]
	if code != 1 || !strings.HasPrefix(last, "limber: music "+bed+": decode flac: damaged audio") {
		t.Errorf("exit %d, stderr:\n%s\nwant exit 1 and a last line saying the music is damaged", code, stderr)
	}
	if len(lines) < 2 || !strings.HasPrefix(lines[len(lines)-2], "tiny done,") {
		t.Errorf("the routine did not play to its end without the music:\n%s", stderr)
	}
}

// TestPlay_NoDeviceFailsFast: on a machine with no sound server and no
// card, play and say fail within seconds, and limber's line is all the
// user reads.
func TestPlay_NoDeviceFailsFast(t *testing.T) {
	slow(t)
	home := t.TempDir()                                                   // no .asoundrc: ALSA finds no card at all
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute) // a guard against a hang, not a timing test
	defer cancel()
	for _, args := range [][]string{{"play", "neck-tilts"}, {"say", "switch-sides"}} {
		cmd := exec.CommandContext(ctx, program(t), args...)
		cmd.Env = append(os.Environ(), "HOME="+home)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		err := cmd.Run()
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != 1 {
			t.Fatalf("%v: %v, want exit 1; stderr:\n%s", args, err, stderr.String())
		}
		// Exactly one line: alsa-lib's messages and those of the JACK
		// library its jack plugin loads (libasound2-plugins) stay out.
		got := stderr.String()
		if strings.Count(got, "\n") != 1 || !strings.HasPrefix(got, "limber: no usable audio output") || !strings.Contains(got, "limber export") {
			t.Errorf("%v: stderr is not the one line saying there is no output:\n%s", args, got)
		}
	}
}

func TestPlay_BadFlags(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"play", "desk-break", "--from", "arm-slides"}, `limber: --from: desk-break has no stretch "arm-slides"`},
		{[]string{"play", "desk-break", "--volume", "200"}, `limber: play: invalid argument "200" for "--volume" flag: must be between 0 and 150 per cent`},
		{[]string{"play", "desk-break", "--volume", "0.8"}, `limber: play: invalid argument "0.8" for "--volume" flag: volume is in per cent, from 0 to 150: did you mean 80?`},
		{[]string{"play"}, "limber: play: missing routine or stretch NAME"},
		{[]string{"say"}, "limber: say: missing cue ID"},
		{[]string{"say", "swich-sides"}, `limber: no cue named "swich-sides" (did you mean switch-sides`},
	} {
		_, stderr, code := limberProc(t, nil, tc.args...)
		if code != 2 || !strings.HasPrefix(stderr, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tc.args, code, stderr, tc.want)
		}
	}
}

// TestPlay_WithoutCgo builds limber without cgo: everything but live
// audio works, and play and say say why they cannot.
func TestPlay_WithoutCgo(t *testing.T) {
	slow(t)
	bin := filepath.Join(t.TempDir(), "limber-nocgo")
	if err := goBuild(bin, []string{"CGO_ENABLED=0"}); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"play", "neck-tilts"}, {"say", "switch-sides"}} {
		out, err := exec.Command(bin, args...).CombinedOutput()
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != 1 || !strings.Contains(string(out), "limber: this build has no audio output") {
			t.Errorf("%v: %v\n%s", args, err, out)
		}
	}
	wav := filepath.Join(t.TempDir(), "x.wav")
	if out, err := exec.Command(bin, "export", "neck-tilts", "-o", wav).CombinedOutput(); err != nil {
		t.Errorf("export without cgo: %v\n%s", err, out)
	}
}

// TestPlay_StopsCleanlyOnSignals plays with no terminal attached and
// stops it with SIGINT and SIGTERM: exit 130 and 143, so a script can tell
// an interrupted session from a finished one, with the plain status lines
// and a last line saying where it stopped.
func TestPlay_StopsCleanlyOnSignals(t *testing.T) {
	slow(t)
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			card := newSoundCard(t, true)
			routines := writeFile(t, "tiny.json", tinyRoutine)
			cmd := exec.Command(program(t), "play", "tiny", "--routines", routines)
			cmd.Env = append(os.Environ(), "HOME="+card.home)
			var stderr syncBuffer
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			// Wait until the first stretch has begun (a guard, not a timing test).
			deadline := time.Now().Add(30 * time.Second)
			for !strings.Contains(stderr.String(), "Tilt") {
				if time.Now().After(deadline) {
					cmd.Process.Kill()
					t.Fatalf("no status line; stderr:\n%s", stderr.String())
				}
				time.Sleep(50 * time.Millisecond)
			}
			cmd.Process.Signal(sig)
			err := cmd.Wait()
			var ee *exec.ExitError
			if want := 128 + int(sig); !errors.As(err, &ee) || ee.ExitCode() != want {
				t.Errorf("after %v: %v, want exit %d; stderr:\n%s", sig, err, want, stderr.String())
			}
			lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
			for _, line := range lines[:len(lines)-1] {
				if !statusLinePlain.MatchString(line) {
					t.Errorf("unexpected stderr line %q", line)
				}
			}
			if last := lines[len(lines)-1]; !stoppedLine.MatchString(last) {
				t.Errorf("last line %q, want it to say where the session stopped", last)
			}
		})
	}
}

var (
	statusLinePlain = regexp.MustCompile(`^\d\d:\d\d  \S`)
	stoppedLine     = regexp.MustCompile(`^stopped (in tilt|in the closing|in the lead-in) at \d+:\d\d of 0:\d\d$`)
)

// syncBuffer is a bytes.Buffer safe to read while a process writes it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// deafCard is an ALSA device that never opens: the file plugin writing
// into a named pipe nobody reads, as a busy card behaves. It returns the
// HOME whose .asoundrc points there.
func deafCard(t *testing.T) string {
	t.Helper()
	home := t.TempDir()
	fifo := filepath.Join(home, "nobody-reads.raw")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	conf := `pcm.!default { type file; slave.pcm "null"; file "` + fifo + `"; format "raw" }` + "\n"
	if err := os.WriteFile(filepath.Join(home, ".asoundrc"), []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	return home
}

// TestPlay_DeviceThatNeverOpens: opening the device has a deadline too;
// limber gives up with the no-output error and exit 1 instead of waiting
// forever.
func TestPlay_DeviceThatNeverOpens(t *testing.T) {
	slow(t)
	home := deafCard(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute) // a guard against a hang
	defer cancel()
	cmd := exec.CommandContext(ctx, program(t), "play", "neck-tilts")
	cmd.Env = append(os.Environ(), "HOME="+home)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	start := time.Now()
	err := cmd.Run()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 1 || !strings.HasPrefix(stderr.String(), "limber: no usable audio output") {
		t.Fatalf("%v, want exit 1; stderr:\n%s", err, stderr.String())
	}
	if strings.Count(stderr.String(), "\n") != 1 {
		t.Errorf("want one line:\n%s", stderr.String())
	}
	t.Logf("gave up after %s", time.Since(start).Round(time.Millisecond))
}

// TestPlay_InterruptWhileOpeningTheDevice: Ctrl-C (SIGINT) and SIGTERM
// stop limber while it waits for the device, with their own exit codes
// and not the device's error (which would mean it waited the deadline
// out).
func TestPlay_InterruptWhileOpeningTheDevice(t *testing.T) {
	slow(t)
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		home := deafCard(t)
		cmd := exec.Command(program(t), "play", "neck-tilts")
		cmd.Env = append(os.Environ(), "HOME="+home)
		var stderr syncBuffer
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		waitForPipeOpen(t, cmd.Process.Pid) // the device is opening
		start := time.Now()
		cmd.Process.Signal(sig)
		err := cmd.Wait()
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != 128+int(sig) {
			t.Errorf("%v: %v, want exit %d; stderr:\n%s", sig, err, 128+int(sig), stderr.String())
		}
		if strings.Contains(stderr.String(), "no usable audio output") {
			t.Errorf("%v: limber waited for the device's deadline:\n%s", sig, stderr.String())
		}
		t.Logf("%v: exited %s after the signal", sig, time.Since(start).Round(time.Millisecond))
	}
}

// waitForPipeOpen waits until a thread of process pid is blocked opening
// a named pipe that has no reader (the kernel's wait_for_partner): with a
// deafCard, limber is then opening the sound device.
func waitForPipeOpen(t *testing.T, pid int) {
	t.Helper()
	for start := time.Now(); ; time.Sleep(10 * time.Millisecond) {
		tasks, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/wchan", pid))
		for _, task := range tasks {
			if w, err := os.ReadFile(task); err == nil && string(w) == "wait_for_partner" {
				return
			}
		}
		if len(tasks) == 0 || time.Since(start) > time.Minute { // gone, or a guard against a hang
			t.Fatalf("process %d never opened the device", pid)
		}
	}
}

// firstSound returns when the card received its first sound frame.
func (c *soundCard) firstSound() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.first
}

// BenchmarkPlay_TimeToFirstSound measures what a person hears: from
// starting limber play to the first sound frame reaching a card read at
// real-time pace, over b.N runs; it reports the median and the slowest.
func BenchmarkPlay_TimeToFirstSound(b *testing.B) {
	var took []time.Duration
	for b.Loop() {
		took = append(took, timeToFirstSound(b))
	}
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "ms-median")
	b.ReportMetric(float64(took[len(took)-1].Microseconds())/1000, "ms-max")
}

func timeToFirstSound(b *testing.B) time.Duration {
	card := newSoundCard(b, true)
	cmd := exec.Command(program(b), "play", "neck-tilts", "--quiet")
	cmd.Env = append(os.Environ(), "HOME="+card.home)
	start := time.Now()
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	defer func() {
		cmd.Process.Signal(syscall.SIGTERM)
		cmd.Wait()
	}()
	deadline := start.Add(30 * time.Second)
	for card.firstSound().IsZero() {
		if time.Now().After(deadline) {
			b.Fatal("no sound")
		}
		time.Sleep(time.Millisecond)
	}
	return card.firstSound().Sub(start)
}
