package cues_test

import (
	"fmt"

	"github.com/limber-audio/limber/cues"
)

func ExamplePack() {
	pack := cues.NewPack(44100)
	n, err := pack.CueLen("switch-sides", 44100) // from the clip index, no decoding
	if err != nil {
		panic(err)
	}
	clip, err := pack.Clip("switch-sides") // decoded and resampled once
	if err != nil {
		panic(err)
	}
	fmt.Println(pack.Text("switch-sides"), len(clip) == n)
	// Output: Switch sides. true
}
