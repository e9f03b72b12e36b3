package atomicfile

import (
	"errors"
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

// createTemp makes a temporary file in dir with mode (less the umask): an
// unnamed one (O_TMPFILE), which nothing can see and which vanishes if
// limber is killed, where the file system has them, else a named one.
func createTemp(dir string, mode os.FileMode) (f *os.File, named bool, err error) {
	f, err = os.OpenFile(dir, os.O_WRONLY|unix.O_TMPFILE, mode)
	if err == nil {
		return f, false, nil
	}
	if !errors.Is(err, unix.EOPNOTSUPP) && !errors.Is(err, unix.EISDIR) && !errors.Is(err, unix.EINVAL) {
		return nil, false, err
	}
	f, err = createNamedTemp(dir)
	return f, true, err
}

// linkUnnamed gives an unnamed temporary file the name dest; dest must
// not exist.
func linkUnnamed(f *os.File, dest string) error {
	err := unix.Linkat(unix.AT_FDCWD, fmt.Sprintf("/proc/self/fd/%d", f.Fd()), unix.AT_FDCWD, dest, unix.AT_SYMLINK_FOLLOW)
	if err != nil {
		return &os.LinkError{Op: "link", Old: f.Name(), New: dest, Err: err}
	}
	return nil
}

// writeback has the system start writing n bytes of f from off to the
// disk; with wait, it waits until they are written and drops them from
// the page cache. Failures are ignored: the final sync reports them.
func writeback(f *os.File, off, n int64, wait bool) {
	fd := int(f.Fd())
	if !wait {
		unix.SyncFileRange(fd, off, n, unix.SYNC_FILE_RANGE_WRITE)
		return
	}
	unix.SyncFileRange(fd, off, n, unix.SYNC_FILE_RANGE_WAIT_BEFORE|unix.SYNC_FILE_RANGE_WRITE|unix.SYNC_FILE_RANGE_WAIT_AFTER)
	unix.Fadvise(fd, off, n, unix.FADV_DONTNEED)
}
