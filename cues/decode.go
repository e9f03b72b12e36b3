package cues

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/gopxl/beep/v2"
	"github.com/limber-audio/limber/audio"
)

// Decode decodes an audio file's bytes by its extension (one of
// audio.Extensions) into mono samples at rate. Stereo is mixed down; other rates
// are resampled once, with audio.Resample.
func Decode(data []byte, ext string, rate int) ([]float32, error) {
	out, _, _, err := decode(data, ext, rate)
	return out, err
}

// maxClipFrames bounds a decoded clip (ten minutes at 48 kHz), so a
// broken or endless file cannot eat memory.
const maxClipFrames = 10 * 60 * 48000

// decode is Decode that also returns the file's own length and rate; rate
// 0 keeps the file's own rate.
func decode(data []byte, ext string, rate int) (out []float32, srcLen, srcRate int, err error) {
	s, format, err := open(data, ext)
	if err != nil {
		return nil, 0, 0, err
	}
	defer s.Close()
	mono := make([]float32, 0, max(s.Len(), 0))
	buf := make([][2]float64, 4096)
	for {
		n, ok := s.Stream(buf)
		for _, v := range buf[:n] {
			mono = append(mono, float32((v[0]+v[1])/2))
		}
		if !ok || n == 0 || len(mono) > maxClipFrames {
			break
		}
	}
	if err := s.Err(); err != nil {
		return nil, 0, 0, fmt.Errorf("decode: %w", err)
	}
	// Where the header gives a length, hold to it, so the clip is exactly
	// as long as the timeline was told: pad a short stream, cut a long one.
	want := len(mono)
	if n := s.Len(); n > 0 {
		want = n
	}
	for len(mono) < want {
		mono = append(mono, 0)
	}
	mono = mono[:want]
	if want == 0 {
		return nil, 0, 0, errors.New("decode: no audio in file")
	}
	srcRate = int(format.SampleRate)
	if rate > 0 && srcRate != rate {
		mono = audio.Resample(mono, srcRate, rate)
	}
	return mono, want, srcRate, nil
}

func open(data []byte, ext string) (beep.StreamSeekCloser, beep.Format, error) {
	return audio.Open(bytes.NewReader(data), ext)
}

// scaleLen converts a length of n samples at rate from to rate to,
// rounding to the nearest sample.
func scaleLen(n, from, to int) int {
	if from == to {
		return n
	}
	return int((int64(n)*int64(to) + int64(from)/2) / int64(from))
}

// flacHeaderLen is how many bytes of a FLAC file flacInfo needs.
const flacHeaderLen = 8 + 18

// flacInfo reads the total sample count and rate from a FLAC file's
// STREAMINFO block without decoding audio.
func flacInfo(data []byte) (n, rate int, err error) {
	// "fLaC", a 4-byte metadata block header, then STREAMINFO: 2+2 block
	// sizes, 3+3 frame sizes, then 20 bits rate, 3 channels, 5 bits depth,
	// 36 bits total samples.
	if len(data) < flacHeaderLen || string(data[:4]) != "fLaC" || data[4]&0x7f != 0 {
		return 0, 0, errors.New("not a FLAC stream")
	}
	v := binary.BigEndian.Uint64(data[8+10 : 8+18])
	rate = int(v >> 44)
	n = int(v & (1<<36 - 1))
	if rate == 0 || n == 0 {
		return 0, 0, errors.New("FLAC stream without rate or length")
	}
	return n, rate, nil
}

// ext returns the lower-case extension of name.
func ext(name string) string { return audio.Ext(name) }
