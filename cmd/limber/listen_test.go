//go:build linux

package main

import (
	"encoding/json"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/limber-audio/limber/internal/pulsetest"
	"github.com/limber-audio/limber/internal/speechtest"
	"github.com/limber-audio/limber/internal/testtools"
	"github.com/limber-audio/limber/kws"
	"github.com/limber-audio/limber/player"
)

// listenRig is a desktop as far as limber's listening needs one: a
// PulseAudio daemon whose default sink ("out") limber plays into, a
// second null sink ("room") whose monitor is the default source, the
// microphone, and a private session bus for playerctl. The test speaks
// into the room with paplay.
type listenRig struct {
	t     *testing.T
	pulse *pulsetest.Server
	bus   string
	env   []string
}

func newListenRig(t *testing.T) *listenRig {
	t.Helper()
	slow(t)
	if err := kws.Available(); err != nil {
		t.Skip(err)
	}
	if _, err := os.Stat(kws.DefaultModelDirs[0]); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("pocketsphinx-en-us is not installed (scripts/deps.sh installs it)")
		}
		t.Skip("pocketsphinx-en-us is not installed")
	}
	testtools.RequireTool(t, "text2wave")
	pulse := pulsetest.Start(t, pulsetest.Sink{Name: "out"}, pulsetest.Sink{Name: "room", Rate: 16000, Channels: 1})
	pulse.RouteALSA(t)
	pulse.SetDefaultSource(t, "room.monitor")
	bus := testtools.PrivateBus(t)
	env := append(pulse.Env(), "DBUS_SESSION_BUS_ADDRESS="+bus)
	return &listenRig{t: t, pulse: pulse, bus: bus, env: env}
}

// say speaks text into the room, in festival's voice (the one the
// built-in pack uses), and returns when it has been said. A little
// silence goes before and after it, as around anything a person says.
func (r *listenRig) say(text string) {
	r.t.Helper()
	wav := filepath.Join(r.t.TempDir(), "said.wav")
	said := append(speechtest.Silence(0.3), speechtest.Say(r.t, speechtest.Voice{Engine: "festival"}, text)...)
	speechtest.WriteWAV(r.t, wav, append(said, speechtest.Silence(0.3)...))
	r.pulse.Play(r.t, "room", wav)
}

// livePlay is a running limber play.
type livePlay struct {
	r      *listenRig
	cmd    *exec.Cmd
	stderr *syncBuffer
	done   chan error
	sounds []planCue // the routine's cues and tones, by start
	acked  time.Time // when limber last said it heard a command, and so played its acknowledgement
}

// play starts limber play in the rig, of routine name and then args.
func (r *listenRig) play(name string, args ...string) *livePlay {
	r.t.Helper()
	var sounds []planCue
	for _, e := range plan(r.t, name) {
		if e.Kind == "cue" || e.Kind == "tone" {
			sounds = append(sounds, e)
		}
	}
	cmd := exec.Command(program(r.t), append([]string{"play", name}, args...)...)
	cmd.Env = append(os.Environ(), r.env...)
	p := &livePlay{r: r, cmd: cmd, stderr: &syncBuffer{}, done: make(chan error, 1), sounds: sounds}
	cmd.Stderr = p.stderr
	if err := cmd.Start(); err != nil {
		r.t.Fatal(err)
	}
	go func() { p.done <- cmd.Wait() }()
	r.t.Cleanup(func() { cmd.Process.Kill(); <-p.done })
	eventually(r.t, "limber playing, on the bus", func() bool { return p.ctl("status") == "Playing" })
	return p
}

func (p *livePlay) ctl(args ...string) string {
	return playerctl(p.r.t, p.r.bus, append([]string{"-p", "limber"}, args...)...)
}

// position is where the session is, in seconds.
func (p *livePlay) position() float64 {
	v, _ := strconv.ParseFloat(p.ctl("position"), 64)
	return v
}

// heard counts the lines saying limber heard phrase.
func (p *livePlay) heard(phrase string) int {
	return strings.Count(p.stderr.String(), "heard: "+phrase+"\n")
}

// command says phrase until limber says it heard it. A command said
// while limber itself sounds is ignored, as it should be, so it is said
// as a person would: when limber has gone quiet, and again after a
// pause if it was not heard. It gives up after six tries.
func (p *livePlay) command(phrase string) {
	p.r.t.Helper()
	before := p.heard(phrase)
	for try := 0; try < 6; try++ {
		p.waitQuiet()
		p.r.say(phrase)
		for start := time.Now(); time.Since(start) < 4*time.Second; time.Sleep(50 * time.Millisecond) {
			if p.heard(phrase) > before {
				p.acked = time.Now()
				return
			}
		}
	}
	p.r.t.Fatalf("%q never heard; stderr:\n%s", phrase, p.stderr.String())
}

// until waits for ok, a state of the session; the deadline only guards
// against a hang, and its failure shows what limber said.
func (p *livePlay) until(what string, ok func() bool) {
	p.r.t.Helper()
	for start := time.Now(); !ok(); time.Sleep(50 * time.Millisecond) {
		if time.Since(start) > 30*time.Second {
			p.r.t.Fatalf("waiting for %s; stderr:\n%s", what, p.stderr.String())
		}
	}
}

// sayQuiet is how long a command takes to say (the silence around it
// too) and for the room to go quiet after it: limber must not sound
// for that long from when it is started.
const sayQuiet = 3.0

// waitQuiet waits until limber is paused, or plays nothing for sayQuiet
// seconds from where it is, with room before its next sound and after
// its last a little wider than the spotter's (listen.Options.Before and
// After: 150 and 450 ms), since the position playerctl reads lags.
func (p *livePlay) waitQuiet() {
	p.r.t.Helper()
	// The acknowledgement of the command before is limber's sound too,
	// not in the plan: a command said over it was ignored, and by the
	// time it was said again the routine had moved on (CI, "limber
	// next" taken in the stretch after the one the test meant). 800 ms:
	// the spotter's After (450 ms) and the sink's latency.
	time.Sleep(time.Until(p.acked.Add(player.AckDuration + 800*time.Millisecond)))
	quiet := func() bool {
		if p.ctl("status") == "Paused" {
			return true
		}
		pos := p.position()
		for _, e := range p.sounds {
			if e.Start-0.3 < pos+sayQuiet && pos < e.Start+e.Duration+0.5 {
				return false
			}
		}
		return true
	}
	p.until("a quiet moment to speak in", quiet)
}

// waitUntil waits until the session reaches second pos of the routine.
func (p *livePlay) waitUntil(pos float64) {
	p.r.t.Helper()
	for start := time.Now(); p.position() < pos; time.Sleep(20 * time.Millisecond) {
		if time.Since(start) > time.Duration(pos+30)*time.Second {
			p.r.t.Fatalf("waiting for position %.1f: at %q; stderr:\n%s", pos, p.ctl("position"), p.stderr.String())
		}
	}
}

// TestListen_CommandsThroughPulseAudio plays desk-break with --listen
// through a real sound server and speaks the commands into its
// microphone: pause, continue, louder, next, back and stop each take
// effect, as playerctl sees over MPRIS, and a minute of other speech
// changes nothing.
func TestListen_CommandsThroughPulseAudio(t *testing.T) {
	r := newListenRig(t)
	p := r.play("desk-break", "--listen", "--verbose")
	// The first hold of neck tilts is quiet from its start tone (17.8 s
	// to 18.0 s, and the room's echo after it) to the countdown at 24.8 s.
	p.waitUntil(18.6)
	p.command("limber pause")
	p.until("paused", func() bool { return p.ctl("status") == "Paused" })

	// A minute of other speech, paused: nothing heard, nothing changes.
	lines := strings.Count(p.stderr.String(), "heard:")
	text, err := os.ReadFile("/usr/share/common-licenses/GPL-3")
	if err != nil {
		t.Skip(err)
	}
	said := 0.0
	for _, para := range strings.Split(string(text), "\n\n")[3:] {
		para = strings.Join(strings.Fields(para), " ")
		if para == "" {
			continue
		}
		s := speechtest.Say(t, speechtest.Voice{Engine: "festival"}, para)
		wav := filepath.Join(t.TempDir(), "para.wav")
		speechtest.WriteWAV(t, wav, s)
		r.pulse.Play(t, "room", wav)
		if said += speechtest.Seconds(len(s)); said >= 60 {
			break
		}
	}
	if got := strings.Count(p.stderr.String(), "heard:"); got != lines || p.ctl("status") != "Paused" || p.ctl("volume") != "1.000000" {
		t.Fatalf("after %.0f s of other speech: %d commands heard, %s, volume %s; stderr:\n%s", said, got-lines, p.ctl("status"), p.ctl("volume"), p.stderr.String())
	}

	p.command("limber continue")
	p.until("playing", func() bool { return p.ctl("status") == "Playing" })
	p.command("limber louder")
	p.until("louder", func() bool { return p.ctl("volume") == "1.100000" })
	p.command("limber next")
	p.until("the next stretch", func() bool { return strings.HasPrefix(p.ctl("metadata", "xesam:title"), "Chair rotation") })
	// Back, three seconds into a stretch, goes to its start.
	p.waitUntil(p.position() + 3)
	at := p.position()
	p.command("limber back")
	p.until("back", func() bool { return p.position() < at })
	p.command("limber stop")
	select {
	case err := <-p.done:
		p.done <- err
		if err != nil {
			t.Errorf("after limber stop: %v; stderr:\n%s", err, p.stderr.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("limber stop did not end the session; stderr:\n%s", p.stderr.String())
	}
	if !regexp.MustCompile(`stopped in .* at \d+:\d\d of 2:40`).MatchString(p.stderr.String()) {
		t.Errorf("no closing line:\n%s", p.stderr.String())
	}
}

// TestListen_OwnVoiceIsIgnored speaks a command while limber's own cue
// plays: it is not acted on. One said in a quiet moment is, and its
// acknowledgement tone is heard in the sink limber plays into.
func TestListen_OwnVoiceIsIgnored(t *testing.T) {
	r := newListenRig(t)
	stop := r.pulse.Record(t, "out.monitor", 44100)
	p := r.play("desk-break", "--listen")
	cue := longCue(t, "desk-break")
	// Said well inside the cue: it ends about a second later.
	p.waitUntil(cue.Start + 0.5)
	if pos := p.position(); pos > cue.Start+cue.Duration-2 {
		t.Skipf("the machine is too slow to say it inside the cue (at %.1f s)", pos)
	}
	r.say("limber pause")
	time.Sleep(3 * time.Second)
	if p.heard("limber pause") > 0 || p.ctl("status") != "Playing" {
		t.Fatalf("a command said over limber's cue was acted on; stderr:\n%s", p.stderr.String())
	}
	before := stop()
	if acks := ackTones(before); acks > 0 {
		t.Errorf("%d acknowledgement tones before any command was heard", acks)
	}
	stop = r.pulse.Record(t, "out.monitor", 44100)
	p.waitUntil(18.6)
	p.command("limber louder")
	p.until("louder", func() bool { return p.ctl("volume") == "1.100000" })
	time.Sleep(500 * time.Millisecond)
	if acks := ackTones(stop()); acks != 1 {
		t.Errorf("%d acknowledgement tones in the sink after one command, want 1", acks)
	}
}

// planCue is a cue of limber plan --json.
type planCue struct {
	Start, Duration float64
	Kind, Cue       string
}

// plan returns the events of name's plan, as limber plan --json gives
// them.
func plan(t *testing.T, name string) []planCue {
	t.Helper()
	out, stderr, code := limber(t, nil, "plan", name, "--json")
	if code != 0 {
		t.Fatalf("plan: %s", stderr)
	}
	var plan struct{ Events []planCue }
	if err := json.Unmarshal([]byte(out), &plan); err != nil {
		t.Fatal(err)
	}
	return plan.Events
}

// longCue returns the first cue of name's plan that lasts 4 s or more.
func longCue(t *testing.T, name string) planCue {
	t.Helper()
	for _, e := range plan(t, name) {
		if e.Kind == "cue" && e.Duration >= 4 {
			return e
		}
	}
	t.Fatalf("%s has no cue of 4 s or more", name)
	return planCue{}
}

// ackTones counts the acknowledgement tones in frames at 44.1 kHz: runs
// of 10 ms windows where 1568 Hz (the tone's note, which no other tone of
// limber's plays) holds most of the sound, one run a pip, two pips a
// tone.
func ackTones(frames [][2]float32) int {
	const rate, win = 44100, 441
	pips, in := 0, false
	for i := 0; i+win <= len(frames); i += win {
		var total float64
		for _, f := range frames[i : i+win] {
			total += float64(f[0]) * float64(f[0])
		}
		// Goertzel at 1568 Hz.
		k := 2 * math.Cos(2*math.Pi*1568/rate)
		var s1, s2 float64
		for _, f := range frames[i : i+win] {
			s1, s2 = float64(f[0])+k*s1-s2, s1
		}
		power := (s1*s1 + s2*s2 - k*s1*s2) / win * 2
		tone := total > 1e-4*win && power > 0.5*total
		if tone && !in {
			pips++
		}
		in = tone
	}
	return pips / 2
}

// TestListen_Unavailable: a build without cgo, or without pocketsphinx,
// answers --listen with one line and exit 2, and plays as ever without
// it; config.json's "listen" only warns there.
func TestListen_Unavailable(t *testing.T) {
	slow(t)
	dir := t.TempDir()
	for _, b := range []struct {
		name string
		env  []string
		tags string
	}{
		{"CGO_ENABLED=0", []string{"CGO_ENABLED=0"}, ""},
		{"-tags nopocketsphinx", nil, "nopocketsphinx"},
	} {
		t.Run(b.name, func(t *testing.T) {
			bin := filepath.Join(dir, strings.NewReplacer(" ", "", "=", "").Replace(b.name))
			var flags []string
			if b.tags != "" {
				flags = []string{"-tags", b.tags}
			}
			if err := goBuild(bin, b.env, flags...); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(bin, "play", "neck-tilts", "--listen")
			out, err := cmd.CombinedOutput()
			code := cmd.ProcessState.ExitCode()
			if code != 2 || strings.Count(string(out), "\n") != 1 || !strings.HasPrefix(string(out), "limber: --listen: ") || !strings.Contains(string(out), "not available in this build") {
				t.Errorf("exit %d (%v), output:\n%s", code, err, out)
			}
			if b.tags == "" {
				return // no sound output without cgo either
			}
			// Asked by config.json, not on the command line: a warning,
			// and the session plays.
			card := newSoundCard(t, false)
			cfg := t.TempDir()
			os.MkdirAll(filepath.Join(cfg, "limber"), 0o755)
			os.WriteFile(filepath.Join(cfg, "limber", "config.json"), []byte(`{"listen": true}`), 0o644)
			routines := writeFile(t, "tiny.json", tinyRoutine)
			cmd = exec.Command(bin, "play", "tiny", "--routines", routines)
			cmd.Env = append(os.Environ(), "HOME="+card.home, "XDG_CONFIG_HOME="+cfg)
			out, err = cmd.CombinedOutput()
			if err != nil || !strings.HasPrefix(string(out), "limber: warning: config.json: ") || !strings.Contains(string(out), "playing without listening") || !strings.Contains(string(out), "tiny done") {
				t.Errorf("listen in config.json: %v, output:\n%s", err, out)
			}
		})
	}
}

// TestListen_NoMicrophone: where there is no microphone at all (no sound
// server, and the only sound card one that only plays), one line says
// so and the session plays to its end.
func TestListen_NoMicrophone(t *testing.T) {
	slow(t)
	if err := kws.Available(); err != nil {
		t.Skip(err)
	}
	if cards, err := os.ReadFile("/proc/asound/cards"); err == nil && string(cards) != "--- no soundcards ---\n" {
		t.Skip("this machine has a sound card")
	}
	card := newSoundCard(t, false)
	withMic(t, card, "") // a card that only plays
	routines := writeFile(t, "tiny.json", tinyRoutine)
	_, stderr, code := limberProc(t, []string{"HOME=" + card.home, "PULSE_SERVER=unix:/nonexistent/pulse", "DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent/bus"},
		"play", "tiny", "--routines", routines, "--listen")
	first, _, _ := strings.Cut(stderr, "\n")
	if code != 0 || !strings.HasPrefix(first, "limber: no microphone found") || !strings.HasSuffix(first, "; playing without listening") || !strings.Contains(stderr, "tiny done") {
		t.Errorf("exit %d, stderr:\n%s", code, stderr)
	}
}

// TestListen_BadMic: a --mic that names no microphone is the user's to
// fix: one line naming the ones there are, exit 2, before anything plays.
func TestListen_BadMic(t *testing.T) {
	r := newListenRig(t)
	for _, name := range []string{"Blue Yeti", "monitor"} {
		_, stderr, code := limberProc(t, r.env, "play", "neck-tilts", "--mic", name)
		if code != 2 || strings.Count(stderr, "\n") != 1 || !strings.HasPrefix(stderr, "limber: --mic: ") || !strings.Contains(stderr, "room.monitor") {
			t.Errorf("--mic %q: exit %d, stderr:\n%s", name, code, stderr)
		}
	}
	// Completion offers the microphones by ID.
	if out, stderr, code := limberProc(t, r.env, "__complete", "play", "--mic", "room"); code != 0 || !strings.HasPrefix(out, "room.monitor\t") {
		t.Errorf("__complete play --mic room: exit %d, %s\n%s", code, stderr, out)
	}
	out, stderr, code := limberProc(t, r.env, "mics")
	if code != 0 || !regexp.MustCompile(`(?m)^room\.monitor +room monitor.*\(default\)$`).MatchString(out) && !strings.Contains(out, "room.monitor") {
		t.Errorf("mics: exit %d, %s\n%s", code, stderr, out)
	}
}

// TestListen_SilentMicrophone: a microphone that gives no sound at all
// (here a suspended source) is given up on with one line, and the
// session plays on.
func TestListen_SilentMicrophone(t *testing.T) {
	r := newListenRig(t)
	// A suspended sink: its monitor, the microphone, gives nothing.
	r.pulse.Pactl(t, "suspend-sink", "room", "1")
	p := r.play("desk-break", "--listen")
	for start := time.Now(); !strings.Contains(p.stderr.String(), "limber: the microphone gives no sound; playing on without listening\n"); time.Sleep(50 * time.Millisecond) {
		if time.Since(start) > 30*time.Second {
			t.Fatalf("no line about the microphone; stderr:\n%s", p.stderr.String())
		}
	}
	p.ctl("next")
	p.until("playing on", func() bool { return strings.HasPrefix(p.ctl("metadata", "xesam:title"), "Neck tilts") })
}

// TestListen_NoDropouts is TestPlay_NoDropouts with --listen on: the
// paced card's capture side is a microphone the test feeds in real time
// (a named pipe through ALSA's file plugin), the decoder listens
// throughout, and not one frame of the routine is late at the card.
func TestListen_NoDropouts(t *testing.T) {
	slow(t)
	if err := kws.Available(); err != nil {
		t.Skip(err)
	}
	if _, err := os.Stat(kws.DefaultModelDirs[0]); err != nil {
		t.Skip("pocketsphinx-en-us is not installed")
	}
	card := newSoundCard(t, true)
	room := filepath.Join(card.home, "mic.raw")
	if err := syscall.Mkfifo(room, 0o600); err != nil {
		t.Fatal(err)
	}
	withMic(t, card, `{ type file; slave.pcm "null"; file "/dev/null"; infile "`+room+`"; format "raw" }`)
	heard := make(chan int64, 1)
	go func() { heard <- speakInto(room) }()
	checkNoDropouts(t, card, "--listen")
	// The routine lasts 16 s from its first sound; the microphone was
	// read for all but its last moments.
	if n := <-heard; n < 14*kws.SampleRate {
		t.Errorf("the microphone was read for %.1f s", float64(n)/kws.SampleRate)
	}
}

// speakInto writes a quiet room, a faint hiss at 16 kHz, into the named
// pipe at the pace a microphone captures it, until its reader goes away,
// and returns how many samples were read.
func speakInto(fifo string) int64 {
	f, err := os.OpenFile(fifo, os.O_WRONLY, 0)
	if err != nil {
		return 0
	}
	defer f.Close()
	syscall.Syscall(syscall.SYS_FCNTL, f.Fd(), syscall.F_SETPIPE_SZ, 4096)
	chunk := make([]byte, 2*kws.SampleRate/50) // 20 ms
	for i := 0; i < len(chunk); i += 2 {
		chunk[i] = byte(i*7919%5) - 2 // a hiss of -2..2
		if chunk[i] > 2 {
			chunk[i+1] = 0xff
		}
	}
	start := time.Now()
	var n int64
	for {
		if _, err := f.Write(chunk); err != nil {
			return n
		}
		n += int64(len(chunk) / 2)
		time.Sleep(time.Until(start.Add(time.Duration(n) * time.Second / kws.SampleRate)))
	}
}

// withMic gives the test's sound card the capture side capture (ALSA's
// configuration of capture.pcm), or with "" none at all.
func withMic(t *testing.T, card *soundCard, capture string) {
	t.Helper()
	if capture != "" {
		capture = "capture.pcm " + capture + "; "
	}
	rc := filepath.Join(card.home, ".asoundrc")
	conf, err := os.ReadFile(rc)
	if err != nil {
		t.Fatal(err)
	}
	both := strings.Replace(strings.TrimSpace(string(conf)), "pcm.!default {", "pcm.!default { type asym; "+capture+"playback.pcm {", 1) + " }\n"
	if err := os.WriteFile(rc, []byte(both), 0o644); err != nil {
		t.Fatal(err)
	}
}
