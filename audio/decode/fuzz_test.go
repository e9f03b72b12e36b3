package decode

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/limber-audio/limber/audio"
	"github.com/limber-audio/limber/internal/testtools"
)

// FuzzOpen feeds arbitrary bytes to every decoder limber uses on a
// user's files (recordings, music): a malformed file must give an error,
// never a panic, a hang or an allocation out of proportion to its size.
func FuzzOpen(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("..", "..", "cues", "testdata", "formats", "*"))
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		for k, ext := range Extensions {
			if audio.Ext(file) == ext {
				f.Add(data, uint8(k))
				f.Add(data[:len(data)/3], uint8(k))
			}
		}
	}
	if base, err := os.ReadFile(filepath.Join("..", "..", "cues", "testdata", "formats", "get-ready.ogg")); err == nil {
		// 2³¹−1 comments claimed in a few bytes.
		if data, err := testtools.OggWithComments(base, testtools.VorbisComments("", 1<<31-1)); err == nil {
			f.Add(data, uint8(slices.Index(Extensions, ".ogg")))
		}
	}
	if data, err := os.ReadFile(filepath.Join("testdata", "seektable.flac")); err == nil { // written by flac(1)
		f.Add(data, uint8(slices.Index(Extensions, ".flac")))
	}
	f.Add([]byte("RIFF\x00\x00\x00\x00WAVEfmt \x10\x00\x00\x00\x03\x00\x02\x00\x44\xac\x00\x00\x00\x00\x00\x00\x08\x00\x20\x00data\xff\xff\xff\xff"), uint8(0))
	f.Fuzz(func(t *testing.T, data []byte, kind uint8) {
		ext := Extensions[int(kind)%len(Extensions)]
		done := make(chan uint64, 1)
		go func() {
			// Nothing in a file may make a decoder allocate far beyond its
			// size: headers lie.
			done <- testtools.Allocated(func() {
				s, _, err := Open(bytes.NewReader(data), ext)
				if err != nil {
					return
				}
				defer s.Close()
				buf := make([][2]float64, 512)
				for range 64 {
					if n, ok := s.Stream(buf); n == 0 || !ok {
						break
					}
				}
				s.Seek(s.Len() / 2) // through a seek table, where the file has one
				s.Seek(0)
			})
		}()
		select {
		case got := <-done:
			if budget := 256*uint64(len(data)) + 16<<20; got > budget {
				t.Fatalf("%s decoder allocated %d bytes for a %d-byte file, over %d", ext, got, len(data), budget)
			}
		case <-time.After(2 * time.Second):
			t.Fatalf("%s decoder hangs", ext)
		}
	})
}
