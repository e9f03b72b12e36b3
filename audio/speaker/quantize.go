package speaker

import (
	"math"

	"github.com/gopxl/beep/v2"

	"github.com/limber-audio/limber/audio"
)

// quantized rounds every sample of a stream to the 16-bit value the WAV
// writer would store, expressed so that beep's speaker, which converts
// with int16(x*32767) and so truncates, lands on exactly that value. What
// the speaker plays is then the exported WAV, sample for sample, and the
// truncation's half-step bias is gone.
type quantized struct{ s beep.Streamer }

func (q quantized) Stream(buf [][2]float64) (int, bool) {
	n, ok := q.s.Stream(buf)
	for i := range buf[:n] {
		buf[i][0] = speakerValue(audio.ToInt16(buf[i][0]))
		buf[i][1] = speakerValue(audio.ToInt16(buf[i][1]))
	}
	return n, ok
}

func (q quantized) Err() error { return q.s.Err() }

// speakerValue returns the float that beep's speaker turns into v: half a
// step further from zero than v/32767, so truncation toward zero gives v.
func speakerValue(v int16) float64 {
	if v == 0 {
		return 0
	}
	return (float64(v) + math.Copysign(0.5, float64(v))) / math.MaxInt16
}
