package tone

import (
	"math"
	"testing"
)

func TestTone_StartsAndEndsWithoutClick(t *testing.T) {
	for tone := Start; tone < numTones; tone++ {
		s := tone.Samples(44100)
		if len(s) != tone.Len(44100) {
			t.Errorf("%s: %d samples, Len says %d", tone, len(s), tone.Len(44100))
		}
		if math.Abs(float64(s[0])) > 1e-3 || math.Abs(float64(s[len(s)-1])) > 1e-3 {
			t.Errorf("%s: starts at %g and ends at %g, want silence at both ends", tone, s[0], s[len(s)-1])
		}
		// A click is a jump much larger than the steepest slope of the
		// highest note (1320 Hz tick + octave at level 0.25).
		maxStep := 0.0
		peak := 0.0
		for i := 1; i < len(s); i++ {
			maxStep = max(maxStep, math.Abs(float64(s[i]-s[i-1])))
			peak = max(peak, math.Abs(float64(s[i])))
		}
		if maxStep > 0.12 {
			t.Errorf("%s: sample step of %.3f, a click", tone, maxStep)
		}
		if peak > Level+1e-6 || peak < Level/2 {
			t.Errorf("%s: peak %.3f, want about %.2f", tone, peak, Level)
		}
	}
}

func TestTone_PitchesDiffer(t *testing.T) {
	seen := map[float64]Tone{}
	for tone := Start; tone < numTones; tone++ {
		f := toneNotes[tone][0].freq*1000 + float64(len(toneNotes[tone]))
		if other, dup := seen[f]; dup {
			t.Errorf("%s and %s begin with the same note and note count", tone, other)
		}
		seen[f] = tone
	}
}

// TestSessionSounds_SoftSlidesWithoutClick: the pause and resume sounds
// start and end in silence, never click, stay soft, and slide the way
// they say: down for pause, up for resume.
func TestSessionSounds_SoftSlidesWithoutClick(t *testing.T) {
	for _, tc := range []struct {
		name    string
		samples []float32
		rising  bool
	}{
		{"pause", Pause(44100), false},
		{"resume", Resume(44100), true},
	} {
		s := tc.samples
		if math.Abs(float64(s[0])) > 1e-3 || math.Abs(float64(s[len(s)-1])) > 1e-3 {
			t.Errorf("%s: starts at %g and ends at %g, want silence at both ends", tc.name, s[0], s[len(s)-1])
		}
		peak, maxStep := 0.0, 0.0
		for i := 1; i < len(s); i++ {
			maxStep = max(maxStep, math.Abs(float64(s[i]-s[i-1])))
			peak = max(peak, math.Abs(float64(s[i])))
		}
		if peak > SessionLevel+1e-6 || peak < SessionLevel/2 {
			t.Errorf("%s: peak %.3f, want about %.2f", tc.name, peak, SessionLevel)
		}
		if maxStep > 0.02 {
			t.Errorf("%s: sample step of %.3f, a click", tc.name, maxStep)
		}
		// The pitch, counted as zero crossings in each half.
		crossings := func(x []float32) int {
			n := 0
			for i := 1; i < len(x); i++ {
				if (x[i-1] < 0) != (x[i] < 0) {
					n++
				}
			}
			return n
		}
		first, second := crossings(s[:len(s)/2]), crossings(s[len(s)/2:])
		if rising := second > first; rising != tc.rising {
			t.Errorf("%s: %d crossings in the first half, %d in the second; want it rising %v", tc.name, first, second, tc.rising)
		}
	}
}
