//go:build !cgo && !darwin && !windows

package speaker

import (
	"context"
	"time"

	"github.com/gopxl/beep/v2"
)

// Device is the machine's sound output. This build has none: it was made
// without cgo, which beep's speaker needs on Linux and the BSDs (ALSA).
type Device struct{}

// Open always fails with ErrNoAudioBuild in a build without cgo.
func Open(ctx context.Context, rate int, buffer time.Duration) (*Device, error) {
	return nil, ErrNoAudioBuild
}

// CheckFlowing fails with ErrNoAudioBuild.
func (s *Device) CheckFlowing(ctx context.Context) error { return ErrNoAudioBuild }

// Play does nothing.
func (s *Device) Play(st beep.Streamer) {}

// Lock does nothing.
func (s *Device) Lock() {}

// Unlock does nothing.
func (s *Device) Unlock() {}

// Suspend does nothing.
func (s *Device) Suspend() error { return nil }

// Resume does nothing.
func (s *Device) Resume() error { return nil }

// Drain does nothing.
func (s *Device) Drain() {}
