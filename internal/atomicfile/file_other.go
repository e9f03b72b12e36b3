//go:build !linux

package atomicfile

import (
	"errors"
	"os"
)

// createTemp makes a named temporary file in dir: this system has no
// unnamed ones.
func createTemp(dir string, mode os.FileMode) (*os.File, bool, error) {
	f, err := createNamedTemp(dir)
	return f, true, err
}

// linkUnnamed is never called where createTemp makes only named files.
func linkUnnamed(f *os.File, dest string) error {
	return errors.New("no unnamed temporary files on this system")
}

// writeback does nothing here: the final sync writes the whole file.
func writeback(f *os.File, off, n int64, wait bool) {}
