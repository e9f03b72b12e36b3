//go:build cgo

package audio

// #cgo pkg-config: alsa
// #include <alsa/asoundlib.h>
//
// static void limber_alsa_quiet(const char *file, int line, const char *function, int err, const char *fmt, ...) {}
// static void limber_silence_alsa(void) { snd_lib_error_set_handler(limber_alsa_quiet); }
import "C"

import (
	"fmt"
	"sync"
	"time"

	"github.com/gopxl/beep/v2"
	"github.com/gopxl/beep/v2/generators"
	"github.com/gopxl/beep/v2/speaker"
)

// Speaker is the machine's sound output, through beep's speaker (oto over
// ALSA). There is one per process: beep's speaker cannot be initialised
// twice, so OpenSpeaker returns the same Speaker (or error) every time.
// Its methods are safe for concurrent use.
type Speaker struct {
	buffer time.Duration
}

var (
	openOnce sync.Once
	opened   *Speaker
	openErr  error
)

// OpenSpeaker initialises the speaker at rate with a buffer of about
// buffer, then checks that the device really consumes sound: on a machine
// without a sound card beep's speaker initialises fine and then blocks
// forever, so a short silence is played and, if it has not been taken
// within ProbeTimeout, ErrNoOutput is returned. alsa-lib's own error
// messages are silenced; limber reports the problem itself.
func OpenSpeaker(rate int, buffer time.Duration) (*Speaker, error) {
	openOnce.Do(func() {
		C.limber_silence_alsa()
		sr := beep.SampleRate(rate)
		if err := speaker.Init(sr, sr.N(buffer)); err != nil {
			openErr = fmt.Errorf("open speaker: %w", err)
			return
		}
		heard := make(chan struct{})
		speaker.Play(beep.Seq(generators.Silence(sr.N(probeSilence)), beep.Callback(func() { close(heard) })))
		select {
		case <-heard:
			opened = &Speaker{buffer: buffer}
		case <-time.After(ProbeTimeout):
			openErr = ErrNoOutput
		}
	})
	return opened, openErr
}

// Play starts playing st; the speaker pulls samples from it on its own
// goroutine, holding the speaker lock while it does. Samples are rounded
// to 16 bits exactly as the WAV export rounds them, so what plays is what
// an export of the same stream holds.
func (s *Speaker) Play(st beep.Streamer) { speaker.Play(quantized{st}) }

// Lock stops the speaker from pulling samples until Unlock, so state the
// playing streamer reads can be changed safely.
func (s *Speaker) Lock() { speaker.Lock() }

// Unlock undoes Lock.
func (s *Speaker) Unlock() { speaker.Unlock() }

// Suspend pauses the device, which then stops pulling samples and stops
// using CPU.
func (s *Speaker) Suspend() error { return speaker.Suspend() }

// Resume undoes Suspend.
func (s *Speaker) Resume() error { return speaker.Resume() }

// Drain waits until the sound already handed to the device has been
// heard, so the end of the last cue is not cut off.
func (s *Speaker) Drain() { time.Sleep(2 * s.buffer) }
