package speaker

import (
	"math"
	"testing"

	"github.com/gopxl/beep/v2"

	"github.com/limber-audio/limber/audio"
)

// TestQuantized_SpeakerGetsTheWAVValue checks that for every 16-bit value
// the speaker's own conversion (as in beep/speaker: clamp, then
// int16(x*32767)) of what quantized hands it gives the value the WAV
// writer stores.
func TestQuantized_SpeakerGetsTheWAVValue(t *testing.T) {
	for v := math.MinInt16 + 1; v <= math.MaxInt16; v++ {
		x := speakerValue(int16(v))
		x = min(max(x, -1), 1)
		if got := int16(x * (1<<15 - 1)); got != int16(v) {
			t.Fatalf("value %d reaches the speaker as %d", v, got)
		}
	}
	in := [][2]float64{{0.3, -0.3}, {1.5, -1.5}, {1e-6, -1e-6}}
	q := quantized{beep.StreamerFunc(func(s [][2]float64) (int, bool) { return copy(s, in), true })}
	buf := make([][2]float64, 3)
	q.Stream(buf)
	for i, v := range buf {
		for c := range 2 {
			if got, want := int16(min(max(v[c], -1), 1)*32767), audio.ToInt16(in[i][c]); got != want {
				t.Errorf("sample %v channel %d: speaker gets %d, WAV has %d", in[i], c, got, want)
			}
		}
	}
}
