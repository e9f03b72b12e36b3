//go:build !cgo || !linux || nopocketsphinx

package kws

import (
	"errors"
	"testing"
)

// TestNew_Unavailable: a build without pocketsphinx says so.
func TestNew_Unavailable(t *testing.T) {
	if _, err := New(Config{Phrases: []Phrase{{"limber next", 1e-20}}}); !errors.Is(err, ErrUnavailable) {
		t.Fatalf("New: %v, want ErrUnavailable", err)
	}
	if !errors.Is(Available(), ErrUnavailable) {
		t.Fatal("Available says yes")
	}
}
