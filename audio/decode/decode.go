package decode

import (
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"

	"github.com/gopxl/beep/v2"
	"github.com/gopxl/beep/v2/mp3"
	"github.com/gopxl/beep/v2/vorbis"

	"github.com/limber-audio/limber/audio"
	"github.com/limber-audio/limber/audio/flac"
	"github.com/limber-audio/limber/audio/wav"
)

// Extensions lists the audio file types limber reads, by extension: WAV,
// FLAC, MP3 and Ogg Vorbis.
var Extensions = []string{".wav", ".flac", ".mp3", ".ogg"}

// Readable reports whether ext (".wav", as audio.Ext gives it) is one of
// Extensions.
func Readable(ext string) bool { return slices.Contains(Extensions, ext) }

// Open starts decoding an audio file of type ext: WAV and FLAC with
// limber's own decoders (packages wav and flac), MP3 and Ogg Vorbis with
// beep's.
// r must be seekable, so the stream knows its length and can be seeked.
// Closing the stream does not close r. A decoder that panics on a
// malformed file is turned into an error, here and while streaming, and so
// is a sample that is not a finite number (ErrNotFinite).
func Open(r io.ReadSeeker, ext string) (s beep.StreamSeekCloser, format beep.Format, err error) {
	kind := strings.TrimPrefix(strings.ToLower(ext), ".")
	defer func() {
		if p := recover(); p != nil {
			s, err = nil, fmt.Errorf("decode %s: malformed file (%v)", kind, p)
		}
	}()
	rc := nopCloser{newBufferedReadSeeker(r)}
	switch strings.ToLower(ext) {
	case ".wav":
		s, format, err = wav.Decode(r)
	case ".flac":
		s, format, err = flac.Decode(r)
	case ".mp3":
		s, format, err = mp3.Decode(rc)
	case ".ogg":
		// The comments are skipped, never read: their counts and sizes
		// are the file's word, which the decoder takes on trust.
		var spliced io.ReadSeeker
		if spliced, err = withoutComments(r); err == nil {
			s, format, err = vorbis.Decode(nopCloser{newBufferedReadSeeker(spliced)})
		}
	default:
		return nil, beep.Format{}, fmt.Errorf("unsupported audio type %q (use %s)", ext, strings.Join(Extensions, ", "))
	}
	if err != nil {
		return nil, beep.Format{}, fmt.Errorf("decode %s: %w", kind, err)
	}
	if format.SampleRate <= 0 || format.NumChannels <= 0 {
		s.Close()
		return nil, beep.Format{}, errors.New("decode: no audio in file")
	}
	if r := int(format.SampleRate); r < audio.MinRate || r > audio.MaxRate {
		s.Close()
		return nil, beep.Format{}, fmt.Errorf("decode %s: sample rate %d Hz; limber reads %d to %d Hz", kind, r, audio.MinRate, audio.MaxRate)
	}
	return &guarded{s: s, kind: kind}, format, nil
}

// guarded turns a panic inside a decoder into the stream's error.
type guarded struct {
	s    beep.StreamSeekCloser
	kind string
	err  error // from a recovered panic
}

func (g *guarded) recovered(p any) error {
	return fmt.Errorf("decode %s: malformed file (%v)", g.kind, p)
}

func (g *guarded) Stream(buf [][2]float64) (n int, ok bool) {
	if g.err != nil {
		return 0, false
	}
	defer func() {
		if p := recover(); p != nil {
			g.err = g.recovered(p)
			n, ok = 0, false
		}
	}()
	n, ok = g.s.Stream(buf)
	// A float WAV file, or a damaged Ogg Vorbis one, can hold samples
	// that are no numbers: mixed, they would make noise or silence of
	// everything after them, or a constant offset once rounded.
	for i, f := range buf[:n] {
		if !finite(f[0]) || !finite(f[1]) {
			g.err = fmt.Errorf("decode %s: %w", g.kind, ErrNotFinite)
			return i, i > 0
		}
	}
	return n, ok
}

// ErrNotFinite marks a file holding a sample that is not a number (NaN)
// or is infinite.
var ErrNotFinite = errors.New("a sample that is not a number (NaN or infinite)")

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

func (g *guarded) Err() error {
	if g.err != nil {
		return g.err
	}
	return g.s.Err()
}

func (g *guarded) Len() int      { return g.s.Len() }
func (g *guarded) Position() int { return g.s.Position() }
func (g *guarded) Close() error  { return g.s.Close() }

func (g *guarded) Seek(p int) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = g.recovered(r)
		}
	}()
	return g.s.Seek(p)
}

// nopCloser lets the decoders, which want a ReadCloser, still see a
// Seeker, so they know the stream's length and can seek.
type nopCloser struct{ io.ReadSeeker }

func (nopCloser) Close() error { return nil }
