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
)

// levels remembers how loud the last few seconds of captured audio were,
// frame by frame, in dB.
type levels struct {
	db    []float64 // ring of keepLevels frames
	n     int64     // frames measured
	sum   float64   // sum of squares of the frame under way
	count int       // its samples so far
}

// add measures samples, the next captured audio.
func (l *levels) add(samples []int16) {
	if l.db == nil {
		l.db = make([]float64, keepLevels)
	}
	for _, s := range samples {
		l.sum += float64(float64(s) * float64(s)) // rounded: the same on every machine (make cross)
		l.count++
		if l.count == levelFrame {
			l.db[l.n%keepLevels] = 10 * math.Log10(1+l.sum/levelFrame)
			l.n++
			l.sum, l.count = 0, 0
		}
	}
}

// measured returns the sample up to which whole frames were measured.
func (l *levels) measured() int64 { return l.n * levelFrame }

// loud returns how loud the loudest moments of samples from to to
// were, in dB (see loudShare), and false if none of that span is
// measured and still kept.
func (l *levels) loud(from, to int64) (float64, bool) {
	first := max(from/levelFrame, l.n-keepLevels, 0)
	last := min((to+levelFrame-1)/levelFrame, l.n) // one past
	if first >= last {
		return 0, false
	}
	span := make([]float64, 0, last-first)
	for f := first; f < last; f++ {
		span = append(span, l.db[f%keepLevels])
	}
	slices.Sort(span)
	return span[int(loudShare*float64(len(span)-1))], true
}

// pauseAfter reports whether the audio after a phrase heard from start
// to end fell by at least drop dB below the phrase, as a speaker's does
// when they stop. It is false until that audio has been measured.
func (l *levels) pauseAfter(start, end int64, drop float64) bool {
	phrase, ok := l.loud(start, end)
	if !ok {
		return false
	}
	after, ok := l.loud(end+pauseGap, end+pauseGap+pauseLen)
	return ok && phrase-after >= drop
}
