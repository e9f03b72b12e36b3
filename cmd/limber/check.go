package main

import (
	"context"
	"fmt"

	"github.com/limber-audio/limber/cues"
	"github.com/limber-audio/limber/player"
	"github.com/limber-audio/limber/player/routine"
)

func runCheck(ctx context.Context, s *stdio, args []string) error {
	fs := newFlags("check", s, "check FILE\n\n"+
		"Validates a routine file and prints a one-line summary. Problems are\n"+
		"listed one per line as FILE:LINE:COL: FIELD: what is wrong.")
	if err := parse(fs, args); err != nil {
		return err
	}
	file, err := oneName(fs, "FILE")
	if err != nil {
		return err
	}
	lib, err := routine.LoadFile(file, cues.Builtin())
	if err != nil {
		return err
	}
	voice := cues.NewPack(player.DefaultRate)
	longest, longestLen := "", 0
	for _, name := range lib.Names() {
		tl, err := player.Compile(lib, name, voice, player.Options{})
		if err != nil {
			return err
		}
		if tl.Len > longestLen {
			longest, longestLen = name, tl.Len
		}
	}
	_, err = fmt.Fprintf(s.out, "%s: ok: %d stretches, %d routines; longest %s (%s)\n", file,
		len(lib.Stretches), len(lib.Routines), longest, player.FormatClock(float64(longestLen)/player.DefaultRate))
	return err
}
