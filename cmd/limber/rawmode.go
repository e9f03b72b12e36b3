package main

import (
	"fmt"
	"os"

	"golang.org/x/term"
)

// rawMode puts the terminal in raw mode for input (keys arrive one by
// one, unechoed, Ctrl-C and Ctrl-Z as keys) and returns the function that
// restores it. Output keeps the terminal's own processing where the
// system allows (see keepOutputProcessing): a line ending moves to the
// margin for every writer to the terminal, also limber's stderr in a pipe
// to cat or tee, which knows nothing of raw mode. The restore also runs
// if the program panics on its way out of the caller (it is deferred
// there) and is safe to call twice.
func rawMode(in *os.File) (restore func(), err error) {
	fd := int(in.Fd())
	old, err := term.MakeRaw(fd)
	if err != nil {
		return nil, fmt.Errorf("terminal: %w", err)
	}
	if err := keepOutputProcessing(fd); err != nil {
		term.Restore(fd, old)
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
