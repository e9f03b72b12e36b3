package audio

import "math"

// resampleZeros is how many zero crossings of the sinc each side of a
// sample the resampling filter spans: with the Blackman window, 10 keeps
// images and aliases about 70 dB down, plenty for speech.
const resampleZeros = 10

// resampleCutoff places the filter's cutoff below the Nyquist frequency
// of the lower rate, by the width of the transition band.
const resampleCutoff = 0.9

// maxPhases bounds the precomputed filter table; rate pairs needing more
// phases (rare, unrelated rates) compute taps as they go.
const maxPhases = 1024

// Resample converts mono samples from rate from to rate to with a
// Blackman-windowed sinc filter (band-limited to the lower of the two
// Nyquist frequencies). The result has exactly round(len(in)*to/from)
// samples. It is meant for short clips, resampled once: it allocates the
// output and a filter table.
func Resample(in []float32, from, to int) []float32 {
	if from == to || len(in) == 0 {
		return append([]float32(nil), in...)
	}
	g := gcd(from, to)
	up, down := to/g, from/g // output step = down/up input samples
	outLen := int((int64(len(in))*int64(to) + int64(from)/2) / int64(from))
	// Cutoff, relative to the input's Nyquist frequency, set a little below
	// the lower Nyquist so the filter's transition band ends before it.
	fc := resampleCutoff * math.Min(1, float64(to)/float64(from))
	half := int(math.Ceil(resampleZeros / fc)) // taps each side, in input samples
	width := 2 * half
	tap := func(phase float64, k int) float32 {
		// distance in input samples from the output point to tap k
		t := float64(k-half+1) - phase
		return float32(fc * sinc(fc*t) * blackman(t, float64(half)))
	}
	var table []float32
	if up <= maxPhases {
		table = make([]float32, up*width)
		for p := 0; p < up; p++ {
			for k := 0; k < width; k++ {
				table[p*width+k] = tap(float64(p)/float64(up), k)
			}
		}
	}
	out := make([]float32, outLen)
	taps := make([]float32, width)
	for j := range out {
		pos := int64(j) * int64(down)
		base := int(pos / int64(up))
		phase := int(pos % int64(up))
		var h []float32
		if table != nil {
			h = table[phase*width : (phase+1)*width]
		} else {
			for k := range taps {
				taps[k] = tap(float64(phase)/float64(up), k)
			}
			h = taps
		}
		first := base - half + 1
		var acc float32
		if first >= 0 && first+width <= len(in) {
			for k, x := range in[first : first+width] {
				acc += x * h[k]
			}
		} else {
			for k := range width {
				if i := first + k; i >= 0 && i < len(in) {
					acc += in[i] * h[k]
				}
			}
		}
		out[j] = acc
	}
	return out
}

func sinc(x float64) float64 {
	if x == 0 {
		return 1
	}
	return math.Sin(math.Pi*x) / (math.Pi * x)
}

// blackman is a Blackman window of half-width half, centred on 0.
func blackman(t, half float64) float64 {
	if t <= -half || t >= half {
		return 0
	}
	x := (t + half) / (2 * half)
	return 0.42 - 0.5*math.Cos(2*math.Pi*x) + 0.08*math.Cos(4*math.Pi*x)
}

func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}
