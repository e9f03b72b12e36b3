package listen

import (
	"math"
	"slices"

	"github.com/limber-audio/limber/kws"
)

// A command is said, then the speaker stops: "limber next", and quiet.
// Text read aloud goes on, and most of what the decoder mistakes for a
// command in it is followed by more words within a quarter of a second
// (measured on the listening corpora: of the 71 stretches of other
// speech that scored above a command's threshold, 69 had more speech
// right after them, while 97% of the commands said had their loudest
// moments in the quarter second after them at least 6 dB below those of
// the phrase, 92 to 96% in noise at 10 dB SNR). So the spotter acts on a
// phrase only once it has heard a short pause after it: the audio from
// pauseGap to pauseGap+pauseLen after the phrase's end must be quieter
// than the phrase by Options.Pause.
//
// The pause is looked for twice: in the audio as captured, and tilted
// (the lows taken down, the highs up, see tilt). A low rumble (traffic,
// brown noise) fills the quiet after a command in the first but hardly
// in the second; a hiss (a fan, pink noise) is the other way round.
// Either pause will do. In brown noise 10 dB under the voice the
// spotter acted on 154 of the tuned corpus's 180 commands with the
// first alone, 165 with either (held out: 64 and 69 of 80), with no
// more false commands in other speech.
const (
	pauseGap = kws.SampleRate / 20 // 50 ms: the last sound of the phrase dying away
	pauseLen = kws.SampleRate / 4  // 250 ms
	// levelFrame is the length of one level measurement, in samples:
	// the decoder's frame, on whose boundaries detections start and end.
	levelFrame = kws.FrameLen
	// keepLevels is how many frames of levels are kept: more than the
	// longest phrase, the longest wait for a decision and the pause.
	keepLevels = 500 // 5 s
	// loudShare is the share of a span's frames at or below the level
	// taken as its loudest: the 90th percentile, so that one click or
	// breath does not count as speech.
	loudShare = 0.9
	// tilt is the pre-emphasis of the tilted levels: each sample less
	// tilt times the one before. It takes 14 dB off at 100 Hz, 8 dB at
	// 1 kHz and nothing at 3 kHz: about as steep as brown noise falls.
	// Chosen on the tuned corpus among 0.6 to 0.9 (0.97, the decoder's
	// own, takes too much of the voice with the noise).
	tilt = 0.8
)

// band is which of the levels to look at.
type band int

const (
	asCaptured band = iota
	tilted          // after the pre-emphasis tilt
)

// levels remembers how loud the last few seconds of captured audio were,
// frame by frame, in dB, as captured and tilted.
type levels struct {
	db    [2][]float64 // by band: rings of keepLevels frames
	n     int64        // frames measured
	sum   [2]float64   // by band: sum of squares of the frame under way
	count int          // its samples so far
	prev  float64      // the last sample, for the tilt
}

// add measures samples, the next captured audio.
func (l *levels) add(samples []int16) {
	if l.db[0] == nil {
		l.db = [2][]float64{make([]float64, keepLevels), make([]float64, keepLevels)}
	}
	for _, s := range samples {
		// Each product rounded on its own: the same on every machine
		// (make cross), where arm64 would fuse it with the sum.
		x := float64(s)
		l.sum[asCaptured] += float64(x * x)
		y := x - float64(tilt*l.prev)
		l.sum[tilted] += float64(y * y)
		l.prev = x
		l.count++
		if l.count == levelFrame {
			for b := range l.db {
				l.db[b][l.n%keepLevels] = 10 * math.Log10(1+l.sum[b]/levelFrame)
				l.sum[b] = 0
			}
			l.n++
			l.count = 0
		}
	}
}

// measured returns the sample up to which whole frames were measured.
func (l *levels) measured() int64 { return l.n * levelFrame }

// loud returns how loud the loudest moments of samples from to to
// were in band b, in dB (see loudShare), and false if none of that span
// is measured and still kept.
func (l *levels) loud(b band, from, to int64) (float64, bool) {
	first := max(from/levelFrame, l.n-keepLevels, 0)
	last := min((to+levelFrame-1)/levelFrame, l.n) // one past
	if first >= last {
		return 0, false
	}
	span := make([]float64, 0, last-first)
	for f := first; f < last; f++ {
		span = append(span, l.db[b][f%keepLevels])
	}
	slices.Sort(span)
	return span[int(loudShare*float64(len(span)-1))], true
}

// pauseAfter reports whether the audio after a phrase heard from start
// to end fell by at least drop dB below the phrase, as a speaker's does
// when they stop, as captured or tilted. It is false until that audio
// has been measured.
func (l *levels) pauseAfter(start, end int64, drop float64) bool {
	for _, b := range []band{asCaptured, tilted} {
		phrase, ok := l.loud(b, start, end)
		if !ok {
			return false
		}
		after, ok := l.loud(b, end+pauseGap, end+pauseGap+pauseLen)
		if ok && phrase-after >= drop {
			return true
		}
	}
	return false
}
