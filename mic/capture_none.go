//go:build !cgo

package mic

// Devices fails with ErrUnavailable: this build has no capture.
func Devices() ([]Device, error) { return nil, ErrUnavailable }

// Stream is a running capture; this build has none.
type Stream struct{}

// Open fails with ErrUnavailable.
func Open(opts Options) (*Stream, error) { return nil, ErrUnavailable }

// Chunks returns nil: nothing is captured.
func (s *Stream) Chunks() <-chan Chunk { return nil }

// Rate returns 0.
func (s *Stream) Rate() int { return 0 }

// Dropped returns 0.
func (s *Stream) Dropped() int { return 0 }

// Close does nothing.
func (s *Stream) Close() error { return nil }
