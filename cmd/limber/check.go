package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/limber-audio/limber/cues"
	"github.com/limber-audio/limber/player"
	"github.com/limber-audio/limber/player/routine"
)

func runCheck(ctx context.Context, s *stdio, args []string) error {
	fs := newFlags("check", s, "check FILE\n\n"+
		"Validates a routine file, as layered over the built-in library and your\n"+
		"routines.json, and prints a one-line summary. Problems are listed one\n"+
		"per line as FILE:LINE:COL: FIELD: what is wrong.")
	if err := parse(fs, args); err != nil {
		return err
	}
	var file string
	switch fs.NArg() {
	case 0:
		return usagef("check: missing FILE, the routine file to check (limber init writes a starter)")
	case 1:
		file = fs.Arg(0)
	default:
		return usagef("check: want one FILE, got %d arguments: %s", fs.NArg(), strings.Join(fs.Args(), " "))
	}
	// What the file is layered over: the built-ins, and the user's
	// routines.json unless that is the file being checked.
	below, err := routine.LoadBuiltin(cues.Builtin())
	if err != nil {
		return err
	}
	if user := userRoutines(); user != "" && !sameFile(user, file) {
		there, err := userFileThere(user)
		if err != nil {
			return err
		}
		if there {
			if below, err = loadLibrary(); err != nil {
				return err
			}
		}
	}
	lib, err := loadFile(file, below)
	if err != nil {
		return err
	}
	var stretches, routines int
	var longest string
	var longestLen float64
	guessed := false
	voice := newEstimate(lib, &ttsFlags{})
	for _, st := range lib.Stretches {
		if st.Origin == file {
			stretches++
			// Played alone, a stretch must fit the limits too.
			if _, _, err := voice.length(lib, st.ID); err != nil {
				return err
			}
		}
	}
	for _, r := range lib.Routines {
		if r.Origin != file {
			continue
		}
		routines++
		n, g, err := voice.length(lib, r.ID)
		if err != nil {
			return err
		}
		if n > longestLen {
			longest, longestLen, guessed = r.ID, n, g
		}
	}
	phrases := len(lib.PhrasesOf(file)) // not those of the files below
	var b strings.Builder
	fmt.Fprintf(&b, "%s: ok: %d %s, %d %s, %d %s of your own words", file,
		stretches, plural(stretches, "stretch", "stretches"), routines, plural(routines, "routine", "routines"),
		phrases, plural(phrases, "phrase", "phrases"))
	if longest != "" {
		approx := ""
		if guessed {
			approx = "about "
		}
		fmt.Fprintf(&b, "; longest %s (%s%s)", longest, approx, player.FormatClock(longestLen))
	}
	var replaced []string
	for _, o := range lib.Overrides {
		if o.By == file {
			from := "from " + o.Was
			if o.Was == routine.BuiltinName {
				from = "(built-in)"
			}
			replaced = append(replaced, fmt.Sprintf("%s %s %s", o.Kind, o.ID, from))
		}
	}
	if len(replaced) > 0 {
		fmt.Fprintf(&b, "; replaces %s", summarize(replaced, 5))
	}
	b.WriteByte('\n')
	_, err = fmt.Fprint(s.out, b.String())
	return err
}

// summarize joins items with ", ", naming at most n of them and counting
// the rest.
func summarize(items []string, n int) string {
	if len(items) <= n {
		return strings.Join(items, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(items[:n], ", "), len(items)-n)
}
