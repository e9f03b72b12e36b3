package oggcrc

import "testing"

// TestUpdate checks the checksum against the catalogued check value of
// CRC-32/POSIX (same polynomial, start 0, but inverted at the end:
// 0x765e7680 for "123456789"), inverted back: 0x89a1897f; and a checksum
// continued in pieces equals one over all.
func TestUpdate(t *testing.T) {
	data := []byte("123456789")
	if got := Update(0, data); got != 0x89a1897f {
		t.Errorf("Update(0, %q) = %#x, want 0x89a1897f", data, got)
	}
	if got := Update(Update(0, data[:4]), data[4:]); got != 0x89a1897f {
		t.Errorf("in two pieces: %#x, want 0x89a1897f", got)
	}
}
