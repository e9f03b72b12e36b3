package history

import (
	"errors"
	"os"
	"time"

	"golang.org/x/sys/windows"
)

// lock takes an exclusive lock on the first byte of f, waiting at most
// wait for another process to let go of it. Closing f releases it.
func lock(f *os.File, wait time.Duration) (unlock func(), err error) {
	h := windows.Handle(f.Fd())
	deadline := time.Now().Add(wait)
	for {
		ol := new(windows.Overlapped)
		err := windows.LockFileEx(h, windows.LOCKFILE_EXCLUSIVE_LOCK|windows.LOCKFILE_FAIL_IMMEDIATELY, 0, 1, 0, ol)
		if err == nil {
			return func() { windows.UnlockFileEx(h, 0, 1, 0, ol) }, nil
		}
		if !errors.Is(err, windows.ERROR_LOCK_VIOLATION) {
			return nil, err
		}
		if time.Now().After(deadline) {
			return nil, errors.New("another process holds it")
		}
		time.Sleep(5 * time.Millisecond)
	}
}
