// Command limber is a hands-free stretching player: it reads a routine and
// guides you through it with voice cues and tones, live or as a WAV file.
// See doc.go for the manual, or run limber --help.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(report(err, os.Stderr))
}
