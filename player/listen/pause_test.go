package listen

import (
	"math"
	"testing"
	"time"

	"github.com/limber-audio/limber/kws"
	"github.com/limber-audio/limber/mic"
)

// level fills n samples with a 440 Hz tone whose RMS is rms.
func level(n int64, rms float64) []int16 { return tones(n, tone{440, rms}) }

// tone is a sine wave: its frequency in Hz and RMS.
type tone struct{ hz, rms float64 }

// tones fills n samples with the sum of ts.
func tones(n int64, ts ...tone) []int16 {
	out := make([]int16, n)
	for i := range out {
		var v float64
		for _, t := range ts {
			v += t.rms * math.Sqrt2 * math.Sin(2*math.Pi*t.hz*float64(i)/kws.SampleRate)
		}
		out[i] = int16(v)
	}
	return out
}

// TestSpotter_Pause: a phrase is acted on once the speaker stops after
// it, and not when more sound as loud follows it.
func TestSpotter_Pause(t *testing.T) {
	const voice = 3000.0
	// A low hum under a high voice: 5 dB under the phrase as captured,
	// 14 dB tilted.
	hum := tone{50, 2000}
	for _, tc := range []struct {
		name          string
		phrase, after []tone // what the phrase and what follows it sound like
		want          bool
	}{
		{"silence after it", []tone{{440, voice}}, nil, true},
		{"noise 10 dB under the voice after it", []tone{{440, voice}}, []tone{{440, voice / math.Sqrt(10)}}, true},
		{"noise 6 dB under it", []tone{{440, voice}}, []tone{{440, voice / 2.05}}, true},
		{"sound 4 dB under it", []tone{{440, voice}}, []tone{{440, voice / 1.6}}, false},
		{"more speech as loud", []tone{{440, voice}}, []tone{{440, voice}}, false},
		{"louder sound", []tone{{440, voice}}, []tone{{440, 2 * voice}}, false},
		{"a low hum under it and after it", []tone{{2000, voice}, hum}, []tone{hum}, true},
		{"more speech over the hum", []tone{{2000, voice}, hum}, []tone{{2000, voice}, hum}, false},
		{"a hiss 7 dB under it after it", []tone{{440, voice}}, []tone{{6000, voice / 2.25}}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			audio := append(level(sec(0.5), 0), tones(sec(0.7), tc.phrase...)...)
			audio = append(audio, tones(sec(2), tc.after...)...)
			sp := NewSpotter(&scripted{s: script{{sec(1.3), det("limber next", 0.5, 1.2, -300)}}}, Options{Quiet: -1, Settle: testSettle})
			t0 := time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC)
			var got []heardAt
			const chunk = 320
			for fed := int64(0); fed+chunk <= int64(len(audio)); fed += chunk {
				heard, err := sp.Feed(mic.Chunk{Samples: audio[fed : fed+chunk], At: t0.Add(samplesDuration(fed + chunk))})
				if err != nil {
					t.Fatal(err)
				}
				for _, h := range heard {
					got = append(got, heardAt{h.Phrase, float64(fed+chunk) / kws.SampleRate, h.Ignored})
				}
			}
			if !tc.want {
				if len(got) != 0 {
					t.Errorf("decided %+v, want nothing", got)
				}
				return
			}
			// Settled 300 ms after the detection at 1.3 s, and the pause
			// heard from 1.25 to 1.5 s.
			if len(got) != 1 || got[0].phrase != "limber next" || got[0].at < 1.5 || got[0].at > 1.62 {
				t.Errorf("decided %+v, want limber next at 1.6 s", got)
			}
		})
	}
}

// TestLevels_Loud: the loudest moments of a span, from the levels kept.
func TestLevels_Loud(t *testing.T) {
	var l levels
	l.add(level(sec(1), 1000))
	l.add(level(sec(1), 0))
	l.add(level(sec(0.005), 8000)) // half a frame: not measured yet
	if got := l.measured(); got != sec(2) {
		t.Errorf("measured %d samples, want %d", got, sec(2))
	}
	for _, tc := range []struct {
		from, to float64
		want     float64 // dB
		ok       bool
	}{
		{0, 1, 60, true},
		{1, 2, 0, true},
		{0.5, 1.5, 60, true}, // loudest moments: the first half
		{0.95, 1.5, 0, true}, // one frame in ten is loud: not its loudest moments
		{2, 3, 0, false},     // not measured
	} {
		got, ok := l.loud(asCaptured, sec(tc.from), sec(tc.to))
		if ok != tc.ok || math.Abs(got-tc.want) > 0.3 {
			t.Errorf("loud(%g s, %g s) = %.1f, %v; want %.1f, %v", tc.from, tc.to, got, ok, tc.want, tc.ok)
		}
	}
	// Tilted, a 440 Hz tone is 11.9 dB quieter (|1 - tilt e^-iw|).
	if got, ok := l.loud(tilted, 0, sec(1)); !ok || math.Abs(got-48.1) > 0.3 {
		t.Errorf("loud(tilted, 0, 1 s) = %.1f, %v; want 48.1, true", got, ok)
	}
	// After more than keepLevels frames, the oldest are gone.
	l.add(level(sec(5), 10))
	if _, ok := l.loud(asCaptured, 0, sec(1)); ok {
		t.Error("levels of 7 s ago still kept")
	}
	if got, ok := l.loud(asCaptured, sec(6), sec(7)); !ok || math.Abs(got-20) > 0.3 {
		t.Errorf("loud(6 s, 7 s) = %.1f, %v; want 20.0, true", got, ok)
	}
}

// TestSpotter_PauseWaitsForTheLongerPhrase: "limber pause" is reported
// over the start of "limber resume" before the decoder has heard the
// end of it; the speech going on after it shows it is not what was
// said, and the longer phrase reported later is acted on.
func TestSpotter_PauseWaitsForTheLongerPhrase(t *testing.T) {
	audio := append(level(sec(0.5), 0), level(sec(0.8), 3000)...)
	audio = append(audio, level(sec(1.5), 0)...)
	s := script{
		{sec(1.1), det("limber pause", 0.5, 1.0, 200)},
		{sec(1.45), det("limber resume", 0.5, 1.3, 100)},
	}
	sp := NewSpotter(&scripted{s: s}, Options{Quiet: -1, Commands: testCommands, Settle: testSettle})
	var got []string
	for fed := int64(0); fed+320 <= int64(len(audio)); fed += 320 {
		heard, err := sp.Feed(mic.Chunk{Samples: audio[fed : fed+320], At: time.Now()})
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range heard {
			got = append(got, h.Phrase)
		}
	}
	if len(got) != 1 || got[0] != "limber resume" {
		t.Errorf("decided %q, want limber resume", got)
	}
}
