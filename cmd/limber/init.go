package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/limber-audio/limber/cues"
	"github.com/limber-audio/limber/internal/atomicfile"
	"github.com/limber-audio/limber/player/routine"
)

// starter is the routine file limber init writes: one new stretch in the
// user's own words and built-in ones by id.
const starter = `{
  "version": 1,
  "stretches": {
    "hamstring": {
      "name": "Hamstring stretch",
      "how": "Sit on the floor with one leg straight and the other bent.",
      "tips": ["Keep your back long.", "Reach from the hips, not the shoulders."],
      "sides": 2,
      "steps": [
        {"say": "Reach toward your toes."},
        {"hold": 20},
        {"say": "Come back up slowly."}
      ]
    }
  },
  "routines": {
    "my-morning": {
      "name": "My morning",
      "description": "Hamstrings, then the neck, with my own words.",
      "lead_in": 5,
      "rest": 8,
      "stretches": ["hamstring", "neck-tilts", {"stretch": "neck-rotations", "repeats": 1}],
      "closing": "That's it for this morning. Have a good day."
    }
  }
}
`

func runInit(ctx context.Context, s *stdio, args []string) error {
	fs := newFlags("init", s, "init [FILE]\n\n"+
		"Writes a starter routine file to FILE, by default your routines.json\n"+
		"(read on every run; "+displayPath(userRoutines())+"): a new\n"+
		"stretch in your own words and a routine that uses built-in stretches\n"+
		"too. An existing file is never replaced. FILE - writes it to stdout.")
	if err := parse(fs, args); err != nil {
		return err
	}
	var path string
	switch fs.NArg() {
	case 0:
		if path = userRoutines(); path == "" {
			return usagef("init: no configuration folder (set HOME or XDG_CONFIG_HOME), name a FILE")
		}
	case 1:
		path = fs.Arg(0)
	default:
		return usagef("init: want at most one FILE, got %d arguments", fs.NArg())
	}
	// The starter must itself be valid: a broken example helps nobody.
	if _, err := routine.Load([]byte(starter), "starter", mustBuiltin(), cues.Builtin()); err != nil {
		return fmt.Errorf("init: the starter file is invalid: %w", err)
	}
	switch {
	case path == "-":
		_, err := io.WriteString(s.out, starter)
		return err
	case path == "":
		return usagef("init: the FILE name is empty; name a file, or none for your routines.json")
	case strings.HasSuffix(path, "/") || strings.HasSuffix(path, string(filepath.Separator)):
		return usagef("init: %s names a folder; name a file in it", shortQuote(path))
	}
	if st, err := os.Lstat(path); err == nil {
		if st.IsDir() {
			return usagef("init: %s is a folder; name a file in it", shortQuote(path))
		}
		return usagef("init: %s already exists; edit it, or name another FILE", path)
	}
	undo, err := makeFolders(filepath.Dir(path))
	if err != nil {
		return fmt.Errorf("init: %w", err)
	}
	err = atomicfile.WriteFile(ctx, path, false, func(w io.Writer) error {
		_, err := io.WriteString(w, starter)
		return err
	})
	if err != nil {
		undo() // no folder left for a file that was not written
		var ee *atomicfile.ExistsError
		if errors.As(err, &ee) { // appeared meanwhile
			return usagef("init: %s already exists; edit it, or name another FILE", path)
		}
		return fmt.Errorf("init %s: %w", path, err)
	}
	next := "limber play my-morning"
	if path != userRoutines() {
		next += " --routines " + path
	}
	_, err = fmt.Fprintf(s.out, "wrote %s; try: %s (its new words are voiced once, on first use)\n", path, next)
	return err
}

// makeFolders makes dir and the folders above it that are missing, and
// returns what removes the ones it made.
func makeFolders(dir string) (undo func(), err error) {
	var made []string
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Lstat(d); err == nil || d == filepath.Dir(d) {
			break
		}
		made = append(made, d)
	}
	undo = func() {
		for _, d := range made { // the deepest first
			os.Remove(d)
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		undo()
		return nil, err
	}
	return undo, nil
}

// mustBuiltin is the built-in library, which the tests keep valid.
func mustBuiltin() *routine.Library {
	lib, err := routine.LoadBuiltin(cues.Builtin())
	if err != nil {
		panic(err)
	}
	return lib
}

// displayPath is path for help text, or a note when there is none.
func displayPath(path string) string {
	if path == "" {
		return "no configuration folder here"
	}
	return path
}
