package kws

import (
	"fmt"
	"math"
	"testing"

	"github.com/limber-audio/limber/internal/speechtest"
)

// TestBackground tells a loud steady noise under speech (10 dB under
// its active level, a fan by the microphone) from a quieter one, from
// clean speech and from silence, whatever the voice, once it has heard
// the speech (judged over the last 4 s of five phrases: one voice's
// loudest moments differ by 7 dB from phrase to phrase); and turns
// quiet again when the noise stops.
func TestBackground(t *testing.T) {
	for _, v := range []speechtest.Voice{{Engine: "festival"}, {Engine: "espeak-ng", Name: "en-us+klatt"}} {
		var speech []int16
		for _, p := range []string{"limber pause", "okay", "limber go on", "limber next", "limber stop"} {
			speech = append(speech, speechtest.Silence(1.5)...)
			speech = append(speech, speechtest.Say(t, v, p)...)
		}
		for _, tc := range []struct {
			noise speechtest.Noise
			snr   float64 // 0: none
			noisy bool
		}{
			{snr: 0, noisy: false},
			{speechtest.Pink, 20, false},
			{speechtest.Brown, 20, false},
			{speechtest.Pink, 10, true},
			{speechtest.Brown, 10, true},
			{speechtest.Pink, 5, true},
		} {
			name := fmt.Sprintf("%s/clean", v)
			audio := speech
			if tc.snr != 0 {
				name = fmt.Sprintf("%s/%s %g dB", v, tc.noise, tc.snr)
				audio = speechtest.AddNoise(speech, tc.noise, tc.snr, 7)
			}
			t.Run(name, func(t *testing.T) {
				b := newBackground()
				var noisy int // frames in the last 4 s
				frames := 0
				for i := 0; i+FrameLen <= len(audio); i += FrameLen {
					n := b.add(audio[i : i+FrameLen])
					if i >= len(audio)-4*SampleRate {
						frames++
						if n {
							noisy++
						}
					}
				}
				t.Logf("speech %.1f dB over the noise", b.snr())
				if share := float64(noisy) / float64(frames); tc.noisy && share < 0.99 || !tc.noisy && share > 0 {
					t.Errorf("noisy in %.0f%% of the frames of the last 4 s, want %v", 100*share, tc.noisy)
				}
				// The noise stops: quiet again within the 5 s measured.
				for range 6 * 100 {
					b.add(make([]int16, FrameLen))
				}
				if b.noisy {
					t.Error("still noisy 6 s after the noise stopped")
				}
			})
		}
	}
}

// snr is how far, in dB, the loudest speech lately is above the noise
// measured now.
func (b *background) snr() float64 {
	if len(b.blocks) == 0 {
		return math.Inf(1)
	}
	return 10 * math.Log10(b.speech.level*b.speech.level/b.noise())
}
