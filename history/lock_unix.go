//go:build unix

package history

import (
	"errors"
	"os"
	"syscall"
	"time"
)

// lock takes an exclusive flock on f, waiting at most wait for another
// process to let go of it. The lock goes with the file: closing f, or the
// process ending, releases it.
func lock(f *os.File, wait time.Duration) (unlock func(), err error) {
	deadline := time.Now().Add(wait)
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			return func() { syscall.Flock(int(f.Fd()), syscall.LOCK_UN) }, nil
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) && !errors.Is(err, syscall.EINTR) {
			return nil, err
		}
		if time.Now().After(deadline) {
			return nil, errors.New("another process holds it")
		}
		time.Sleep(5 * time.Millisecond)
	}
}
