package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/limber-audio/limber/cues"
	"github.com/limber-audio/limber/player"
)

func runCues(ctx context.Context, s *stdio, args []string) error {
	var (
		missing    string
		exportText bool
	)
	fs := newFlags("cues", s, "cues [--missing DIR | --export-text]\n\n"+
		"Lists every voice cue: id, length and words. To record your own voice,\n"+
		"save one file per cue in a folder, named by id (switch-sides.wav; WAV,\n"+
		"FLAC, MP3 or Ogg Vorbis), and pass --voice DIR to play, say or export.")
	fs.StringVar(&missing, "missing", "", "list the cues `DIR` has no recording for yet")
	fs.BoolVar(&exportText, "export-text", false, "print the script to read aloud: id, a tab, the words")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("cues: takes no arguments, got %s", strings.Join(fs.Args(), " "))
	}
	m := cues.Builtin()
	var b strings.Builder
	switch {
	case missing != "" && exportText:
		return usagef("cues: use --missing or --export-text, not both")
	case missing != "":
		ids, err := cues.MissingRecordings(missing, m)
		if err != nil {
			return &usageError{err}
		}
		for _, id := range ids {
			fmt.Fprintf(&b, "%s\t%s\n", id, m.Text(id))
		}
		fmt.Fprintf(s.errOut, "%d of %d cues still to record in %s\n", len(ids), len(m.Cues()), missing)
	case exportText:
		for _, c := range m.Cues() {
			fmt.Fprintf(&b, "%s\t%s\n", c.ID, c.Text)
		}
	default:
		pack := cues.NewPack(player.DefaultRate)
		width := 0
		for _, c := range m.Cues() {
			width = max(width, len(c.ID))
		}
		for _, c := range m.Cues() {
			n, err := pack.CueLen(c.ID, player.DefaultRate)
			if err != nil {
				return err
			}
			fmt.Fprintf(&b, "%-*s  %5.2fs  %s\n", width, c.ID, float64(n)/player.DefaultRate, c.Text)
		}
	}
	_, err := fmt.Fprint(s.out, b.String())
	return err
}
