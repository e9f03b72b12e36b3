package cues

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/limber-audio/limber/internal/testtools"
)

func FuzzParseCommand(f *testing.F) {
	f.Add(`piper --model '/opt/my voice.onnx' --output_file {out}`)
	f.Add(`say -o {out} "{text}"`)
	f.Add(`tts --text="a \"b\"" {out} 'x`)
	f.Fuzz(func(t *testing.T, template string) {
		testtools.AllocBudget(t, 64*uint64(len(template))+64<<10, func() {
			c, err := ParseCommand(template)
			if err != nil {
				return
			}
			if len(c.args) == 0 || c.Name() == "" {
				t.Fatalf("accepted %q with no program", template)
			}
		})
	})
}

func FuzzCacheEntry(f *testing.F) {
	f.Add(entry([]int16{0, 100, -100, 32767, -32768}))
	f.Add([]byte("RIFF"))
	f.Fuzz(func(t *testing.T, data []byte) {
		testtools.AllocBudget(t, 8*uint64(len(data))+64<<10, func() {
			samples, err := parseEntry(data)
			if err != nil {
				return
			}
			if string(entry(samples)) != string(data) {
				t.Fatal("accepted an entry that entry() would not write")
			}
		})
	})
}

// FuzzParseClipIndex: a malformed clip index is an error, never a panic,
// and what is taken is sane.
func FuzzParseClipIndex(f *testing.F) {
	f.Add(clipIndexText)
	f.Add("a\t1\t22050\t00000000000000000000000000000000\n")
	f.Add("a\t1\t2\n\n")
	f.Fuzz(func(t *testing.T, text string) {
		testtools.AllocBudget(t, 16*uint64(len(text))+64<<10, func() {
			index, err := parseClipIndex(text)
			if err != nil {
				return
			}
			for id, c := range index {
				if c.samples <= 0 || c.rate <= 0 {
					t.Fatalf("took %q: %+v", id, c)
				}
			}
		})
	})
}

// FuzzClipCacheEntry: a clip cache entry of any bytes is used only when
// it is whole and checks out, and reading it never panics.
func FuzzClipCacheEntry(f *testing.F) {
	good := binary.LittleEndian.AppendUint32(nil, math.Float32bits(0.5))
	good = binary.LittleEndian.AppendUint32(good, crc32.Checksum(good, castagnoli))
	good = binary.LittleEndian.AppendUint32(good, 1)
	f.Add(good)
	f.Add([]byte("short"))
	cache := &ClipCache{Dir: f.TempDir()}
	f.Fuzz(func(t *testing.T, data []byte) {
		var sum [16]byte
		path := cache.path("x", sum, 44100)
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		testtools.AllocBudget(t, 2*uint64(len(data))+128<<10, func() {
			for _, keep := range []bool{false, true} {
				os.WriteFile(path, data, 0o644)
				e, kept, ok := cache.open("x", sum, 44100, keep)
				if !ok {
					if _, err := os.Stat(path); err == nil {
						t.Fatal("a refused entry was kept")
					}
					return
				}
				if keep {
					if 4*len(kept)+4*entryBlocks(len(kept))+4 != len(data) {
						t.Fatalf("took %d bytes as %d samples", len(data), len(kept))
					}
					continue
				}
				if 4*e.n+4*entryBlocks(e.n)+4 != len(data) {
					t.Fatalf("took %d bytes as %d samples", len(data), e.n)
				}
				buf := make([]float32, e.n)
				got, err := e.read(0, buf)
				e.close()
				if err != nil || got != e.n {
					t.Fatalf("read %d of %d: %v", got, e.n, err)
				}
			}
		})
	})
}

func FuzzParseLexicon(f *testing.F) {
	f.Add(lexiconText)
	f.Add([]byte("buttock b ah1 . t ax0 k\n# c\n\nx y"))
	f.Fuzz(func(t *testing.T, data []byte) {
		testtools.AllocBudget(t, 64*uint64(len(data))+64<<10, func() {
			entries, err := ParseLexicon(data)
			if err != nil {
				return
			}
			var lines []string
			for _, e := range entries {
				lines = append(lines, e.String())
			}
			again, err := ParseLexicon([]byte(strings.Join(lines, "\n")))
			if err != nil || fmt.Sprint(again) != fmt.Sprint(entries) {
				t.Fatalf("entries do not survive being written out: %v", err)
			}
		})
	})
}
