package audio

import (
	"math"
	"slices"
	"testing"

	"github.com/gopxl/beep/v2"
)

func TestTone_StartsAndEndsWithoutClick(t *testing.T) {
	for tone := ToneStart; tone < numTones; tone++ {
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
		if peak > ToneLevel+1e-6 || peak < ToneLevel/2 {
			t.Errorf("%s: peak %.3f, want about %.2f", tone, peak, ToneLevel)
		}
	}
}

func TestTone_PitchesDiffer(t *testing.T) {
	seen := map[float64]Tone{}
	for tone := ToneStart; tone < numTones; tone++ {
		f := toneNotes[tone][0].freq*1000 + float64(len(toneNotes[tone]))
		if other, dup := seen[f]; dup {
			t.Errorf("%s and %s begin with the same note and note count", tone, other)
		}
		seen[f] = tone
	}
}

func TestResample_KeepsASineAndTheLength(t *testing.T) {
	for _, tc := range []struct{ from, to int }{{22050, 44100}, {22050, 48000}, {44100, 8000}, {22050, 22051}} {
		in := make([]float32, tc.from) // one second of 440 Hz
		for i := range in {
			in[i] = float32(0.5 * math.Sin(2*math.Pi*440*float64(i)/float64(tc.from)))
		}
		out := Resample(in, tc.from, tc.to)
		if len(out) != tc.to {
			t.Errorf("%d->%d: %d samples, want %d", tc.from, tc.to, len(out), tc.to)
			continue
		}
		// Away from the edges, the output is the same sine at the new rate.
		var worst float64
		for i := tc.to / 10; i < tc.to*9/10; i++ {
			want := 0.5 * math.Sin(2*math.Pi*440*float64(i)/float64(tc.to))
			worst = max(worst, math.Abs(float64(out[i])-want))
		}
		if worst > 0.01 {
			t.Errorf("%d->%d: off the sine by %.4f", tc.from, tc.to, worst)
		}
	}
}

func TestStreamResampler_MatchesResample(t *testing.T) {
	for _, tc := range []struct{ from, to int }{{48000, 44100}, {22050, 44100}, {44100, 8000}} {
		in := make([]float32, tc.from/2)
		for i := range in {
			in[i] = float32(0.5 * math.Sin(2*math.Pi*330*float64(i)/float64(tc.from)))
		}
		want := Resample(in, tc.from, tc.to)
		i := 0
		src := beep.StreamerFunc(func(s [][2]float64) (int, bool) {
			if i >= len(in) {
				return 0, false
			}
			n := 0
			for ; n < len(s) && i < len(in); n++ {
				s[n] = [2]float64{float64(in[i]), -float64(in[i])}
				i++
			}
			return n, true
		})
		got := drain(NewStreamResampler(src, tc.from, tc.to), 333)
		if d := len(got) - len(want); d < -1 || d > 1 {
			t.Fatalf("%d->%d: streamed %d frames, Resample gives %d", tc.from, tc.to, len(got), len(want))
		}
		for k := range min(len(got), len(want)) {
			if math.Abs(got[k][0]-float64(want[k])) > 1e-5 || math.Abs(got[k][1]+float64(want[k])) > 1e-5 {
				t.Fatalf("%d->%d: frame %d = %v, Resample gives %g", tc.from, tc.to, k, got[k], want[k])
			}
		}
	}
}

// TestResampleChunks_SameAsResample: fed in pieces of any size, the
// streaming form gives Resample's samples exactly, in pieces.
func TestResampleChunks_SameAsResample(t *testing.T) {
	in := make([]float32, 30011)
	for i := range in {
		in[i] = float32(math.Sin(float64(i)*0.03)) * 0.5
	}
	for _, rates := range [][2]int{{22050, 44100}, {22050, 48000}, {48000, 44100}, {44100, 44100}} {
		want := Resample(in, rates[0], rates[1])
		for _, piece := range []int{1, 7, 4096, 100000} {
			var got []float32
			rest := in
			err := ResampleChunks(len(in), rates[0], rates[1], func(dst []float32) int {
				k := copy(dst[:min(len(dst), piece)], rest)
				rest = rest[k:]
				return k
			}, func(out []float32) error {
				got = append(got, out...)
				return nil
			})
			if err != nil || !slices.Equal(got, want) {
				t.Fatalf("%d->%d in pieces of %d: %d samples (%v), Resample gives %d, same: %v",
					rates[0], rates[1], piece, len(got), err, len(want), slices.Equal(got, want))
			}
		}
	}
}
