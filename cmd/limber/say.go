package main

import (
	"context"
	"strings"

	"github.com/limber-audio/limber/cues"
	"github.com/limber-audio/limber/cues/cueid"
	"github.com/limber-audio/limber/internal/shorten"
	"github.com/limber-audio/limber/player"
)

func runSay(ctx context.Context, s *stdio, args []string) error {
	var (
		src source
		w   outputFlags
	)
	fs := newFlags("say", s, "say ID|WORDS [ID|WORDS...] [-o FILE.wav] [--voice DIR]\n\n"+
		"Says the cues with these ids, or these words, in order, through the\n"+
		"speaker, or writes them to a WAV file with -o. limber cues lists the ids;\n"+
		"anything that is not written like an id (\"Breathe out slowly.\") is words,\n"+
		"voiced once by a text-to-speech engine and cached.")
	w.addFlags(fs)
	fs.StringVar(&src.voice, "voice", "", "use your own recordings from `DIR`")
	src.tts.addFlags(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usagef("say: missing cue ID or words (limber cues lists the ids)")
	}
	if err := w.check(src.inputs("")...); err != nil {
		return err
	}
	rate := player.DefaultRate
	if w.out != "" {
		rate = w.rate
	}
	ids, phrases, err := sayArgs(fs.Args())
	if err != nil {
		return err
	}
	pack, err := src.pack(rate, s, phrases)
	if err != nil {
		return err
	}
	defer pack.Close()
	pack.HoldClips() // no file reads while the sound card waits
	if err := checkCues(ids, pack); err != nil {
		return err
	}
	if err := src.tts.voice(ctx, s, pack, ids); err != nil {
		return err
	}
	tl, err := player.CueSequence(ids, pack, pack, player.Options{})
	if err != nil {
		return &usageError{err}
	}
	tl = tl.AtRate(rate)
	if w.out != "" {
		return w.write(ctx, s, tl, pack, "say", shortArgs(fs.Args()))
	}
	r, err := player.NewRenderer(tl, pack, player.RenderOptions{})
	if err != nil {
		return err
	}
	return playLive(ctx, s, openSpeaker(ctx, tl.Rate), r, pack, 0, 1, tl.Routine, false, false, nil, nil)
}

// sayArgs reads say's arguments: a known cue id or anything written like
// one is an id; the rest are words, which become phrases. Words are held
// to the limits of a routine file's sentences (cueid.CheckText).
func sayArgs(args []string) (ids []string, phrases []cueid.Phrase, err error) {
	m := cues.Builtin()
	for _, a := range args {
		if m.Has(a) || cueid.LooksLike(a) || !cueid.HasWords(a) {
			ids = append(ids, a)
			continue
		}
		if err := cueid.CheckText(a); err != nil {
			return nil, nil, usagef("say: words %s: %v", shortQuote(a), err)
		}
		ph := cueid.Phrase{ID: cueid.OfWords(a), Text: cueid.Normalize(a)}
		phrases = append(phrases, ph)
		ids = append(ids, ph.ID)
	}
	return ids, phrases, nil
}

// checkCues reports ids the pack does not know, before any voicing.
func checkCues(ids []string, pack *cues.Pack) error {
	var unknown []string
	for _, id := range ids {
		if !pack.Has(id) {
			unknown = append(unknown, id)
		}
	}
	if len(unknown) > 0 {
		return &usageError{&player.UnknownCueError{IDs: unknown, Known: pack.IDs()}}
	}
	return nil
}

// shortArgs joins say's arguments for a progress bar or a message.
func shortArgs(args []string) string {
	return shorten.To(strings.Join(args, " "), 40)
}
