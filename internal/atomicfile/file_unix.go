//go:build unix

package atomicfile

import (
	"context"
	"errors"
	"os"
	"sync"
	"syscall"
	"time"
)

var umaskOnce = sync.OnceValue(func() os.FileMode { // a variable, so tests can set it
	m := syscall.Umask(0)
	syscall.Umask(m)
	return os.FileMode(m)
})

// umask returns the process's file mode creation mask.
func umask() os.FileMode { return umaskOnce() }

// pipeWaits, when set, is called each time openForWrite finds a pipe
// with no reader and waits for one: tests watch it.
var pipeWaits func()

// openForWrite opens a device or a named pipe for writing. A pipe with
// no reader yet is tried again every 50 ms until one comes or ctx is
// done.
func openForWrite(ctx context.Context, path string) (*os.File, error) {
	for {
		f, err := os.OpenFile(path, os.O_WRONLY|syscall.O_NONBLOCK, 0)
		if !errors.Is(err, syscall.ENXIO) { // ENXIO: a pipe without a reader
			return f, err
		}
		if pipeWaits != nil {
			pipeWaits()
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}
