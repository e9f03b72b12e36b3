package audio

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
