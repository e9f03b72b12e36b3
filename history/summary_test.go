package history

import (
	"flag"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the same zones on every machine

	"github.com/limber-audio/limber/internal/testtools"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func zone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// at is a wall-clock time in loc, as "2026-03-29 07:00".
func at(t *testing.T, loc *time.Location, wall string) time.Time {
	t.Helper()
	tm, err := time.ParseInLocation("2006-01-02 15:04", wall, loc)
	if err != nil {
		t.Fatal(err)
	}
	return tm
}

// session is an entry as the file would give it back: its start parsed
// from RFC 3339, so it keeps only the offset.
func session(t *testing.T, start time.Time, minutes float64, finished bool) Entry {
	t.Helper()
	line, err := MarshalLine(Entry{Start: start, Routine: "desk-break", Played: minutes * 60, Planned: 160, Finished: finished})
	if err != nil {
		t.Fatal(err)
	}
	e, err := ParseLine(line[:len(line)-1])
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// TestDays_StreakAndWeek: the streak and the week's days with a fixed
// clock, where days are easy to get wrong: sessions either side of
// midnight, across the changes to and from summer time, and after a
// flight to another time zone. The golden file lists, for each case,
// the day each session was counted on and what came out.
func TestDays_StreakAndWeek(t *testing.T) {
	berlin, newYork := zone(t, "Europe/Berlin"), zone(t, "America/New_York")
	type s struct {
		loc      *time.Location
		wall     string
		minutes  float64
		finished bool
	}
	tests := []struct {
		name     string
		now      time.Time
		sessions []s
	}{
		{"a session crossing midnight counts on the day it began", at(t, berlin, "2026-11-12 00:30"), []s{
			{berlin, "2026-11-10 23:55", 9, true},
			{berlin, "2026-11-11 23:58", 4, false}, // ends after midnight
			{berlin, "2026-11-12 00:01", 1, false}, // today: not enough yet
		}},
		{"today not yet stretched keeps yesterday's streak", at(t, berlin, "2026-11-12 08:00"), []s{
			{berlin, "2026-11-09 07:00", 3, true},
			{berlin, "2026-11-10 07:00", 3, true},
			{berlin, "2026-11-11 23:59", 2.5, false},
		}},
		{"a missed day breaks the streak", at(t, berlin, "2026-11-12 20:00"), []s{
			{berlin, "2026-11-09 07:00", 3, true},
			{berlin, "2026-11-11 07:00", 3, true},
			{berlin, "2026-11-12 07:00", 3, true},
		}},
		{"two minutes in all, or a finished session", at(t, berlin, "2026-11-13 20:00"), []s{
			{berlin, "2026-11-10 07:00", 1, false}, // two short ones: 2 minutes
			{berlin, "2026-11-10 18:00", 1, false},
			{berlin, "2026-11-11 07:00", 1.5, false}, // too little
			{berlin, "2026-11-12 07:00", 0.8, true},  // short, but finished
			{berlin, "2026-11-13 07:00", 1.99, false},
		}},
		{"spring forward: Berlin skips 02:00-03:00 on 29 March", at(t, berlin, "2026-03-30 12:00"), []s{
			{berlin, "2026-03-28 22:00", 5, true},
			{berlin, "2026-03-29 00:30", 1, false}, // +01:00
			{berlin, "2026-03-29 23:30", 1, false}, // +02:00, the same day
			{berlin, "2026-03-30 06:30", 5, true},
		}},
		{"fall back: New York lives 01:00-02:00 twice on 1 November", at(t, newYork, "2026-11-02 00:10"), []s{
			{newYork, "2026-10-31 23:50", 5, true},
			{newYork, "2026-11-01 01:30", 1, false}, // -04:00
			{newYork, "2026-11-01 01:30", 1, false}, // ParseInLocation picks the first; the second is added below
			{newYork, "2026-11-02 00:05", 1, false}, // today, too little yet
		}},
		{"a flight from New York to Berlin: days stay where they were lived", at(t, berlin, "2026-11-10 08:00"), []s{
			{newYork, "2026-11-08 22:00", 5, true}, // Sunday evening there: Monday 04:00 in Berlin
			{newYork, "2026-11-09 06:00", 5, true}, // Monday
			{berlin, "2026-11-09 23:00", 5, true},  // Monday night, after landing
		}},
		{"the week starts on Monday", at(t, berlin, "2026-11-18 09:00"), []s{
			{berlin, "2026-11-15 10:00", 5, true}, // Sunday: last week
			{berlin, "2026-11-16 10:00", 5, true}, // Monday
			{berlin, "2026-11-18 07:00", 5, true}, // Wednesday, today
		}},
	}
	var out strings.Builder
	for _, tt := range tests {
		var entries []Entry
		for _, ss := range tt.sessions {
			entries = append(entries, session(t, at(t, ss.loc, ss.wall), ss.minutes, ss.finished))
		}
		if strings.HasPrefix(tt.name, "fall back") {
			// The second 01:30 of the night, an hour after the first.
			entries[2] = session(t, at(t, newYork, "2026-11-01 01:30").Add(time.Hour), 1, false)
		}
		var ds Days
		for _, e := range entries {
			ds.Add(e)
		}
		today := DayOf(tt.now)
		fmt.Fprintf(&out, "== %s\nnow %s (%s)\n", tt.name, tt.now.Format(time.RFC3339), today.Weekday())
		for _, e := range entries {
			fmt.Fprintf(&out, "  %s  %5.2f min  finished=%-5v  on %s %s\n", e.Start.Format(time.RFC3339), e.Played/60, e.Finished, DayOf(e.Start), DayOf(e.Start).Weekday())
		}
		for d := today - 6; d <= today; d++ {
			if tot := ds.On(d); tot != nil {
				fmt.Fprintf(&out, "  day %s: %5.2f min in %d, counts=%v\n", d, tot.Seconds/60, tot.Sessions, tot.Counts())
			}
		}
		fmt.Fprintf(&out, "streak %d, this week %d (since %s)\n\n", ds.Streak(today), ds.Week(today), today.Monday())
	}
	testtools.Golden(t, filepath.Join("testdata", "streak.golden"), []byte(out.String()), *update)
}

var ansi = regexp.MustCompile("\x1b\\[[0-9;]*m")

// TestCalendar_Golden draws twelve weeks of sessions, in colour and
// plain, and checks that every line fits 80 columns.
func TestCalendar_Golden(t *testing.T) {
	berlin := zone(t, "Europe/Berlin")
	now := at(t, berlin, "2026-11-25 18:00") // a Wednesday
	var ds Days
	today := DayOf(now)
	for i := 0; i < 84; i++ {
		d := today - Day(i)
		// A pattern with every shade: nothing, under 5, 5-10, 10-20, 20+.
		minutes := []float64{0, 3, 7, 12, 25, 0, 9}[(i+i/7)%7] + float64(i%3)
		if minutes == 0 || i%11 == 0 {
			continue
		}
		start := time.Date(d.Time().Year(), d.Time().Month(), d.Time().Day(), 7, 30, 0, 0, berlin)
		ds.Add(session(t, start, minutes, false))
	}
	cal := ds.Calendar(today, 12)
	for _, colour := range []bool{false, true} {
		var b strings.Builder
		if err := cal.Render(&b, colour); err != nil {
			t.Fatal(err)
		}
		name := "calendar-plain.golden"
		if colour {
			name = "calendar-colour.golden"
		}
		testtools.Golden(t, filepath.Join("testdata", name), []byte(b.String()), *update)
		for _, line := range strings.Split(b.String(), "\n") {
			plain := ansi.ReplaceAllString(line, "")
			if n := len([]rune(plain)); n > 80 {
				t.Errorf("%s: line of %d columns: %q", name, n, plain)
			}
			if !colour && strings.ContainsRune(line, '\x1b') {
				t.Errorf("plain calendar holds an escape: %q", line)
			}
		}
	}
}

// TestDays_AreaMinutes: minutes go to every area of a stretch, only
// the last 30 days count, and areas never stretched are listed with 0.
func TestDays_AreaMinutes(t *testing.T) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	areas := map[string][]string{"neck-tilts": {"neck"}, "chair-rotation": {"upper-back", "lower-back"}}
	var ds Days
	for _, e := range []Entry{
		{Start: now.Add(-time.Hour), Routine: "desk-break", Played: 300, Stretches: []Stretch{
			{ID: "neck-tilts", Played: 120, Done: true}, {ID: "chair-rotation", Played: 60, Done: false}, {ID: "gone", Played: 30}}},
		{Start: now.AddDate(0, 0, -29), Routine: "neck-tilts", Played: 60, Stretches: []Stretch{{ID: "neck-tilts", Played: 60, Done: true}}},
		{Start: now.AddDate(0, 0, -30), Routine: "neck-tilts", Played: 60, Stretches: []Stretch{{ID: "neck-tilts", Played: 600, Done: true}}},
	} {
		ds.Add(e)
	}
	got := ds.AreaMinutes(DayOf(now), 30, func(id string) []string { return areas[id] }, []string{"hips", "neck", "upper-back", "lower-back"})
	want := []AreaMinutes{{"neck", 3}, {"lower-back", 1}, {"upper-back", 1}, {"hips", 0}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got %v, want %v", got, want)
	}
}
