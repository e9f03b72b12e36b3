package wav_test

import (
	"bytes"
	"context"
	"fmt"

	"github.com/gopxl/beep/v2/generators"
	"github.com/limber-audio/limber/audio"
	"github.com/limber-audio/limber/audio/wav"
)

func ExampleWrite() {
	var buf bytes.Buffer
	second := generators.Silence(8000)
	err := wav.Write(context.Background(), &buf, second, 8000, audio.Options{
		Rate:     8000,
		Channels: 1,
		Markers:  []audio.Marker{{Pos: 4000, Label: "Halfway"}},
	})
	// 44 bytes of header, 16000 of samples, 36 of cue chunk, 32 of labels.
	fmt.Println(err, buf.Len())
	// Output: <nil> 16112
}
