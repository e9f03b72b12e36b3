package main

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"strings"
	"time"

	"github.com/limber-audio/limber/player/mpris"

	"github.com/limber-audio/limber/audio/speaker"
	"github.com/limber-audio/limber/internal/timefmt"
	"github.com/limber-audio/limber/player"
	"golang.org/x/term"
)

// speakerBuffer is the speaker's buffer, split by beep between oto's
// player and the device: what sits between a key press and the sound.
// Chosen by measurement on the 2-core machine (BenchmarkPlay_TimeToFirstSound,
// median of 20; TestPlay_NoDropouts with both cores kept busy): 80 ms put
// the first sound at 153 ms, 70 ms at 129 ms with no dropout in 4 loaded
// runs, 60 ms at 109 ms but dropped sound in 1 of 3 loaded runs.
const speakerBuffer = 70 * time.Millisecond

func runPlay(ctx context.Context, s *stdio, args []string) error {
	var (
		src     source
		from    string
		volume  float64
		quiet   bool
		verbose bool
		lean    bool
		noLog   bool
		music   musicFlags
		hear    listenFlags
	)
	fs := newFlags("play", s, "play NAME [flags]\n\n"+
		"Plays routine or stretch NAME through the speaker. On a terminal:\n"+
		"  space  pause / resume        n, →  next stretch\n"+
		"  s      next side or repetition of this stretch\n"+
		"  p, ←   back to the start of this stretch (twice: the one before)\n"+
		"  r      say the instruction again\n"+
		"  +, -   volume                q  quit (Ctrl-C: stop, exit 130; Ctrl-Z: suspend)\n"+
		"With --listen, say \"limber pause\", \"limber continue\", \"limber next\",\n"+
		"\"limber back\", \"limber repeat\", \"limber louder\", \"limber quieter\", \"limber stop\".")
	fs.StringVar(&from, "from", "", "start the routine at `STRETCH`")
	percentVar(fs, &volume, "volume", 100, player.MaxVolume*100, "volume in `PERCENT`, 0 to 150 (80 or 80%), as the status line shows it")
	fs.BoolVar(&quiet, "quiet", false, "show no status on stderr")
	fs.BoolVar(&verbose, "verbose", false, "say whether the media controls (MPRIS) are on the session bus, and which spoken commands were ignored")
	fs.BoolVar(&lean, "lean", false, "lean each side's cues toward that ear (stereo)")
	fs.BoolVar(&noLog, "no-log", false, "keep this session out of the practice log (see limber log)")
	hear.addFlags(fs)
	music.addFlags(fs)
	src.addFlags(fs, true, true)
	src.made.addFlags(fs)
	name, err := src.parseNameOrMade(fs, args)
	if err != nil {
		return err
	}
	if err := src.made.checkSave(src.inputs(music.path)); err != nil {
		return err
	}
	listenOn, asked, err := hear.wanted(fs)
	if err != nil {
		return err
	}
	var hearing *listening
	if listenOn {
		if hearing, err = startListening(); err != nil {
			if asked {
				return err
			}
			// config.json asks every session to listen; one that cannot
			// still plays.
			fmt.Fprintf(s.errOut, "limber: warning: config.json: %v; playing without listening\n", err)
		} else {
			hearing.asked = asked
		}
	}
	rec, err := newRecorder(s, noLog)
	if err != nil {
		return err
	}
	device := openSpeaker(ctx, player.DefaultRate)
	tl, voice, err := src.compile(ctx, name, s)
	if err != nil {
		return err
	}
	defer voice.Close()
	if rec != nil {
		rec.areas = areasOf(src.lib)
	}
	if err := src.made.writeSave(ctx); err != nil {
		return err
	}
	voice.HoldClips() // no file reads while the sound card waits
	start := 0
	if from != "" {
		i, err := tl.Section(from)
		if err != nil {
			return &usageError{fmt.Errorf("--from: %w", err)}
		}
		start = tl.Sections[i].Start
	}
	bed, err := music.open(tl.Rate, false) // play reads the cache; exports fill it
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
	ears, err := hearing.open(s, hear.mic)
	if err != nil {
		return err
	}
	if ears != nil {
		defer ears.close()
	}
	title := tl.Routine
	if src.made.made != nil { // a made-up id; its name says what it is
		title = tl.Name
	}
	return playLive(ctx, s, device, p, voice, start, volume, title, !quiet, verbose, rec, ears)
}

// speakerOpening is the speaker being opened while the routine compiles:
// opening a device takes about as long as preparing the sound, and doing
// both at once brings the first sound sooner.
type speakerOpening struct {
	done chan struct{}
	out  *speaker.Device
	err  error
}

// openSpeaker starts opening the speaker at rate.
func openSpeaker(ctx context.Context, rate int) *speakerOpening {
	o := &speakerOpening{done: make(chan struct{})}
	go func() {
		defer close(o.done)
		o.out, o.err = speaker.Open(ctx, rate, speakerBuffer)
	}()
	return o
}

// wait returns the opened speaker.
func (o *speakerOpening) wait() (*speaker.Device, error) {
	<-o.done
	return o.out, o.err
}

// playLive plays r from sample start on the speaker, with keyboard
// controls when stdin is a terminal and a status line on stderr when
// status is set; then, with status, one line says how it ended, naming
// the routine title. rec, when set, records the session in the practice
// log however it ends. ears, when set, listen for spoken commands.
func playLive(ctx context.Context, s *stdio, device *speakerOpening, r player.Program, voice player.Clips, start int, volume float64, title string, status, verbose bool, rec *recorder, ears *ears) error {
	tl := r.Timeline()
	out, err := device.wait()
	if err != nil {
		return err
	}
	session := player.NewSession(r, out, player.SessionOptions{Clips: voice})
	session.SetVolume(volume)
	opts := player.LiveOptions{Errors: s.errOut, ShowIgnored: verbose}
	if status {
		opts.Status, opts.Redraw = s.errOut, canRedraw(s.errOut)
		if opts.Redraw {
			fd := int(s.errOut.(*os.File).Fd())
			opts.Width = func() int {
				w, _, err := term.GetSize(fd)
				if err != nil {
					return 0
				}
				return w
			}
			resized, stop := notifyResize()
			defer stop()
			opts.Resized = resized
		}
	}
	restoreTerminal := func() {}
	// The keys of the terminal and the media controls of the desktop
	// (MPRIS) arrive on one channel, so each button is its key.
	keys := make(chan player.Key, 4)
	opts.Keys = keys
	if srv, err := mpris.Start(ctx, session, keys); err == nil {
		defer srv.Close()
		if verbose {
			fmt.Fprintf(s.errOut, "limber: media controls on the session bus as %s\n", srv.Name())
		}
	} else if verbose {
		fmt.Fprintf(s.errOut, "limber: no media controls: %v\n", err)
	}
	if in, ok := s.in.(*os.File); ok && term.IsTerminal(int(in.Fd())) {
		restore, err := rawMode(in)
		if err != nil {
			return err
		}
		restoreTerminal = func() { restore() }
		defer restoreTerminal()
		typed := make(chan player.Key)
		go player.ParseKeys(in, typed)
		stopped := make(chan struct{})
		defer close(stopped)
		go func() {
			for k := range typed {
				select {
				case keys <- k:
				case <-stopped: // the session is over: nobody reads keys
					return
				}
			}
		}()
		opts.KeyHelp = true
		opts.Suspend = func() {
			restore()
			suspend()
			if again, err := rawMode(in); err == nil {
				restore = again
			}
		}
	}
	started := time.Now()
	if err := session.Start(start); err != nil {
		return err
	}
	live, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	if ears != nil {
		opts.Spoken = listenTo(live, ears.mic, ears.dec, session)
	}
	go func() {
		if err := out.CheckFlowing(live); err != nil && live.Err() == nil {
			cancel(err)
		}
	}()
	err = player.RunLive(live, session, opts)
	restoreTerminal() // before the last line, which needs the terminal's own line endings
	rec.record(s, tl, started, session.Report())
	if cause := context.Cause(live); errors.Is(cause, speaker.ErrNoOutput) {
		return cause
	}
	st := session.Status()
	failed := session.Err() // a clip, the music or a skip that failed as it played
	stopped := func() {
		if status {
			// The position as the status line showed it: whole seconds.
			fmt.Fprintf(s.errOut, "stopped %s at %s of %s\n", where(st), timefmt.Minutes(math.Floor(tl.Seconds(st.Pos))), timefmt.Minutes(tl.Seconds(tl.Len)))
		}
	}
	switch {
	case err == nil && st.Pos < tl.Len: // a clip that could not be read ended it
		stopped()
		return failed
	case err == nil:
		if status {
			fmt.Fprintf(s.errOut, "%s done, %s\n", title, timefmt.Minutes(tl.Seconds(tl.Len)))
		}
		return failed // music that stopped on the way
	case errors.Is(err, player.ErrQuit), errors.Is(err, player.ErrInterrupt), errors.Is(err, context.Canceled):
		stopped()
		if errors.Is(err, player.ErrInterrupt) {
			return &interrupted{sig: os.Interrupt, err: failed}
		}
		return failed // nil after q; a signal's exit code comes from main
	}
	return err
}

// where says where a stopped session was: "in neck tilts", "in the rest
// before chair rotation" and the like.
func where(st player.Status) string {
	switch {
	case st.Name != "":
		return "in " + strings.ToLower(st.Name)
	case st.Part == player.PartRest:
		return "in the rest before " + strings.ToLower(st.Next)
	case st.Part == player.PartLeadIn:
		return "in the lead-in"
	}
	return "in the closing"
}
