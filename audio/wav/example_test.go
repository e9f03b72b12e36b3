package audio_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/gopxl/beep/v2/generators"
	"github.com/limber-audio/limber/audio"
)

func ExampleWriteWAV() {
	var buf bytes.Buffer
	second := generators.Silence(8000)
	err := audio.WriteWAV(context.Background(), &buf, second, 8000, audio.WAVOptions{
		Rate:     8000,
		Channels: 1,
		Markers:  []audio.Marker{{Pos: 4000, Label: "Halfway"}},
	})
	// 44 bytes of header, 16000 of samples, 36 of cue chunk, 32 of labels.
	fmt.Println(err, buf.Len())
	// Output: <nil> 16112
}

func ExampleOpenMusicCached() {
	dir, err := os.MkdirTemp("", "limber-example")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	// A 3-second bed at 48 kHz, to play at 44.1 kHz.
	song := filepath.Join(dir, "song.wav")
	f, _ := os.Create(song)
	tone, _ := generators.SineTone(48000, 220)
	audio.WriteWAV(context.Background(), f, tone, 3*48000, audio.WAVOptions{Rate: 48000, Channels: 2})
	f.Close()

	cache := &audio.MusicCache{Dir: filepath.Join(dir, "cache")}
	buf := make([][2]float64, 44100)
	for run := range 2 {
		m, err := audio.OpenMusicCached(song, 44100, cache)
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
