package listen

import (
	"math"

	"github.com/limber-audio/limber/kws"
)

// gate keeps long quiet stretches from the recognizer. pocketsphinx
// normalises what it hears by the average of what it heard lately: after
// many seconds of a silent microphone (a headset's, or a sound server's
// idle source) that average is the silence's, and a command said then
// scores far lower (measured: "limber pause" after 18 s of silence,
// 700 lower than after 1 s, and not acted on). So once the audio has
// been quiet for gateHang, the gate holds it back, keeping only the last
// gatePreroll of it, which goes to the recognizer, before the sound, when
// sound comes again. It remembers where the audio it passed on came from,
// so detections are placed in the audio as it was captured.
type gate struct {
	quiet   float64 // RMS of a 10 ms frame below which it is quiet
	run     int64   // quiet samples in a row, up to now
	holding bool
	preroll []int16 // the last of what is held back
	passed  int64   // samples passed on
	seen    int64   // samples seen
	spans   []span  // where the passed audio came from, oldest first
}

// span says that passed sample given was seen sample seen, and the ones
// after it followed on, up to the next span.
type span struct{ given, seen int64 }

const (
	gateHang    = 3 * kws.SampleRate / 2 // 1.5 s
	gatePreroll = 3 * kws.SampleRate / 10
	gateFrame   = kws.FrameLen // 10 ms
	keepSpans   = 64
)

func newGate(quiet float64) *gate {
	return &gate{quiet: quiet, spans: []span{{0, 0}}}
}

// pieces returns what of samples goes on to the recognizer, as pieces
// to feed in turn.
func (g *gate) pieces(samples []int16) [][]int16 {
	var out [][]int16
	var cur []int16
	for len(samples) > 0 {
		n := min(gateFrame, len(samples))
		frame := samples[:n]
		samples = samples[n:]
		if rms(frame) >= g.quiet {
			g.run = 0
			if g.holding {
				g.holding = false
				if len(cur) > 0 {
					out, cur = append(out, cur), nil
				}
				g.mark(g.seen - int64(len(g.preroll)))
				cur = append(cur, g.preroll...)
				g.passed += int64(len(g.preroll))
				g.preroll = g.preroll[:0]
			}
		} else {
			g.run += int64(n)
			if !g.holding && g.run > gateHang {
				g.holding = true
			}
		}
		if g.holding {
			g.preroll = append(g.preroll, frame...)
			if over := len(g.preroll) - gatePreroll; over > 0 {
				g.preroll = append(g.preroll[:0], g.preroll[over:]...)
			}
		} else {
			cur = append(cur, frame...)
			g.passed += int64(n)
		}
		g.seen += int64(n)
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

// mark notes that the next sample passed on is seen sample seen.
func (g *gate) mark(seen int64) {
	g.spans = append(g.spans, span{g.passed, seen})
	if len(g.spans) > keepSpans {
		g.spans = append(g.spans[:0], g.spans[len(g.spans)-keepSpans:]...)
	}
}

// place returns where passed sample n was in the audio seen.
func (g *gate) place(n int64) int64 {
	for i := len(g.spans) - 1; i >= 0; i-- {
		if s := g.spans[i]; s.given <= n {
			return s.seen + n - s.given
		}
	}
	return n // older than any span kept: as good a guess as any
}

func rms(s []int16) float64 {
	var sum float64
	for _, v := range s {
		sum += float64(float64(v) * float64(v))
	}
	return math.Sqrt(sum / float64(len(s)))
}
