package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/limber-audio/limber/cues"
	"github.com/limber-audio/limber/player"
	"github.com/limber-audio/limber/player/routine"
)

func runList(ctx context.Context, s *stdio, args []string) error {
	var src source
	fs := newFlags("list", s, "list [--routines FILE]...\n\n"+
		"Lists every routine and stretch with its length and, for those from\n"+
		"your own files, the file. A length marked ~ is an estimate: it speaks\n"+
		"words not voiced yet (limber cues --synth voices them).")
	src.addFlags(fs, false, false)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("list: takes no arguments, got %s", strings.Join(fs.Args(), " "))
	}
	lib, err := src.library()
	if err != nil {
		return err
	}
	voice := newEstimate(lib, &src.tts)
	var b strings.Builder
	width := 0
	for _, n := range lib.Names() {
		width = max(width, len(n))
	}
	line := func(id, name, desc, origin string) error {
		n, guessed, err := voice.length(lib, id)
		if err != nil {
			return err
		}
		mark := " "
		if guessed {
			mark = "~"
		}
		fmt.Fprintf(&b, "  %-*s  %s%7s  %s", width, id, mark, player.FormatClock(n), name)
		if desc != "" {
			fmt.Fprintf(&b, ": %s", desc)
		}
		if origin != routine.BuiltinName {
			fmt.Fprintf(&b, "  [%s]", origin)
		}
		b.WriteByte('\n')
		return nil
	}
	if len(lib.Routines) > 0 {
		b.WriteString("Routines:\n")
		for _, r := range lib.Routines {
			if err := line(r.ID, r.Name, r.Description, r.Origin); err != nil {
				return err
			}
		}
		b.WriteByte('\n')
	}
	b.WriteString("Stretches (each plays alone, with a lead-in):\n")
	for _, st := range lib.Stretches {
		if err := line(st.ID, st.Name, "", st.Origin); err != nil {
			return err
		}
	}
	_, err = fmt.Fprint(s.out, b.String())
	return err
}

// estimate is a voice for commands that show lengths without voicing
// anything (list, check): the built-in clips and cached or recorded
// phrases at their real length, other phrases at a length guessed from
// their words.
type estimate struct {
	pack    *cues.Pack
	guessed bool
}

// newEstimate returns an estimate knowing lib's phrases, with those the
// cache has (as voiced by the engines tts names) at their real length.
func newEstimate(lib *routine.Library, tts *ttsFlags) *estimate {
	p := cues.NewPack(player.DefaultRate)
	p.AddPhrases(lib.Phrases())
	return estimateWith(p, tts)
}

// estimateWith is newEstimate for a pack that knows the phrases already.
func estimateWith(p *cues.Pack, tts *ttsFlags) *estimate {
	if engines, err := tts.engines(); err == nil && cache() != nil {
		syn := &cues.Synth{Engines: engines, Cache: cache()}
		syn.Cached(p, p.IDs()) // a cache that cannot be read only means estimates
	}
	return &estimate{pack: p}
}

// Text implements player.Voice.
func (e *estimate) Text(id string) string { return e.pack.Text(id) }

// CueLen implements player.Voice.
func (e *estimate) CueLen(id string, rate int) (int, error) {
	n, err := e.pack.CueLen(id, rate)
	var ue *cues.UnvoicedError
	if errors.As(err, &ue) {
		e.guessed = true
		words := len(strings.Fields(e.pack.Text(id)))
		return int(float64(rate) * (0.3 + float64(0.33*float64(words)))), nil
	}
	return n, err
}

// length returns how long name lasts in seconds, and whether that is a
// guess.
func (e *estimate) length(lib *routine.Library, name string) (float64, bool, error) {
	e.guessed = false
	tl, err := player.Compile(lib, name, e, player.Options{})
	if err != nil {
		return 0, false, err
	}
	return tl.Seconds(tl.Len), e.guessed, nil
}
