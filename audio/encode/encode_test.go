package encode

import (
	"bytes"
	"context"
	"testing"

	"github.com/limber-audio/limber/audio"
	"github.com/limber-audio/limber/audio/decode"
	"github.com/limber-audio/limber/internal/testtools"
)

// TestFormats: every format is found by its name and its extension, and
// what it writes decodes back to the same length and rate.
func TestFormats(t *testing.T) {
	x := make([][2]float64, 5000)
	for i := range x {
		x[i] = [2]float64{float64(i%100) / 200, 0}
	}
	for _, name := range Names() {
		f, err := Lookup(name)
		if err != nil {
			t.Fatal(err)
		}
		if g, ok := ForExt(f.Ext); !ok || g.Name != name {
			t.Errorf("%s: extension %s chooses %q", name, f.Ext, g.Name)
		}
		var buf bytes.Buffer
		if err := f.Write(context.Background(), &buf, &testtools.Frames{X: x}, len(x), audio.Options{Rate: 8000, Channels: 1}); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		s, format, err := decode.Open(bytes.NewReader(buf.Bytes()), f.Ext)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if s.Len() != len(x) || format.SampleRate != 8000 {
			t.Errorf("%s: %d frames at %d Hz", name, s.Len(), format.SampleRate)
		}
	}
	if Default().Name != "wav" {
		t.Errorf("default %s, want wav", Default().Name)
	}
	if _, err := Lookup("mp3"); err == nil || err.Error() != `format must be wav or flac, got "mp3"` {
		t.Errorf("Lookup(mp3): %v", err)
	}
}
