package kws

import (
	"math"
	"testing"
)

func rms(s []int16) float64 {
	var p float64
	for _, v := range s {
		p += float64(v) * float64(v)
	}
	return math.Sqrt(p / float64(len(s)))
}

// TestFloor: after loud sound, silence is filled with noise about the
// floor's decibels below it, fading slowly as the loud sound recedes;
// before anything loud, the noise is as far below speech at -30 dBFS.
func TestFloor(t *testing.T) {
	f := newFloor(30)
	silence := make([]int16, SampleRate)
	f.add(silence)
	if db := 20 * math.Log10(floorMinLevel/rms(silence)); db < 27 || db > 33 {
		t.Errorf("silence before any sound: noise %.1f dB below -30 dBFS, want about 30", db)
	}
	loud := make([]int16, SampleRate/2)
	for i := range loud {
		loud[i] = int16(10000 * math.Sin(2*math.Pi*440*float64(i)/SampleRate))
	}
	level := rms(loud)
	f.add(loud)
	after := make([]int16, SampleRate/10)
	f.add(after)
	if db := 20 * math.Log10(level/rms(after)); db < 27 || db > 33 {
		t.Errorf("noise right after the sound: %.1f dB below it, want about 30", db)
	}
	later := make([]int16, 60*SampleRate)
	f.add(later)
	if db := 20 * math.Log10(level/rms(later[len(later)-SampleRate/10:])); db < 33 || db > 39 {
		t.Errorf("noise a minute later: %.1f dB below the sound, want about 36 (halving every minute)", db)
	}
}
