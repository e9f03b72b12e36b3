//go:build cgo && linux

package mic

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/limber-audio/limber/internal/pulsetest"
	"github.com/limber-audio/limber/internal/speechtest"
)

// TestCapture_ThroughPulseAudio captures from a PulseAudio daemon's
// source, as on a desktop, while a tone is played into it: the tone
// arrives, at 16 kHz mono, stamped with the time it was captured.
func TestCapture_ThroughPulseAudio(t *testing.T) {
	pulse := pulsetest.Start(t, pulsetest.Sink{Name: "out"}, pulsetest.Sink{Name: "room", Rate: 16000, Channels: 1})
	pulse.SetDefaultSource(t, "room.monitor")
	t.Setenv("PULSE_SERVER", pulse.Address())

	devs, err := Devices()
	if err != nil {
		t.Fatal(err)
	}
	var def string
	for _, d := range devs {
		if d.Default {
			def = d.ID
		}
	}
	if def != "room.monitor" || len(devs) != 2 {
		t.Fatalf("devices %+v, want out.monitor and room.monitor, the latter the default", devs)
	}

	tone := make([]int16, speechtest.Rate/2)
	for i := range tone {
		tone[i] = int16(8000 * math.Sin(2*math.Pi*1000*float64(i)/speechtest.Rate))
	}
	wav := filepath.Join(t.TempDir(), "tone.wav")
	speechtest.WriteWAV(t, wav, tone)

	for _, name := range []string{"", "room"} {
		s, err := Open(Options{Device: name})
		if err != nil {
			t.Fatalf("Open(%q): %v", name, err)
		}
		if s.Rate() != 16000 {
			t.Errorf("rate %d", s.Rate())
		}
		// Wait until sound flows, then play the tone.
		first := <-s.Chunks()
		played := time.Now()
		playing := make(chan struct{})
		go func() { defer close(playing); pulse.Play(t, "room", wav) }()
		var heard []int16
		var at time.Time
		last := first.At
		for c := range s.Chunks() {
			if c.At.Before(last) {
				t.Errorf("chunk stamped %v, before the one before it", c.At)
			}
			last = c.At
			loud := false
			for _, v := range c.Samples {
				loud = loud || v > 4000 || v < -4000
			}
			if loud {
				if at.IsZero() {
					at = c.At
				}
				heard = append(heard, c.Samples...)
			}
			if !at.IsZero() && len(heard) >= len(tone)/2 {
				break
			}
		}
		s.Close()
		s.Close() // twice is fine
		<-playing
		if lag := at.Sub(played); lag < 0 || lag > time.Second {
			t.Errorf("the tone arrived %v after it was played", lag)
		}
		// 1 kHz at 16 kHz: 2000 zero crossings a second.
		crossings := 0
		for i := 1; i < len(heard); i++ {
			if (heard[i-1] < 0) != (heard[i] < 0) {
				crossings++
			}
		}
		if hz := float64(crossings) / 2 / (float64(len(heard)) / 16000); math.Abs(hz-1000) > 50 {
			t.Errorf("heard %.0f Hz, played 1000 Hz", hz)
		}
	}
	if _, err := Open(Options{Device: "Blue Yeti"}); !errors.As(err, new(*NotFoundError)) {
		t.Errorf("Open of a device that is not there: %v", err)
	}
}

// TestOpen_NoMicrophone: with no sound server and no sound card, there
// is nothing to capture from, and Devices and Open say so.
func TestOpen_NoMicrophone(t *testing.T) {
	if cards, err := os.ReadFile("/proc/asound/cards"); err == nil && len(cards) > 0 && string(cards) != "--- no soundcards ---\n" {
		t.Skip("this machine has a sound card")
	}
	t.Setenv("PULSE_SERVER", "unix:"+filepath.Join(t.TempDir(), "nothing"))
	t.Setenv("HOME", t.TempDir())
	devs, err := Devices()
	if err == nil && len(devs) > 0 {
		t.Fatalf("devices %+v on a machine with none", devs)
	}
	if _, err := Open(Options{}); !errors.Is(err, ErrNoMicrophone) {
		t.Errorf("Open: %v, want ErrNoMicrophone", err)
	}
}
