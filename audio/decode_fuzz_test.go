package audio

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// FuzzOpen feeds arbitrary bytes to every decoder limber uses on a
// user's files (recordings, music): a malformed file must give an error,
// never a panic or a hang.
func FuzzOpen(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("..", "cues", "testdata", "formats", "*"))
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		for k, ext := range Extensions {
			if Ext(file) == ext {
				f.Add(data, uint8(k))
				f.Add(data[:len(data)/3], uint8(k))
			}
		}
	}
	f.Add([]byte("RIFF\x00\x00\x00\x00WAVEfmt \x10\x00\x00\x00\x03\x00\x02\x00\x44\xac\x00\x00\x00\x00\x00\x00\x08\x00\x20\x00data\xff\xff\xff\xff"), uint8(0))
	f.Fuzz(func(t *testing.T, data []byte, kind uint8) {
		ext := Extensions[int(kind)%len(Extensions)]
		done := make(chan struct{})
		go func() {
			defer close(done)
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
			s.Seek(0)
		}()
		select {
		case <-done:
		case <-time.After(2 * time.Second):
			t.Fatalf("%s decoder hangs", ext)
		}
	})
}
