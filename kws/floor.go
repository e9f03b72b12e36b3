package kws

import (
	"math"
	"math/rand/v2"
)

// floor keeps a faint noise under the audio, a fixed number of decibels
// below the loudest speech heard lately (see Config.NoiseFloor).
type floor struct {
	ratio  float64 // noise RMS over the level
	speech loudest
	rng    *rand.Rand
	pink   [7]float64
}

// floorMinLevel is the speech level assumed before any was heard, and
// the lowest the level fades to: -30 dBFS, a quiet voice at a laptop's
// microphone. Fading further leaves long silences too clean: measured,
// a command said after 25 s of digital silence scored 1000 to 2000
// lower than after one second.
const floorMinLevel = 1000

func newFloor(db float64) *floor {
	return &floor{
		ratio:  math.Pow(10, -db/20),
		speech: newLoudest(),
		rng:    rand.New(rand.NewPCG(1, 2)),
	}
}

// add mixes the noise into samples, in place.
func (f *floor) add(samples []int16) {
	for i := 0; i < len(samples); i += FrameLen {
		frame := samples[i:min(i+FrameLen, len(samples))]
		level := f.speech.add(math.Sqrt(meanSquare(frame)))
		// Paul Kellet's pink filter has an RMS of about 3.4 for unit
		// white noise.
		gain := level * f.ratio / 3.4
		for j, s := range frame {
			w := f.rng.NormFloat64()
			b := &f.pink
			b[0] = 0.99886*b[0] + w*0.0555179
			b[1] = 0.99332*b[1] + w*0.0750759
			b[2] = 0.96900*b[2] + w*0.1538520
			b[3] = 0.86650*b[3] + w*0.3104856
			b[4] = 0.55000*b[4] + w*0.5329522
			b[5] = -0.7616*b[5] - w*0.0168980
			n := b[0] + b[1] + b[2] + b[3] + b[4] + b[5] + b[6] + w*0.5362
			b[6] = w * 0.115926
			frame[j] = int16(min(max(math.Round(float64(s)+n*gain), -32768), 32767))
		}
	}
}
