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
