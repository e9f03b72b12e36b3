package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"syscall"

	"github.com/limber-audio/limber/internal/suggest"
	"github.com/limber-audio/limber/player"
	"github.com/limber-audio/limber/player/routine"
	"github.com/spf13/pflag"
)

// Exit codes.
const (
	exitOK      = 0
	exitFailure = 1 // something went wrong at run time
	exitUsage   = 2 // bad usage or invalid input
)

// usageError marks an error as the user's to fix: exit 2.
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

func usagef(format string, args ...any) error {
	return &usageError{fmt.Errorf(format, args...)}
}

// interrupted reports that a signal (or Ctrl-C in raw mode) stopped
// limber: exit 130 for SIGINT, 143 for SIGTERM, so a script can tell an
// interrupted session from a finished one. err is what the command had
// to say about it, if anything.
type interrupted struct {
	sig os.Signal
	err error
}

func (e *interrupted) Error() string {
	if e.err != nil {
		return e.err.Error()
	}
	return "interrupted by " + e.sig.String()
}

func (e *interrupted) Unwrap() error { return e.err }

// code is 128 plus the signal's number, as a shell reports it.
func (e *interrupted) code() int {
	if s, ok := e.sig.(syscall.Signal); ok {
		return 128 + int(s)
	}
	return 130
}

// withInterrupt turns err into an *interrupted when a signal cancelled
// ctx, keeping what the command said unless that was only the
// cancellation itself.
func withInterrupt(ctx context.Context, err error) error {
	ie, ok := context.Cause(ctx).(*interrupted)
	if !ok {
		return err
	}
	var already *interrupted
	if errors.As(err, &already) {
		return err
	}
	if err != nil && !errors.Is(err, context.Canceled) {
		return &interrupted{sig: ie.sig, err: err}
	}
	return ie
}

// errHelp is returned after help was printed on request: exit 0.
var errHelp = pflag.ErrHelp

// report prints err as "limber: ..." lines and returns the exit code.
func report(err error, stderr io.Writer) int {
	if err == nil || errors.Is(err, errHelp) {
		return exitOK
	}
	var ie *interrupted
	if errors.As(err, &ie) {
		if ie.err != nil && !errors.Is(ie.err, context.Canceled) {
			fmt.Fprintf(stderr, "limber: %s\n", ie.err)
		}
		return ie.code()
	}
	for _, line := range strings.Split(err.Error(), "\n") {
		fmt.Fprintf(stderr, "limber: %s\n", line)
	}
	var ue *usageError
	var ve *routine.ValidationErrors
	var ne *player.UnknownNameError
	var tl *player.TooLongError
	if errors.As(err, &ue) || errors.As(err, &ve) || errors.As(err, &ne) || errors.As(err, &tl) {
		return exitUsage
	}
	return exitFailure
}

// command is one subcommand.
type command struct {
	name, args, summary string
	run                 func(ctx context.Context, io *stdio, args []string) error
}

// stdio is the command's view of the process streams.
type stdio struct {
	in          io.Reader
	out, errOut io.Writer
	// onFlags, when set, is given every flag set the command builds
	// (shell completion learns a command's flags so).
	onFlags func(*pflag.FlagSet)
}

var commands []*command

func init() {
	commands = []*command{
		{"list", "", "list routines and stretches with their lengths", runList},
		{"play", "NAME", "play a routine or stretch, with keyboard controls", runPlay},
		{"say", "ID...", "say voice cues or words (or write them to a file with -o)", runSay},
		{"export", "NAME", "render a routine or stretch to a WAV or FLAC file", runExport},
		{"plan", "NAME", "print the timeline of a routine or stretch", runPlan},
		{"check", "FILE", "validate a routine file", runCheck},
		{"cues", "", "list the voice cues and your phrases; voice or record them", runCues},
		{"mics", "", "list the microphones play --listen can use", runMics},
		{"init", "[FILE]", "write a starter routine file with your own words", runInit},
		{"log", "", "your practice: streak, week, calendar; log add records a session", runLog},
		{"remind", "NAME", "remind you to stretch: daily, or every so often", runRemind},
		{"nudge", "NAME", "ask with a desktop notification: Start plays NAME, Later asks again", runNudge},
		{"completion", "SHELL", "print a completion script for bash, zsh or fish", runCompletion},
	}
}

const intro = `limber guides you through stretching routines with voice cues and tones,
so you can stretch with your eyes closed.

Usage:
  limber COMMAND [flags] [args]

Commands:
`

func printHelp(w io.Writer) {
	fmt.Fprint(w, intro)
	for _, c := range commands {
		fmt.Fprintf(w, "  %-10s %-8s %s\n", c.name, c.args, c.summary)
	}
	fmt.Fprint(w, `
Run "limber COMMAND --help" for a command's flags, "limber --version"
for the version.
Names: "limber list" shows the built-in routines (upper-back, desk-break,
warm-up) and stretches; a stretch id plays that stretch alone.
`)
}

// run executes limber with args (without the program name).
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	s := &stdio{in: stdin, out: stdout, errOut: stderr}
	if len(args) == 0 {
		return usagef("no command given; run limber --help")
	}
	switch args[0] {
	case "-h", "--help", "help":
		printHelp(stdout)
		return nil
	case "--version", "version":
		_, err := fmt.Fprintln(stdout, versionString())
		return err
	case completeCommand: // what the completion scripts run
		return runComplete(ctx, s, args[1:])
	}
	for _, c := range commands {
		if c.name == args[0] {
			return c.run(ctx, s, args[1:])
		}
	}
	var names []string
	for _, c := range commands {
		names = append(names, c.name)
	}
	return usagef("unknown command %s%s; run limber --help", strconv.Quote(shortQuote(args[0])), suggest.Hint(args[0], names))
}

// newFlags returns a flag set for command c that reports errors instead of
// exiting and prints its help on --help.
func newFlags(c string, s *stdio, usage string) *pflag.FlagSet {
	fs := pflag.NewFlagSet(c, pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.SortFlags = false
	if s.onFlags != nil {
		s.onFlags(fs)
	}
	fs.Usage = func() {
		fmt.Fprintf(s.out, "Usage: limber %s\n", usage)
		if fs.HasAvailableFlags() {
			fmt.Fprintf(s.out, "\nFlags:\n%s", fs.FlagUsages())
		}
	}
	return fs
}

// parse parses args into fs, turning flag errors into usage errors; after
// --help it returns errHelp.
func parse(fs *pflag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) { // pflag has printed the usage
			return errHelp
		}
		return &usageError{fmt.Errorf("%s: %w", fs.Name(), err)}
	}
	return nil
}
