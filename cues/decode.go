package cues

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/gopxl/beep/v2"

	"github.com/limber-audio/limber/audio/decode"
	"github.com/limber-audio/limber/audio/resample"
)

// Decode decodes an audio file's bytes by its extension (one of
// decode.Extensions) into mono samples at rate. Stereo is mixed down; other rates
// are resampled once, with resample.Samples.
func Decode(data []byte, ext string, rate int) ([]float32, error) {
	out, _, _, err := decodeData(data, ext, rate)
	return out, err
}

// MaxRecordingSeconds bounds one recording, a voice clip of the user's
// or an engine's, so a broken or endless file cannot eat memory.
const MaxRecordingSeconds = 120

// decodeData is Decode that also returns the file's own length and rate; rate
// 0 keeps the file's own rate. Nothing is sized from the file's header:
// the samples are counted as they are decoded, and more than
// MaxRecordingSeconds of them is an error.
func decodeData(data []byte, ext string, rate int) (out []float32, srcLen, srcRate int, err error) {
	return decodeFrom(bytes.NewReader(data), ext, rate)
}

// decodeFrom is decodeData reading from r.
func decodeFrom(r io.ReadSeeker, ext string, rate int) (out []float32, srcLen, srcRate int, err error) {
	mono, srcLen, srcRate, err := decodeMono(r, ext, true)
	if err != nil {
		return nil, 0, 0, err
	}
	if rate > 0 && srcRate != rate {
		mono = resample.Samples(mono, srcRate, rate)
	}
	return mono, srcLen, srcRate, nil
}

// prealloc is how many seconds of a clip decodeMono allocates at once,
// when the file's header says it has that many.
const prealloc = 30

// decodeMono decodes to mono at the file's own rate; without keep it
// only counts the frames and returns no samples. A header that claims a length the stream has not is cut to
// the shorter of the two, never padded.
func decodeMono(r io.ReadSeeker, ext string, keep bool) (mono []float32, frames, srcRate int, err error) {
	s, format, err := decode.Open(r, ext)
	if err != nil {
		return nil, 0, 0, err
	}
	defer s.Close()
	srcRate = int(format.SampleRate)
	limit := MaxRecordingSeconds * srcRate
	if keep {
		// The header's length is a claim: trusted for a first allocation
		// only up to half a minute, which every real clip fits in.
		mono = make([]float32, 0, min(max(s.Len(), 0), prealloc*srcRate))
	}
	buf := make([][2]float64, 4096)
	for {
		n, ok := s.Stream(buf)
		if keep {
			for _, v := range buf[:n] {
				mono = append(mono, float32((v[0]+v[1])/2))
			}
		}
		frames += n
		if frames > limit {
			return nil, 0, 0, fmt.Errorf("longer than %d minutes, the most one recording may last", MaxRecordingSeconds/60)
		}
		if !ok || n == 0 {
			break
		}
	}
	if err := s.Err(); err != nil {
		return nil, 0, 0, fmt.Errorf("decode: %w", err)
	}
	if n := s.Len(); n > 0 && n < frames {
		frames = n
	}
	if frames == 0 {
		return nil, 0, 0, errors.New("decode: no audio in file")
	}
	if keep {
		mono = mono[:frames]
	}
	return mono, frames, srcRate, nil
}

func open(data []byte, ext string) (beep.StreamSeekCloser, beep.Format, error) {
	return decode.Open(bytes.NewReader(data), ext)
}
