//go:build unix

package main

import (
	"os"
	"os/signal"
	"syscall"
)

// suspend stops limber as Ctrl-Z stops any terminal program, and returns
// when the shell continues it (fg). The caller has restored the terminal
// and paused the sound. kill returns before the stop takes hold, so it
// waits for SIGCONT: carrying on at once would put the terminal back in
// raw mode under the shell.
func suspend() {
	cont := make(chan os.Signal, 1)
	signal.Notify(cont, syscall.SIGCONT)
	defer signal.Stop(cont)
	if syscall.Kill(syscall.Getpid(), syscall.SIGTSTP) != nil {
		return
	}
	<-cont
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
