package cues

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/limber-audio/limber/audio/wav"
	"github.com/limber-audio/limber/internal/atomicfile"
	"github.com/limber-audio/limber/internal/input"
)

// pipelineVersion changes whenever Process would make different samples
// from the same engine output, so that old cache entries are not used.
const pipelineVersion = "1"

// Cache keeps the clips voiced from a user's words, one file per engine,
// voice and text, so each sentence is synthesized once. Entries are 16-bit
// mono WAV files at ClipRate (any audio program plays them) with a
// checksum of their samples in a chunk of their own: a damaged entry is
// noticed, removed and voiced again. Entries are written to a temporary
// file and renamed into place, so a reader never sees half of one. A
// Cache is safe for use by several goroutines and processes at once.
type Cache struct {
	Dir string
}

// path returns where the clip of text voiced by the engine with key lives.
func (c *Cache) path(engineKey, text string) string {
	sum := sha256.Sum256([]byte(pipelineVersion + "\x00" + engineKey + "\x00" + text))
	return filepath.Join(c.Dir, hex.EncodeToString(sum[:16])+".wav")
}

// ErrCorrupt marks a cache entry that is not what Put wrote.
var ErrCorrupt = errors.New("damaged cache entry")

// maxCacheEntry bounds what Get reads: MaxPhraseSeconds of 16-bit audio
// at ClipRate, with the header and checksum.
const maxCacheEntry = 44 + 2*MaxPhraseSeconds*ClipRate + 40

// Get returns the cached clip of text voiced by the engine with key, or
// fs.ErrNotExist. An entry that fails its checksum, or that is not a
// regular file (a named pipe, a device), is removed and reported as
// ErrCorrupt; opening one never waits.
func (c *Cache) Get(engineKey, text string) ([]int16, error) {
	path := c.path(engineKey, text)
	f, err := input.Open(path)
	if errors.Is(err, input.ErrNotRegular) {
		os.Remove(path)
		return nil, fmt.Errorf("%s: %w", path, ErrCorrupt)
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxCacheEntry+1))
	if err != nil {
		return nil, err
	}
	samples, err := parseEntry(data)
	if err != nil {
		os.Remove(path)
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return samples, nil
}

// Put stores the clip of text voiced by the engine with key.
func (c *Cache) Put(engineKey, text string, samples []int16) error {
	if err := os.MkdirAll(c.Dir, 0o755); err != nil {
		return fmt.Errorf("voice cache: %w", err)
	}
	// The entry's name is replaced, never followed: a link there cannot
	// send the write out of the cache.
	err := atomicfile.ReplaceFile(c.path(engineKey, text), 0o644, func(w io.Writer) error {
		_, err := w.Write(entry(samples))
		return err
	})
	if err != nil {
		return fmt.Errorf("voice cache: %w", err)
	}
	return nil
}

// entry lays out a cache file: a canonical 44-byte WAV header, the
// samples, then a "lmbr" chunk holding the SHA-256 of the sample bytes.
func entry(samples []int16) []byte {
	data := make([]byte, 2*len(samples))
	for i, v := range samples {
		binary.LittleEndian.PutUint16(data[2*i:], uint16(v))
	}
	sum := sha256.Sum256(data)
	var b bytes.Buffer
	b.Write(wavHeader(len(data), 8+len(sum)))
	b.Write(data)
	b.WriteString("lmbr")
	binary.Write(&b, binary.LittleEndian, uint32(len(sum)))
	b.Write(sum[:])
	return b.Bytes()
}

// parseEntry checks a cache file byte by byte against what entry would
// have written and returns its samples.
func parseEntry(b []byte) ([]int16, error) {
	const trailer = 8 + sha256.Size
	if len(b) < 44+trailer || len(b) > maxCacheEntry || (len(b)-44-trailer)%2 != 0 {
		return nil, ErrCorrupt
	}
	n := len(b) - 44 - trailer
	data := b[44 : 44+n]
	if !bytes.Equal(b[:44], wavHeader(n, trailer)) || string(b[44+n:44+n+8]) != "lmbr\x20\x00\x00\x00" {
		return nil, ErrCorrupt
	}
	if sum := sha256.Sum256(data); !bytes.Equal(sum[:], b[44+n+8:]) || n == 0 {
		return nil, ErrCorrupt
	}
	out := make([]int16, n/2)
	for i := range out {
		out[i] = int16(binary.LittleEndian.Uint16(data[2*i:]))
	}
	return out, nil
}

// WriteClipWAV writes a clip (16-bit at ClipRate, as Process makes) as a
// plain WAV file.
func WriteClipWAV(w io.Writer, clip []int16) error {
	if _, err := w.Write(wavHeader(2*len(clip), 0)); err != nil {
		return err
	}
	return binary.Write(w, binary.LittleEndian, clip)
}

// wavHeader is the header of a 16-bit mono WAV file at ClipRate with
// dataBytes of samples and extra bytes of chunks after them.
func wavHeader(dataBytes, extra int) []byte {
	return wav.Header(ClipRate, 1, int64(dataBytes), int64(extra))
}
