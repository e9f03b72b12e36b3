package wav

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"

	"github.com/gopxl/beep/v2"
)

// limber reads WAV files itself: 8-, 16-, 24- and 32-bit integer PCM and
// 32-bit float, plain or as WAVE_FORMAT_EXTENSIBLE. beep's WAV decoder
// reads no 32-bit files (what sox and many editors write by default),
// allocates on every call, which shows in a long export with a music bed,
// and trusts header sizes (a fuzzed header makes it allocate gigabytes or
// panic).

const (
	formatPCM        = 1
	formatFloat      = 3
	formatExtensible = 0xFFFE
)

// decoder streams a WAV file of 8-, 16-, 24- or 32-bit samples, integer
// or (32-bit) float.
type decoder struct {
	r        io.ReadSeeker
	isFloat  bool
	width    int   // bytes per sample
	dataAt   int64 // offset of the first frame
	frames   int
	channels int
	pos      int
	buf      []byte
	err      error
}

// errNotWAV is returned for a file without a RIFF WAVE header.
var errNotWAV = errors.New("not a WAV file")

// errShortHeader is a file that ends before its audio starts.
var errShortHeader = errors.New("header cut short: the file ends before its audio")

// Decode reads the header of a WAV file from r and returns a stream of
// its samples (a beep.StreamSeekCloser; closing it does not close r).
// The header's sizes are claims: nothing is allocated from them, and a
// file that holds fewer frames than its header says ends where its data
// does.
func Decode(r io.ReadSeeker) (beep.StreamSeekCloser, beep.Format, error) {
	var head [12]byte
	if _, err := io.ReadFull(r, head[:]); err != nil || string(head[:4]) != "RIFF" || string(head[8:]) != "WAVE" {
		return nil, beep.Format{}, errNotWAV
	}
	var rate, channels, bits, tag int
	for {
		var ch [8]byte
		if _, err := io.ReadFull(r, ch[:]); err != nil {
			return nil, beep.Format{}, readError(err)
		}
		size := int64(binary.LittleEndian.Uint32(ch[4:]))
		switch string(ch[:4]) {
		case "fmt ":
			if size < 16 || size > 1024 { // a real fmt chunk is 16 to 40 bytes
				return nil, beep.Format{}, fmt.Errorf("damaged header: a fmt chunk of %d bytes", size)
			}
			f := make([]byte, size+size%2) // chunks are word-aligned
			if _, err := io.ReadFull(r, f); err != nil {
				return nil, beep.Format{}, readError(err)
			}
			tag = int(binary.LittleEndian.Uint16(f[0:]))
			channels = int(binary.LittleEndian.Uint16(f[2:]))
			rate = int(binary.LittleEndian.Uint32(f[4:]))
			bits = int(binary.LittleEndian.Uint16(f[14:]))
			if tag == formatExtensible && size >= 26 {
				tag = int(binary.LittleEndian.Uint16(f[24:])) // the sub-format's first two bytes
			}
			if !(tag == formatFloat && bits == 32 || tag == formatPCM && (bits == 8 || bits == 16 || bits == 24 || bits == 32)) {
				return nil, beep.Format{}, errors.New("unsupported WAV encoding: limber reads 8-, 16-, 24- and 32-bit PCM and 32-bit float")
			}
		case "data":
			if bits == 0 {
				return nil, beep.Format{}, errors.New("damaged header: audio before its format (no fmt chunk)")
			}
			if channels < 1 || channels > 2 || rate <= 0 || rate > 1000000 {
				return nil, beep.Format{}, fmt.Errorf("WAV with %d channels at %d Hz; limber reads mono or stereo", channels, rate)
			}
			at, err := r.Seek(0, io.SeekCurrent)
			if err != nil {
				return nil, beep.Format{}, err
			}
			// The header's size is a claim: the file may hold less.
			end, err := r.Seek(0, io.SeekEnd)
			if err != nil {
				return nil, beep.Format{}, err
			}
			if _, err := r.Seek(at, io.SeekStart); err != nil {
				return nil, beep.Format{}, err
			}
			size = min(size, end-at)
			w := bits / 8
			s := &decoder{r: r, isFloat: tag == formatFloat, width: w, dataAt: at, frames: int(size) / (w * channels), channels: channels}
			return s, beep.Format{SampleRate: beep.SampleRate(rate), NumChannels: channels, Precision: w}, nil
		default:
			if _, err := r.Seek(size+size%2, io.SeekCurrent); err != nil {
				return nil, beep.Format{}, err
			}
		}
	}
}

// readError is the error for a header that could not be read whole.
func readError(err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return errShortHeader
	}
	return err
}

func (s *decoder) Stream(samples [][2]float64) (int, bool) {
	if s.err != nil || s.pos >= s.frames {
		return 0, false
	}
	n := min(len(samples), s.frames-s.pos)
	width := s.width * s.channels
	if cap(s.buf) < n*width {
		s.buf = make([]byte, n*width)
	}
	b := s.buf[:n*width]
	got, err := io.ReadFull(s.r, b)
	n = got / width
	for i := range n {
		l := s.sample(b[i*width:])
		r := l
		if s.channels == 2 {
			r = s.sample(b[i*width+s.width:])
		}
		samples[i] = [2]float64{l, r}
	}
	s.pos += n
	if err != nil {
		if !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
			s.err = err
		}
		s.frames = s.pos // a short file ends where its data does
	}
	return n, n > 0
}

func (s *decoder) sample(b []byte) float64 {
	switch {
	case s.width == 1:
		return float64(int(b[0])-128) / 128
	case s.width == 2:
		return float64(int16(binary.LittleEndian.Uint16(b))) / (1 << 15)
	case s.width == 3:
		return float64(int32(uint32(b[0])<<8|uint32(b[1])<<16|uint32(b[2])<<24)) / (1 << 31)
	case s.isFloat:
		return float64(math.Float32frombits(binary.LittleEndian.Uint32(b)))
	}
	return float64(int32(binary.LittleEndian.Uint32(b))) / (1 << 31)
}

func (s *decoder) Err() error    { return s.err }
func (s *decoder) Len() int      { return s.frames }
func (s *decoder) Position() int { return s.pos }
func (s *decoder) Close() error  { return nil }

func (s *decoder) Seek(p int) error {
	if p < 0 || p > s.frames {
		return fmt.Errorf("seek to frame %d outside [0, %d]", p, s.frames)
	}
	if _, err := s.r.Seek(s.dataAt+int64(p*s.width*s.channels), io.SeekStart); err != nil {
		return err
	}
	s.pos = p
	return nil
}
