//go:build !unix

package main

// suspend does nothing where there is no job control.
func suspend() {}

// notifyResize never delivers: the status line takes the new width at its
// next redraw.
func notifyResize() (<-chan struct{}, func()) { return nil, func() {} }
