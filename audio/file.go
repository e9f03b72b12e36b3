package audio

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// ExistsError reports a target file that exists and may not be replaced.
type ExistsError struct{ Path string }

func (e *ExistsError) Error() string {
	return fmt.Sprintf("%s already exists; use --force to replace it", e.Path)
}

// CheckTarget reports, before any work is done, whether WriteFile could
// write path: its folder must exist, and an existing regular file is only
// replaced when force is set. Devices, pipes and other non-regular files
// are written in place.
func CheckTarget(path string, force bool) error {
	st, err := os.Stat(path)
	switch {
	case err == nil && st.IsDir():
		return fmt.Errorf("%s is a directory", path)
	case err == nil && st.Mode().IsRegular() && !force:
		return &ExistsError{Path: path}
	case err == nil:
		return nil
	case !errors.Is(err, fs.ErrNotExist):
		return err
	}
	dir := filepath.Dir(path)
	if st, err := os.Stat(dir); err != nil {
		return err
	} else if !st.IsDir() {
		return fmt.Errorf("%s is not a directory", dir)
	}
	return nil
}

// WriteFile writes a file with write, so that an interrupted or failed
// write never leaves a partial file: the data goes to a temporary file in
// the same folder, which is synced and renamed over path only when write
// succeeded; on any error it is removed and an existing file at path is
// untouched. Without force, an existing path is an *ExistsError (checked
// again at the moment of renaming). A path that exists and is not a
// regular file (/dev/null, a pipe) is written directly, never replaced.
func WriteFile(path string, force bool, write func(w io.Writer) error) (err error) {
	if err := CheckTarget(path, force); err != nil {
		return err
	}
	if st, err := os.Stat(path); err == nil && !st.Mode().IsRegular() {
		return writeInPlace(path, write)
	}
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".*.tmp")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
			// The temporary file is ours, not the user's: report the
			// cause alone, for the caller to name the target.
			var pe *fs.PathError
			if errors.As(err, &pe) && pe.Path == tmp.Name() {
				err = pe.Err
			}
		}
	}()
	bw := bufio.NewWriterSize(tmp, 256<<10)
	if err := write(bw); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if force {
		return os.Rename(tmp.Name(), path)
	}
	// Link fails if path appeared meanwhile, where Rename would replace it.
	if err := os.Link(tmp.Name(), path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return &ExistsError{Path: path}
		}
		if !errors.Is(err, syscall.EPERM) && !errors.Is(err, syscall.ENOTSUP) {
			return err
		}
		// A file system without hard links: rename, after checking again.
		if _, serr := os.Lstat(path); serr == nil {
			return &ExistsError{Path: path}
		}
		return os.Rename(tmp.Name(), path)
	}
	return os.Remove(tmp.Name())
}

func writeInPlace(path string, write func(w io.Writer) error) error {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(f, 256<<10)
	err = write(bw)
	if err == nil {
		err = bw.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
