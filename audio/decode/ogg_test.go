package decode

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gopxl/beep/v2/vorbis"

	"github.com/limber-audio/limber/internal/testtools"
)

func readOgg(t *testing.T) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "cues", "testdata", "formats", "get-ready.ogg"))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// decodeAll opens data as Ogg Vorbis and returns every frame, then the
// frames from the middle on, after a seek there.
func decodeAll(t *testing.T, data []byte) (all, fromMiddle [][2]float64) {
	t.Helper()
	s, _, err := Open(bytes.NewReader(data), ".ogg")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	all = testtools.Drain(s, 1000)
	if err := s.Err(); err != nil {
		t.Fatal(err)
	}
	if err := s.Seek(len(all) / 2); err != nil {
		t.Fatal(err)
	}
	return all, testtools.Drain(s, 1000)
}

// TestOgg_CommentsAreSkipped: whatever the comment header holds or
// claims (2³¹−1 comments in a few bytes, a comment of 20 MB), the file
// decodes to the same samples, seeks the same, and the comments cost no
// memory.
func TestOgg_CommentsAreSkipped(t *testing.T) {
	base := readOgg(t)
	raw, _, err := vorbis.Decode(nopCloser{bytes.NewReader(base)})
	if err != nil {
		t.Fatal(err)
	}
	want := testtools.Drain(raw, 1000)
	tests := []struct {
		name     string
		comments []byte
	}{
		{"as encoded", nil},
		{"2³¹−1 comments claimed", testtools.VorbisComments("", 1<<31-1)},
		{"a vendor string claiming 4 GB", []byte("\x03vorbis\xf0\xff\xff\xffabc\x01")},
		{"a comment of 20 MB", testtools.VorbisComments("limber", 1, "TITLE="+strings.Repeat("a", 20<<20))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := base
			if tt.comments != nil {
				if data, err = testtools.OggWithComments(base, tt.comments); err != nil {
					t.Fatal(err)
				}
			}
			var all, middle [][2]float64
			used := testtools.Allocated(func() { all, middle = decodeAll(t, data) })
			if len(all) != len(want) {
				t.Fatalf("%d frames, want %d", len(all), len(want))
			}
			for i := range all {
				if all[i] != want[i] {
					t.Fatalf("frame %d is %v, want %v", i, all[i], want[i])
				}
			}
			if len(middle) != len(all)-len(all)/2 {
				t.Errorf("after a seek to the middle, %d frames, want %d", len(middle), len(all)-len(all)/2)
			}
			if used > 8<<20 {
				t.Errorf("decoding allocated %d MB", used>>20)
			}
		})
	}
}

// TestOgg_MalformedHeaders: headers that cannot be spliced are refused,
// never handed on.
func TestOgg_MalformedHeaders(t *testing.T) {
	base := readOgg(t)
	big, err := testtools.OggWithComments(base, testtools.VorbisComments("", 1, strings.Repeat("a", 1<<20)))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		data []byte
		want string // "" when it opens
	}{
		{"cut inside the comments", big[:len(big)/2], "ogg headers: unexpected EOF"},
		{"a header page damaged", func() []byte {
			d := append([]byte(nil), base...)
			d[bytes.Index(d[4:], []byte("OggS"))+4+40] ^= 0xff // in the second page's data
			return d
		}(), "fails its checksum"},
		{"not Ogg: the decoder says so", []byte("RIFF, not Ogg"), "ogg/vorbis"},
		{"as encoded", base, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _, err := Open(bytes.NewReader(tt.data), ".ogg")
			if tt.want == "" {
				if err != nil {
					t.Fatalf("Open: %v", err)
				}
				s.Close()
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Open: %v, want an error with %q", err, tt.want)
			}
		})
	}
}
