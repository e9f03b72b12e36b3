package audio

import (
	"errors"
	"slices"

	"github.com/gopxl/beep/v2"
)

// SilenceSkipper is a stream that knows where it is silent. Writers use
// it to write long silences without asking the stream for them sample by
// sample, which is most of the work in a routine that is mostly quiet.
type SilenceSkipper interface {
	beep.Streamer
	// SkipSilence moves the stream past at most n frames of silence from
	// its position on, and returns how many it skipped: 0 when the next
	// frame is not silent. The frames skipped are those Stream would have
	// given as zeros.
	SkipSilence(n int) int
}

// skipSilence skips the silence at the start of s's next n frames, if s
// can tell.
func skipSilence(s beep.Streamer, n int) int {
	if sk, ok := s.(SilenceSkipper); ok && n > 0 {
		return sk.SkipSilence(n)
	}
	return 0
}

// MonoStreamer is a stream that can give its mix in one channel, the
// average of its two, more cheaply than as two. Writers of one channel
// use it; the samples must be those Stream would give, averaged.
type MonoStreamer interface {
	beep.Streamer
	// StreamMono fills samples as Stream would, each frame's two channels
	// averaged.
	StreamMono(samples []float64) (n int, ok bool)
}

// Reader reads a stream for a writer of 1 or 2 channels, a buffer at a
// time: through the stream's silences without asking for them where it
// can tell them (SilenceSkipper), and through its mono mix when one
// channel is written and it has one (MonoStreamer). Not safe for
// concurrent use.
type Reader struct {
	s    beep.Streamer
	mono MonoStreamer // s, when one channel is written and s has a mix
	// After Read, the frames read, unless they are silent: in Mono when
	// the stream gave its mono mix (Mono is nil when it does not), else
	// in Stereo.
	Mono   []float64
	Stereo [][2]float64
}

// ErrStreamEnded is a stream that ended without an error before the
// frames a writer was told to write.
var ErrStreamEnded = errors.New("stream ended early")

// NewReader reads s for a writer of channels channels, at most size
// frames at a time.
func NewReader(s beep.Streamer, channels, size int) *Reader {
	p := &Reader{s: s}
	if ms, ok := s.(MonoStreamer); ok && channels == 1 {
		p.mono, p.Mono = ms, make([]float64, size)
	} else {
		p.Stereo = make([][2]float64, size)
	}
	return p
}

// Read reads at most n frames (at most the buffer's size). Unless they
// are silent, they are in p.Mono[:got] when p.Mono is set, else in
// p.Stereo[:got]. A stream that ends before is ErrStreamEnded, or its
// own error.
func (p *Reader) Read(n int) (got int, silent bool, err error) {
	if k := skipSilence(p.s, n); k > 0 {
		return k, true, nil
	}
	var ok bool
	if p.mono != nil {
		got, ok = p.mono.StreamMono(p.Mono[:n])
		silent = !slices.ContainsFunc(p.Mono[:got], func(v float64) bool { return v != 0 })
	} else {
		got, ok = p.s.Stream(p.Stereo[:n])
		silent = !slices.ContainsFunc(p.Stereo[:got], func(v [2]float64) bool { return v != [2]float64{} })
	}
	if got == 0 && !ok {
		if err := p.s.Err(); err != nil {
			return 0, false, err
		}
		return 0, false, ErrStreamEnded
	}
	return got, silent, nil
}
