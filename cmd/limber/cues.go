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
		src        source
		missing    string
		exportText bool
		synth      bool
	)
	fs := newFlags("cues", s, "cues [--missing DIR | --export-text | --synth] [--routines FILE]...\n\n"+
		"Lists every voice cue: id, length and words, then the phrases of your own\n"+
		"routine files (say.* ids). To record your own voice, save one file per\n"+
		"cue in a folder, named by id (switch-sides.wav; WAV, FLAC, MP3 or Ogg\n"+
		"Vorbis), and pass --voice DIR to play, say or export. --synth voices\n"+
		"your phrases now, so that playing never waits for an engine.")
	fs.StringVar(&missing, "missing", "", "list the cues and phrases `DIR` has no recording for yet")
	fs.BoolVar(&exportText, "export-text", false, "print the script to read aloud: id, a tab, the words")
	fs.BoolVar(&synth, "synth", false, "voice every phrase of your routine files that has no recording or cached clip yet (with --tts-all, every built-in cue too)")
	src.addFlags(fs, false, false)
	fs.StringVar(&src.voice, "voice", "", "with --synth: recordings in `DIR` need no voicing")
	src.tts.addFlags(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("cues: takes no arguments, got %s", strings.Join(fs.Args(), " "))
	}
	modes := 0
	for _, on := range []bool{missing != "", exportText, synth} {
		if on {
			modes++
		}
	}
	if modes > 1 {
		return usagef("cues: use one of --missing, --export-text and --synth")
	}
	lib, err := src.library()
	if err != nil {
		return err
	}
	pack, err := src.pack(player.DefaultRate, s, lib.Phrases())
	if err != nil {
		return err
	}
	var b strings.Builder
	switch {
	case synth:
		return synthAll(ctx, s, &src, pack)
	case missing != "":
		ids, err := cues.MissingRecordings(missing, pack)
		if err != nil {
			return &usageError{err}
		}
		for _, id := range ids {
			fmt.Fprintf(&b, "%s\t%s\n", id, pack.Text(id))
		}
		fmt.Fprintf(s.errOut, "%d of %d cues still to record in %s\n", len(ids), len(pack.IDs()), missing)
	case exportText:
		for _, id := range pack.IDs() {
			fmt.Fprintf(&b, "%s\t%s\n", id, pack.Text(id))
		}
	default:
		voice := estimateWith(pack, &src.tts)
		ids := pack.IDs()
		width := 0
		for _, id := range ids {
			width = max(width, len(id))
		}
		for _, id := range ids {
			voice.guessed = false
			n, err := voice.CueLen(id, player.DefaultRate)
			if err != nil {
				return err
			}
			mark := " "
			if voice.guessed {
				mark = "~"
			}
			fmt.Fprintf(&b, "%-*s %s%5.2fs  %s\n", width, id, mark, float64(n)/player.DefaultRate, pack.Text(id))
		}
	}
	_, err = fmt.Fprint(s.out, b.String())
	return err
}

// synthAll voices every phrase the pack knows (with --tts-all, every
// built-in cue too) and says what it did.
func synthAll(ctx context.Context, s *stdio, src *source, pack *cues.Pack) error {
	phrases := pack.Phrases()
	ids := make([]string, len(phrases))
	for i, ph := range phrases {
		ids[i] = ph.ID
	}
	v, err := src.tts.synth(s)
	if err != nil {
		return err
	}
	what := plural(len(ids), "phrase", "phrases")
	if v.BuiltinCues {
		ids = append(ids, pack.Manifest().IDs()...)
		what = fmt.Sprintf("%s and %d built-in cues", plural(len(phrases), "phrase", "phrases"), len(ids)-len(phrases))
	}
	v.Cached(pack, ids)
	fresh := len(v.Unvoiced(pack, ids))
	if err := v.voice(ctx, pack, ids); err != nil {
		return err
	}
	total := len(ids)
	if v.BuiltinCues { // the count leads: "3 phrases and 412 built-in cues"
		total = len(phrases)
	}
	_, err = fmt.Fprintf(s.out, "%d %s: %d recorded or cached already, %d voiced now\n",
		total, what, len(ids)-fresh, fresh)
	return err
}
