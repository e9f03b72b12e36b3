//go:build unix

package main

import (
	"os"
	"os/signal"
	"syscall"
)

// suspend stops limber as Ctrl-Z stops any terminal program, and returns
// when the shell continues it (fg). The caller has restored the terminal
// and paused the sound.
func suspend() {
	syscall.Kill(syscall.Getpid(), syscall.SIGTSTP)
}

// notifyResize delivers a value each time the terminal changes size.
func notifyResize() (<-chan struct{}, func()) {
	sigs := make(chan os.Signal, 1)
	out := make(chan struct{}, 1)
	signal.Notify(sigs, syscall.SIGWINCH)
	done := make(chan struct{})
	go func() {
		for {
			select {
			case <-sigs:
				select {
				case out <- struct{}{}:
				default:
				}
			case <-done:
				return
			}
		}
	}()
	return out, func() { signal.Stop(sigs); close(done) }
}
