package audio

import "math"

// ToInt16 converts a sample in [-1, 1] to 16-bit PCM, clamping, and
// rounding half away from zero: the value every file limber writes
// stores, and the speaker plays.
func ToInt16(x float64) int16 {
	switch {
	case x >= 1:
		return math.MaxInt16
	case x <= -1:
		return -math.MaxInt16
	}
	// Round half away from zero, as math.Round does, but cheaper. The
	// product is rounded before the half is added, so no CPU fuses the
	// two into one step that rounds once.
	if x < 0 {
		return int16(float64(x*math.MaxInt16) - 0.5)
	}
	return int16(float64(x*math.MaxInt16) + 0.5)
}

// FromInt16 is a 16-bit sample as ToInt16 made it, back in [-1, 1].
func FromInt16(v int16) float64 { return float64(v) * (1.0 / math.MaxInt16) }
