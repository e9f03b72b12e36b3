package remind

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
)

// Clock is a time of day, in minutes after midnight.
type Clock int

// ParseClock reads a time of day written HH:MM, 24-hour.
func ParseClock(s string) (Clock, error) {
	digit := func(i int) int { return int(s[i] - '0') }
	if len(s) != 5 || s[2] != ':' {
		return 0, fmt.Errorf("want a time of day as HH:MM, got %q", s)
	}
	for _, i := range []int{0, 1, 3, 4} {
		if s[i] < '0' || s[i] > '9' {
			return 0, fmt.Errorf("want a time of day as HH:MM, got %q", s)
		}
	}
	h, m := digit(0)*10+digit(1), digit(3)*10+digit(4)
	if h > 23 || m > 59 {
		return 0, fmt.Errorf("want a time of day from 00:00 to 23:59, got %q", s)
	}
	return Clock(h*60 + m), nil
}

// String writes the time as HH:MM.
func (c Clock) String() string { return fmt.Sprintf("%02d:%02d", c/60, c%60) }

// Limits of Every.
const (
	MinEvery = 10 * time.Minute
	MaxEvery = 12 * time.Hour
)

// Schedule says when a reminder fires: daily At, or, when Every is set,
// every Every from From up to To (both included) each day.
type Schedule struct {
	At       Clock
	Every    time.Duration
	From, To Clock
}

// Daily returns the schedule of once a day at at.
func Daily(at Clock) Schedule { return Schedule{At: at} }

// Repeating returns the schedule of every every from from to to, and
// checks it: every a whole number of minutes from MinEvery to MaxEvery,
// from before to.
func Repeating(every time.Duration, from, to Clock) (Schedule, error) {
	s := Schedule{Every: every, From: from, To: to}
	if every <= 0 { // zero would be a daily schedule
		return s, fmt.Errorf("every must be whole minutes from %s to %s, got %s", duration(MinEvery), duration(MaxEvery), every)
	}
	return s, s.check()
}

func (s Schedule) check() error {
	if s.Every == 0 {
		if s.At < 0 || s.At >= 24*60 {
			return fmt.Errorf("time of day out of range: %d minutes", s.At)
		}
		return nil
	}
	switch {
	case s.Every%time.Minute != 0 || s.Every < MinEvery || s.Every > MaxEvery:
		return fmt.Errorf("every must be whole minutes from %s to %s, got %s", duration(MinEvery), duration(MaxEvery), s.Every)
	case s.From < 0 || s.To >= 24*60 || s.From >= s.To:
		return fmt.Errorf("between must go from an earlier time of day to a later one, got %s-%s", s.From, s.To)
	}
	return nil
}

// Times returns every time of day the reminder fires, in order.
func (s Schedule) Times() []Clock {
	if s.Every == 0 {
		return []Clock{s.At}
	}
	var out []Clock
	step := Clock(s.Every / time.Minute)
	for c := s.From; c <= s.To; c += step {
		out = append(out, c)
	}
	return out
}

// String says the schedule as limber remind --list shows it, in the
// form ParseSchedule reads: "daily 07:30", "every 1h between 09:00-17:00".
func (s Schedule) String() string {
	if s.Every == 0 {
		return "daily " + s.At.String()
	}
	return fmt.Sprintf("every %s between %s-%s", duration(s.Every), s.From, s.To)
}

// duration writes d briefly: 45m, 1h, 1h30m.
func duration(d time.Duration) string {
	h, m := int(d/time.Hour), int(d%time.Hour/time.Minute)
	switch {
	case h == 0:
		return fmt.Sprintf("%dm", m)
	case m == 0:
		return fmt.Sprintf("%dh", h)
	}
	return fmt.Sprintf("%dh%dm", h, m)
}

var scheduleForm = regexp.MustCompile(`^(?:daily (\d\d:\d\d)|every (\S{1,12}) between (\d\d:\d\d)-(\d\d:\d\d))$`)

// ParseSchedule reads a schedule as String writes it.
func ParseSchedule(text string) (Schedule, error) {
	m := scheduleForm.FindStringSubmatch(strings.TrimSpace(text))
	if m == nil {
		return Schedule{}, fmt.Errorf("want a schedule like \"daily 07:30\" or \"every 1h between 09:00-17:00\", got %q", text)
	}
	if m[1] != "" {
		at, err := ParseClock(m[1])
		return Daily(at), err
	}
	every, err := time.ParseDuration(m[2])
	if err != nil {
		return Schedule{}, err
	}
	from, err := ParseClock(m[3])
	if err != nil {
		return Schedule{}, err
	}
	to, err := ParseClock(m[4])
	if err != nil {
		return Schedule{}, err
	}
	return Repeating(every, from, to)
}

// ParseWindow reads the hours of a repeating reminder, HH:MM-HH:MM.
func ParseWindow(s string) (from, to Clock, err error) {
	a, b, ok := strings.Cut(s, "-")
	if !ok {
		return 0, 0, fmt.Errorf("want the hours as HH:MM-HH:MM, got %q", s)
	}
	if from, err = ParseClock(a); err != nil {
		return 0, 0, err
	}
	if to, err = ParseClock(b); err != nil {
		return 0, 0, err
	}
	if from >= to {
		return 0, 0, errors.New("the hours must go from an earlier time of day to a later one, as 09:00-17:00")
	}
	return from, to, nil
}
