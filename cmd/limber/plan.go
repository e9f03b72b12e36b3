package main

import "context"

func runPlan(ctx context.Context, s *stdio, args []string) error {
	var src source
	var asJSON bool
	fs := newFlags("plan", s, "plan NAME [--json] [--pace FACTOR] [--routines FILE] [--voice DIR]\n\n"+
		"Prints the timeline of routine or stretch NAME: one line per cue, hold,\n"+
		"rest and tone (countdown ticks only in --json).")
	fs.BoolVar(&asJSON, "json", false, "print the timeline as JSON, times in seconds, every event included")
	src.addFlags(fs, true, true)
	name, err := parseName(fs, args)
	if err != nil {
		return err
	}
	tl, _, err := src.compile(ctx, name, s)
	if err != nil {
		return err
	}
	if asJSON {
		return tl.WriteJSON(s.out)
	}
	return tl.WriteText(s.out)
}
