package kws

import (
	"math"
	"slices"
)

// loudest follows the loudest 10 ms of speech heard lately, as an RMS of
// 16-bit samples: it fades by half (-6 dB) a minute and never below
// floorMinLevel, the level assumed before anything was heard.
type loudest struct {
	level float64
	decay float64 // per frame
}

func newLoudest() loudest {
	return loudest{level: floorMinLevel, decay: math.Pow(0.5, 1.0/6000)}
}

// add takes the RMS of the next 10 ms frame and returns the level.
func (l *loudest) add(rms float64) float64 {
	l.level = max(l.level*l.decay, rms, floorMinLevel)
	return l.level
}

// meanSquare returns the mean square of samples (0 for none).
func meanSquare(samples []int16) float64 {
	if len(samples) == 0 {
		return 0
	}
	var p float64
	for _, s := range samples {
		p += float64(float64(s) * float64(s)) // rounded: no fused multiply-add on arm64
	}
	return p / float64(len(samples))
}

// Steady noise is measured in blocks of noiseBlock 10 ms frames; the
// quietest of the last noiseBlocks of them is the noise under the
// speech, once minNoiseBlocks were measured. The quietest rather than a
// percentile: a voice reading on without a pause for seconds leaves few
// quiet blocks, but some (between sentences), and they are far quieter
// than its words; a steady noise's blocks are all alike.
const (
	noiseBlock     = 10  // 100 ms
	noiseBlocks    = 100 // 10 s
	minNoiseBlocks = 10  // 1 s
)

// background tells when a steady noise is loud under the speech (see
// Config.Denoise): when the quiet between words, the quietest 100 ms of
// the last 10 s, comes within noisyBelow dB of the loudest speech heard
// lately. It turns quiet again only once the noise is
// noisyBelow+noisyHysteresis dB down, so that it does not flip back and
// forth around the line.
type background struct {
	speech loudest
	blocks [noiseBlocks]float64 // mean squares of the last blocks, a ring
	n      int                  // blocks measured, up to noiseBlocks
	next   int                  // where the next block goes in blocks
	sum    float64              // of the frames' mean squares in the block under way
	frames int
	noisy  bool
}

// noisyBelow and noisyHysteresis are in dB of speech over noise, peak
// (the loudest 10 ms) over the quietest 100 ms. Pink or brown noise 10
// dB under the speech's active level measures 18 to 27 dB so; 20 dB
// under it, 28 to 37 dB; clean speech, read on without pausing, 40 dB
// and more (TestBackground).
const (
	noisyBelow      = 26
	noisyHysteresis = 2
)

func newBackground() *background {
	return &background{speech: newLoudest()}
}

// add measures the next 10 ms frame and reports whether the background
// is noisy now.
func (b *background) add(frame []int16) bool {
	ms := meanSquare(frame)
	level := b.speech.add(math.Sqrt(ms))
	b.sum += ms
	b.frames++
	if b.frames < noiseBlock {
		return b.noisy
	}
	b.blocks[b.next] = b.sum / float64(b.frames)
	b.next = (b.next + 1) % noiseBlocks
	b.n = min(b.n+1, noiseBlocks)
	b.sum, b.frames = 0, 0
	if b.n < minNoiseBlocks {
		return b.noisy
	}
	line := noisyBelow
	if b.noisy {
		line += noisyHysteresis
	}
	// level² over noise, in dB, against the line; noise 0 (digital
	// silence) is never noisy.
	b.noisy = float64(level*level) < b.noise()*math.Pow(10, float64(line)/10)
	return b.noisy
}

// noise returns the mean square of the steady noise: the quietest block
// measured (at least one).
func (b *background) noise() float64 {
	return slices.Min(b.blocks[:b.n])
}

// flips remembers, for the last few changes, from which frame on the
// decoder heard denoised audio and from which raw: enough to tell how
// it heard the end of a phrase it reports seconds later.
type flips struct {
	at    [maxFlips]int64 // frames where the state changed, a ring
	n     int             // changes recorded, ever
	state bool            // from the last change on
}

// maxFlips changes are remembered: the meter changes its mind at most
// once a 100 ms block (and, with its hysteresis, seldom more than once
// in seconds), and a phrase is reported within a second or so of its
// end.
const maxFlips = 16

// set records that frame was heard denoised or not.
func (f *flips) set(frame int64, denoised bool) {
	if denoised != f.state {
		f.at[f.n%maxFlips] = frame
		f.n++
		f.state = denoised
	}
}

// on reports whether frame was heard denoised: false before the first
// change and for frames older than the changes remembered.
func (f *flips) on(frame int64) bool {
	state := f.state
	for i := f.n - 1; i >= max(0, f.n-maxFlips); i-- {
		if frame >= f.at[i%maxFlips] {
			return state
		}
		state = !state
	}
	return false
}
