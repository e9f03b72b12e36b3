//go:build cgo && linux && !nopocketsphinx

package kws

import (
	"math"
	"testing"

	"github.com/limber-audio/limber/internal/speechtest"
)

// TestDenoiser: a steady pink noise (a fan) is lowered once the
// suppressor has learnt it (asked for 15 dB, speexdsp takes 6 to 9 dB
// out of the power of pink noise, measured second by second), and
// speech over it keeps its loudness; whatever the chunks it is fed in, it returns
// every sample once, in order.
func TestDenoiser(t *testing.T) {
	said := speechtest.Say(t, speechtest.Voice{Engine: "festival"}, "limber pause")
	speech := append(speechtest.Silence(4), said...)
	speech = append(speech, speechtest.Silence(1)...)
	noisy := speechtest.AddNoise(speech, speechtest.Pink, 10, 5)
	dn, err := newDenoiser(15)
	if err != nil {
		t.Fatal(err)
	}
	defer dn.close()
	var raw, clean []int16
	for i, n := 0, 1; i < len(noisy); i, n = i+n, n*3%997+1 { // uneven chunks
		r, c := dn.run(noisy[i:min(i+n, len(noisy))])
		raw = append(raw, r...)
		clean = append(clean, c...)
	}
	if len(raw) != len(noisy)/denoiseFrame*denoiseFrame || len(clean) != len(raw) {
		t.Fatalf("returned %d and %d samples of %d, want every whole frame's", len(raw), len(clean), len(noisy))
	}
	for i := range raw {
		if raw[i] != noisy[i] {
			t.Fatalf("sample %d returned as %d, fed as %d", i, raw[i], noisy[i])
		}
	}
	db := func(a, b []int16) float64 { return 10 * math.Log10(meanSquare(a)/meanSquare(b)) }
	quiet := func(s []int16) []int16 { return s[SampleRate : 4*SampleRate] } // noise only, learnt
	if got := db(quiet(raw), quiet(clean)); got < 5 || got > 15 {
		t.Errorf("noise lowered by %.1f dB, want 5 to 15", got)
	}
	voiced := func(s []int16) []int16 { return s[4*SampleRate : 4*SampleRate+len(said)] }
	if got := db(voiced(raw), voiced(clean)); got > 2 {
		t.Errorf("speech in the noise lowered by %.1f dB, want under 2", got)
	}
	dn.close()
	dn.close() // twice is fine
}
