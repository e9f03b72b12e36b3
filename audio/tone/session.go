package tone

import "math"

// SessionLevel is the peak amplitude of the live session's own sounds
// (about -20 dBFS): softer than the routine's tones, since they only
// answer a button.
const SessionLevel = 0.1

// glide is a sine whose pitch slides from one frequency to another,
// under a raised-cosine window over its whole length: no attack to
// startle, no edge to click.
type glide struct {
	from, to float64 // Hz
	dur      float64 // seconds
}

// The live session's sounds: a slide down when it pauses and back up
// when it resumes. No routine tone slides, so neither can be taken for
// part of the routine.
var (
	pause  = glide{from: 587.33, to: 392, dur: 0.22}
	resume = glide{from: 392, to: 587.33, dur: 0.22}
)

// Pause renders at rate the sound a live session makes when it pauses,
// as mono samples in [-SessionLevel, SessionLevel]. It is no part of any
// routine: plans and exports never hold it.
func Pause(rate int) []float32 { return pause.samples(rate) }

// Resume renders at rate the sound a live session makes when it
// resumes, as Pause does.
func Resume(rate int) []float32 { return resume.samples(rate) }

// samples renders g at rate. The phase is the integral of the pitch;
// products are rounded before they are added (see the audio package),
// so every CPU gives the same samples.
func (g glide) samples(rate int) []float32 {
	out := make([]float32, int(math.Ceil(g.dur*float64(rate))))
	sr := float64(rate)
	slope := (g.to - g.from) / (2 * g.dur) // Hz per second, halved
	for i := range out {
		x := float64(i) / sr
		cycles := float64(g.from*x) + float64(slope*x*x)
		window := 0.5 - float64(0.5*math.Cos(2*math.Pi*x/g.dur))
		out[i] = float32(SessionLevel * math.Sin(2*math.Pi*cycles) * window)
	}
	return out
}
