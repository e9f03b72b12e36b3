package audio

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/gopxl/beep/v2"
	"github.com/gopxl/beep/v2/flac"
	"github.com/gopxl/beep/v2/mp3"
	"github.com/gopxl/beep/v2/vorbis"
	"github.com/gopxl/beep/v2/wav"
)

// Extensions lists the audio file types limber reads, by extension: WAV,
// FLAC, MP3 and Ogg Vorbis.
var Extensions = []string{".wav", ".flac", ".mp3", ".ogg"}

// Ext returns the lower-case extension of a file name.
func Ext(name string) string { return strings.ToLower(filepath.Ext(name)) }

// IsAudioExt reports whether ext (".wav") is one of Extensions.
func IsAudioExt(ext string) bool {
	for _, e := range Extensions {
		if ext == e {
			return true
		}
	}
	return false
}

// Open starts decoding an audio file of type ext with beep's decoders
// (and limber's own reader for most WAV files; see pcmWAV).
// r must be seekable, so the stream knows its length and can be seeked.
// Closing the stream does not close r.
func Open(r io.ReadSeeker, ext string) (beep.StreamSeekCloser, beep.Format, error) {
	var (
		s      beep.StreamSeekCloser
		format beep.Format
		err    error
	)
	rc := nopCloser{r}
	switch strings.ToLower(ext) {
	case ".wav":
		var fw *pcmWAV
		var ok bool
		if fw, format, ok, err = openPCMWAV(r); ok && err == nil {
			s = fw
		} else if err == nil {
			s, format, err = wav.Decode(rc)
		}
	case ".flac":
		s, format, err = flac.Decode(rc)
	case ".mp3":
		s, format, err = mp3.Decode(rc)
	case ".ogg":
		s, format, err = vorbis.Decode(rc)
	default:
		return nil, beep.Format{}, fmt.Errorf("unsupported audio type %q (use %s)", ext, strings.Join(Extensions, ", "))
	}
	if err != nil {
		return nil, beep.Format{}, fmt.Errorf("decode %s: %w", strings.TrimPrefix(ext, "."), err)
	}
	if format.SampleRate <= 0 || format.NumChannels <= 0 {
		s.Close()
		return nil, beep.Format{}, errors.New("decode: no audio in file")
	}
	return s, format, nil
}

// nopCloser lets the decoders, which want a ReadCloser, still see a
// Seeker, so they know the stream's length and can seek.
type nopCloser struct{ io.ReadSeeker }

func (nopCloser) Close() error { return nil }
