package atomicfile

import (
	"io"
	"sync/atomic"
)

// asyncWriter buffers writes and hands each full buffer to a goroutine of
// its own that writes it on, while the caller fills the next: making the
// sound and copying it into the system overlap, on two cores. It holds two
// buffers. Errors are reported by the Write after the one that failed, and
// by Flush. Close must be called to stop the goroutine.
type asyncWriter struct {
	w    io.Writer
	buf  []byte      // being filled
	full chan []byte // to the goroutine
	free chan []byte // back from it, written
	done chan struct{}
	err  atomic.Pointer[error] // the first write error
}

func newAsyncWriter(w io.Writer, size int) *asyncWriter {
	a := &asyncWriter{w: w, buf: make([]byte, 0, size), full: make(chan []byte), free: make(chan []byte, 2), done: make(chan struct{})}
	a.free <- make([]byte, 0, size)
	go a.loop()
	return a
}

func (a *asyncWriter) loop() {
	defer close(a.done)
	for b := range a.full {
		if a.err.Load() == nil {
			if _, err := a.w.Write(b); err != nil {
				a.err.Store(&err)
			}
		}
		a.free <- b[:0]
	}
}

// failed returns the first write error.
func (a *asyncWriter) failed() error {
	if p := a.err.Load(); p != nil {
		return *p
	}
	return nil
}

// Write copies p into the buffers.
func (a *asyncWriter) Write(p []byte) (int, error) {
	n := 0
	for len(p) > 0 {
		k := copy(a.buf[len(a.buf):cap(a.buf)], p)
		a.buf = a.buf[:len(a.buf)+k]
		p, n = p[k:], n+k
		if len(a.buf) == cap(a.buf) {
			a.full <- a.buf
			a.buf = <-a.free
			if err := a.failed(); err != nil {
				return n, err
			}
		}
	}
	return n, nil
}

// Flush writes what is buffered and waits until everything is written.
func (a *asyncWriter) Flush() error {
	if len(a.buf) > 0 {
		a.full <- a.buf
		a.buf = <-a.free
	}
	b := <-a.free // the other buffer: back once written
	a.free <- b
	return a.failed()
}

// Close flushes and stops the goroutine.
func (a *asyncWriter) Close() error {
	err := a.Flush()
	close(a.full)
	<-a.done
	return err
}
