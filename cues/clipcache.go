package cues

import (
	"context"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"os"
	"path/filepath"

	"github.com/limber-audio/limber/audio"
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

// DefaultClipCacheDir is the clip cache's folder under the user's cache
// directory.
func DefaultClipCacheDir() (string, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "limber", "clips"), nil
}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// flacMD5 returns the MD5 signature of a FLAC file's audio, from its
// STREAMINFO block.
func flacMD5(data []byte) ([16]byte, bool) {
	var sum [16]byte
	if len(data) < 8+34 || string(data[:4]) != "fLaC" {
		return sum, false
	}
	copy(sum[:], data[8+18:8+34])
	return sum, sum != [16]byte{}
}

func (c *ClipCache) path(id string, sum [16]byte, rate int) string {
	return filepath.Join(c.Dir, fmt.Sprintf("%s.%s.%d.v%s.f32", id, hex.EncodeToString(sum[:8]), rate, clipCacheVersion))
}

// get returns the cached clip, or nil when there is none or it is damaged
// (then removed). The file is read in pieces straight into the samples,
// so a clip never takes twice its size in memory.
func (c *ClipCache) get(id string, sum [16]byte, rate int) []float32 {
	path := c.path(id, sum, rate)
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil || st.Size() < 4 || (st.Size()-4)%4 != 0 || st.Size() > maxClipCacheEntry {
		os.Remove(path)
		return nil
	}
	out := make([]float32, (st.Size()-4)/4)
	crc := uint32(0)
	buf := make([]byte, 64<<10)
	for i := 0; i < len(out); {
		n := min(len(buf), 4*(len(out)-i))
		if _, err := io.ReadFull(f, buf[:n]); err != nil {
			os.Remove(path)
			return nil
		}
		crc = crc32.Update(crc, castagnoli, buf[:n])
		for j := 0; j < n; j += 4 {
			out[i] = math.Float32frombits(binary.LittleEndian.Uint32(buf[j:]))
			i++
		}
	}
	var tail [4]byte
	if _, err := io.ReadFull(f, tail[:]); err != nil || crc != binary.LittleEndian.Uint32(tail[:]) {
		os.Remove(path)
		return nil
	}
	return out
}

// maxClipCacheEntry bounds an entry: MaxRecordingSeconds at the highest
// rate, as float32.
const maxClipCacheEntry = 4*MaxRecordingSeconds*audio.MaxRate + 4

// put stores a clip; a cache that cannot be written only means decoding
// again next time.
func (c *ClipCache) put(id string, sum [16]byte, rate int, samples []float32) {
	if err := os.MkdirAll(c.Dir, 0o755); err != nil {
		return
	}
	audio.WriteFile(context.Background(), c.path(id, sum, rate), true, func(w io.Writer) error {
		buf := make([]byte, 0, 4*len(samples)+4)
		for _, v := range samples {
			buf = binary.LittleEndian.AppendUint32(buf, math.Float32bits(v))
		}
		buf = binary.LittleEndian.AppendUint32(buf, crc32.Checksum(buf, castagnoli))
		_, err := w.Write(buf)
		return err
	})
}
