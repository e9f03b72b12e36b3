package main

import (
	"context"
	"fmt"
	"runtime"
	"time"

	"github.com/limber-audio/limber/internal/timefmt"
	"github.com/limber-audio/limber/notify"
	"github.com/limber-audio/limber/player"
)

// defaultLater is how long Later puts a nudge off.
const defaultLater = 10 * time.Minute

func runNudge(ctx context.Context, s *stdio, args []string) error {
	var (
		src   source
		later time.Duration
		noLog bool
	)
	fs := newFlags("nudge", s, "nudge NAME [--later DURATION]\n\n"+
		"Asks with a desktop notification whether to stretch now: Start plays\n"+
		"routine or stretch NAME, Later asks again after --later. This is what a\n"+
		"reminder (limber remind) runs when it is due.")
	fs.DurationVar(&later, "later", defaultLater, "ask again after `DURATION` when Later is pressed")
	fs.BoolVar(&noLog, "no-log", false, "keep the session out of the practice log")
	src.addFlags(fs, false, false)
	name, err := parseName(fs, args)
	if err != nil {
		return err
	}
	if later <= 0 {
		return usagef("--later must be positive, got %s", later)
	}
	lib, err := src.library()
	if err != nil {
		return err
	}
	tl, err := player.Compile(lib, name, newEstimate(lib, &src.tts), player.Options{})
	if err != nil {
		return err
	}
	asker, err := newAsker(ctx)
	if err != nil {
		return err
	}
	defer asker.Close()
	n := notify.Notification{
		App:     "limber",
		Summary: "Time to stretch: " + tl.Name,
		Body:    fmt.Sprintf("%s takes %s.", tl.Name, timefmt.Minutes(tl.Seconds(tl.Len))),
		Actions: []notify.Action{{Key: "start", Label: "Start"}, {Key: "later", Label: "Later"}},
	}
	if !asker.Buttons() {
		n.Body += " Run: limber play " + name
		return asker.Tell(n)
	}
	for {
		key, err := asker.Ask(ctx, n)
		if err != nil {
			return err
		}
		switch key {
		case "start":
			asker.Close() // the session has media controls of its own on the bus
			playArgs := []string{name}
			for _, r := range src.routines {
				playArgs = append(playArgs, "--routines", r)
			}
			if noLog {
				playArgs = append(playArgs, "--no-log")
			}
			return runPlay(ctx, s, playArgs)
		case "later":
			fmt.Fprintf(s.out, "asking again at %s\n", time.Now().Add(later).Format("15:04:05"))
			select {
			case <-time.After(later):
			case <-ctx.Done():
				return ctx.Err()
			}
		default: // dismissed
			return nil
		}
	}
}

// newAsker returns what asks the person: a dialog on macOS, else the
// notification server on the session bus.
func newAsker(ctx context.Context) (notify.Asker, error) {
	if runtime.GOOS == "darwin" {
		return notify.Dialog{}, nil
	}
	return notify.Connect(ctx, "")
}
