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
	"unsafe"

	"github.com/limber-audio/limber/audio"
	"github.com/limber-audio/limber/internal/atomicfile"
	"github.com/limber-audio/limber/internal/input"
)

// clipCacheVersion changes whenever decoding or resampling would give
// other samples, so that old entries are not used.
const clipCacheVersion = "1"

// ClipCache keeps the built-in clips decoded and resampled to the rates
// asked for, so that a later run reads them instead of decoding and
// resampling them again: most of the work of an export. An entry is the
// clip's float32 samples as the pack would make them, then a CRC-32C of
// them; it is named by the clip's id, the MD5 signature its FLAC file
// carries, the rate and clipCacheVersion, so a changed clip never meets
// an old entry. A damaged entry is decoded again and replaced. Entries are
// written whole or not at all. A ClipCache is safe for concurrent use.
type ClipCache struct {
	Dir string
}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

func (c *ClipCache) path(id string, sum [16]byte, rate int) string {
	return filepath.Join(c.Dir, fmt.Sprintf("%s.%s.%d.v%s.f32", id, hex.EncodeToString(sum[:8]), rate, clipCacheVersion))
}

// open returns the cached clip's entry, open for reading, and its length
// in samples; with keep, it returns the samples instead, read into memory,
// and closes the file. ok is false when there is none or it is damaged
// (then removed). The whole entry is checked against its CRC as it is
// read, in pieces (or straight into the kept samples), so opening costs
// one read of the file and no memory that grows with it.
func (c *ClipCache) open(id string, sum [16]byte, rate int, keep bool) (f *os.File, samples []float32, n int, ok bool) {
	path := c.path(id, sum, rate)
	f, err := input.Open(path) // never waits, on a named pipe put there
	if errors.Is(err, input.ErrNotRegular) {
		os.Remove(path)
	}
	if err != nil {
		return nil, nil, 0, false
	}
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() || st.Size() < 8 || st.Size()%4 != 0 || st.Size() > maxClipCacheEntry {
		return c.drop(f, path)
	}
	n = int(st.Size()-4) / 4
	var kept, buf []byte
	if keep {
		samples = make([]float32, n)
		kept = float32Bytes(samples)
	} else {
		buf = make([]byte, 32<<10)
	}
	crc := uint32(0)
	for off := 0; off < 4*n; {
		k := min(32<<10, 4*n-off)
		piece := buf[:min(k, len(buf))]
		if keep {
			piece = kept[off : off+k]
		}
		if _, err := io.ReadFull(f, piece); err != nil {
			return c.drop(f, path)
		}
		crc = crc32.Update(crc, castagnoli, piece)
		off += k
	}
	var tail [4]byte
	if _, err := io.ReadFull(f, tail[:]); err != nil || crc != binary.LittleEndian.Uint32(tail[:]) {
		return c.drop(f, path)
	}
	if !keep {
		return f, nil, n, true
	}
	f.Close()
	fromLittleEndian(samples)
	return nil, samples, n, true
}

// drop closes and removes a damaged entry.
func (c *ClipCache) drop(f *os.File, path string) (*os.File, []float32, int, bool) {
	f.Close()
	os.Remove(path)
	return nil, nil, 0, false
}

// readSamples reads float32 samples stored little-endian at sample off of
// f into dst, straight into dst's memory (no second copy), and returns how
// many it read.
func readSamples(f *os.File, off int, dst []float32) (int, error) {
	if len(dst) == 0 {
		return 0, nil
	}
	n, err := f.ReadAt(float32Bytes(dst), 4*int64(off))
	n /= 4
	fromLittleEndian(dst[:n])
	if err == io.EOF {
		err = nil
	}
	return n, err
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
// rate, as float32.
const maxClipCacheEntry = 4*MaxRecordingSeconds*audio.MaxRate + 4

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
		buf := []byte(nil)
		crc := uint32(0)
		err := produce(func(piece []float32) error {
			buf = buf[:0]
			for _, v := range piece {
				buf = binary.LittleEndian.AppendUint32(buf, math.Float32bits(v))
			}
			crc = crc32.Update(crc, castagnoli, buf)
			_, err := w.Write(buf)
			return err
		})
		if err != nil {
			return err
		}
		_, err = w.Write(binary.LittleEndian.AppendUint32(nil, crc))
		return err
	})
	return err == nil
}
