package history_test

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/limber-audio/limber/history"
)

// A session is appended when it ends; the log read back gives the
// streak and the days of this week.
func Example() {
	dir, _ := os.MkdirTemp("", "limber-history")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, history.FileName)

	berlin := time.FixedZone("CET", 3600)
	for day := 23; day <= 25; day++ {
		history.Append(path, history.Entry{
			Start:   time.Date(2026, 11, day, 7, 30, 0, 0, berlin),
			Routine: "desk-break", Name: "Desk break",
			Planned: 160, Played: 160, Finished: true,
			Stretches: []history.Stretch{{ID: "neck-tilts", Played: 60, Done: true}},
		})
	}

	var days history.Days
	history.Read(path, func(e history.Entry) error { days.Add(e); return nil })
	today := history.DayOf(time.Date(2026, 11, 25, 20, 0, 0, 0, berlin))
	fmt.Println("streak:", days.Streak(today), "days")
	fmt.Println("this week:", days.Week(today), "days since", today.Monday())
	done, _ := history.DoneSince(path, time.Date(2026, 11, 24, 0, 0, 0, 0, berlin))
	fmt.Println("done since Tuesday:", done)
	// Output:
	// streak: 3 days
	// this week: 3 days since 2026-11-23
	// done since Tuesday: [neck-tilts]
}
