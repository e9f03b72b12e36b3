package main

import "context"

func runPlan(ctx context.Context, s *stdio, args []string) error {
	var src source
	var asJSON, explain bool
	fs := newFlags("plan", s, "plan NAME [--json] [--pace FACTOR] [--routines FILE] [--voice DIR]\n"+
		"       limber plan --minutes N [--focus AREAS] [--position LIST] [--explain] [flags]\n\n"+
		"Prints the timeline of routine or stretch NAME, or of a routine made to\n"+
		"measure: one line per cue, hold, rest and tone (countdown ticks only in\n"+
		"--json).")
	fs.BoolVar(&asJSON, "json", false, "print the timeline as JSON, times in seconds, every event included")
	fs.BoolVar(&explain, "explain", false, "with --minutes: say why each stretch was chosen")
	src.addFlags(fs, true, true)
	src.made.addFlags(fs)
	name, err := src.parseNameOrMade(fs, args)
	if err != nil {
		return err
	}
	if explain && asJSON {
		return usagef("plan: --explain is for the text plan, not --json")
	}
	if err := src.made.checkSave(src.inputs("")); err != nil {
		return err
	}
	tl, _, err := src.compile(ctx, name, s)
	if err != nil {
		return err
	}
	if err := src.made.writeSave(ctx); err != nil {
		return err
	}
	if asJSON {
		return tl.WriteJSON(s.out)
	}
	if explain {
		if err := src.made.explain(s.out); err != nil {
			return err
		}
	}
	return tl.WriteText(s.out)
}
