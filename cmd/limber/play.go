package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/limber-audio/limber/audio"
	"github.com/limber-audio/limber/player"
	"golang.org/x/term"
)

// speakerBuffer is the speaker's buffer: small, so controls respond fast.
const speakerBuffer = 80 * time.Millisecond

func runPlay(ctx context.Context, s *stdio, args []string) error {
	var (
		src    source
		from   string
		volume float64
		quiet  bool
		lean   bool
		music  musicFlags
	)
	fs := newFlags("play", s, "play NAME [flags]\n\n"+
		"Plays routine or stretch NAME through the speaker. On a terminal:\n"+
		"  space  pause / resume        n, →  next stretch\n"+
		"  p, ←   back to the start of this stretch (twice: the one before)\n"+
		"  +, -   volume                q, Ctrl-C  quit")
	fs.StringVar(&from, "from", "", "start the routine at `STRETCH`")
	fs.Float64Var(&volume, "volume", 1, "volume as a `GAIN` from 0 to 1.5")
	fs.BoolVar(&quiet, "quiet", false, "show no status on stderr")
	fs.BoolVar(&lean, "lean", false, "lean each side's cues toward that ear (stereo)")
	music.addFlags(fs)
	src.addFlags(fs, true, true)
	name, err := parseName(fs, args)
	if err != nil {
		return err
	}
	if !(volume >= player.MinVolume && volume <= player.MaxVolume) {
		return usagef("--volume must be between %g and %g, got %g", player.MinVolume, player.MaxVolume, volume)
	}
	tl, voice, err := src.compile(ctx, name, s)
	if err != nil {
		return err
	}
	start := 0
	if from != "" {
		i, err := tl.Section(from)
		if err != nil {
			return &usageError{fmt.Errorf("--from: %w", err)}
		}
		start = tl.Sections[i].Start
	}
	bed, err := music.open(tl.Rate)
	if err != nil {
		return err
	}
	r, err := player.NewRenderer(tl, voice, player.RenderOptions{Lean: lean})
	if err != nil {
		return err
	}
	var p player.Program = r
	if bed != nil {
		defer bed.Close()
		p = player.NewBed(r, bed, music.volume)
	}
	return playLive(ctx, s, p, start, volume, !quiet)
}

// playLive plays r from sample start on the speaker, with keyboard
// controls when stdin is a terminal and a status line on stderr when
// status is set.
func playLive(ctx context.Context, s *stdio, r player.Program, start int, volume float64, status bool) error {
	out, err := audio.OpenSpeaker(r.Timeline().Rate, speakerBuffer)
	if err != nil {
		return err
	}
	session := player.NewSession(r, out, player.SessionOptions{})
	session.SetVolume(volume)
	opts := player.LiveOptions{}
	if status {
		opts.Status, opts.Redraw = s.errOut, isTerminal(s.errOut)
	}
	if in, ok := s.in.(*os.File); ok && term.IsTerminal(int(in.Fd())) {
		restore, err := rawMode(in)
		if err != nil {
			return err
		}
		defer restore()
		keys := make(chan player.Key)
		go player.ParseKeys(in, keys)
		opts.Keys = keys
	}
	if err := session.Start(start); err != nil {
		return err
	}
	err = player.RunLive(ctx, session, opts)
	switch {
	case errors.Is(err, player.ErrQuit), errors.Is(err, context.Canceled):
		return nil // the user stopped it: not a failure
	}
	return err
}

// rawMode puts the terminal in raw mode and returns the function that
// restores it. The restore also runs if the program panics on its way out
// of the caller (it is deferred there) and is safe to call twice.
func rawMode(in *os.File) (restore func(), err error) {
	fd := int(in.Fd())
	old, err := term.MakeRaw(fd)
	if err != nil {
		return nil, fmt.Errorf("terminal: %w", err)
	}
	done := false
	return func() {
		if !done {
			done = true
			term.Restore(fd, old)
		}
	}, nil
}
