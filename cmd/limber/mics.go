package main

import (
	"context"
	"errors"
	"fmt"
	"text/tabwriter"

	"github.com/limber-audio/limber/mic"
)

// runMics lists the capture devices, for --mic.
func runMics(ctx context.Context, s *stdio, args []string) error {
	fs := newFlags("mics", s, "mics\n\n"+
		"Lists the microphones (capture devices) limber play --listen can use,\n"+
		"by the ID --mic takes and their name; the default one is marked.")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("mics: takes no arguments, got %s", fs.Arg(0))
	}
	devs, err := mic.Devices()
	switch {
	case errors.Is(err, mic.ErrUnavailable):
		return &usageError{err}
	case err != nil:
		return err
	case len(devs) == 0:
		return mic.ErrNoMicrophone
	}
	w := tabwriter.NewWriter(s.out, 0, 0, 2, ' ', 0)
	for _, d := range devs {
		mark := ""
		if d.Default {
			mark = "  (default)"
		}
		fmt.Fprintf(w, "%s\t%s%s\n", d.ID, d.Name, mark)
	}
	return w.Flush()
}
