//go:build cgo || darwin || windows

package speaker

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gopxl/beep/v2"
	beepspeaker "github.com/gopxl/beep/v2/speaker"
)

// Device is the machine's sound output, through beep's speaker (oto over
// ALSA on Linux, which needs cgo; CoreAudio on macOS and WASAPI on
// Windows, which do not). There is one per process: beep's speaker cannot
// be initialised twice, so Open returns the same Device (or error) every
// time. Its methods are safe for concurrent use.
type Device struct {
	rate   int
	buffer time.Duration
	pulled atomic.Int64 // frames the device has taken
	paused atomic.Bool  // suspended: taking no sound is expected
}

var (
	openOnce sync.Once
	opened   *Device
	openErr  error
)

// Open initialises the speaker at rate with a buffer of about
// buffer. Opening a device can block (a busy card, an ALSA device that
// writes into a pipe nobody reads), so it gives up with ErrNoOutput after
// ProbeTimeout, and with ctx's error as soon as ctx is done; the stuck
// open is left behind for the process to exit. alsa-lib's own error
// messages are silenced; limber reports the problem itself. A device
// that opens may still take no sound (a machine with no card at all):
// CheckFlowing tells.
func Open(ctx context.Context, rate int, buffer time.Duration) (*Device, error) {
	openOnce.Do(func() {
		silenceALSA()
		sr := beep.SampleRate(rate)
		done := make(chan error, 1)
		go func() { done <- beepspeaker.Init(sr, sr.N(buffer)) }()
		timer := time.NewTimer(ProbeTimeout)
		defer timer.Stop()
		select {
		case err := <-done:
			if err != nil {
				openErr = fmt.Errorf("open speaker: %w", err)
				return
			}
			opened = &Device{rate: rate, buffer: buffer}
		case <-timer.C:
			openErr = ErrNoOutput
		case <-ctx.Done():
			openErr = context.Cause(ctx)
		}
	})
	return opened, openErr
}

// Play starts playing st; the speaker pulls samples from it on its own
// goroutine, holding the speaker lock while it does. Samples are rounded
// to 16 bits exactly as the WAV export rounds them, so what plays is what
// an export of the same stream holds.
func (s *Device) Play(st beep.Streamer) { beepspeaker.Play(counted{quantized{st}, &s.pulled}) }

// CheckFlowing waits until the device has taken enough sound to be sure
// it plays (a few hundred milliseconds of it), and returns ErrNoOutput if
// it has not within ProbeTimeout: on a machine without a sound card,
// beep's speaker opens fine and then never takes a sample. It returns nil
// at once when the sound is flowing, and ctx's error when ctx is done.
// Sound plays all the while, so the check adds nothing to the time to
// the first sound.
func (s *Device) CheckFlowing(ctx context.Context) error {
	want := int64(flowingAfter.Seconds()*float64(s.rate)) + s.pulled.Load()
	deadline := time.Now().Add(ProbeTimeout)
	t := time.NewTicker(20 * time.Millisecond)
	defer t.Stop()
	for s.pulled.Load() < want {
		if s.paused.Load() {
			deadline = time.Now().Add(ProbeTimeout)
		} else if time.Now().After(deadline) {
			return ErrNoOutput
		}
		select {
		case <-ctx.Done():
			return context.Cause(ctx)
		case <-t.C:
		}
	}
	return nil
}

// counted counts the frames pulled through it.
type counted struct {
	s beep.Streamer
	n *atomic.Int64
}

func (c counted) Stream(buf [][2]float64) (int, bool) {
	n, ok := c.s.Stream(buf)
	c.n.Add(int64(n))
	return n, ok
}

func (c counted) Err() error { return c.s.Err() }

// Lock stops the speaker from pulling samples until Unlock, so state the
// playing streamer reads can be changed safely.
func (s *Device) Lock() { beepspeaker.Lock() }

// Unlock undoes Lock.
func (s *Device) Unlock() { beepspeaker.Unlock() }

// Suspend pauses the device, which then stops pulling samples and stops
// using CPU.
func (s *Device) Suspend() error {
	s.paused.Store(true)
	return beepspeaker.Suspend()
}

// Resume undoes Suspend.
func (s *Device) Resume() error {
	s.paused.Store(false)
	return beepspeaker.Resume()
}

// Drain waits until the sound already handed to the device has been
// heard, so the end of the last cue is not cut off.
func (s *Device) Drain() { time.Sleep(2 * s.buffer) }
