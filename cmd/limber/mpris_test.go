//go:build linux

package main

import (
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/limber-audio/limber/audio/tone"
	"github.com/limber-audio/limber/internal/testtools"
)

// playerctl runs playerctl on the bus and returns its output.
func playerctl(t *testing.T, bus string, args ...string) string {
	t.Helper()
	bin := testtools.RequireTool(t, "playerctl")
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "DBUS_SESSION_BUS_ADDRESS="+bus)
	out, _ := cmd.CombinedOutput()
	return strings.TrimSpace(string(out))
}

// eventually polls until ok; the deadline only guards against a hang.
func eventually(t *testing.T, what string, ok func() bool) {
	t.Helper()
	for start := time.Now(); !ok(); time.Sleep(50 * time.Millisecond) {
		if time.Since(start) > 30*time.Second {
			t.Fatalf("waiting for %s", what)
		}
	}
}

// TestMPRIS_ControlsFromTheDesktop plays with no terminal at all and
// drives the session with playerctl over a private session bus, as
// headset buttons and media keys do.
func TestMPRIS_ControlsFromTheDesktop(t *testing.T) {
	slow(t)
	bus := testtools.PrivateBus(t)
	monitor := exec.Command(testtools.RequireTool(t, "dbus-monitor"), "--address", bus, "type='signal',interface='org.freedesktop.DBus.Properties'")
	var signals syncBuffer
	monitor.Stdout = &signals
	if err := monitor.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { monitor.Process.Kill(); monitor.Wait() })
	card := newSoundCard(t, true)
	cmd := exec.Command(program(t), "play", "desk-break")
	cmd.Env = append(os.Environ(), "HOME="+card.home, "DBUS_SESSION_BUS_ADDRESS="+bus)
	var stderr syncBuffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	status := func() string { return playerctl(t, bus, "-p", "limber", "status") }
	title := func() string { return playerctl(t, bus, "-p", "limber", "metadata", "xesam:title") }
	eventually(t, "limber on the bus, playing", func() bool { return status() == "Playing" })
	if got := playerctl(t, bus, "-p", "limber", "metadata", "xesam:album"); got != "Desk break" {
		t.Errorf("album %q", got)
	}

	// Pause: after the pause sound nothing reaches the device while
	// paused; play resumes.
	before := len(card.frames())
	playerctl(t, bus, "-p", "limber", "play-pause")
	eventually(t, "Paused", func() bool { return status() == "Paused" })
	end := waitForSound(t, "the pause sound", card.frames, before, soundFrames(tone.Pause(44100)))
	time.Sleep(time.Second)
	if after := len(card.frames()); after != end {
		t.Errorf("paused, yet %d sound frames reached the device after the pause sound", after-end)
	}
	eventually(t, "a PropertiesChanged signal for the pause", func() bool {
		return strings.Contains(signals.String(), "PlaybackStatus") && strings.Contains(signals.String(), `"Paused"`)
	})
	playerctl(t, bus, "-p", "limber", "play")
	eventually(t, "Playing again", func() bool { return status() == "Playing" })

	// Next and previous move between stretches as n and p do: desk-break
	// is neck tilts, then chair rotation. Next skips a whole stretch,
	// both sides of neck tilts, as n does (s moves by sides).
	playerctl(t, bus, "-p", "limber", "next")
	eventually(t, "the first stretch", func() bool { return strings.HasPrefix(title(), "Neck tilts") })
	firstTrack := playerctl(t, bus, "-p", "limber", "metadata", "mpris:trackid")
	playerctl(t, bus, "-p", "limber", "next")
	eventually(t, "the second stretch", func() bool { return strings.HasPrefix(title(), "Chair rotation") })
	if track := playerctl(t, bus, "-p", "limber", "metadata", "mpris:trackid"); track == firstTrack {
		t.Errorf("both stretches have track id %s", track)
	}
	playerctl(t, bus, "-p", "limber", "previous")
	playerctl(t, bus, "-p", "limber", "previous")
	eventually(t, "back to the first stretch", func() bool { return strings.HasPrefix(title(), "Neck tilts") })

	// Volume, tied to the volume keys.
	playerctl(t, bus, "-p", "limber", "volume", "0.5")
	eventually(t, "volume 0.5", func() bool { return playerctl(t, bus, "-p", "limber", "volume") == "0.500000" })
	// Too loud to round is the loudest there is, not silence.
	playerctl(t, bus, "-p", "limber", "volume", "1e308")
	eventually(t, "volume 1.5", func() bool { return playerctl(t, bus, "-p", "limber", "volume") == "1.500000" })

	// A second limber registers too, under a name of its own.
	card2 := newSoundCard(t, true)
	other := exec.Command(program(t), "play", "desk-break", "--quiet")
	other.Env = append(os.Environ(), "HOME="+card2.home, "DBUS_SESSION_BUS_ADDRESS="+bus)
	if err := other.Start(); err != nil {
		t.Fatal(err)
	}
	defer other.Process.Kill()
	eventually(t, "two limbers on the bus", func() bool {
		return strings.Count(playerctl(t, bus, "-l"), "limber") == 2
	})
	other.Process.Kill()
	other.Wait()

	// Stop ends the session with exit 0.
	playerctl(t, bus, "-p", "limber", "stop")
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("after Stop: %v; stderr:\n%s", err, stderr.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("Stop did not end the session")
	}
	if !strings.Contains(stderr.String(), "stopped in neck tilts at") {
		t.Errorf("no closing line:\n%s", stderr.String())
	}
}

// TestMPRIS_NoBusPlaysOn: with no session bus, play works as before,
// without a word about it.
func TestMPRIS_NoBusPlaysOn(t *testing.T) {
	slow(t)
	card := newSoundCard(t, false)
	routines := writeFile(t, "tiny.json", tinyRoutine)
	_, stderr, code := limberProc(t, []string{"HOME=" + card.home, "DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent/bus", "XDG_RUNTIME_DIR="},
		"play", "tiny", "--routines", routines)
	if code != 0 || strings.Contains(stderr, "bus") || strings.Contains(stderr, "MPRIS") {
		t.Errorf("exit %d, stderr:\n%s", code, stderr)
	}
}

// TestMPRIS_BusThatNeverAnswers: a session bus that lets limber connect
// and never answers (a hung daemon; PulseAudio's socket named as the
// bus) is given up on within a second: play and say play all the same,
// without media controls, where they used to wait for ever before any
// sound.
func TestMPRIS_BusThatNeverAnswers(t *testing.T) {
	slow(t)
	routines := writeFile(t, "tiny.json", tinyRoutine)
	buses := map[string]string{"silent socket": testtools.SilentBus(t)}
	buses["PulseAudio's socket"] = "unix:path=" + startPulse(t).sock
	for name, bus := range buses {
		for _, args := range [][]string{{"play", "tiny", "--routines", routines}, {"say", "get-ready"}} {
			card := newSoundCard(t, false)
			code, stderr, _ := hostileRun(t, []string{"HOME=" + card.home, "DBUS_SESSION_BUS_ADDRESS=" + bus}, args...)
			if code != 0 {
				t.Errorf("%s, %s: exit %d: %s", name, args[0], code, stderr)
			}
		}
	}
}
