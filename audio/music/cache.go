package music

import (
	"bufio"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/limber-audio/limber/audio"
	"github.com/limber-audio/limber/internal/atomicfile"
	"github.com/limber-audio/limber/internal/input"
)

// Cache keeps music beds decoded: one pass of each bed at the rate it
// was played at, as 16-bit stereo, so that playing it again costs reading
// a file rather than decoding and resampling one. An entry is named by the
// bed's path, size and modification time and the rate, so a changed file
// never meets an old entry; it holds a header, the samples and a CRC-32C
// of each block of them, is checked before use and is replaced when
// damaged. Each block is checked again as it is played, against the
// checksums read when the entry was opened: an entry changed meanwhile
// is an error, never noise. Entries appear whole or not at all. The cache
// keeps itself under MaxBytes, dropping the entries used longest ago.
type Cache struct {
	Dir string
	// MaxBytes bounds the cache; 0 means DefaultCacheBytes.
	MaxBytes int64
	// ReadOnly uses the entries there are and records none: for live play,
	// where writing a file while the sound card waits could stall it.
	ReadOnly bool
}

// DefaultCacheBytes is the music cache's size when none is set: about
// three hours of beds at 44.1 kHz.
const DefaultCacheBytes = 2 << 30

// maxEntry bounds one entry's samples: a longer bed is played without
// the cache.
const maxEntry = 1 << 30

// cacheVersion changes whenever decoding, resampling or the entry's
// layout would give other bytes.
const cacheVersion = "2"

// entryHeader is an entry's header: "LMBM", the rate (4 bytes) and the
// frames (8 bytes), little-endian.
const entryHeader = 16

// blockFrames is how many frames one checksum of an entry covers: 64 KiB.
const blockFrames = 16384

// blocks is how many blocks n frames make.
func blocks(n int) int { return (n + blockFrames - 1) / blockFrames }

// entrySize is the size of an entry of n frames.
func entrySize(n int) int64 { return entryHeader + 4*int64(n) + 4*int64(blocks(n)) }

// key names the entry of the bed at path, as st describes it, at rate.
func (c *Cache) key(path string, st fs.FileInfo, rate int) string {
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	sum := sha256.Sum256(fmt.Appendf(nil, "%s\x00%d\x00%d\x00%d\x00%s", path, st.Size(), st.ModTime().UnixNano(), rate, cacheVersion))
	return hex.EncodeToString(sum[:16]) + ".pcm"
}

// entry is an open cache entry, read in order and looped.
type entry struct {
	f      *os.File
	path   string
	frames int
	sums   []uint32 // of each block, as read when opened
	raw    []byte   // block at, checked
	at     int      // -1 when none is read
	pos    int      // the next frame
}

// open returns the entry key, checked, or nil when there is none or it is
// damaged (then removed).
func (c *Cache) open(key string, rate int) *entry {
	return c.openEntry(key, rate, true)
}

// openEntry is open; without verify, the samples are not read against
// their checksums (for an entry just written: live play must not stall
// reading it back); they are checked as they are played all the same.
func (c *Cache) openEntry(key string, rate int, verify bool) *entry {
	path := filepath.Join(c.Dir, key)
	f, err := input.Open(path) // never waits, on a named pipe put there
	if errors.Is(err, input.ErrNotRegular) {
		os.Remove(path)
	}
	if err != nil {
		return nil
	}
	drop := func() *entry {
		f.Close()
		os.Remove(path)
		return nil
	}
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() || st.Size() < entrySize(1) || st.Size() > entrySize(maxEntry/4) {
		return drop()
	}
	var head [entryHeader]byte
	if _, err := f.ReadAt(head[:], 0); err != nil || string(head[:4]) != "LMBM" ||
		int(binary.LittleEndian.Uint32(head[4:])) != rate {
		return drop()
	}
	frames := binary.LittleEndian.Uint64(head[8:])
	if frames == 0 || frames > maxEntry/4 || entrySize(int(frames)) != st.Size() {
		return drop()
	}
	e := &entry{f: f, path: path, frames: int(frames), at: -1, raw: make([]byte, 4*blockFrames)}
	table := make([]byte, 4*blocks(e.frames))
	if _, err := f.ReadAt(table, st.Size()-int64(len(table))); err != nil {
		return drop()
	}
	e.sums = make([]uint32, blocks(e.frames))
	for b := range e.sums {
		e.sums[b] = binary.LittleEndian.Uint32(table[4*b:])
	}
	if verify {
		for b := range e.sums {
			if e.load(b) != nil {
				return drop()
			}
		}
	}
	now := time.Now()
	os.Chtimes(path, now, now) // used now: the last to go when the cache is full
	return e
}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// load reads block b into raw and checks it.
func (e *entry) load(b int) error {
	e.at = -1
	raw := e.raw[:4*min(blockFrames, e.frames-b*blockFrames)]
	if _, err := e.f.ReadAt(raw, entryHeader+4*int64(b)*blockFrames); err != nil || crc32.Checksum(raw, castagnoli) != e.sums[b] {
		return fmt.Errorf("%s changed while it was played; play again", e.path)
	}
	e.at = b
	return nil
}

// read fills buf with the next frames of the entry, each block checked as
// it is reached.
func (e *entry) read(buf [][2]float64) (int, error) {
	for i := range buf {
		if e.pos >= e.frames {
			return i, io.ErrUnexpectedEOF
		}
		b := e.pos / blockFrames
		if e.at != b {
			if err := e.load(b); err != nil {
				return i, err
			}
		}
		at := 4 * (e.pos - b*blockFrames)
		f := e.raw[at : at+4 : at+4]
		l := int16(uint16(f[0]) | uint16(f[1])<<8)
		r := int16(uint16(f[2]) | uint16(f[3])<<8)
		buf[i] = [2]float64{audio.FromInt16(l), audio.FromInt16(r)}
		e.pos++
	}
	return len(buf), nil
}

// seek goes to frame q of the entry.
func (e *entry) seek(q int) error {
	if q < 0 || q > e.frames {
		return fmt.Errorf("seek to frame %d of %d", q, e.frames)
	}
	e.pos = q
	return nil
}

// recording is a pass being written into the cache as it is decoded.
type recording struct {
	c      *Cache
	key    string
	rate   int
	tmp    *atomicfile.Temp
	w      *bufio.Writer
	crc    uint32   // of the block being written
	sums   []uint32 // of the blocks written
	buf    []byte
	frames int // recorded
	summed int // frames in sums and crc
	err    error
}

// record starts a recording of entry key, or returns nil when the bed,
// about frames long, is too long for the cache or the cache cannot be
// written (the bed then plays without it).
func (c *Cache) record(key string, rate, frames int) *recording {
	if c.ReadOnly || int64(frames)*4 > min(maxEntry, c.maxBytes()/2) {
		return nil
	}
	if err := os.MkdirAll(c.Dir, 0o755); err != nil {
		return nil
	}
	tmp, err := atomicfile.CreateTemp(c.Dir, 0o644)
	if err != nil {
		return nil
	}
	rec := &recording{c: c, key: key, rate: rate, tmp: tmp, w: bufio.NewWriterSize(tmp.File(), 64<<10), buf: make([]byte, 0, 16<<10)}
	if _, err := rec.w.Write(make([]byte, entryHeader)); err != nil { // filled in at the end
		rec.discard()
		return nil
	}
	return rec
}

func (c *Cache) maxBytes() int64 {
	if c.MaxBytes > 0 {
		return c.MaxBytes
	}
	return DefaultCacheBytes
}

// add records frames, left and right interleaved.
func (r *recording) add(frames []int16) {
	r.frames += len(frames) / 2
	for len(frames) > 0 {
		n := min(len(frames), (16<<10-len(r.buf))/2)
		at := len(r.buf)
		r.buf = r.buf[:at+2*n]
		out := r.buf[at:]
		for i, v := range frames[:n] {
			binary.LittleEndian.PutUint16(out[2*i:], uint16(v))
		}
		frames = frames[n:]
		if len(r.buf) == 16<<10 {
			r.flush()
		}
	}
}

func (r *recording) flush() {
	if r.err == nil {
		for rest := r.buf; len(rest) > 0; {
			k := min(len(rest), 4*(blockFrames-r.summed%blockFrames))
			r.crc = crc32.Update(r.crc, castagnoli, rest[:k])
			rest, r.summed = rest[k:], r.summed+k/4
			if r.summed%blockFrames == 0 {
				r.sums, r.crc = append(r.sums, r.crc), 0
			}
		}
		_, r.err = r.w.Write(r.buf)
		if int64(r.frames)*4 > maxEntry {
			r.err = errors.New("too long for the cache")
		}
	}
	r.buf = r.buf[:0]
}

// commit puts the finished recording in the cache and returns it opened as
// an entry, or nil if it could not be kept.
func (r *recording) commit() *entry {
	r.flush()
	if r.err == nil && r.frames > 0 {
		r.err = r.finish()
	}
	if r.err != nil {
		r.discard()
		return nil
	}
	r.tmp = nil
	r.c.trim(r.key)
	return r.c.openEntry(r.key, r.rate, false)
}

// finish writes the checksums and the header, and links the file in.
func (r *recording) finish() error {
	if r.summed%blockFrames != 0 {
		r.sums = append(r.sums, r.crc)
	}
	table := make([]byte, 0, 4*len(r.sums))
	for _, s := range r.sums {
		table = binary.LittleEndian.AppendUint32(table, s)
	}
	if _, err := r.w.Write(table); err != nil {
		return err
	}
	if err := r.w.Flush(); err != nil {
		return err
	}
	head := make([]byte, 0, entryHeader)
	head = append(head, "LMBM"...)
	head = binary.LittleEndian.AppendUint32(head, uint32(r.rate))
	head = binary.LittleEndian.AppendUint64(head, uint64(r.frames))
	if _, err := r.tmp.File().WriteAt(head, 0); err != nil {
		return err
	}
	return r.tmp.Replace(filepath.Join(r.c.Dir, r.key))
}

// discard drops the recording.
func (r *recording) discard() {
	if r.tmp == nil {
		return
	}
	r.tmp.Discard()
	r.tmp = nil
}

// trim removes the entries used longest ago, other than keep, until the
// cache is under its size.
func (c *Cache) trim(keep string) {
	entries, err := os.ReadDir(c.Dir)
	if err != nil {
		return
	}
	type file struct {
		name string
		size int64
		used time.Time
	}
	var files []file
	var total int64
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".pcm") {
			continue
		}
		if info, err := e.Info(); err == nil && info.Mode().IsRegular() {
			files = append(files, file{e.Name(), info.Size(), info.ModTime()})
			total += info.Size()
		}
	}
	slices.SortFunc(files, func(a, b file) int { return a.used.Compare(b.used) })
	for _, f := range files {
		if total <= c.maxBytes() {
			break
		}
		if f.name != keep && os.Remove(filepath.Join(c.Dir, f.name)) == nil {
			total -= f.size
		}
	}
}
