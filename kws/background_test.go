package kws

import (
	"fmt"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/limber-audio/limber/internal/speechtest"
)

// TestBackground tells a loud steady noise under speech (10 dB under
// its active level, a fan by the microphone) from a quieter one, from
// clean speech and from silence, whatever the voice, once it has heard
// the speech (judged from 8 s on), in short phrases with pauses and in a
// reading that goes on for a minute with no pause longer than a breath
// (where a percentile of the quiet took speech for noise); and turns
// quiet again when the noise stops.
func TestBackground(t *testing.T) {
	text, err := os.ReadFile("/usr/share/common-licenses/GPL-3")
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []speechtest.Voice{{Engine: "festival"}, {Engine: "espeak-ng", Name: "en-us+klatt"}} {
		var phrases, reading []int16
		for _, p := range []string{"limber pause", "okay", "limber go on", "limber next", "limber stop"} {
			phrases = append(phrases, speechtest.Silence(1.5)...)
			phrases = append(phrases, speechtest.Say(t, v, p)...)
		}
		for _, para := range strings.Split(string(text), "\n\n")[3:] {
			reading = append(reading, speechtest.Say(t, v, strings.Join(strings.Fields(para), " "))...)
			if speechtest.Seconds(len(reading)) >= 60 {
				break
			}
		}
		for _, speech := range []struct {
			name  string
			audio []int16
		}{{"phrases", phrases}, {"reading", reading}} {
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
				name := fmt.Sprintf("%s/%s/clean", v, speech.name)
				audio := speech.audio
				if tc.snr != 0 {
					name = fmt.Sprintf("%s/%s/%s %g dB", v, speech.name, tc.noise, tc.snr)
					audio = speechtest.AddNoise(audio, tc.noise, tc.snr, 7)
				}
				t.Run(name, func(t *testing.T) {
					b := newBackground()
					var noisy, frames int // from 8 s on
					lo, hi := math.Inf(1), math.Inf(-1)
					for i := 0; i+FrameLen <= len(audio); i += FrameLen {
						n := b.add(audio[i : i+FrameLen])
						if i >= 8*SampleRate {
							frames++
							if n {
								noisy++
							}
							lo, hi = min(lo, b.snr()), max(hi, b.snr())
						}
					}
					t.Logf("speech %.1f to %.1f dB over the noise", lo, hi)
					if share := float64(noisy) / float64(frames); tc.noisy && share < 1 || !tc.noisy && share > 0 {
						t.Errorf("noisy in %.1f%% of the frames from 8 s on, want %v", 100*share, tc.noisy)
					}
					// The noise stops: quiet again at once.
					for range 100 {
						b.add(make([]int16, FrameLen))
					}
					if b.noisy {
						t.Error("still noisy 1 s after the noise stopped")
					}
				})
			}
		}
	}
}

// snr is how far, in dB, the loudest speech lately is above the noise
// measured now.
func (b *background) snr() float64 {
	if b.n == 0 {
		return math.Inf(1)
	}
	return 10 * math.Log10(b.speech.level*b.speech.level/b.noise())
}

// TestFlips tells how each frame was heard, from the changes recorded,
// as long as they are among the last maxFlips.
func TestFlips(t *testing.T) {
	var f flips
	if f.on(0) || f.on(100) {
		t.Fatal("denoised before any change")
	}
	f.set(0, false)
	f.set(10, true)
	f.set(11, true)
	f.set(30, false)
	f.set(45, true)
	for _, tc := range []struct {
		frame int64
		want  bool
	}{{0, false}, {9, false}, {10, true}, {29, true}, {30, false}, {44, false}, {45, true}, {1000, true}} {
		if got := f.on(tc.frame); got != tc.want {
			t.Errorf("frame %d: denoised %v, want %v", tc.frame, got, tc.want)
		}
	}
	// Many changes on: the oldest are forgotten and read as raw.
	for i := range int64(2 * maxFlips) {
		f.set(100+i*10, i%2 == 1)
	}
	last := int64(100 + (2*maxFlips-1)*10)
	if !f.on(last) || f.on(last-1) || !f.on(last-20) {
		t.Errorf("recent frames misread: %v %v %v", f.on(last), f.on(last-1), f.on(last-20))
	}
	if f.on(15) {
		t.Error("a forgotten frame read as denoised")
	}
}
