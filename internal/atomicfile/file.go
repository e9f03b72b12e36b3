package atomicfile

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// ExistsError reports a target file that exists and may not be replaced.
type ExistsError struct{ Path string }

func (e *ExistsError) Error() string {
	return fmt.Sprintf("%s already exists; use --force to replace it", e.Path)
}

// Target is one file a command writes: where, and what goes in it. With W
// set, Path only names it and the data goes to W (standard output).
type Target struct {
	Path  string
	W     io.Writer
	Write func(w io.Writer) error
}

// CheckTarget reports, before any work is done, whether WriteFiles could
// write path: its folder must exist and take a new file, and an existing
// regular file is only replaced when force is set. Devices, pipes and
// other non-regular files are written in place. A symbolic link is
// followed to what it names, even a file yet to be made.
func CheckTarget(path string, force bool) error {
	dest, err := resolve(path)
	if err != nil {
		return err
	}
	st, err := os.Stat(dest)
	switch {
	case err == nil && st.IsDir():
		return fmt.Errorf("%s is a directory", path)
	case err == nil && st.Mode().IsRegular() && !force:
		return &ExistsError{Path: path}
	case err == nil && (!st.Mode().IsRegular() || strings.HasPrefix(dest, "/dev/") || strings.HasPrefix(dest, "/proc/")):
		return nil
	case err != nil && !errors.Is(err, fs.ErrNotExist) && !errors.Is(err, syscall.ENOTDIR):
		return err // ENOTDIR: a file where a folder should be, said below
	}
	dir := filepath.Dir(dest)
	if st, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("cannot write %s: folder %s does not exist", path, filepath.Dir(path))
	} else if err != nil {
		return err
	} else if !st.IsDir() {
		return fmt.Errorf("cannot write %s: %s is not a folder", path, filepath.Dir(path))
	}
	// Try it: a read-only mount or folder fails here, before any work.
	f, named, err := createTemp(dir, 0o600)
	if err != nil {
		return fmt.Errorf("cannot write in %s: %w", dir, causeOf(err))
	}
	f.Close()
	if named {
		os.Remove(f.Name())
	}
	return nil
}

// WriteFile writes one file as WriteFiles does.
func WriteFile(ctx context.Context, path string, force bool, write func(w io.Writer) error) error {
	return WriteFiles(ctx, force, Target{Path: path, Write: write})
}

// WriteFiles writes every target, all or none, so that an interrupted or
// failed write never leaves a partial file or half of the set: each
// regular file is written to a temporary file in its target's folder (an
// unnamed one where the system has them, so even a killed limber leaves
// nothing), and only when every target is complete are they put in place.
// Without force, an existing file is an *ExistsError (checked again at the
// moment of linking). A target that exists and is not a regular file
// (/dev/null, a pipe) is written directly, never replaced; writing a pipe
// waits for its reader until ctx is done. A symbolic link is written
// through, to the file it names. New files get the mode the umask allows;
// a replaced file keeps its own. Errors name the target, never a
// temporary file.
func WriteFiles(ctx context.Context, force bool, targets ...Target) (err error) {
	var staged []*stagedFile
	defer func() {
		for _, s := range staged {
			s.discard()
		}
	}()
	var direct []Target
	for _, t := range targets {
		if t.W != nil {
			direct = append(direct, t)
			continue
		}
		dest, err := resolve(t.Path)
		if err != nil {
			return err
		}
		st, err := os.Stat(dest)
		if err == nil && st.IsDir() {
			return fmt.Errorf("%s is a directory", t.Path)
		}
		if err == nil && (!st.Mode().IsRegular() || dest == t.Path && (strings.HasPrefix(dest, "/dev/") || strings.HasPrefix(dest, "/proc/"))) {
			direct = append(direct, Target{Path: dest, Write: t.Write})
			continue
		}
		s, err := stage(ctx, t.Path, dest, force, t.Write)
		if err != nil {
			return err
		}
		staged = append(staged, s)
	}
	for _, t := range direct {
		if t.W != nil {
			if err := t.Write(t.W); err != nil {
				return err
			}
			continue
		}
		if err := writeInPlace(ctx, t.Path, t.Write); err != nil {
			return err
		}
	}
	for _, s := range staged {
		if err := s.commit(force); err != nil {
			return err
		}
	}
	return nil
}

// seekableWriter buffers writes to a file and can seek in it (the FLAC
// writer goes back to put its signature into the header).
type seekableWriter struct {
	*asyncWriter
	f *os.File
}

func (w *seekableWriter) Seek(offset int64, whence int) (int64, error) {
	if err := w.Flush(); err != nil {
		return 0, err
	}
	return w.f.Seek(offset, whence)
}

// writebackChunk is how many bytes a streamingWriter lets pile up before
// it has the system write them to the disk.
const writebackChunk = 8 << 20

// streamingWriter writes a file that is synced to the disk at the end and
// has the system write it out as it goes, a chunk at a time, while the
// next chunk is made: the final sync then has little left to do, and a
// file of gigabytes does not fill the page cache with dirty pages (where
// the system allows; elsewhere it is a plain writer).
type streamingWriter struct {
	f        *os.File
	off      int64 // bytes written (a seek back, for a header, only makes the ranges hints)
	startAt  int64 // start of the chunk not yet handed to writeback
	waitedAt int64 // start of the chunk not yet waited for
}

func (w *streamingWriter) Write(p []byte) (int, error) {
	n, err := w.f.Write(p)
	w.off += int64(n)
	if w.off-w.startAt >= writebackChunk {
		// Wait for the chunk before last, then start the last one: the
		// disk works on one chunk while the next is made.
		if w.startAt > w.waitedAt {
			writeback(w.f, w.waitedAt, w.startAt-w.waitedAt, true)
			w.waitedAt = w.startAt
		}
		writeback(w.f, w.startAt, w.off-w.startAt, false)
		w.startAt = w.off
	}
	return n, err
}

// stagedFile is a complete temporary file waiting to be put in place.
type stagedFile struct {
	path  string // as the user named it, for messages
	dest  string // where it goes, links followed
	f     *os.File
	named bool // a named temporary file, not an unnamed one
}

// stage writes a target into a temporary file beside its destination.
func stage(ctx context.Context, path, dest string, force bool, write func(io.Writer) error) (*stagedFile, error) {
	mode := os.FileMode(0o666) // less the umask, applied by the system
	keep := false
	if st, err := os.Stat(dest); err == nil && force {
		mode, keep = st.Mode().Perm(), true
	}
	f, named, err := createTemp(filepath.Dir(dest), mode)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, causeOf(err))
	}
	s := &stagedFile{path: path, dest: dest, f: f, named: named}
	fail := func(err error) (*stagedFile, error) {
		s.discard()
		if errors.Is(err, context.Canceled) {
			return nil, err
		}
		return nil, fmt.Errorf("%s: %w", path, causeOf(err))
	}
	if named || keep {
		if !keep {
			mode = 0o666 &^ umask()
		}
		if err := f.Chmod(mode); err != nil {
			return fail(err)
		}
	}
	bw := &seekableWriter{newAsyncWriter(&streamingWriter{f: f}, 256<<10), f}
	err = write(bw)
	if cerr := bw.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fail(err)
	}
	if err := ctx.Err(); err != nil {
		return fail(err)
	}
	if err := f.Sync(); err != nil {
		return fail(err)
	}
	return s, nil
}

// commit puts the file in place: linked where nothing is (so a file that
// appeared meanwhile is never replaced without force), renamed over the
// old one with force.
func (s *stagedFile) commit(force bool) error {
	err := s.place(force)
	if err != nil {
		var ee *ExistsError
		if !errors.As(err, &ee) {
			err = fmt.Errorf("%s: %w", s.path, causeOf(err))
		}
	}
	return err
}

func (s *stagedFile) place(force bool) error {
	if !s.named {
		if !force {
			err := linkUnnamed(s.f, s.dest)
			if errors.Is(err, fs.ErrExist) {
				return &ExistsError{Path: s.path}
			}
			return err
		}
		// Give it a short-lived name, then rename it over the old file.
		tmp := tempName(filepath.Dir(s.dest))
		if err := linkUnnamed(s.f, tmp); err != nil {
			return err
		}
		if err := os.Rename(tmp, s.dest); err != nil {
			os.Remove(tmp)
			return err
		}
		return nil
	}
	if force {
		return os.Rename(s.f.Name(), s.dest)
	}
	if err := os.Link(s.f.Name(), s.dest); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return &ExistsError{Path: s.path}
		}
		if !errors.Is(err, syscall.EPERM) && !errors.Is(err, syscall.ENOTSUP) {
			return err
		}
		// A file system without hard links: rename, after checking again.
		if _, serr := os.Lstat(s.dest); serr == nil {
			return &ExistsError{Path: s.path}
		}
		return os.Rename(s.f.Name(), s.dest)
	}
	return os.Remove(s.f.Name())
}

// discard closes the temporary file and removes it if it has a name; an
// unnamed one vanishes by itself.
func (s *stagedFile) discard() {
	if s.f == nil {
		return
	}
	s.f.Close()
	if s.named {
		os.Remove(s.f.Name())
	}
	s.f = nil
}

// Temp is a file being made in a folder, where nobody sees it until
// Replace puts it in place: an unnamed file where the system has them
// (so even a killed limber leaves nothing), else one under a
// recognisable temporary name.
type Temp struct{ s stagedFile }

// CreateTemp makes a Temp in dir with mode, less the umask.
func CreateTemp(dir string, mode os.FileMode) (*Temp, error) {
	f, named, err := createTemp(dir, mode)
	if err != nil {
		return nil, err
	}
	return &Temp{stagedFile{f: f, named: named}}, nil
}

// File is the file to write into.
func (t *Temp) File() *os.File { return t.s.f }

// Replace puts the file in place at dest, replacing any file there, and
// closes it.
func (t *Temp) Replace(dest string) error {
	t.s.path, t.s.dest = dest, dest
	err := t.s.commit(true)
	t.s.discard()
	return err
}

// Discard closes the file and drops it.
func (t *Temp) Discard() { t.s.discard() }

// ReplaceFile writes a file limber owns (a cache entry) whole, through a
// Temp in path's folder, and puts it in place at path: whatever is at
// that name, a symbolic link too, is replaced, never followed, so a link
// planted there cannot send the write anywhere else. The file gets mode,
// less the umask.
func ReplaceFile(path string, mode os.FileMode, write func(w io.Writer) error) error {
	t, err := CreateTemp(filepath.Dir(path), mode)
	if err != nil {
		return fmt.Errorf("%s: %w", path, causeOf(err))
	}
	defer t.Discard()
	bw := bufio.NewWriterSize(t.File(), 64<<10)
	if err := write(bw); err != nil {
		return fmt.Errorf("%s: %w", path, causeOf(err))
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("%s: %w", path, causeOf(err))
	}
	return t.Replace(path)
}

// tempPrefix starts the name of every named temporary file limber makes,
// so they are recognisable; tempStale is when one left by a killed limber
// is removed.
const (
	tempPrefix = ".limber-"
	tempSuffix = ".tmp"
	tempStale  = time.Hour
)

// createNamedTemp makes a recognisable temporary file in dir, first
// removing stale ones a killed limber left there.
func createNamedTemp(dir string) (*os.File, error) {
	old, _ := filepath.Glob(filepath.Join(dir, tempPrefix+"*"+tempSuffix))
	for _, p := range old {
		if st, err := os.Lstat(p); err == nil && st.Mode().IsRegular() && time.Since(st.ModTime()) > tempStale {
			os.Remove(p)
		}
	}
	return os.CreateTemp(dir, tempPrefix+"*"+tempSuffix)
}

// tempName returns an unused name for a temporary file in dir.
func tempName(dir string) string {
	return filepath.Join(dir, fmt.Sprintf("%s%d-%d%s", tempPrefix, os.Getpid(), time.Now().UnixNano(), tempSuffix))
}

// Resolve returns the file that writing path writes (as WriteFiles
// does): path with its symbolic links followed, even to a file yet to be
// made (a dangling link), or path itself for a device, a pipe or
// anything under /dev or /proc (/dev/stdout), which is written in place.
// Two outputs that resolve to one file are one file.
func Resolve(path string) (string, error) { return resolve(path) }

// resolve follows path's symbolic links to the file they name, which may
// not exist yet (a link to a file to be made). A path that names a
// device, a pipe or anything under /dev or /proc (/dev/stdout) stays as it
// is: it is written in place.
func resolve(path string) (string, error) {
	if st, err := os.Stat(path); err == nil {
		if !st.Mode().IsRegular() || strings.HasPrefix(path, "/dev/") || strings.HasPrefix(path, "/proc/") {
			return path, nil
		}
		return filepath.EvalSymlinks(path)
	}
	for range 40 {
		st, err := os.Lstat(path)
		if err != nil || st.Mode()&fs.ModeSymlink == 0 {
			return path, nil
		}
		to, err := os.Readlink(path)
		if err != nil {
			return "", err
		}
		if !filepath.IsAbs(to) {
			to = filepath.Join(filepath.Dir(path), to)
		}
		path = to
	}
	return "", fmt.Errorf("%s: too many levels of symbolic links", path)
}

// causeOf strips the *fs.PathError or *os.LinkError around a system
// error: it names a temporary file or repeats the target, and the caller
// names the target once.
func causeOf(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}

// writeInPlace writes a device or pipe directly. Opening a pipe waits for
// a reader, so it is opened without blocking and tried again until a
// reader comes or ctx is done.
func writeInPlace(ctx context.Context, path string, write func(w io.Writer) error) error {
	f, err := openForWrite(ctx, path)
	if err != nil {
		if errors.Is(err, context.Canceled) {
			return err
		}
		return fmt.Errorf("%s: %w", path, causeOf(err))
	}
	bw := bufio.NewWriterSize(f, 256<<10)
	err = write(bw)
	if err == nil {
		err = bw.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil && !errors.Is(err, context.Canceled) {
		return fmt.Errorf("%s: %w", path, causeOf(err))
	}
	return err
}
