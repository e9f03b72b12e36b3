package music

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/limber-audio/limber/audio"
	"github.com/limber-audio/limber/audio/decode"
	"github.com/limber-audio/limber/audio/resample"
	"github.com/limber-audio/limber/internal/input"

	"github.com/gopxl/beep/v2"
)

// Loop is a music bed: an audio file played in a loop, at the rate asked
// for, for as long as it is played. One pass of the loop is the file
// decoded, resampled if its rate differs, and rounded to 16 bits; the next
// pass starts afresh. Where the pass comes from depends on the bed:
//
//   - a short bed (a pass of at most memFrames) is decoded once and
//     looped in memory, so a tiny loop costs no more than a long one;
//   - a bed in the music cache (Cache) is read from there, already
//     decoded: no decoding, no resampling, and seeking is instant;
//   - any other bed is decoded as it plays, and a pass decoded from its
//     start to its end is recorded into the cache on the way, for the
//     next time.
//
// The samples are the same whichever way they come. Memory does not grow
// with the file. It implements beep.Streamer and can be seeked. Not safe
// for concurrent use.
type Loop struct {
	path  string
	f     *os.File
	rate  int
	cache *Cache
	key   string

	mem     []int16    // a short bed's pass, stereo interleaved
	entry   *entry     // the cache's copy of the pass
	p       *pass      // the pass being decoded
	rec     *recording // p, recorded into the cache since its start
	pos     int        // frame within the pass
	whole   bool       // p was decoded from its start, never seeked
	passLen int        // frames in a pass, 0 until known
	q       []int16    // a decoded window, rounded, for the recording
	err     error
}

// memFrames is the longest pass held in memory: about 1.5 s at 44.1 kHz,
// 256 KiB.
const memFrames = 1 << 16

// MaxMP3Size is the largest MP3 file Open takes, in bytes: about an hour
// at 192 kbit/s.
const MaxMP3Size = 100 << 20

// Open opens an audio file (one of decode.Extensions) as a music bed at
// rate, through cache: the bed is read from the cache when the cache
// holds it, and recorded into it when a whole pass is decoded. A nil
// cache is none. Open reads the start of the audio, so a file that
// cannot be decoded fails here, before anything plays.
func Open(path string, rate int, cache *Cache) (*Loop, error) {
	f, err := input.Open(path)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			return nil, fmt.Errorf("music: %w", err)
		}
		return nil, fmt.Errorf("music %s: %w", path, err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("music %s: %w", path, err)
	}
	if audio.Ext(path) == ".mp3" && st.Size() > MaxMP3Size {
		f.Close()
		// An MP3 is read whole to learn its length, which takes too long
		// for a file this size.
		return nil, fmt.Errorf("music %s: MP3 larger than %d MiB; convert it to FLAC or Ogg Vorbis", path, MaxMP3Size>>20)
	}
	m := &Loop{path: path, f: f, rate: rate, cache: cache}
	fail := func(err error) (*Loop, error) {
		m.Close()
		return nil, fmt.Errorf("music %s: %w", path, err)
	}
	if cache != nil {
		m.key = cache.key(path, st, rate)
		if m.entry = cache.open(m.key, rate); m.entry != nil {
			m.passLen = m.entry.frames
			return m, nil
		}
	}
	if m.p, err = m.newPass(); err != nil {
		return fail(err)
	}
	if m.p.len <= 0 {
		return fail(errors.New("no audio in file, or its length cannot be told, so it cannot be looped"))
	}
	if m.p.passLen() <= memFrames {
		if err := m.load(); err != nil {
			return fail(err)
		}
		return m, nil
	}
	probe := make([][2]float64, 1024)
	if n, _ := m.p.src.Stream(probe); n == 0 {
		if err := m.p.src.Err(); err != nil {
			return fail(err)
		}
		return fail(errors.New("no audio in file"))
	}
	if m.p, err = m.newPass(); err != nil {
		return fail(err)
	}
	m.whole = true
	m.record()
	return m, nil
}

// scaleFrames converts n frames at rate from to rate to.
func scaleFrames(n, from, to int) int {
	return int(int64(n) * int64(to) / int64(from))
}

// pass is one pass over the file: its decoder, and a resampler over it
// where the rates differ, each run ahead by a goroutine (prefetch).
type pass struct {
	dec    beep.StreamSeekCloser
	format beep.Format
	len    int           // the decoder's length
	src    beep.Streamer // the end of the pipeline
	pre    []*prefetch   // its goroutines, the last first
	rate   int           // the rate asked for
	wav    bool
}

// pipe builds the pipeline from the decoder on: a fresh resampler, as
// after a seek.
// A WAV file is read, not decoded, so only its resampling runs ahead.
func (p *pass) pipe() {
	p.src, p.pre = p.dec, nil
	if !p.wav {
		in := newPrefetch(p.dec)
		p.src, p.pre = in, []*prefetch{in}
	}
	if r := int(p.format.SampleRate); r != p.rate {
		out := newPrefetch(resample.NewStream(p.src, r, p.rate))
		p.src, p.pre = out, append([]*prefetch{out}, p.pre...)
	}
}

// stop ends the pipeline's goroutines: the decoder is free.
func (p *pass) stop() {
	for _, pre := range p.pre {
		pre.Stop()
	}
	p.pre = nil
}

// passLen is how many frames a pass makes, from the decoder's length: an
// estimate until a pass has been decoded to its end.
func (p *pass) passLen() int {
	return scaleFrames(p.len, int(p.format.SampleRate), p.rate)
}

// close stops the pipeline and closes the decoder.
func (p *pass) close() {
	p.stop()
	p.dec.Close()
}

// newPass starts the file over with a new decoder, and a new resampler:
// the pass is the same every time.
func (m *Loop) newPass() (*pass, error) {
	if m.p != nil { // its goroutines read the file: stop them first
		m.p.close()
		m.p = nil
	}
	if _, err := m.f.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	dec, format, err := decode.Open(m.f, audio.Ext(m.path))
	if err != nil {
		return nil, err
	}
	p := &pass{dec: dec, format: format, len: dec.Len(), rate: m.rate, wav: audio.Ext(m.path) == ".wav"}
	p.pipe()
	return p, nil
}

// load decodes a short bed's whole pass into memory.
func (m *Loop) load() error {
	buf := make([][2]float64, 1024)
	q := make([]int16, 2*len(buf))
	for {
		n, ok := m.p.src.Stream(buf)
		m.mem = append(m.mem, round16(buf[:n], q)...)
		if len(m.mem) > 2*memFrames+2*len(buf) {
			return errors.New("longer than its header says")
		}
		if n == 0 || !ok {
			break
		}
	}
	if err := m.p.src.Err(); err != nil {
		return err
	}
	m.p.close()
	m.p = nil
	if len(m.mem) == 0 {
		return errors.New("no audio in file")
	}
	m.passLen = len(m.mem) / 2
	return nil
}

// record starts recording the pass into the cache, if there is one and the
// bed is not too long for it.
func (m *Loop) record() {
	if m.cache != nil && m.pos == 0 && m.rec == nil {
		m.rec = m.cache.record(m.key, m.rate, m.p.passLen())
	}
}

// Stream fills buf with the music; it ends only on an error.
func (m *Loop) Stream(buf [][2]float64) (int, bool) {
	if m.err != nil {
		return 0, false
	}
	n, empty := 0, 0
	for n < len(buf) {
		k, err := m.fill(buf[n:])
		if err != nil {
			m.err = fmt.Errorf("music %s: %w", m.path, err)
			return n, n > 0
		}
		if k == 0 {
			if empty++; empty > 1 { // a whole pass without a frame
				m.err = fmt.Errorf("music %s: no audio", m.path)
				return n, n > 0
			}
			continue
		}
		n, empty = n+k, 0
	}
	return n, true
}

// fill streams from the current pass, and moves to the next pass at its
// end.
func (m *Loop) fill(buf [][2]float64) (int, error) {
	switch {
	case m.mem != nil:
		k := min(len(buf), m.passLen-m.pos)
		for i := range buf[:k] {
			j := 2 * (m.pos + i)
			buf[i] = [2]float64{audio.FromInt16(m.mem[j]), audio.FromInt16(m.mem[j+1])}
		}
		m.advance(k)
		return k, nil
	case m.entry != nil:
		k, err := m.entry.read(buf[:min(len(buf), m.passLen-m.pos)])
		if err != nil {
			return 0, fmt.Errorf("music cache: %w", err)
		}
		m.advance(k)
		if m.pos == 0 {
			return k, m.entry.seek(0)
		}
		return k, nil
	}
	if m.p == nil {
		return 0, errors.New("no decoder")
	}
	k, ok := m.p.src.Stream(buf)
	if cap(m.q) < 2*k {
		m.q = make([]int16, 2*k)
	}
	q := round16(buf[:k], m.q)
	if m.rec != nil {
		m.rec.add(q)
	}
	m.pos += k
	if k > 0 && ok {
		return k, nil
	}
	if err := m.p.src.Err(); err != nil {
		return k, err
	}
	return k, m.nextPass()
}

// advance moves k frames on in a pass of known length, looping.
func (m *Loop) advance(k int) {
	if m.pos += k; m.pos == m.passLen {
		m.pos = 0
	}
}

// nextPass ends a decoded pass: it keeps the recording of it, if there
// is one, and goes on from there, else decodes the file again.
func (m *Loop) nextPass() error {
	if m.whole {
		m.passLen = m.pos
	}
	m.pos, m.whole = 0, true
	if m.rec != nil {
		entry := m.rec.commit()
		m.rec = nil
		if entry != nil {
			m.p.close()
			m.p, m.entry = nil, entry
			return nil
		}
	}
	var err error
	m.p, err = m.newPass()
	return err
}

// CompleteCache decodes the rest of the pass being recorded into the
// music cache, when that rest is no longer than what has been decoded of
// it already (so that finishing it at most doubles the decoding), and
// reports whether the bed is in the cache now. A routine shorter than its
// bed then leaves the bed cached for the next time.
func (m *Loop) CompleteCache() bool {
	if m.entry != nil || m.mem != nil {
		return m.entry != nil
	}
	if m.rec == nil || m.err != nil {
		return false
	}
	if rest := m.p.passLen() - m.pos; rest > m.pos {
		m.rec.discard()
		m.rec = nil
		return false
	}
	buf := make([][2]float64, 4096)
	for m.rec != nil {
		if _, err := m.fill(buf); err != nil {
			m.err = fmt.Errorf("music %s: %w", m.path, err)
			return false
		}
	}
	return m.entry != nil
}

// Err returns the error that stopped the music, if any.
func (m *Loop) Err() error { return m.err }

// Seek moves to frame p of the endless loop, at the output rate.
func (m *Loop) Seek(p int) error {
	if m.rec != nil { // the recording must be of a pass from its start
		m.rec.discard()
		m.rec = nil
	}
	if m.mem == nil && m.entry == nil && m.p == nil { // a pass failed to start
		if m.err == nil {
			m.err = fmt.Errorf("music %s: no decoder", m.path)
		}
		return m.err
	}
	n := m.passLen
	if n == 0 {
		n = max(m.p.passLen(), 1)
	}
	q := p % n
	m.pos = q
	var err error
	switch {
	case m.mem != nil:
	case m.entry != nil:
		err = m.entry.seek(q)
	case q == 0:
		if m.p, err = m.newPass(); err == nil {
			m.whole = true
			m.record()
		}
	default:
		m.whole = false
		m.p.stop()
		if err = m.p.dec.Seek(scaleFrames(q, m.rate, int(m.p.format.SampleRate))); err != nil {
			// A file that cannot find its place: start it over rather than stop.
			m.pos, m.whole = 0, true
			m.p, err = m.newPass()
		} else {
			m.p.pipe()
		}
	}
	if err != nil {
		m.err = fmt.Errorf("music %s: seek: %w", m.path, err)
		return m.err
	}
	return nil
}

// Close releases the file, and drops a recording not finished.
func (m *Loop) Close() error {
	if m.rec != nil {
		m.rec.discard()
	}
	if m.entry != nil {
		m.entry.f.Close()
	}
	if m.p != nil {
		m.p.close()
	}
	return m.f.Close()
}

// round16 rounds frames to 16 bits, in place, as a pass is played, and
// returns them as 16-bit samples too, interleaved, in q (which must hold
// two for each frame).
func round16(frames [][2]float64, q []int16) []int16 {
	q = q[:2*len(frames)]
	for i, v := range frames {
		l, r := audio.ToInt16(v[0]), audio.ToInt16(v[1])
		frames[i] = [2]float64{audio.FromInt16(l), audio.FromInt16(r)}
		q[2*i], q[2*i+1] = l, r
	}
	return q
}
