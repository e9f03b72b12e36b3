//go:build linux

package main

import (
	"os"
	"os/exec"
	"slices"
	"testing"
	"time"

	"github.com/limber-audio/limber/audio"
	"github.com/limber-audio/limber/audio/tone"
	"github.com/limber-audio/limber/internal/testtools"
)

// soundFrames is mono sound x as a device receives it at full volume:
// 16-bit, in both channels, zero frames left out (as the card's and the
// monitor's frames are).
func soundFrames(x []float32) [][2]int16 {
	var out [][2]int16
	for _, v := range x {
		if s := audio.ToInt16(float64(v)); s != 0 {
			out = append(out, [2]int16{s, s})
		}
	}
	return out
}

// waitForSound waits until the frames from from on hold want, and
// returns where it ends; the deadline only guards against a hang.
func waitForSound(t *testing.T, what string, frames func() [][2]int16, from int, want [][2]int16) int {
	t.Helper()
	for start := time.Now(); ; time.Sleep(20 * time.Millisecond) {
		got := frames()
		for i := from; i+len(want) <= len(got); i++ {
			if slices.Equal(got[i:i+len(want)], want) {
				return i + len(want)
			}
		}
		if time.Since(start) > 30*time.Second {
			t.Fatalf("%s never reached the device (%d frames since %d)", what, len(got)-from, from)
		}
	}
}

// checkPauseHeard pauses a playing limber with the desktop's
// play-pause (MPRIS, as a headset button does) and checks what the
// device got: the pause sound, then nothing while paused; on resume the
// resume sound before anything of the routine.
func checkPauseHeard(t *testing.T, bus string, frames func() [][2]int16) {
	t.Helper()
	status := func() string { return playerctl(t, bus, "-p", "limber", "status") }
	eventually(t, "limber playing", func() bool { return status() == "Playing" && len(frames()) > 0 })
	before := len(frames())
	playerctl(t, bus, "-p", "limber", "pause")
	eventually(t, "Paused", func() bool { return status() == "Paused" })
	end := waitForSound(t, "the pause sound", frames, before, soundFrames(tone.Pause(44100)))
	time.Sleep(time.Second) // nothing more may come while paused
	if n := len(frames()); n != end {
		t.Errorf("paused, yet %d sound frames followed the pause sound", n-end)
	}
	playerctl(t, bus, "-p", "limber", "play")
	resume := soundFrames(tone.Resume(44100))
	if got := waitForSound(t, "the resume sound", frames, end, resume); got != end+len(resume) {
		t.Errorf("%d sound frames came between the pause and the resume sounds", got-len(resume)-end)
	}
}

// pauseRoutine is a stretch with a long hold, played without a voice: a
// pause lands in silence or among the routine's own tones.
const pauseRoutine = `{"version": 1,
  "stretches": {"hold": {"name": "Hold", "name_cue": "neck-tilts", "steps": [{"hold": 30}]}},
  "routines": {"long-hold": {"name": "Long hold", "lead_in": 0, "callout_every": 0, "stretches": ["hold"]}}}`

// TestPlay_PauseIsHeard: pausing and resuming each make a sound of
// their own, also in tones coaching, heard at a paced sound card and
// through PulseAudio, recorded at its sink's monitor.
func TestPlay_PauseIsHeard(t *testing.T) {
	slow(t)
	routines := writeFile(t, "long.json", pauseRoutine)
	play := func(t *testing.T, home, bus string) {
		cmd := exec.Command(program(t), "play", "long-hold", "--coach", "tones", "--quiet", "--routines", routines)
		cmd.Env = append(os.Environ(), "HOME="+home, "DBUS_SESSION_BUS_ADDRESS="+bus)
		var stderr syncBuffer
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			cmd.Process.Kill()
			cmd.Wait()
			if t.Failed() {
				t.Logf("limber's stderr:\n%s", stderr.String())
			}
		})
	}
	t.Run("sound card", func(t *testing.T) {
		bus := testtools.PrivateBus(t)
		card := newSoundCard(t, true)
		play(t, card.home, bus)
		checkPauseHeard(t, bus, card.frames)
	})
	t.Run("pulseaudio", func(t *testing.T) {
		bus := testtools.PrivateBus(t)
		pulse := startPulse(t)
		rec := pulse.record(t)
		play(t, pulse.home, bus)
		checkPauseHeard(t, bus, func() [][2]int16 { return rec.frames(t) })
	})
}
