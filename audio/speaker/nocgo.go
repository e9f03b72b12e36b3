//go:build !cgo && !darwin && !windows

package audio

import (
	"context"
	"time"

	"github.com/gopxl/beep/v2"
)

// Speaker is the machine's sound output. This build has none: it was made
// without cgo, which beep's speaker needs on Linux and the BSDs (ALSA).
type Speaker struct{}

// OpenSpeaker always fails with ErrNoAudioBuild in a build without cgo.
func OpenSpeaker(ctx context.Context, rate int, buffer time.Duration) (*Speaker, error) {
	return nil, ErrNoAudioBuild
}

// CheckFlowing fails with ErrNoAudioBuild.
func (s *Speaker) CheckFlowing(ctx context.Context) error { return ErrNoAudioBuild }

// Play does nothing.
func (s *Speaker) Play(st beep.Streamer) {}

// Lock does nothing.
func (s *Speaker) Lock() {}

// Unlock does nothing.
func (s *Speaker) Unlock() {}

// Suspend does nothing.
func (s *Speaker) Suspend() error { return nil }

// Resume does nothing.
func (s *Speaker) Resume() error { return nil }

// Drain does nothing.
func (s *Speaker) Drain() {}
