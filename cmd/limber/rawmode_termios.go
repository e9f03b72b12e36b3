//go:build linux || darwin || dragonfly || freebsd || netbsd || openbsd

package main

import "golang.org/x/sys/unix"

// keepOutputProcessing turns the terminal's output processing (OPOST,
// with ONLCR: "\n" becomes "\r\n") back on after term.MakeRaw turned it
// off with the rest of cfmakeraw's settings. Without it, lines written
// by limber through a pipe (2>&1 | tee log) or by any other program
// sharing the terminal each start where the last one ended.
func keepOutputProcessing(fd int) error {
	t, err := unix.IoctlGetTermios(fd, ioctlGetTermios)
	if err != nil {
		return err
	}
	t.Oflag |= unix.OPOST | unix.ONLCR
	return unix.IoctlSetTermios(fd, ioctlSetTermios, t)
}
