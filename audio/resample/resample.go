package resample

import (
	"math"

	"github.com/gopxl/beep/v2"

	"github.com/limber-audio/limber/audio"
)

// resampleZeros is how many zero crossings of the sinc each side of a
// sample the resampling filter spans: with the Blackman window, 10 keeps
// images and aliases about 70 dB down, plenty for speech and a music bed.
const resampleZeros = 10

// resampleCutoff places the filter's cutoff below the Nyquist frequency
// of the lower rate, by the width of the transition band.
const resampleCutoff = 0.9

// maxPhases bounds the precomputed filter table; rate pairs needing more
// phases (rare, unrelated rates) compute taps as they go.
const maxPhases = 1024

// filterBank is a Blackman-windowed sinc low-pass filter for converting
// rate from to rate to, split into one set of taps per output phase.
// Output sample j sits at input position j*down/up.
type filterBank struct {
	up, down int // output step = down/up input samples
	fc       float64
	half     int // taps each side of the output point, in input samples
	width    int // 2*half
	table    []float32
	scratch  []float32
}

func newFilterBank(from, to int) *filterBank {
	g := gcd(from, to)
	fb := &filterBank{up: to / g, down: from / g}
	// Cutoff, relative to the input's Nyquist frequency, set a little below
	// the lower Nyquist so the filter's transition band ends before it.
	fb.fc = resampleCutoff * math.Min(1, float64(to)/float64(from))
	fb.half = int(math.Ceil(resampleZeros / fb.fc))
	fb.width = 2 * fb.half
	fb.scratch = make([]float32, fb.width)
	if fb.up <= maxPhases {
		fb.table = make([]float32, fb.up*fb.width)
		for p := range fb.up {
			fb.fill(p, fb.table[p*fb.width:(p+1)*fb.width])
		}
	}
	return fb
}

func (fb *filterBank) fill(phase int, h []float32) {
	frac := float64(phase) / float64(fb.up)
	for k := range h {
		t := float64(k-fb.half+1) - frac // distance in input samples from the output point
		h[k] = float32(fb.fc * sinc(fb.fc*t) * blackman(t, float64(fb.half)))
	}
}

// taps returns the filter for output phase p; the slice is only valid
// until the next call.
func (fb *filterBank) taps(p int) []float32 {
	if fb.table != nil {
		return fb.table[p*fb.width : (p+1)*fb.width]
	}
	fb.fill(p, fb.scratch)
	return fb.scratch
}

// Samples converts mono samples from rate from to rate to with a
// Blackman-windowed sinc filter (band-limited to the lower of the two
// Nyquist frequencies). The result has exactly audio.Scale(len(in), from,
// to) samples. It is meant for short clips, resampled once: it allocates
// the output and a filter table. Chunks gives the same samples a piece at
// a time (TestChunks_SameAsSamples holds them to it).
func Samples(in []float32, from, to int) []float32 {
	if from == to || len(in) == 0 {
		return append([]float32(nil), in...)
	}
	fb := newFilterBank(from, to)
	out := make([]float32, audio.Scale(len(in), from, to))
	for j := range out {
		first, h := fb.point(j)
		out[j] = fb.apply(in, 0, first, len(in), h)
	}
	return out
}

// point returns where output sample j's filter starts in the input (its
// first tap's input index) and its taps, valid until the next call.
func (fb *filterBank) point(j int) (first int, h []float32) {
	pos := int64(j) * int64(fb.down)
	return int(pos/int64(fb.up)) - fb.half + 1, fb.taps(int(pos % int64(fb.up)))
}

// apply returns taps h applied from input index first on, where x holds
// the input from index at and the input has n samples: taps outside it
// count for nothing. Each product is rounded before it is added (see
// the audio package), here and in every sum of products below.
func (fb *filterBank) apply(x []float32, at, first, n int, h []float32) float32 {
	var acc float32
	if first >= 0 && first+fb.width <= n {
		for k, v := range x[first-at : first-at+fb.width] {
			acc += float32(v * h[k])
		}
		return acc
	}
	for k := range fb.width {
		if i := first + k; i >= 0 && i < n {
			acc += float32(x[i-at] * h[k])
		}
	}
	return acc
}

// Chunks is Samples for n samples that come a piece at a time:
// read fills its argument with the next samples and returns how many
// (0 when there are no more), and emit is given the output a piece at a
// time, in order, valid only until it returns. It holds a filter's width
// of input and one piece of output, whatever n is, and gives exactly
// Samples' samples. An error from emit stops it.
func Chunks(n, from, to int, read func([]float32) int, emit func([]float32) error) error {
	if from == to {
		buf := make([]float32, 4096)
		for left := n; left > 0; {
			k := read(buf[:min(len(buf), left)])
			if k == 0 {
				break
			}
			if err := emit(buf[:k]); err != nil {
				return err
			}
			left -= k
		}
		return nil
	}
	fb := newFilterBank(from, to)
	const chunk = 4096
	hist := make([]float32, 0, 2*chunk+fb.width) // input from index histAt
	histAt, got := 0, 0                          // got: input read so far
	out := make([]float32, 0, chunk)
	for j := range audio.Scale(n, from, to) {
		first, h := fb.point(j)
		// Have the input up to first+width, or all of it.
		for got < n && got < first+fb.width {
			if cap(hist)-len(hist) < chunk { // room: drop what no output needs
				drop := min(max(first-histAt, 0), len(hist))
				hist = append(hist[:0], hist[drop:]...)
				histAt += drop
			}
			at := len(hist)
			hist = hist[:min(cap(hist), at+chunk, at+n-got)]
			k := read(hist[at:])
			hist = hist[:at+k]
			got += k
			if k == 0 {
				n = got // the input ended early
			}
		}
		if out = append(out, fb.apply(hist, histAt, first, n, h)); len(out) == chunk {
			if err := emit(out); err != nil {
				return err
			}
			out = out[:0]
		}
	}
	if len(out) > 0 {
		return emit(out)
	}
	return nil
}

// Stream converts a stereo stream from one rate to another with the
// same filter as Samples, keeping only a filter's width of history:
// memory does not grow with the stream. It implements beep.Streamer. It
// costs about 40 multiply-adds per output frame, so it is used only where
// rates differ. Not safe for concurrent use.
type Stream struct {
	src     beep.Streamer
	fb      *filterBank
	hist    [][2]float32 // input history, from input index histAt
	histAt  int64        // input index of hist[0]
	base    int64        // input index at or before the next output point,
	phase   int          // and the point's distance past it, in 1/up steps
	srcDone bool
	buf     [][2]float64
}

// NewStream resamples src from rate from to rate to.
func NewStream(src beep.Streamer, from, to int) *Stream {
	return &Stream{src: src, fb: newFilterBank(from, to), buf: make([][2]float64, 1024)}
}

// Reset forgets all history, as after the source was seeked: output
// continues as if the source started afresh.
func (r *Stream) Reset() {
	r.hist = r.hist[:0]
	r.histAt, r.base, r.phase, r.srcDone = 0, 0, 0, false
}

// fill reads input until index need-1 is in the history or the source
// ends.
func (r *Stream) fill(need int64) {
	for !r.srcDone && r.histAt+int64(len(r.hist)) < need {
		n, ok := r.src.Stream(r.buf)
		for _, v := range r.buf[:n] {
			r.hist = append(r.hist, [2]float32{float32(v[0]), float32(v[1])})
		}
		if !ok {
			r.srcDone = true
		}
	}
}

// Stream fills samples with resampled frames.
func (r *Stream) Stream(samples [][2]float64) (int, bool) {
	fb := r.fb
	width := int64(fb.width)
	step, stepPhase := int64(fb.down/fb.up), fb.down%fb.up
	for i := range samples {
		// Output j sits at input position j*down/up: base, plus phase/up.
		first := r.base - int64(fb.half) + 1
		end := r.histAt + int64(len(r.hist))
		if end < first+width && !r.srcDone {
			r.fill(first + width)
			end = r.histAt + int64(len(r.hist))
		}
		if r.srcDone && r.base >= end {
			return i, i > 0
		}
		// Drop history no output will need again.
		if drop := first - r.histAt; drop > 4096 {
			r.hist = append(r.hist[:0], r.hist[drop:]...)
			r.histAt += drop
		}
		h := fb.taps(r.phase)
		var l, rt float32
		if lo := first - r.histAt; lo >= 0 && lo+width <= int64(len(r.hist)) {
			l, rt = dot2(r.hist[lo:lo+width], h)
		} else {
			for k := range fb.width {
				if idx := lo + int64(k); idx >= 0 && idx < int64(len(r.hist)) {
					l += float32(r.hist[idx][0] * h[k])
					rt += float32(r.hist[idx][1] * h[k])
				}
			}
		}
		samples[i] = [2]float64{float64(l), float64(rt)}
		r.base += step
		if r.phase += stepPhase; r.phase >= fb.up {
			r.phase -= fb.up
			r.base++
		}
	}
	return len(samples), true
}

// dot2 returns the dot products of h with each channel of x (as long as
// h), summed in two interleaved halves so that the additions need not
// wait for each other.
func dot2(x [][2]float32, h []float32) (l, r float32) {
	h = h[:len(x)]
	var l0, l1, r0, r1 float32
	k := 0
	for ; k+1 < len(x); k += 2 {
		a, b := x[k], x[k+1]
		l0 += float32(a[0] * h[k])
		r0 += float32(a[1] * h[k])
		l1 += float32(b[0] * h[k+1])
		r1 += float32(b[1] * h[k+1])
	}
	if k < len(x) {
		l0 += float32(x[k][0] * h[k])
		r0 += float32(x[k][1] * h[k])
	}
	return l0 + l1, r0 + r1
}

// Err returns the source's error.
func (r *Stream) Err() error { return r.src.Err() }

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
	return 0.42 - float64(0.5*math.Cos(2*math.Pi*x)) + float64(0.08*math.Cos(4*math.Pi*x))
}

func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}
