package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/limber-audio/limber/internal/suggest"
	"github.com/limber-audio/limber/remind"
)

func runRemind(ctx context.Context, s *stdio, args []string) error {
	var (
		src     source
		daily   string
		every   time.Duration
		between string
		list    bool
		off     bool
	)
	fs := newFlags("remind", s, "remind --daily HH:MM NAME\n"+
		"       limber remind --every DURATION --between HH:MM-HH:MM NAME\n"+
		"       limber remind --list | --off [NAME]\n\n"+
		"Reminds you to stretch: when a reminder is due, limber nudge NAME shows a\n"+
		"desktop notification whose Start button plays routine or stretch NAME.\n"+
		"On Linux a reminder is a systemd user timer, on macOS a launchd agent;\n"+
		"setting one again under the same NAME replaces it.")
	fs.StringVar(&daily, "daily", "", "remind once a day at `HH:MM`")
	fs.DurationVar(&every, "every", 0, "remind every `DURATION` (10m to 12h, whole minutes) ...")
	fs.StringVar(&between, "between", "", "... within the hours `HH:MM-HH:MM`, both included")
	fs.BoolVar(&list, "list", false, "list your reminders")
	fs.BoolVar(&off, "off", false, "turn reminder NAME off, or all of them without a NAME")
	src.addFlags(fs, false, false)
	if err := parse(fs, args); err != nil {
		return err
	}
	setting := daily != "" || fs.Changed("every") || between != ""
	switch {
	case list && (off || setting), off && setting:
		return usagef("remind: --list, --off and a schedule do not go together")
	case list && fs.NArg() > 0:
		return usagef("remind: --list takes no NAME")
	case off && fs.NArg() > 1:
		return usagef("remind: --off takes one NAME or none")
	}
	configHome, err := os.UserConfigDir()
	if err != nil {
		return fmt.Errorf("remind: %w", err)
	}
	home, _ := os.UserHomeDir()
	m, err := remind.ForOS(runtime.GOOS, configHome, home)
	if err != nil {
		return err
	}
	switch {
	case list:
		return listReminders(s, m)
	case off:
		return remindersOff(ctx, s, m, fs.Args())
	}
	name, err := oneName(fs, "routine or stretch NAME")
	if err != nil {
		return err
	}
	sched, err := schedule(daily, every, between, fs.Changed("every"))
	if err != nil {
		return err
	}
	if err := remind.CheckName(name); err != nil {
		return &usageError{err}
	}
	lib, err := src.library()
	if err != nil {
		return err
	}
	if _, ok := lib.Resolve(name); !ok {
		return usagef("no routine or stretch named %q%s", name, suggest.Hint(name, lib.Names()))
	}
	bin, err := os.Executable()
	if err != nil {
		return fmt.Errorf("remind: where is limber: %w", err)
	}
	command := []string{bin, "nudge", name}
	for _, r := range src.routines { // the nudge runs elsewhere: absolute paths
		abs, err := filepath.Abs(r)
		if err != nil {
			return fmt.Errorf("remind: %w", err)
		}
		command = append(command, "--routines", abs)
	}
	res, err := m.Add(ctx, remind.Reminder{Name: name, Schedule: sched, Command: command})
	if err != nil {
		return err
	}
	w := &errWriter{w: s.out}
	w.printf("%s: %s, limber nudge %s\n", name, sched, name)
	for _, f := range res.Files {
		w.printf("  wrote %s\n", f)
	}
	pending(w, m, res.Pending)
	return w.err
}

// schedule reads the schedule flags.
func schedule(daily string, every time.Duration, between string, everySet bool) (remind.Schedule, error) {
	switch {
	case daily != "" && (everySet || between != ""):
		return remind.Schedule{}, usagef("remind: --daily and --every do not go together")
	case daily != "":
		at, err := remind.ParseClock(daily)
		if err != nil {
			return remind.Schedule{}, usagef("--daily: %v", err)
		}
		return remind.Daily(at), nil
	case !everySet && between != "":
		return remind.Schedule{}, usagef("remind: --between goes with --every")
	case !everySet:
		return remind.Schedule{}, usagef("remind: say when: --daily HH:MM, or --every DURATION --between HH:MM-HH:MM")
	case between == "":
		return remind.Schedule{}, usagef("remind: --every needs --between HH:MM-HH:MM, the hours it runs in")
	}
	from, to, err := remind.ParseWindow(between)
	if err != nil {
		return remind.Schedule{}, usagef("--between: %v", err)
	}
	sched, err := remind.Repeating(every, from, to)
	if err != nil {
		return remind.Schedule{}, usagef("--every: %v", err)
	}
	return sched, nil
}

// pending prints the commands that turn a change on, when no service
// manager ran to do it.
func pending(w *errWriter, m *remind.Manager, cmds [][]string) {
	if len(cmds) == 0 {
		return
	}
	what := "No systemd user manager runs here"
	if m.System == remind.Launchd {
		what = "launchd did not answer"
	}
	w.printf("%s; to turn it on, run:\n", what)
	for _, c := range cmds {
		w.printf("  %s\n", strings.Join(c, " "))
	}
}

func listReminders(s *stdio, m *remind.Manager) error {
	rs, err := m.List()
	if err != nil {
		return err
	}
	w := &errWriter{w: s.out}
	if len(rs) == 0 {
		w.printf("No reminders.\n")
	}
	width := 0
	for _, r := range rs {
		width = max(width, len(r.Name))
	}
	for _, r := range rs {
		if r.Err != nil {
			w.printf("%-*s  (unreadable: %v)  %s\n", width, r.Name, r.Err, r.File)
			continue
		}
		w.printf("%-*s  %s  %s\n", width, r.Name, r.Schedule, r.File)
	}
	return w.err
}

func remindersOff(ctx context.Context, s *stdio, m *remind.Manager, names []string) error {
	rs, err := m.List()
	if err != nil {
		return err
	}
	var all []string
	for _, r := range rs {
		all = append(all, r.Name)
	}
	if len(names) == 0 {
		names = all
	}
	w := &errWriter{w: s.out}
	if len(names) == 0 {
		w.printf("No reminders.\n")
	}
	for _, name := range names {
		if err := remind.CheckName(name); err != nil {
			return &usageError{err}
		}
		res, err := m.Remove(ctx, name)
		if errors.Is(err, remind.ErrNotFound) {
			return usagef("no reminder named %q%s", name, suggest.Hint(name, all))
		}
		if err != nil {
			return err
		}
		w.printf("%s: off\n", name)
		for _, f := range res.Files {
			w.printf("  removed %s\n", f)
		}
	}
	return w.err
}
