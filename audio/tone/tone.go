package tone

import (
	"fmt"
	"math"
)

// Tone names one of the beeps that mark a hold.
type Tone int

// The tones, each with its own pitch and length so they can be told apart
// with eyes closed.
const (
	Start  Tone = iota // a hold begins: one bright note
	Tick               // countdown tick over the last seconds of a hold
	End                // a hold ends: a falling pair of notes
	Switch             // change sides: a rising pair of notes
	Finish             // the routine is over: a rising arpeggio
	Ack                // a spoken command was heard: two quick high pips
	numTones
)

var toneNames = [numTones]string{"start", "tick", "end", "switch", "finish", "ack"}

// String returns the tone's name as used in plans: start, tick, end, switch
// or finish (or ack, which no plan holds).
func (t Tone) String() string {
	if t < 0 || t >= numTones {
		return fmt.Sprintf("Tone(%d)", int(t))
	}
	return toneNames[t]
}

// note is one sine note of a tone, with its own raised-cosine envelope.
type note struct {
	freq  float64 // Hz
	start float64 // seconds from the tone's start
	dur   float64 // seconds
}

// Level is the peak amplitude of every tone (about -12 dBFS), chosen
// so tones sit at about the loudness of the voice cues (RMS -20 dBFS,
// speech peaks well above its RMS) without startling.
const Level = 0.25

const (
	attack  = 0.008 // seconds of raised-cosine fade in
	release = 0.040 // seconds of raised-cosine fade out
)

var toneNotes = [numTones][]note{
	Start:  {{880, 0, 0.20}},
	Tick:   {{1320, 0, 0.07}},
	End:    {{784, 0, 0.16}, {523.25, 0.16, 0.26}},
	Switch: {{523.25, 0, 0.14}, {784, 0.14, 0.22}},
	Finish: {{523.25, 0, 0.15}, {659.25, 0.15, 0.15}, {784, 0.30, 0.15}, {1046.5, 0.45, 0.50}},
	// The same high note twice, short: no tone of a routine repeats a
	// note or goes this high.
	Ack: {{1568, 0, 0.06}, {1568, 0.1, 0.06}},
}

// Seconds returns how long tone t lasts.
func (t Tone) Seconds() float64 {
	var end float64
	for _, n := range toneNotes[t] {
		end = max(end, n.start+n.dur)
	}
	return end
}

// Len returns the length of tone t in samples at rate.
func (t Tone) Len(rate int) int {
	return int(math.Ceil(t.Seconds() * float64(rate)))
}

// Samples renders tone t at rate as mono samples in [-Level, Level].
// Each note is a sine with a quieter octave above it for warmth, shaped by
// a raised-cosine attack and release so it starts and stops without a
// click. Products are rounded before they are added (see the audio
// package), so every CPU gives the same samples.
func (t Tone) Samples(rate int) []float32 {
	out := make([]float32, t.Len(rate))
	sr := float64(rate)
	for _, n := range toneNotes[t] {
		first := int(math.Round(n.start * sr))
		count := int(math.Round(n.dur * sr))
		for i := 0; i < count && first+i < len(out); i++ {
			x := float64(i) / sr
			v := math.Sin(2*math.Pi*n.freq*x) + float64(0.25*math.Sin(4*math.Pi*n.freq*x))
			out[first+i] += float32(Level / 1.25 * v * envelope(x, n.dur))
		}
	}
	return out
}

// envelope is the gain at time x into a note lasting dur: a raised-cosine
// rise over attack, 1, then a raised-cosine fall over release.
func envelope(x, dur float64) float64 {
	switch {
	case x < attack:
		return 0.5 - float64(0.5*math.Cos(math.Pi*x/attack))
	case x > dur-release:
		r := (dur - x) / release
		return 0.5 - float64(0.5*math.Cos(math.Pi*max(r, 0)))
	}
	return 1
}
