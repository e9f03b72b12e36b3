package audio

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/limber-audio/limber/internal/input"

	"github.com/gopxl/beep/v2"
)

// Music is a music bed: an audio file streamed from disk (never decoded
// whole into memory), looped for as long as it is played and resampled,
// if its rate differs, to the rate asked for. It implements beep.Streamer
// and can be seeked. Not safe for concurrent use.
type Music struct {
	path    string
	f       *os.File
	dec     beep.StreamSeekCloser
	srcRate int
	srcLen  int
	rate    int
	res     *StreamResampler // nil when the rates match
	err     error
}

// MaxMP3Music is the largest MP3 file OpenMusic takes, in bytes: about an
// hour at 192 kbit/s.
const MaxMP3Music = 100 << 20

// OpenMusic opens an audio file (one of Extensions) as a music bed at
// rate. It reads the start of the audio, so a file that cannot be
// decoded fails here, before anything plays.
func OpenMusic(path string, rate int) (*Music, error) {
	f, err := input.Open(path)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			return nil, fmt.Errorf("music: %w", err)
		}
		return nil, fmt.Errorf("music %s: %w", path, err)
	}
	if st, err := f.Stat(); err == nil && Ext(path) == ".mp3" && st.Size() > MaxMP3Music {
		f.Close()
		// An MP3 is read whole to learn its length, which takes too long
		// for a file this size.
		return nil, fmt.Errorf("music %s: MP3 larger than %d MiB; convert it to FLAC or Ogg Vorbis", path, MaxMP3Music>>20)
	}
	dec, format, err := Open(f, Ext(path))
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("music %s: %w", path, err)
	}
	m := &Music{path: path, f: f, dec: dec, srcRate: int(format.SampleRate), srcLen: dec.Len(), rate: rate}
	fail := func(err error) (*Music, error) {
		m.Close()
		return nil, fmt.Errorf("music %s: %w", path, err)
	}
	if m.srcLen <= 0 {
		return fail(errors.New("no audio in file, or its length cannot be told, so it cannot be looped"))
	}
	probe := make([][2]float64, 1024)
	if n, _ := dec.Stream(probe); n == 0 {
		if err := dec.Err(); err != nil {
			return fail(err)
		}
		return fail(errors.New("no audio in file"))
	}
	if err := m.rewind(); err != nil {
		return fail(err)
	}
	if m.srcRate != rate {
		m.res = NewStreamResampler(loop{m}, m.srcRate, rate)
	}
	return m, nil
}

// loop streams the decoder over and over.
type loop struct{ m *Music }

func (l loop) Stream(buf [][2]float64) (int, bool) {
	m := l.m
	n := 0
	for n < len(buf) {
		got, ok := m.dec.Stream(buf[n:])
		n += got
		if got == 0 || !ok {
			if err := m.dec.Err(); err != nil {
				m.err = fmt.Errorf("music %s: %w", m.path, err)
				return n, n > 0
			}
			if got == 0 && m.dec.Position() == 0 {
				m.err = fmt.Errorf("music %s: no audio", m.path)
				return n, n > 0
			}
			if err := m.rewind(); err != nil {
				m.err = fmt.Errorf("music %s: loop: %w", m.path, err)
				return n, n > 0
			}
		}
	}
	return n, true
}

func (l loop) Err() error { return l.m.err }

// Stream fills buf with the music; it ends only on a decoding error.
func (m *Music) Stream(buf [][2]float64) (int, bool) {
	if m.err != nil {
		return 0, false
	}
	if m.res != nil {
		return m.res.Stream(buf)
	}
	return loop{m}.Stream(buf)
}

// Err returns the error that stopped the music, if any.
func (m *Music) Err() error { return m.err }

// rewind starts the file over with a new decoder: cheaper than seeking to
// 0, which makes the FLAC decoder read the whole file for a seek table.
func (m *Music) rewind() error {
	if _, err := m.f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	dec, _, err := Open(m.f, Ext(m.path))
	if err != nil {
		return err
	}
	m.dec.Close()
	m.dec = dec
	return nil
}

// Seek moves to frame p of the endless loop, at the output rate.
func (m *Music) Seek(p int) error {
	src := int((int64(p) * int64(m.srcRate) / int64(m.rate)) % int64(m.srcLen))
	var err error
	if src == 0 {
		err = m.rewind()
	} else {
		err = m.dec.Seek(src)
	}
	if err != nil {
		return fmt.Errorf("music %s: seek: %w", m.path, err)
	}
	if m.res != nil {
		m.res.Reset()
	}
	return nil
}

// Close releases the file.
func (m *Music) Close() error {
	m.dec.Close()
	return m.f.Close()
}
