package player

import (
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gopxl/beep/v2"

	"github.com/limber-audio/limber/audio"
	"github.com/limber-audio/limber/audio/music"
	"github.com/limber-audio/limber/audio/wav"
	"github.com/limber-audio/limber/cues"
	"github.com/limber-audio/limber/player/routine"
)

// minutesRoutine is a routine file of built-in stretches repeated to last
// about the given number of minutes.
func minutesRoutine(tb testing.TB, minutes int) *routine.Library {
	tb.Helper()
	doc := fmt.Sprintf(`{"version": 1,
  "stretches": {"tilt": {"name": "Tilt", "name_cue": "neck-tilts", "how": ["neck-tilts.how"], "sides": 2,
    "repeats": %d, "steps": [{"say": "neck-tilts.tilt"}, {"hold": 20}, {"rest": 5}]}},
  "routines": {"long": {"name": "Long", "stretches": ["tilt"]}}}`, minutes*60/54)
	lib, err := routine.Load([]byte(doc), "bench.json", nil, cues.Builtin())
	if err != nil {
		tb.Fatal(err)
	}
	return lib
}

// musicFile writes 30 s of a two-note chord as a 16-bit stereo WAV at
// rate, a stand-in for a song, and returns its path.
func musicFile(b *testing.B, rate int) string {
	b.Helper()
	path := filepath.Join(b.TempDir(), "song.wav")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	i := 0
	chord := beep.StreamerFunc(func(s [][2]float64) (int, bool) {
		for k := range s {
			x := float64(i) / float64(rate)
			v := 0.3*math.Sin(2*math.Pi*220*x) + 0.2*math.Sin(2*math.Pi*330*x)
			s[k] = [2]float64{v, v}
			i++
		}
		return len(s), true
	})
	if err := wav.Write(context.Background(), f, chord, 30*rate, audio.Options{Rate: rate, Channels: 2}); err != nil {
		b.Fatal(err)
	}
	return path
}

func benchmarkExport(b *testing.B, lib *routine.Library, name string, musicPath ...string) {
	tl, err := Compile(lib, name, cues.NewPack(DefaultRate), Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(tl.Len) * 2) // mono 16-bit output
	start := time.Now()
	for b.Loop() {
		// A fresh voice (and music) each time: decoding is part of the cost.
		opts := ExportOptions{}
		if len(musicPath) > 0 {
			m, err := music.Open(musicPath[0], DefaultRate, nil)
			if err != nil {
				b.Fatal(err)
			}
			defer m.Close()
			opts.Music = m
		}
		if err := Export(context.Background(), io.Discard, tl, cues.NewPack(DefaultRate), opts); err != nil {
			b.Fatal(err)
		}
	}
	audio := tl.Seconds(tl.Len) * float64(b.N)
	b.ReportMetric(audio/time.Since(start).Seconds(), "x-realtime")
}

// BenchmarkExport measures a whole export, voice decoding included, to
// io.Discard: the built-in upper-back routine and a synthetic hour.
func BenchmarkExport(b *testing.B) {
	b.Run("upper-back", func(b *testing.B) { benchmarkExport(b, builtin(b), "upper-back") })
	b.Run("60min", func(b *testing.B) { benchmarkExport(b, minutesRoutine(b, 60), "long") })
	b.Run("upper-back+music", func(b *testing.B) { benchmarkExport(b, builtin(b), "upper-back", musicFile(b, DefaultRate)) })
	b.Run("60min+music", func(b *testing.B) { benchmarkExport(b, minutesRoutine(b, 60), "long", musicFile(b, DefaultRate)) })
	b.Run("60min+music48k", func(b *testing.B) { benchmarkExport(b, minutesRoutine(b, 60), "long", musicFile(b, 48000)) })
}

// TestWriteCaptions_Escaped: what a caption says is shown as written:
// markup characters become entities, so players never take a user's
// words for WebVTT tags, and no text can end a cue early.
func TestWriteCaptions_Escaped(t *testing.T) {
	tl := &Timeline{Name: "A --> B", Rate: 1000, Len: 3000, Events: []Event{
		{Start: 0, Len: 1500, Kind: KindCue, Cue: "say.x", Text: "Keep a < b & c <c.x>voice</c> ok."},
		{Start: 1500, Len: 1000, Kind: KindCue, Cue: "say.y", Text: "Then --> this."},
	}}
	var b strings.Builder
	if err := tl.WriteCaptions(&b); err != nil {
		t.Fatal(err)
	}
	want := "WEBVTT - A -> B\n" +
		"\n1\n00:00:00.000 --> 00:00:01.500\nKeep a &lt; b &amp; c &lt;c.x&gt;voice&lt;/c&gt; ok.\n" +
		"\n2\n00:00:01.500 --> 00:00:02.500\nThen --&gt; this.\n"
	if b.String() != want {
		t.Errorf("captions:\n%s\nwant:\n%s", b.String(), want)
	}
}
