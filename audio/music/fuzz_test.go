package music

import (
	"encoding/binary"
	"hash/crc32"
	"os"
	"path/filepath"
	"testing"

	"github.com/limber-audio/limber/internal/testtools"
)

// FuzzMusicEntry: a music cache entry of any bytes is used only when it
// is whole and checks out, and playing it never panics.
func FuzzMusicEntry(f *testing.F) {
	data := []byte("LMBM")
	data = binary.LittleEndian.AppendUint32(data, 44100)
	data = binary.LittleEndian.AppendUint64(data, 2)
	frames := []byte{1, 0, 2, 0, 0xff, 0x7f, 0, 0x80}
	data = append(data, frames...)
	data = binary.LittleEndian.AppendUint32(data, crc32.Checksum(frames, castagnoli))
	f.Add(data)
	f.Add([]byte("LMBM"))
	cache := &Cache{Dir: f.TempDir()}
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(cache.Dir, "x.pcm")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		testtools.AllocBudget(t, 2*uint64(len(data))+256<<10, func() {
			e := cache.open("x.pcm", 44100)
			if e == nil {
				if _, err := os.Stat(path); err == nil {
					t.Fatal("a refused entry was kept")
				}
				return
			}
			defer e.f.Close()
			if entrySize(e.frames) != int64(len(data)) {
				t.Fatalf("took %d bytes as %d frames", len(data), e.frames)
			}
			buf := make([][2]float64, e.frames)
			if _, err := e.read(buf); err != nil {
				t.Fatal(err)
			}
			for _, v := range buf {
				if v[0] < -1.01 || v[0] > 1.01 || v[1] < -1.01 || v[1] > 1.01 {
					t.Fatalf("frame %v out of range", v)
				}
			}
		})
	})
}
