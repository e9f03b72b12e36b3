package history

import (
	"bufio"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// FiveYears writes a log of five years of sessions to path: two a day
// (a full routine of six stretches in the morning, a desk break of two
// in the afternoon), every day, about 3,650 lines and 1.6 MB.
func writeFiveYears(tb testing.TB, path string) {
	tb.Helper()
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	w := bufio.NewWriter(f)
	start := time.Date(2021, 11, 25, 7, 30, 0, 0, time.FixedZone("", 3600))
	morning := []string{"childs-pose", "neck-rotations", "neck-tilts", "butterfly-wings", "chair-rotation", "arm-slides"}
	for d := range 5 * 365 {
		day := start.AddDate(0, 0, d)
		e := Entry{Start: day, Routine: "upper-back", Name: "Upper back", Planned: 550.2, Played: 550.2, Finished: true}
		for _, id := range morning {
			e.Stretches = append(e.Stretches, Stretch{ID: id, Played: 80.5, Done: true})
		}
		line, _ := MarshalLine(e)
		w.Write(line)
		e = Entry{Start: day.Add(7 * time.Hour), Routine: "desk-break", Name: "Desk break", Planned: 160, Played: 95.3,
			Stretches: []Stretch{{ID: "neck-tilts", Played: 60, Done: true}, {ID: "chair-rotation", Played: 20.1}}}
		line, _ = MarshalLine(e)
		w.Write(line)
	}
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	f.Close()
}

// BenchmarkRead_FiveYears reads five years of log and sums it by day,
// what limber log does before it prints.
func BenchmarkRead_FiveYears(b *testing.B) {
	path := filepath.Join(b.TempDir(), FileName)
	writeFiveYears(b, path)
	st, _ := os.Stat(path)
	b.SetBytes(st.Size())
	b.ReportAllocs()
	for b.Loop() {
		var ds Days
		if _, err := Read(path, func(e Entry) error { ds.Add(e); return nil }); err != nil {
			b.Fatal(err)
		}
		today := DayOf(time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC))
		ds.Streak(today)
		ds.Calendar(today, 12)
	}
}
