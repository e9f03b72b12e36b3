//go:build !cgo

package mic

import (
	"errors"
	"testing"
)

// TestUnavailable: a build without cgo cannot capture, and says so.
func TestUnavailable(t *testing.T) {
	if _, err := Devices(); !errors.Is(err, ErrUnavailable) {
		t.Errorf("Devices: %v", err)
	}
	if _, err := Open(Options{}); !errors.Is(err, ErrUnavailable) {
		t.Errorf("Open: %v", err)
	}
}
