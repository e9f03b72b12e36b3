package routine_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/limber-audio/limber/cues"
	"github.com/limber-audio/limber/player/routine"
)

// manyStretches is a routine file of n stretches and a routine of each
// hundredth of them, about 50 bytes a stretch.
func manyStretches(n int) []byte {
	var b strings.Builder
	b.WriteString(`{"version": 1, "stretches": {`)
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, `"s%d": {"name": "S", "steps": [{"hold": 5}]}`, i)
	}
	b.WriteString(`}, "routines": {`)
	for i := 0; i < n; i += 100 {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, `"r%d": {"name": "R", "stretches": ["s%d", "neck-tilts"]}`, i, i)
	}
	b.WriteString("}}")
	return []byte(b.String())
}

// BenchmarkLoad_ManyStretches loads files of 10,000 to 160,000
// stretches over the built-in library: time and memory per stretch stay
// the same as the file grows (they grew with it: lookups went through
// every stretch).
func BenchmarkLoad_ManyStretches(b *testing.B) {
	base, err := routine.LoadBuiltin(cues.Builtin())
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range []int{10_000, 40_000, 160_000} {
		data := manyStretches(n)
		b.Run(fmt.Sprintf("stretches=%d", n), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				lib, err := routine.Load(data, "many.json", base, cues.Builtin())
				if err != nil {
					b.Fatal(err)
				}
				for _, r := range lib.Routines {
					if lib.Stretch(r.Items[0].Stretch) == nil {
						b.Fatal("a routine's stretch is missing")
					}
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/stretch")
		})
	}
}
