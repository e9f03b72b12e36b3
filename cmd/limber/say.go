package main

import (
	"context"
	"strings"

	"github.com/limber-audio/limber/cues"
	"github.com/limber-audio/limber/player"
)

func runSay(ctx context.Context, s *stdio, args []string) error {
	var (
		src source
		w   wavFlags
	)
	fs := newFlags("say", s, "say ID [ID...] [-o FILE.wav] [--voice DIR]\n\n"+
		"Says the cues with these ids, in order, through the speaker, or writes\n"+
		"them to a WAV file with -o. limber cues lists the ids.")
	w.addFlags(fs)
	fs.StringVar(&src.voice, "voice", "", "use your own recordings from `DIR`")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usagef("say: missing cue ID (limber cues lists them)")
	}
	if err := w.check(); err != nil {
		return err
	}
	rate := player.DefaultRate
	if w.out != "" {
		rate = w.rate
	}
	pack, err := src.pack(rate, s)
	if err != nil {
		return err
	}
	tl, err := player.CueSequence(fs.Args(), pack, cues.Builtin(), player.Options{})
	if err != nil {
		return &usageError{err}
	}
	tl = tl.AtRate(rate)
	if w.out != "" {
		return w.write(ctx, s, tl, pack, "say", strings.Join(fs.Args(), " "))
	}
	r, err := player.NewRenderer(tl, pack, player.RenderOptions{})
	if err != nil {
		return err
	}
	return playLive(ctx, s, r, 0, 1, false)
}
