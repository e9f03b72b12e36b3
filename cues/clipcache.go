package cues

import (
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"os"
	"path/filepath"
	"sync"
	"unsafe"

	"github.com/limber-audio/limber/audio"
	"github.com/limber-audio/limber/internal/atomicfile"
	"github.com/limber-audio/limber/internal/input"
)

// clipCacheVersion changes whenever decoding or resampling would give
// other samples, or the entry's layout changes, so that old entries are
// not used.
const clipCacheVersion = "2"

// ClipCache keeps the built-in clips decoded and resampled to the rates
// asked for, so that a later run reads them instead of decoding and
// resampling them again: most of the work of an export. An entry is the
// clip's float32 samples as the pack would make them, a CRC-32C of each
// block of entryBlock samples, then the number of samples; it is named
// by the clip's id, the MD5 signature its FLAC file carries, the rate and
// clipCacheVersion, so a changed clip never meets an old entry. A damaged
// entry is decoded again and replaced. Entries are written whole or not
// at all, and every block is checked again as it is read, so an entry
// changed while a pack reads it is an error, never noise or silence. A
// ClipCache is safe for concurrent use.
type ClipCache struct {
	Dir string
}

// entryBlock is how many samples one checksum of an entry covers: 16 KiB.
const entryBlock = 4096

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

func (c *ClipCache) path(id string, sum [16]byte, rate int) string {
	return filepath.Join(c.Dir, fmt.Sprintf("%s.%s.%d.v%s.f32", id, hex.EncodeToString(sum[:8]), rate, clipCacheVersion))
}

// entryBlocks is how many blocks n samples make.
func entryBlocks(n int) int { return (n + entryBlock - 1) / entryBlock }

// cacheEntry is an entry open for reading: its checksums, checked when it
// was opened and kept, and the block read last.
type cacheEntry struct {
	f    *os.File
	path string
	n    int
	sums []uint32

	mu    sync.Mutex
	block []float32 // block at, checked
	at    int       // -1 before the first read
}

// open returns the cached clip's entry, open for reading; with keep, it
// returns the samples instead, read into memory, and closes the file. ok
// is false when there is none or it is damaged (then removed). The whole
// entry is checked as it is read, in pieces (or straight into the kept
// samples), so opening costs one read of the file and no memory that
// grows with it.
func (c *ClipCache) open(id string, sum [16]byte, rate int, keep bool) (e *cacheEntry, samples []float32, ok bool) {
	path := c.path(id, sum, rate)
	f, err := input.Open(path) // never waits, on a named pipe put there
	if errors.Is(err, input.ErrNotRegular) {
		os.Remove(path)
	}
	if err != nil {
		return nil, nil, false
	}
	drop := func() (*cacheEntry, []float32, bool) {
		f.Close()
		os.Remove(path)
		return nil, nil, false
	}
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() || st.Size() < 12 || st.Size()%4 != 0 || st.Size() > maxClipCacheEntry {
		return drop()
	}
	var tail [4]byte
	if _, err := f.ReadAt(tail[:], st.Size()-4); err != nil {
		return drop()
	}
	n := int(binary.LittleEndian.Uint32(tail[:]))
	if n == 0 || int64(n) > st.Size() || int64(4*n+4*entryBlocks(n)+4) != st.Size() {
		return drop()
	}
	e = &cacheEntry{f: f, path: path, n: n, at: -1}
	var kept []byte
	if keep {
		samples = make([]float32, n)
		kept = float32Bytes(samples)
	} else {
		e.block = make([]float32, entryBlock)
	}
	sums := make([]uint32, entryBlocks(n))
	for b := range sums {
		k := 4 * min(entryBlock, n-b*entryBlock)
		piece := float32Bytes(e.block)[:min(k, 4*len(e.block))]
		if keep {
			piece = kept[4*b*entryBlock : 4*b*entryBlock+k]
		}
		if _, err := io.ReadFull(f, piece); err != nil {
			return drop()
		}
		sums[b] = crc32.Checksum(piece, castagnoli)
	}
	stored := make([]byte, 4*len(sums))
	if _, err := io.ReadFull(f, stored); err != nil {
		return drop()
	}
	for b, s := range sums {
		if binary.LittleEndian.Uint32(stored[4*b:]) != s {
			return drop()
		}
	}
	if !keep {
		e.sums = sums
		return e, nil, true
	}
	f.Close()
	fromLittleEndian(samples)
	return nil, samples, true
}

// close closes the entry's file.
func (e *cacheEntry) close() error { return e.f.Close() }

// read copies the entry's samples from off on into dst, a block at a
// time, each checked against the checksum the entry had when opened: an
// entry changed or cut since is an error.
func (e *cacheEntry) read(off int, dst []float32) (int, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	total := 0
	for len(dst) > 0 && off < e.n {
		b := off / entryBlock
		if e.at != b {
			if err := e.load(b); err != nil {
				return total, err
			}
		}
		k := copy(dst, e.block[off-b*entryBlock:])
		dst, off, total = dst[k:], off+k, total+k
	}
	return total, nil
}

// load reads block b and checks it.
func (e *cacheEntry) load(b int) error {
	e.at = -1
	size := min(entryBlock, e.n-b*entryBlock)
	e.block = e.block[:size]
	raw := float32Bytes(e.block)
	if _, err := e.f.ReadAt(raw, 4*int64(b*entryBlock)); err != nil && !errors.Is(err, io.EOF) || crc32.Checksum(raw, castagnoli) != e.sums[b] {
		return fmt.Errorf("%s changed while it was read; run again", e.path)
	}
	fromLittleEndian(e.block)
	e.at = b
	return nil
}

// float32Bytes is x's memory as bytes.
func float32Bytes(x []float32) []byte {
	return unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(x))), 4*len(x))
}

// fromLittleEndian turns samples read as little-endian bytes into this
// machine's floats: nothing to do on a little-endian machine.
func fromLittleEndian(x []float32) {
	if littleEndian {
		return
	}
	b := float32Bytes(x)
	for i := range x {
		x[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
	}
}

// littleEndian reports whether this machine stores numbers as the cache
// does, so that samples read need no conversion.
var littleEndian = func() bool {
	x := uint16(1)
	return *(*byte)(unsafe.Pointer(&x)) == 1
}()

// maxClipCacheEntry bounds an entry: MaxRecordingSeconds at the highest
// rate, as float32, with its checksums.
const maxClipCacheEntry = 4*MaxRecordingSeconds*audio.MaxRate*(entryBlock+1)/entryBlock + 8

// putStream stores a clip whose samples produce gives a piece at a time, so
// that the whole clip is never in memory. It reports whether the entry
// was written.
func (c *ClipCache) putStream(id string, sum [16]byte, rate int, produce func(emit func([]float32) error) error) bool {
	if err := os.MkdirAll(c.Dir, 0o755); err != nil {
		return false
	}
	// The entry's name is replaced, never followed: a link there cannot
	// send the write out of the cache.
	err := atomicfile.ReplaceFile(c.path(id, sum, rate), 0o644, func(w io.Writer) error {
		var (
			buf  []byte
			sums []byte
			crc  uint32
			n    int // samples written
		)
		err := produce(func(piece []float32) error {
			buf = buf[:0]
			for _, v := range piece {
				buf = binary.LittleEndian.AppendUint32(buf, math.Float32bits(v))
			}
			for rest := buf; len(rest) > 0; {
				k := min(len(rest), 4*(entryBlock-n%entryBlock))
				crc = crc32.Update(crc, castagnoli, rest[:k])
				rest, n = rest[k:], n+k/4
				if n%entryBlock == 0 {
					sums, crc = binary.LittleEndian.AppendUint32(sums, crc), 0
				}
			}
			_, err := w.Write(buf)
			return err
		})
		if err != nil {
			return err
		}
		if n == 0 || int64(n) > maxClipCacheEntry/4 {
			return errors.New("no samples, or too many")
		}
		if n%entryBlock != 0 {
			sums = binary.LittleEndian.AppendUint32(sums, crc)
		}
		_, err = w.Write(binary.LittleEndian.AppendUint32(sums, uint32(n)))
		return err
	})
	return err == nil
}
