package history

import (
	"cmp"
	"slices"
	"time"
)

// CountsSeconds is how much stretching in one day makes it count toward
// a streak and the week when no session of the day finished: 2 minutes.
const CountsSeconds = 120

// Day is a calendar date, counted in days from 1970-01-01. It has no
// time zone: it is the date a clock showed.
type Day int

// DayOf returns the date t shows in its own location.
func DayOf(t time.Time) Day {
	y, m, d := t.Date()
	return Day(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// Time returns the day's midnight in UTC, for formatting.
func (d Day) Time() time.Time { return time.Unix(int64(d)*86400, 0).UTC() }

// String returns the date as 2006-01-02.
func (d Day) String() string { return d.Time().Format(time.DateOnly) }

// Weekday returns the day of the week.
func (d Day) Weekday() time.Weekday { return d.Time().Weekday() }

// Monday returns the Monday of d's week: weeks start on Monday (ISO 8601).
func (d Day) Monday() Day { return d - Day((d.Weekday()+6)%7) }

// Total is the stretching of one day.
type Total struct {
	Seconds  float64 // played, in all the day's sessions
	Sessions int
	Finished bool // a session of the day played to its end
	// Stretches holds the seconds of each stretch played that day.
	Stretches map[string]float64
}

// Counts reports whether the day counts toward the streak and the week:
// a session finished, or CountsSeconds in all.
func (t *Total) Counts() bool { return t != nil && (t.Finished || t.Seconds >= CountsSeconds) }

// Days is the log summed by day: add every entry, then ask. The zero
// value is empty and ready.
type Days struct {
	m map[Day]*Total
}

// Add counts e on the day it started, as the clock read where it did.
func (ds *Days) Add(e Entry) {
	if ds.m == nil {
		ds.m = map[Day]*Total{}
	}
	d := DayOf(e.Start)
	t := ds.m[d]
	if t == nil {
		t = &Total{}
		ds.m[d] = t
	}
	t.Seconds += e.Played
	t.Sessions++
	t.Finished = t.Finished || e.Finished
	for _, s := range e.Stretches {
		if t.Stretches == nil {
			t.Stretches = map[string]float64{}
		}
		t.Stretches[s.ID] += s.Played
	}
}

// On returns the day's total; nil when nothing was played that day.
func (ds *Days) On(d Day) *Total { return ds.m[d] }

// Streak returns the days in a row that count, ending today, or ending
// yesterday while today has not counted yet (a streak is not broken
// before the day is over).
func (ds *Days) Streak(today Day) int {
	d := today
	if !ds.On(d).Counts() {
		d--
	}
	n := 0
	for ; ds.On(d).Counts(); d-- {
		n++
	}
	return n
}

// Week returns the days that count in today's week, from its Monday to
// today.
func (ds *Days) Week(today Day) int {
	n := 0
	for d := today.Monday(); d <= today; d++ {
		if ds.On(d).Counts() {
			n++
		}
	}
	return n
}

// Calendar is the minutes of each day over whole weeks, Monday first,
// ending with today's week.
type Calendar struct {
	First Day // the Monday of the first week
	Today Day
	// Minutes holds each week's days, Monday first; days after today
	// are 0.
	Minutes [][7]float64
	// Counts says which days count toward the streak.
	Counts [][7]bool
}

// Calendar returns the last weeks weeks, today's the last.
func (ds *Days) Calendar(today Day, weeks int) Calendar {
	c := Calendar{First: today.Monday() - Day(7*(weeks-1)), Today: today}
	c.Minutes = make([][7]float64, weeks)
	c.Counts = make([][7]bool, weeks)
	for w := range weeks {
		for i := range 7 {
			d := c.First + Day(7*w+i)
			if t := ds.On(d); t != nil && d <= today {
				c.Minutes[w][i] = t.Seconds / 60
				c.Counts[w][i] = t.Counts()
			}
		}
	}
	return c
}

// AreaMinutes is the stretching given to one body area.
type AreaMinutes struct {
	Area    string
	Minutes float64
}

// AreaMinutes sums the minutes of each body area over the days days
// ending today: a stretch's minutes go to every area areasOf gives for
// it. Every area of all (those the library knows) is listed, the ones
// never stretched with 0 minutes, so what is neglected shows; the most
// stretched come first.
func (ds *Days) AreaMinutes(today Day, days int, areasOf func(stretch string) []string, all []string) []AreaMinutes {
	sum := map[string]float64{}
	for _, a := range all {
		sum[a] = 0
	}
	for d := today - Day(days-1); d <= today; d++ {
		t := ds.On(d)
		if t == nil {
			continue
		}
		for id, sec := range t.Stretches {
			for _, a := range areasOf(id) {
				sum[a] += sec / 60
			}
		}
	}
	out := make([]AreaMinutes, 0, len(sum))
	for a, m := range sum {
		out = append(out, AreaMinutes{Area: a, Minutes: m})
	}
	slices.SortFunc(out, func(a, b AreaMinutes) int {
		if c := cmp.Compare(b.Minutes, a.Minutes); c != 0 {
			return c
		}
		return cmp.Compare(a.Area, b.Area)
	})
	return out
}
