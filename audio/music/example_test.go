package music_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/gopxl/beep/v2/generators"

	"github.com/limber-audio/limber/audio"
	"github.com/limber-audio/limber/audio/music"
	"github.com/limber-audio/limber/audio/wav"
)

func ExampleOpen() {
	dir, err := os.MkdirTemp("", "limber-example")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	// A 3-second bed at 48 kHz, to play at 44.1 kHz.
	song := filepath.Join(dir, "song.wav")
	f, _ := os.Create(song)
	tone, _ := generators.SineTone(48000, 220)
	wav.Write(context.Background(), f, tone, 3*48000, audio.Options{Rate: 48000, Channels: 2})
	f.Close()

	cache := &music.Cache{Dir: filepath.Join(dir, "cache")}
	buf := make([][2]float64, 44100)
	for run := range 2 {
		m, err := music.Open(song, 44100, cache)
		if err != nil {
			panic(err)
		}
		for range 4 { // four seconds: past the end of the bed, which loops
			m.Stream(buf)
		}
		m.Close()
		entries, _ := filepath.Glob(filepath.Join(cache.Dir, "*.pcm"))
		fmt.Printf("run %d: %d cached\n", run+1, len(entries))
	}
	// Output:
	// run 1: 1 cached
	// run 2: 1 cached
}
