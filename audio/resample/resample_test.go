package resample

import (
	"math"
	"slices"
	"testing"

	"github.com/gopxl/beep/v2"

	"github.com/limber-audio/limber/internal/testtools"
)

func TestSamples_KeepsASineAndTheLength(t *testing.T) {
	for _, tc := range []struct{ from, to int }{{22050, 44100}, {22050, 48000}, {44100, 8000}, {22050, 22051}} {
		in := make([]float32, tc.from) // one second of 440 Hz
		for i := range in {
			in[i] = float32(0.5 * math.Sin(2*math.Pi*440*float64(i)/float64(tc.from)))
		}
		out := Samples(in, tc.from, tc.to)
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

func TestStream_MatchesSamples(t *testing.T) {
	for _, tc := range []struct{ from, to int }{{48000, 44100}, {22050, 44100}, {44100, 8000}} {
		in := make([]float32, tc.from/2)
		for i := range in {
			in[i] = float32(0.5 * math.Sin(2*math.Pi*330*float64(i)/float64(tc.from)))
		}
		want := Samples(in, tc.from, tc.to)
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
		got := testtools.Drain(NewStream(src, tc.from, tc.to), 333)
		if d := len(got) - len(want); d < -1 || d > 1 {
			t.Fatalf("%d->%d: streamed %d frames, Samples gives %d", tc.from, tc.to, len(got), len(want))
		}
		for k := range min(len(got), len(want)) {
			if math.Abs(got[k][0]-float64(want[k])) > 1e-5 || math.Abs(got[k][1]+float64(want[k])) > 1e-5 {
				t.Fatalf("%d->%d: frame %d = %v, Samples gives %g", tc.from, tc.to, k, got[k], want[k])
			}
		}
	}
}

// TestChunks_SameAsSamples: fed in pieces of any size, the streaming
// form gives Samples' samples exactly, in pieces.
func TestChunks_SameAsSamples(t *testing.T) {
	in := make([]float32, 30011)
	for i := range in {
		in[i] = float32(math.Sin(float64(i)*0.03)) * 0.5
	}
	for _, rates := range [][2]int{{22050, 44100}, {22050, 48000}, {48000, 44100}, {44100, 44100}} {
		want := Samples(in, rates[0], rates[1])
		for _, piece := range []int{1, 7, 4096, 100000} {
			var got []float32
			rest := in
			err := Chunks(len(in), rates[0], rates[1], func(dst []float32) int {
				k := copy(dst[:min(len(dst), piece)], rest)
				rest = rest[k:]
				return k
			}, func(out []float32) error {
				got = append(got, out...)
				return nil
			})
			if err != nil || !slices.Equal(got, want) {
				t.Fatalf("%d->%d in pieces of %d: %d samples (%v), Samples gives %d, same: %v",
					rates[0], rates[1], piece, len(got), err, len(want), slices.Equal(got, want))
			}
		}
	}
}
