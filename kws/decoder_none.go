//go:build !cgo || !linux || nopocketsphinx

package kws

import "errors"

// Available reports whether this build has a decoder: ErrUnavailable
// here.
func Available() error { return ErrUnavailable }

// Decoder spots keyphrases; this build has none.
type Decoder struct{}

// ErrClosed is returned by Process after Close.
var ErrClosed = errors.New("kws: decoder closed")

// New checks cfg and fails with ErrUnavailable.
func New(cfg Config) (*Decoder, error) {
	if _, err := checkConfig(cfg); err != nil {
		return nil, err
	}
	return nil, ErrUnavailable
}

// Process fails with ErrUnavailable.
func (d *Decoder) Process(samples []int16) ([]Detection, error) { return nil, ErrUnavailable }

// Close does nothing.
func (d *Decoder) Close() error { return nil }
