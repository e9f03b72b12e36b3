package cues

import (
	"errors"
	"math"

	"github.com/limber-audio/limber/audio/decode"
	"github.com/limber-audio/limber/audio/resample"
)

// The clip pipeline's targets: every clip, built-in or voiced from a
// user's words, is mono at ClipRate, as loud as the others (RMS over the
// whole clip) and peaks below the ceiling.
const (
	// ClipRate is the sample rate of every clip, in Hz.
	ClipRate = 22050
	// TargetRMSdB is every clip's loudness, RMS in dBFS.
	TargetRMSdB = -20.0
	// PeakCeilingdB is the highest peak a clip may reach, in dBFS: a
	// margin under -1 dBFS.
	PeakCeilingdB = -1.5
	// trimThresholddB is the level below which leading and trailing sound
	// counts as silence and is cut.
	trimThresholddB = -45.0
)

// Fades at the ends of a clip, in seconds, so it starts and stops without
// a click.
const (
	fadeIn  = 0.008
	fadeOut = 0.015
)

// ErrSilent is returned by Process for audio with nothing above the
// silence threshold.
var ErrSilent = errors.New("no sound above -45 dBFS")

// Process is the clip pipeline, one code path for the built-in pack
// (cues/generate.sh) and for a user's words voiced at run time: it cuts
// leading and trailing silence, resamples to ClipRate, fades both ends,
// brings the clip to TargetRMSdB and, where a peak would pass
// PeakCeilingdB, limits the loudest moments smoothly first. in is mono at
// rate; the result is 16-bit samples at ClipRate. A sample that is not a
// finite number is an error (decode.ErrNotFinite).
func Process(in []float32, rate int) ([]int16, error) {
	for _, v := range in {
		if f := float64(v); math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, decode.ErrNotFinite // no level can be measured or set
		}
	}
	x := trimSilence(in, dB(trimThresholddB))
	if len(x) == 0 {
		return nil, ErrSilent
	}
	if rate != ClipRate {
		x = resample.Samples(x, rate, ClipRate)
	}
	fade(x, ClipRate)
	level(x, ClipRate)
	out := make([]int16, len(x))
	for i, v := range x {
		out[i] = int16(math.Round(max(-32768, min(32767, float64(v)*32768))))
	}
	return out, nil
}

// dB converts decibels to a linear factor.
func dB(d float64) float64 { return math.Pow(10, d/20) }

// trimSilence returns the part of x from the first to the last sample at
// or above thr.
func trimSilence(x []float32, thr float64) []float32 {
	first, last := -1, -1
	for i, v := range x {
		if math.Abs(float64(v)) >= thr {
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	if first < 0 {
		return nil
	}
	return append([]float32(nil), x[first:last+1]...)
}

// fade shapes both ends of x with a quarter sine.
func fade(x []float32, rate int) {
	in := min(int(fadeIn*float64(rate)), len(x)/2)
	for i := 0; i < in; i++ {
		x[i] *= float32(math.Sin(math.Pi / 2 * float64(i) / float64(in)))
	}
	out := min(int(fadeOut*float64(rate)), len(x)/2)
	for i := 0; i < out; i++ {
		x[len(x)-1-i] *= float32(math.Sin(math.Pi / 2 * float64(i) / float64(out)))
	}
}

// Limiter timing, in seconds.
const (
	limitHold    = 0.003 // the gain is down this long around each peak
	limitRelease = 0.060 // and comes back over about this long
)

// level scales x to TargetRMSdB. Where that would push a peak over
// PeakCeilingdB, a smooth gain envelope pulls the loudest moments down
// first and the level is measured again; the ceiling always holds.
func level(x []float32, rate int) {
	ceiling := dB(PeakCeilingdB)
	for round := 0; ; round++ {
		g := dB(TargetRMSdB) / rms(x)
		if g*peak(x) <= ceiling || round == 4 {
			scale(x, g)
			break
		}
		limit(x, ceiling/g, rate)
	}
	if p := peak(x); p > ceiling { // still over after four rounds
		scale(x, ceiling/p)
	}
}

func rms(x []float32) float64 {
	var sum float64
	for _, v := range x {
		sum += float64(float64(v) * float64(v)) // rounded before the sum, on every CPU
	}
	return math.Sqrt(sum / float64(len(x)))
}

func peak(x []float32) float64 {
	var p float64
	for _, v := range x {
		p = max(p, math.Abs(float64(v)))
	}
	return p
}

func scale(x []float32, g float64) {
	for i := range x {
		x[i] = float32(float64(x[i]) * g)
	}
}

// limit brings every sample of x to at most thr in magnitude with a gain
// envelope that holds around each peak and eases back in both directions,
// so the loudest syllables get quieter without distortion.
func limit(x []float32, thr float64, rate int) {
	n := len(x)
	g := make([]float64, n)
	for i, v := range x {
		g[i] = 1
		if a := math.Abs(float64(v)); a > thr {
			g[i] = thr / a
		}
	}
	// The lowest gain within the hold window around each sample.
	w := max(1, int(limitHold*float64(rate)))
	held := make([]float64, n)
	for i := range n {
		m := 1.0
		for j := max(0, i-w); j <= min(n-1, i+w); j++ {
			m = min(m, g[j])
		}
		held[i] = m
	}
	// Ease back toward 1 forwards and backwards; never above held, so
	// every sample stays under thr.
	k := 1 - math.Exp(-1/(limitRelease*float64(rate)))
	for i := 1; i < n; i++ {
		held[i] = min(held[i], held[i-1]+float64((1-held[i-1])*k))
	}
	for i := n - 2; i >= 0; i-- {
		held[i] = min(held[i], held[i+1]+float64((1-held[i+1])*k))
	}
	for i := range x {
		x[i] = float32(float64(x[i]) * held[i])
	}
}
