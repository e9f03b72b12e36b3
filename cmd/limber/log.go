package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/limber-audio/limber/history"
	"github.com/limber-audio/limber/internal/timefmt"
	"github.com/limber-audio/limber/player"
	"github.com/limber-audio/limber/player/routine"
)

// Defaults of the practice log's view.
const (
	defaultGoal  = 3  // days a week: the least public guidance asks for
	calendarWeek = 12 // weeks in the calendar
	areaDays     = 30 // days summed by body area
)

// stateDir is limber's folder for what it keeps about the user's
// practice: $XDG_STATE_HOME/limber (~/.local/state/limber) on Linux and
// other Unix systems; beside the configuration on macOS
// (~/Library/Application Support/limber) and beside the caches on
// Windows (%LocalAppData%\limber), which have no state folder of their
// own.
func stateDir() (string, error) {
	switch runtime.GOOS {
	case "darwin", "ios":
		return configDir()
	case "windows":
		dir, err := os.UserCacheDir()
		if err != nil {
			return "", err
		}
		return filepath.Join(dir, "limber"), nil
	}
	if dir := os.Getenv("XDG_STATE_HOME"); filepath.IsAbs(dir) {
		return filepath.Join(dir, "limber"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(home, ".local", "state", "limber"), nil
}

// historyPath is the practice log.
func historyPath() (string, error) {
	dir, err := stateDir()
	if err != nil {
		return "", fmt.Errorf("no folder for the practice log: %w", err)
	}
	return filepath.Join(dir, history.FileName), nil
}

// recorder writes a live session to the practice log when it ends.
type recorder struct {
	path string
	// areas gives the areas of each stretch, for the record.
	areas func(id string) []string
}

// newRecorder returns the recorder of play, or nil when --no-log or the
// config's "log": false turn the log off, or when there is no folder for
// the log (no home), which is said on s and does not stop play.
func newRecorder(s *stdio, noLog bool) (*recorder, error) {
	if noLog {
		return nil, nil
	}
	cfg, err := loadConfig()
	if err != nil {
		return nil, err
	}
	if cfg.Log != nil && !*cfg.Log {
		return nil, nil
	}
	path, err := historyPath()
	if err != nil {
		fmt.Fprintf(s.errOut, "limber: warning: sessions are not recorded: %v\n", err)
		return nil, nil
	}
	return &recorder{path: path}, nil
}

// record appends the session of tl that started at start. A session
// that played nothing is not one; a log that cannot be written is a
// warning, not a failed session.
func (rec *recorder) record(s *stdio, tl *player.Timeline, start time.Time, rep player.Report) {
	if rec == nil || rep.Played <= 0 {
		return
	}
	e := history.Entry{
		Start: start, Routine: tl.Routine, Name: tl.Name, Description: tl.Description,
		Planned: tl.Seconds(tl.Len), Played: rep.Played, Finished: rep.Finished,
	}
	for _, st := range rep.Stretches {
		hs := history.Stretch{ID: st.ID, Played: st.Played, Done: st.Done}
		if rec.areas != nil {
			hs.Areas = rec.areas(st.ID)
		}
		e.Stretches = append(e.Stretches, hs)
	}
	if err := history.Append(rec.path, e); err != nil {
		fmt.Fprintf(s.errOut, "limber: warning: the session was not recorded: %v\n", err)
	}
}

// areasOf gives the body areas a library stretch works, for minutes per
// area; a stretch the library no longer has gives none.
func areasOf(lib *routine.Library) func(id string) []string {
	return func(id string) []string {
		if st := lib.Stretch(id); st != nil {
			return st.Areas
		}
		return nil
	}
}

// allAreas lists the areas of every stretch of lib, each once: those of
// the vocabulary first, in its order.
func allAreas(lib *routine.Library, areas func(string) []string) []string {
	all := slices.Clone(routine.Areas)
	seen := map[string]bool{}
	for _, a := range all {
		seen[a] = true
	}
	for _, st := range lib.Stretches {
		for _, a := range areas(st.ID) {
			if !seen[a] {
				seen[a] = true
				all = append(all, a)
			}
		}
	}
	return all
}

func runLog(ctx context.Context, s *stdio, args []string) error {
	if len(args) > 0 && args[0] == "add" {
		return runLogAdd(ctx, s, args[1:])
	}
	var (
		src      source
		asJSON   bool
		asCSV    bool
		fileOnly bool
	)
	fs := newFlags("log", s, "log [--json | --csv]\n"+
		"       limber log add NAME [--date YYYY-MM-DD] [--minutes N]\n\n"+
		"Shows your practice: the streak of days with stretching (a day counts\n"+
		"with a finished session or 2 minutes in all), the days of this week\n"+
		"against your goal (\"goal_days_per_week\" in config.json, default 3),\n"+
		"a calendar of the last 12 weeks and the minutes per body area over the\n"+
		"last 30 days. limber play records every session, finished or stopped;\n"+
		"log add records one done elsewhere.")
	fs.BoolVar(&asJSON, "json", false, "print every session and the summary as JSON")
	fs.BoolVar(&asCSV, "csv", false, "print every session as CSV, one row each")
	fs.BoolVar(&fileOnly, "path", false, "print where the log is kept, and nothing else")
	src.addFlags(fs, false, false)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("log: takes no arguments but add, got %s", strings.Join(fs.Args(), " "))
	}
	if asJSON && asCSV {
		return usagef("log: --json and --csv do not go together")
	}
	path, err := historyPath()
	if err != nil {
		return err
	}
	if fileOnly {
		_, err := fmt.Fprintln(s.out, path)
		return err
	}
	cfg, err := loadConfig()
	if err != nil {
		return err
	}
	goal := cfg.GoalDaysPerWeek
	if goal == 0 {
		goal = defaultGoal
	}
	lib, err := src.library()
	if err != nil {
		return err
	}
	v := &logView{out: s.out, goal: goal, now: time.Now(), areas: areasOf(lib)}
	v.all = allAreas(lib, v.areas)
	var damaged history.Damaged
	switch {
	case asJSON:
		damaged, err = v.writeJSON(path)
	case asCSV:
		damaged, err = v.writeCSV(path)
	default:
		damaged, err = v.writeText(path, canRedraw(s.out) && os.Getenv("NO_COLOR") == "")
	}
	if damaged.Lines > 0 {
		fmt.Fprintf(s.errOut, "limber: warning: %s: skipped %d damaged %s (the first is line %d)\n",
			path, damaged.Lines, plural(damaged.Lines, "line", "lines"), damaged.First)
	}
	return err
}

// logView prints the practice log.
type logView struct {
	out   io.Writer
	goal  int
	now   time.Time
	areas func(string) []string
	all   []string
	days  history.Days
}

// read reads the log at path into the day totals, handing each entry to
// each as well when it is set.
func (v *logView) read(path string, each func(history.Entry) error) (history.Damaged, error) {
	return history.Read(path, func(e history.Entry) error {
		v.days.Add(e)
		if each != nil {
			return each(e)
		}
		return nil
	})
}

func (v *logView) writeText(path string, colour bool) (history.Damaged, error) {
	sessions := 0
	damaged, err := v.read(path, func(history.Entry) error { sessions++; return nil })
	if err != nil {
		return damaged, err
	}
	today := history.DayOf(v.now)
	var b strings.Builder
	streak := v.days.Streak(today)
	switch {
	case sessions == 0:
		b.WriteString("No sessions yet: limber play records each one.\n")
	case streak == 0:
		b.WriteString("Streak: none; stretch today to start one.\n")
	case !v.days.On(today).Counts():
		fmt.Fprintf(&b, "Streak: %d %s, up to yesterday; stretch today to keep it.\n", streak, plural(streak, "day", "days"))
	default:
		fmt.Fprintf(&b, "Streak: %d %s in a row.\n", streak, plural(streak, "day", "days"))
	}
	week := v.days.Week(today)
	fmt.Fprintf(&b, "This week: %d of %d %s", week, v.goal, plural(v.goal, "day", "days"))
	if week >= v.goal {
		b.WriteString(", goal met.\n")
	} else {
		fmt.Fprintf(&b, " (since %s).\n", today.Monday().Time().Format("Monday 2 January"))
	}
	fmt.Fprintf(&b, "\nThe last %d weeks, minutes a day:\n", calendarWeek)
	if err := v.days.Calendar(today, calendarWeek).Render(&b, colour); err != nil {
		return damaged, err
	}
	minutes, count := 0.0, 0
	for d := today - areaDays + 1; d <= today; d++ {
		if t := v.days.On(d); t != nil {
			minutes += t.Seconds / 60
			count += t.Sessions
		}
	}
	fmt.Fprintf(&b, "\nThe last %d days: %s in %d %s.\n", areaDays, minutesText(minutes), count, plural(count, "session", "sessions"))
	areas := v.days.AreaMinutes(today, areaDays, v.areas, v.all)
	if len(areas) == 0 {
		b.WriteString("Minutes per body area: the stretches name no body areas yet.\n")
	}
	most := 0.0
	for _, a := range areas {
		most = max(most, a.Minutes)
	}
	bar := "#"
	if colour {
		bar = "█"
	}
	for _, a := range areas {
		n := 0
		if most > 0 {
			n = int(math.Round(40 * a.Minutes / most))
		}
		fmt.Fprintf(&b, "  %-12s %5s  %s\n", a.Area, minutesText(a.Minutes), strings.Repeat(bar, n))
	}
	_, err = io.WriteString(v.out, b.String())
	return damaged, err
}

// minutesText says a number of minutes briefly: "42 min", "0 min".
func minutesText(m float64) string { return strconv.Itoa(int(math.Round(m))) + " min" }

// writeJSON prints every session as it reads it, then the summary:
//
//	{"sessions":[...],"streak_days":3,"week_days":2,"goal_days_per_week":3,
//	 "today":"2026-11-25","days":[{"date":"2026-09-07","minutes":0,"counts":false},...],
//	 "area_minutes":[{"area":"neck","minutes":12.5},...]}
//
// where days are those of the calendar, from its first Monday to today.
func (v *logView) writeJSON(path string) (history.Damaged, error) {
	w := &errWriter{w: v.out}
	w.printf(`{"sessions":[`)
	sep := "\n"
	damaged, err := v.read(path, func(e history.Entry) error {
		line, err := history.MarshalLine(e)
		if err != nil {
			return err
		}
		w.printf("%s%s", sep, line[:len(line)-1])
		sep = ",\n"
		return w.err
	})
	if err != nil {
		return damaged, err
	}
	today := history.DayOf(v.now)
	w.printf("\n],\n\"streak_days\":%d,\"week_days\":%d,\"goal_days_per_week\":%d,\"today\":%q,\n\"days\":[",
		v.days.Streak(today), v.days.Week(today), v.goal, today.String())
	sep = ""
	for d := v.days.Calendar(today, calendarWeek).First; d <= today; d++ {
		t := v.days.On(d)
		m := 0.0
		if t != nil {
			m = t.Seconds / 60
		}
		w.printf(`%s{"date":%q,"minutes":%s,"counts":%v}`, sep, d.String(), number(m), t.Counts())
		sep = ","
	}
	w.printf("],\n\"area_minutes\":[")
	sep = ""
	for _, a := range v.days.AreaMinutes(today, areaDays, v.areas, v.all) {
		w.printf(`%s{"area":%q,"minutes":%s}`, sep, a.Area, number(a.Minutes))
		sep = ","
	}
	w.printf("]}\n")
	return damaged, w.err
}

// number formats x to the hundredth, as JSON.
func number(x float64) string { return strconv.FormatFloat(math.Round(x*100)/100, 'f', -1, 64) }

// writeCSV prints a header and one row per session.
func (v *logView) writeCSV(path string) (history.Damaged, error) {
	w := csv.NewWriter(v.out)
	w.Write([]string{"start", "routine", "name", "description", "planned_seconds", "played_seconds", "finished", "added", "done", "skipped"})
	damaged, err := v.read(path, func(e history.Entry) error {
		w.Write([]string{
			e.Start.Format(time.RFC3339), e.Routine, e.Name, e.Description,
			number(e.Planned), number(e.Played), strconv.FormatBool(e.Finished), strconv.FormatBool(e.Added),
			strings.Join(e.Done(), " "), strings.Join(e.Skipped(), " "),
		})
		return w.Error()
	})
	if err != nil {
		return damaged, err
	}
	w.Flush()
	return damaged, w.Error()
}

// errWriter keeps the first write error, so a run of prints checks once.
type errWriter struct {
	w   io.Writer
	err error
}

func (w *errWriter) printf(format string, args ...any) {
	if w.err == nil {
		_, w.err = fmt.Fprintf(w.w, format, args...)
	}
}

// maxAddMinutes bounds log add --minutes: a day.
const maxAddMinutes = 24 * 60

func runLogAdd(ctx context.Context, s *stdio, args []string) error {
	var (
		src    source
		date   string
		length float64
	)
	fs := newFlags("log add", s, "log add NAME [--date YYYY-MM-DD] [--minutes N]\n\n"+
		"Records a session of routine or stretch NAME done elsewhere (an exported\n"+
		"file played on a phone, say) as finished: today, or on --date at noon,\n"+
		"lasting --minutes or, by default, as long as NAME lasts.")
	fs.StringVar(&date, "date", "", "the `YYYY-MM-DD` it was done (default today)")
	floatVar(fs, &length, "minutes", 0, 0, maxAddMinutes, "how many `MINUTES` it took (default: the routine's length)")
	src.addFlags(fs, false, false)
	name, err := parseName(fs, args)
	if err != nil {
		return err
	}
	if fs.Changed("minutes") && !(length > 0 && length <= maxAddMinutes) {
		return usagef("--minutes must be more than 0 and at most %d, got %g", maxAddMinutes, length)
	}
	now := time.Now()
	start := now
	if date != "" {
		d, err := time.ParseInLocation(time.DateOnly, date, time.Local)
		if err != nil {
			return usagef("--date: want YYYY-MM-DD, got %s", strconv.Quote(shortQuote(date)))
		}
		if history.DayOf(d) > history.DayOf(now) {
			return usagef("--date %s is in the future", date)
		}
		if history.DayOf(d) != history.DayOf(now) {
			start = d.Add(12 * time.Hour)
		}
	}
	lib, err := src.library()
	if err != nil {
		return err
	}
	tl, err := player.Compile(lib, name, newEstimate(lib, &src.tts), player.Options{})
	if err != nil {
		return err
	}
	e := history.Entry{
		Start: start, Routine: tl.Routine, Name: tl.Name, Description: tl.Description,
		Planned: tl.Seconds(tl.Len), Played: tl.Seconds(tl.Len), Finished: true, Added: true,
	}
	if length > 0 {
		e.Played = length * 60
	}
	// The time goes to the stretches in proportion to their share of
	// the routine.
	for i, sec := range tl.Sections {
		end := tl.Len
		if i+1 < len(tl.Sections) {
			end = tl.Sections[i+1].Start
		}
		share := float64(end-sec.Start) / float64(tl.Len)
		e.Stretches = append(e.Stretches, history.Stretch{ID: sec.Stretch, Played: share * e.Played, Done: true, Areas: areasOf(lib)(sec.Stretch)})
	}
	path, err := historyPath()
	if err != nil {
		return err
	}
	if err := history.Append(path, e); err != nil {
		return err
	}
	_, err = fmt.Fprintf(s.out, "recorded %s on %s: %s\n", e.Routine, start.Format("Mon 2 Jan 2006"), timefmt.Minutes(e.Played))
	return err
}
