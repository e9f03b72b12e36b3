package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/limber-audio/limber/cues"
	"github.com/limber-audio/limber/player"
)

func runList(ctx context.Context, s *stdio, args []string) error {
	var src source
	fs := newFlags("list", s, "list [--routines FILE]")
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
	voice := cues.NewPack(player.DefaultRate)
	var b strings.Builder
	width := 0
	for _, n := range lib.Names() {
		width = max(width, len(n))
	}
	line := func(id, name, desc string) error {
		tl, err := player.Compile(lib, id, voice, player.Options{})
		if err != nil {
			return err
		}
		fmt.Fprintf(&b, "  %-*s  %7s  %s", width, id, player.FormatClock(tl.Seconds(tl.Len)), name)
		if desc != "" {
			fmt.Fprintf(&b, ": %s", desc)
		}
		b.WriteByte('\n')
		return nil
	}
	if len(lib.Routines) > 0 {
		b.WriteString("Routines:\n")
		for _, r := range lib.Routines {
			if err := line(r.ID, r.Name, r.Description); err != nil {
				return err
			}
		}
		b.WriteByte('\n')
	}
	b.WriteString("Stretches (each plays alone, with a lead-in):\n")
	for _, st := range lib.Stretches {
		if err := line(st.ID, st.Name, ""); err != nil {
			return err
		}
	}
	_, err = fmt.Fprint(s.out, b.String())
	return err
}
