//go:build !(linux || darwin || dragonfly || freebsd || netbsd || openbsd)

package main

// keepOutputProcessing does nothing: term.MakeRaw leaves the output of a
// console here as it was.
func keepOutputProcessing(fd int) error { return nil }
