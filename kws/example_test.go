//go:build cgo && linux && !nopocketsphinx

package kws_test

import (
	"encoding/binary"
	"fmt"
	"os"

	"github.com/limber-audio/limber/kws"
)

// A decoder listening for two phrases hears one of them in a recording
// (16-bit mono at 16 kHz, fed a microphone's 20 ms at a time).
func ExampleDecoder() {
	d, err := kws.New(kws.Config{Phrases: []kws.Phrase{
		{Text: "limber next", Threshold: 1e-20},
		{Text: "limber pause", Threshold: 1e-20},
	}})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer d.Close()
	data, err := os.ReadFile("testdata/limber-next.raw")
	if err != nil {
		fmt.Println(err)
		return
	}
	audio := make([]int16, len(data)/2)
	for i := range audio {
		audio[i] = int16(binary.LittleEndian.Uint16(data[2*i:]))
	}
	for i := 0; i < len(audio); i += 320 {
		heard, err := d.Process(audio[i:min(i+320, len(audio))])
		if err != nil {
			fmt.Println(err)
			return
		}
		for _, h := range heard {
			fmt.Printf("heard %q, %.1f s in\n", h.Phrase, float64(h.Start)/kws.SampleRate)
		}
	}
	// Output: heard "limber next", 0.5 s in
}
