package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/limber-audio/limber/history"
	"github.com/limber-audio/limber/internal/atomicfile"
	"github.com/limber-audio/limber/player"
	"github.com/limber-audio/limber/player/maker"
	"github.com/limber-audio/limber/player/routine"
	"github.com/spf13/pflag"
)

// madeFlags are the flags that make a routine to measure (--minutes with
// no NAME) or fit a routine to a length (NAME with --minutes or --hold).
type madeFlags struct {
	fs                     *pflag.FlagSet
	minutes, hold          float64
	focus, position, avoid string
	gentle                 bool
	seed                   uint64
	save                   string
	force                  bool // --force of export, for --save
	made                   *maker.Made
	today                  func() time.Time
	configAvoid            []string
	recent                 []string
}

func (m *madeFlags) addFlags(fs *pflag.FlagSet) {
	m.fs = fs
	floatVar(fs, &m.minutes, "minutes", 0, maker.MinMinutes, maker.MaxMinutes, "make a routine (no NAME) or fit NAME to `N` minutes in all, 2 to 60")
	fs.StringVar(&m.focus, "focus", "", "with --minutes: body `AREAS` to work (comma list; default: the whole body)")
	fs.StringVar(&m.position, "position", "", "with --minutes: positions allowed, `LIST` of standing, chair, floor (default: all)")
	fs.StringVar(&m.avoid, "avoid", "", "with --minutes: leave out `LIST` of stretch ids or areas (also \"avoid\" in config.json)")
	fs.BoolVar(&m.gentle, "gentle", false, "longer, easier holds (30 to 60 s) and fewer stretches, for older adults and beginners")
	fs.Uint64Var(&m.seed, "seed", 0, "choose among equal stretches with `N` (default: today's date, so each day brings a new routine)")
	floatVar(fs, &m.hold, "hold", 0, 10, 120, "hold every static stretch `S` seconds")
	fs.StringVar(&m.save, "save", "", "write the routine made or fitted to `FILE`, an ordinary routine file")
}

// active reports whether a flag asks for a routine made or fitted.
func (m *madeFlags) active() bool { return m.fs != nil && (m.minutes != 0 || m.hold != 0) }

// name checks the flags against the command's arguments and returns the
// NAME to fit, "" when a routine is to be made.
func (m *madeFlags) name(fs *pflag.FlagSet, src *source) (string, error) {
	makes := fs.Changed("focus") || fs.Changed("position") || fs.Changed("avoid") || fs.Changed("seed")
	switch {
	case m.active() && src.pace != 1:
		return "", usagef("%s: --pace and --minutes or --hold both set the length; use one", fs.Name())
	case fs.NArg() == 0 && m.minutes == 0:
		if makes || m.hold != 0 || m.gentle {
			return "", usagef("%s: say how long with --minutes N, or name a routine or stretch (see limber list)", fs.Name())
		}
		return oneName(fs, "routine or stretch NAME")
	case fs.NArg() == 0:
		return "", nil
	case makes:
		return "", usagef("%s: --focus, --position, --avoid and --seed make a new routine; drop NAME (%s), or drop them to fit NAME to --minutes", fs.Name(), shortQuote(fs.Arg(0)))
	case m.save != "" && !m.active():
		return "", usagef("%s: --save writes a routine made with --minutes or fitted with --hold", fs.Name())
	}
	return oneName(fs, "routine or stretch NAME")
}

// apply makes the routine (name "") or fits routine name, measured with
// voice, and returns the library that has it and its id.
func (m *madeFlags) apply(lib *routine.Library, name string, voice player.Voice, opts player.Options) (*routine.Library, string, error) {
	ask := maker.Ask{Minutes: m.minutes, Gentle: m.gentle, Hold: m.hold, Recent: m.recent, Seed: m.seed}
	var err error
	if name != "" {
		m.made, err = maker.Fit(lib, voice, opts, name, ask)
	} else {
		if m.focus != "" {
			if ask.Focus, err = routine.ParseAreas(m.focus); err != nil {
				return nil, "", usagef("--focus: %w", err)
			}
		}
		if m.position != "" {
			if ask.Positions, err = routine.ParsePositions(m.position); err != nil {
				return nil, "", usagef("--position: %w", err)
			}
		}
		ask.Avoid = append(splitList(m.avoid), m.configAvoid...)
		if !m.fs.Changed("seed") {
			ask.Seed = dateSeed(m.now())
		}
		m.made, err = maker.Make(lib, voice, opts, ask)
		if err == nil {
			m.made.Routine.Description = "Made by limber " + askFlags(ask)
		}
	}
	var ae *maker.AskError
	if errors.As(err, &ae) {
		return nil, "", &usageError{err}
	}
	if err != nil {
		return nil, "", err
	}
	return m.made.Library, m.made.Routine.ID, nil
}

func (m *madeFlags) now() time.Time {
	if m.today != nil {
		return m.today()
	}
	return time.Now()
}

// recentDays is how far back the practice log is read for variety: what
// was stretched in the last two days comes after the rest.
const recentDays = 2

// recentStretches returns the stretches done in the last two days, from
// the practice log. A log that cannot be read only costs the variety.
func recentStretches(now time.Time) []string {
	path, err := historyPath()
	if err != nil {
		return nil
	}
	ids, err := history.DoneSince(path, now.AddDate(0, 0, -recentDays))
	if err != nil {
		return nil
	}
	return ids
}

// dateSeed is the seed of a day: 20261130 for 30 November 2026, so the
// same day replays the same routine and the next brings another.
func dateSeed(t time.Time) uint64 {
	return uint64(t.Year()*10000 + int(t.Month())*100 + t.Day())
}

// askFlags writes an ask as the flags that make it again.
func askFlags(a maker.Ask) string {
	parts := []string{"--minutes " + strconv.FormatFloat(a.Minutes, 'f', -1, 64)}
	if len(a.Focus) > 0 {
		parts = append(parts, "--focus "+strings.Join(a.Focus, ","))
	}
	if len(a.Positions) > 0 {
		parts = append(parts, "--position "+strings.Join(a.Positions, ","))
	}
	if len(a.Avoid) > 0 {
		parts = append(parts, "--avoid "+strings.Join(a.Avoid, ","))
	}
	if a.Gentle {
		parts = append(parts, "--gentle")
	}
	if a.Hold > 0 {
		parts = append(parts, "--hold "+strconv.FormatFloat(a.Hold, 'f', -1, 64))
	}
	return strings.Join(append(parts, fmt.Sprintf("--seed %d", a.Seed)), " ")
}

// splitList splits a comma list, dropping empty entries and repeats.
func splitList(s string) []string {
	var out []string
	for _, x := range strings.Split(s, ",") {
		if x = strings.TrimSpace(x); x != "" && !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

// checkSave refuses a --save target that is an input or exists (without
// --force), before any work.
func (m *madeFlags) checkSave(inputs []named) error {
	if m.save == "" {
		return nil
	}
	if m.save == "-" {
		return usagef("--save: name a FILE")
	}
	for _, in := range inputs {
		if in.path != "" && sameFile(m.save, in.path) {
			return usagef("--save %s is %s; name another FILE", shortQuote(m.save), in.flag)
		}
	}
	if err := atomicfile.CheckTarget(m.save, m.force); err != nil {
		return &usageError{fmt.Errorf("--save: %w", err)}
	}
	return nil
}

// target is the --save file as an output, nil without --save.
func (m *madeFlags) target() *atomicfile.Target {
	if m.save == "" || m.made == nil {
		return nil
	}
	file := m.made.File()
	return &atomicfile.Target{Path: m.save, Write: func(w io.Writer) error {
		_, err := w.Write(file)
		return err
	}}
}

// writeSave writes the --save file on its own (plan and play; export
// writes it with its other outputs).
func (m *madeFlags) writeSave(ctx context.Context) error {
	t := m.target()
	if t == nil {
		return nil
	}
	if err := atomicfile.WriteFiles(ctx, m.force, *t); err != nil {
		return fmt.Errorf("--save %w", exportTargetError(err))
	}
	return nil
}

// explain writes why each stretch of the made routine is in it.
func (m *madeFlags) explain(w io.Writer) error {
	if m.made == nil {
		return usagef("plan: --explain tells why a routine made with --minutes has its stretches")
	}
	var b strings.Builder
	if m.made.Routine.Description != "" {
		fmt.Fprintf(&b, "# %s\n", m.made.Routine.Description)
	}
	width := 0
	for _, r := range m.made.Reasons {
		width = max(width, len(r.Stretch))
	}
	for _, r := range m.made.Reasons {
		fmt.Fprintf(&b, "#   %-*s  %s\n", width, r.Stretch, r.Why)
	}
	_, err := io.WriteString(w, b.String())
	return err
}
