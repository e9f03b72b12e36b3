package flac

import (
	"bytes"
	"context"
	"io"
	"math"
	"math/rand"
	"testing"

	"github.com/limber-audio/limber/audio"
	"github.com/limber-audio/limber/internal/testtools"
)

// onlyWriter hides Seek from a writer, like a pipe.
type onlyWriter struct{ io.Writer }

// TestWrite_RoundTrip encodes signals that take every kind of
// subframe (constant silence, predicted sound, verbatim noise), in blocks
// of every size, and decodes them back with the FLAC decoder limber reads
// with: every sample comes back, rounded as the WAV writer rounds.
func TestWrite_RoundTrip(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	tests := []struct {
		name string
		n    int
		gen  func(i int) [2]float64
	}{
		{"silence", 10000, func(int) [2]float64 { return [2]float64{} }},
		{"one frame", 1, func(int) [2]float64 { return [2]float64{0.5, -0.5} }},
		{"tones, a short last block", blockFrames*3 + 17, func(i int) [2]float64 {
			return [2]float64{0.4 * math.Sin(float64(i)*0.03), 0.2 * math.Sin(float64(i)*0.2)}
		}},
		{"noise at full scale", blockFrames + 5, func(int) [2]float64 { return [2]float64{rng.Float64()*2 - 1, rng.Float64()*2 - 1} }},
		{"clipping", 5000, func(i int) [2]float64 { return [2]float64{3 * math.Sin(float64(i)), -3} }},
	}
	for _, tt := range tests {
		for _, channels := range []int{1, 2} {
			x := make([][2]float64, tt.n)
			for i := range x {
				x[i] = tt.gen(i)
			}
			for _, seekable := range []bool{true, false} {
				var buf bytes.Buffer
				var w io.Writer = &buf
				var ws *memFile
				if seekable {
					ws = &memFile{}
					w = ws
				} else {
					w = onlyWriter{&buf}
				}
				err := Write(context.Background(), w, &testtools.Frames{X: x}, tt.n, audio.Options{Rate: 44100, Channels: channels,
					Markers: []audio.Marker{{Pos: tt.n / 2, Label: "half"}}, Tags: []audio.Tag{{Name: "TITLE", Value: "t"}}})
				if err != nil {
					t.Fatalf("%s, %d channels: %v", tt.name, channels, err)
				}
				data := buf.Bytes()
				if seekable {
					data = ws.b
				}
				s, format, err := Decode(bytes.NewReader(data))
				if err != nil {
					t.Fatalf("%s, %d channels: decode: %v", tt.name, channels, err)
				}
				if s.Len() != tt.n || format.NumChannels != channels {
					t.Fatalf("%s: %d frames, %d channels", tt.name, s.Len(), format.NumChannels)
				}
				got := make([][2]float64, tt.n)
				for k := 0; k < tt.n; {
					m, ok := s.Stream(got[k:])
					k += m
					if !ok {
						break
					}
				}
				for i, v := range x {
					want := [2]int16{audio.ToInt16((v[0] + v[1]) / 2)}
					if channels == 2 {
						want = [2]int16{audio.ToInt16(v[0]), audio.ToInt16(v[1])}
					}
					for c := range channels {
						if g := int16(math.Round(got[i][c] * 32768)); g != want[c] {
							t.Fatalf("%s, %d channels, seekable %v: frame %d channel %d: %d, want %d", tt.name, channels, seekable, i, c, g, want[c])
						}
					}
				}
			}
		}
	}
}

// memFile is an in-memory file the FLAC writer can seek in.
type memFile struct {
	b   []byte
	pos int
}

func (m *memFile) Write(p []byte) (int, error) {
	if end := m.pos + len(p); end > len(m.b) {
		m.b = append(m.b, make([]byte, end-len(m.b))...)
	}
	copy(m.b[m.pos:], p)
	m.pos += len(p)
	return len(p), nil
}

func (m *memFile) Seek(off int64, whence int) (int64, error) {
	switch whence {
	case io.SeekStart:
		m.pos = int(off)
	case io.SeekCurrent:
		m.pos += int(off)
	case io.SeekEnd:
		m.pos = len(m.b) + int(off)
	}
	return int64(m.pos), nil
}

func BenchmarkWrite(b *testing.B) {
	x := testtools.SpeechLike()
	n := len(x)
	b.SetBytes(int64(n * 2))
	for b.Loop() {
		if err := Write(context.Background(), &memFile{}, &testtools.Frames{X: x}, n, audio.Options{Rate: 44100, Channels: 1}); err != nil {
			b.Fatal(err)
		}
	}
}
