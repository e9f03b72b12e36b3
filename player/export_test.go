package player

import (
	"context"
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/limber-audio/limber/cues"
)

// minutesRoutine is a routine file of built-in stretches repeated to last
// about the given number of minutes.
func minutesRoutine(tb testing.TB, minutes int) *Library {
	tb.Helper()
	doc := fmt.Sprintf(`{"version": 1,
  "stretches": {"tilt": {"name": "Tilt", "name_cue": "neck-tilts", "how": ["neck-tilts.how"], "sides": 2,
    "repeats": %d, "steps": [{"say": "neck-tilts.tilt"}, {"hold": 20}, {"rest": 5}]}},
  "routines": {"long": {"name": "Long", "stretches": ["tilt"]}}}`, minutes*60/54)
	lib, err := Load([]byte(doc), "bench.json", cues.Builtin())
	if err != nil {
		tb.Fatal(err)
	}
	return lib
}

func benchmarkExport(b *testing.B, lib *Library, name string) {
	tl, err := Compile(lib, name, cues.NewPack(DefaultRate), Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(tl.Len) * 2) // mono 16-bit output
	start := time.Now()
	for b.Loop() {
		// A fresh voice each time: decoding the clips is part of the cost.
		if err := Export(context.Background(), io.Discard, tl, cues.NewPack(DefaultRate), ExportOptions{}); err != nil {
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
}
