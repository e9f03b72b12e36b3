//go:build linux

package atomicfile

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/limber-audio/limber/internal/testtools"
)

func writeString(s string) func(io.Writer) error {
	return func(w io.Writer) error {
		_, err := io.WriteString(w, s)
		return err
	}
}

func TestWriteFile_CreatesWithReadableMode(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.wav")
	if err := WriteFile(context.Background(), path, false, writeString("data")); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil || string(got) != "data" {
		t.Fatalf("read back %q, %v", got, err)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o666&^umask() {
		t.Errorf("mode %v, want %v (the umask's)", st.Mode().Perm(), 0o666&^umask())
	}
	if names := testtools.DirNames(t, dir); len(names) != 1 {
		t.Errorf("folder holds %v, want only out.wav", names)
	}
}

func TestWriteFile_ExistingNeedsForce(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.wav")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := WriteFile(context.Background(), path, false, writeString("new"))
	var ee *ExistsError
	if !errors.As(err, &ee) || !strings.Contains(err.Error(), "use --force") {
		t.Fatalf("err = %v, want ExistsError mentioning --force", err)
	}
	if got, _ := os.ReadFile(path); string(got) != "old" {
		t.Errorf("existing file changed to %q", got)
	}
	if err := WriteFile(context.Background(), path, true, writeString("new")); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(path); string(got) != "new" {
		t.Errorf("with force, file holds %q", got)
	}
}

func TestWriteFile_FailureLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.wav")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	err := WriteFile(context.Background(), path, true, func(w io.Writer) error {
		io.WriteString(w, strings.Repeat("x", 1<<20))
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want boom", err)
	}
	if got, _ := os.ReadFile(path); string(got) != "old" {
		t.Errorf("existing file changed after a failed write")
	}
	if names := testtools.DirNames(t, dir); len(names) != 1 {
		t.Errorf("folder holds %v after a failed write, want only out.wav", names)
	}
}

func TestWriteFile_DeviceWrittenInPlace(t *testing.T) {
	if err := WriteFile(context.Background(), os.DevNull, false, writeString("data")); err != nil {
		t.Errorf("writing to %s: %v", os.DevNull, err)
	}
	if st, err := os.Stat(os.DevNull); err != nil || st.Mode().IsRegular() {
		t.Fatalf("%s was replaced: %v", os.DevNull, err)
	}
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full")
	}
	err := WriteFile(context.Background(), "/dev/full", true, writeString(strings.Repeat("x", 1<<20)))
	if !errors.Is(err, syscall.ENOSPC) {
		t.Errorf("writing to /dev/full: %v, want ENOSPC", err)
	}
}

func TestWriteFile_UnwritableFolder(t *testing.T) {
	for _, path := range []string{
		filepath.Join(t.TempDir(), "missing", "out.wav"),
		"/proc/limber-test.wav",
	} {
		if err := WriteFile(context.Background(), path, false, writeString("x")); err == nil {
			t.Errorf("%s: written", path)
			os.Remove(path)
		}
	}
	if os.Getuid() != 0 {
		dir := t.TempDir()
		os.Chmod(dir, 0o555)
		defer os.Chmod(dir, 0o755)
		if err := WriteFile(context.Background(), filepath.Join(dir, "out.wav"), false, writeString("x")); err == nil {
			t.Error("wrote into a read-only folder")
		}
	}
}

func TestCheckTarget(t *testing.T) {
	dir := t.TempDir()
	if err := CheckTarget(dir, true); err == nil || !strings.Contains(err.Error(), "is a directory") {
		t.Errorf("directory target: %v", err)
	}
	if err := CheckTarget(filepath.Join(dir, "new.wav"), false); err != nil {
		t.Errorf("new file: %v", err)
	}
}

func TestWriteFiles_AllOrNone(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.wav"), filepath.Join(dir, "b.vtt")
	boom := errors.New("boom")
	err := WriteFiles(context.Background(), false,
		Target{Path: a, Write: writeString("audio")},
		Target{Path: b, Write: func(io.Writer) error { return boom }})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want boom", err)
	}
	if names := testtools.DirNames(t, dir); len(names) != 0 {
		t.Errorf("folder holds %v after the second output failed, want nothing", names)
	}
	if _, err := os.Stat("/dev/full"); err == nil {
		err := WriteFiles(context.Background(), false,
			Target{Path: a, Write: writeString("audio")},
			Target{Path: "/dev/full", Write: writeString(strings.Repeat("x", 1<<20))})
		if !errors.Is(err, syscall.ENOSPC) {
			t.Errorf("/dev/full: %v", err)
		}
		if names := testtools.DirNames(t, dir); len(names) != 0 {
			t.Errorf("folder holds %v after /dev/full failed, want nothing", names)
		}
	}
}

func TestWriteFiles_UmaskAndKeptMode(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.wav")
	old := syscall.Umask(0o077)
	defer syscall.Umask(old)
	umaskOnce = func() os.FileMode { return 0o077 }
	defer func() { umaskOnce = func() os.FileMode { return os.FileMode(old) } }()
	if err := WriteFile(context.Background(), path, false, writeString("a")); err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o600 {
		t.Errorf("with umask 077: mode %v, want 0600", st.Mode().Perm())
	}
	os.Chmod(path, 0o640)
	if err := WriteFile(context.Background(), path, true, writeString("b")); err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o640 {
		t.Errorf("replaced with --force: mode %v, want the old 0640", st.Mode().Perm())
	}
}

func TestWriteFiles_ThroughSymlinks(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "real.wav")
	os.WriteFile(real, []byte("old"), 0o644)
	link := filepath.Join(dir, "link.wav")
	os.Symlink("real.wav", link)
	if err := WriteFile(context.Background(), link, true, writeString("new")); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Lstat(link); err != nil || st.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link was replaced: %v", err)
	}
	if got, _ := os.ReadFile(real); string(got) != "new" {
		t.Errorf("the link's target holds %q", got)
	}
	dangling := filepath.Join(dir, "dangling.wav")
	os.Symlink("made-later.wav", dangling)
	if err := CheckTarget(dangling, false); err != nil {
		t.Errorf("a link to a file yet to be made: %v", err)
	}
	if err := WriteFile(context.Background(), dangling, false, writeString("x")); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "made-later.wav")); string(got) != "x" {
		t.Errorf("the dangling link's target holds %q", got)
	}
}

func TestWriteFiles_LongNameAndNoTempInErrors(t *testing.T) {
	dir := t.TempDir()
	long := filepath.Join(dir, strings.Repeat("a", 250)+".wav")[:len(dir)+1+250]
	if err := WriteFile(context.Background(), long, false, writeString("x")); err != nil {
		t.Fatalf("a 250-byte name: %v", err)
	}
	ro := t.TempDir()
	if err := syscall.Mount("tmpfs", ro, "tmpfs", syscall.MS_RDONLY, "size=1m"); err != nil {
		t.Skipf("mount a read-only tmpfs: %v (needs root)", err)
	}
	defer syscall.Unmount(ro, 0)
	err := WriteFile(context.Background(), filepath.Join(ro, "x.wav"), false, writeString("x"))
	if err == nil || strings.Contains(err.Error(), ".tmp") || strings.Contains(err.Error(), tempPrefix) {
		t.Errorf("read-only folder: %v; want an error naming no temporary file", err)
	}
	if err := CheckTarget(filepath.Join(ro, "x.wav"), false); err == nil {
		t.Error("CheckTarget passes a read-only folder")
	}
}

func TestWriteFiles_StaleTempsAreCleaned(t *testing.T) {
	dir := t.TempDir()
	stale := filepath.Join(dir, tempPrefix+"123"+tempSuffix)
	fresh := filepath.Join(dir, tempPrefix+"456"+tempSuffix)
	os.WriteFile(stale, []byte("x"), 0o644)
	os.WriteFile(fresh, []byte("x"), 0o644)
	old := time.Now().Add(-2 * tempStale)
	os.Chtimes(stale, old, old)
	f, err := createNamedTemp(dir)
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	os.Remove(f.Name())
	if _, err := os.Stat(stale); err == nil {
		t.Error("a stale temporary file was left")
	}
	if _, err := os.Stat(fresh); err != nil {
		t.Error("a fresh temporary file (another limber's, at work) was removed")
	}
}

// TestWriteFiles_PipeWaitsForReaderUntilCancelled: a pipe with no reader
// is waited for, again and again, and the wait ends when ctx does.
func TestWriteFiles_PipeWaitsForReaderUntilCancelled(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "pipe.wav")
	syscall.Mkfifo(fifo, 0o600)
	ctx, cancel := context.WithCancel(context.Background())
	waits := 0
	pipeWaits = func() { // on WriteFile's goroutine
		if waits++; waits == 3 {
			cancel()
		}
	}
	defer func() { pipeWaits = nil }()
	err := WriteFile(ctx, fifo, false, writeString("x"))
	if !errors.Is(err, context.Canceled) || waits != 3 {
		t.Errorf("err = %v after %d waits, want the cancellation after 3", err, waits)
	}
}

// TestWriteFile_LargeFileWrittenBackAsItGoes: a file of several writeback
// chunks, with a seek back into the part already handed to the disk (as
// the FLAC writer does for its signature), reads back as written.
func TestWriteFile_LargeFileWrittenBackAsItGoes(t *testing.T) {
	path := filepath.Join(t.TempDir(), "big.raw")
	want := make([]byte, 3*writebackChunk+12345)
	for i := range want {
		want[i] = byte(i * 7 / 5)
	}
	err := WriteFile(context.Background(), path, false, func(w io.Writer) error {
		for rest := want; len(rest) > 0; {
			n := min(len(rest), 100_000)
			if _, err := w.Write(rest[:n]); err != nil {
				return err
			}
			rest = rest[n:]
		}
		if _, err := w.(io.Seeker).Seek(10, io.SeekStart); err != nil {
			return err
		}
		_, err := w.Write([]byte("signature"))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	copy(want[10:], "signature")
	got, err := os.ReadFile(path)
	if err != nil || string(got) != string(want) {
		t.Fatalf("read back %d bytes (%v), wrote %d; same: %v", len(got), err, len(want), string(got) == string(want))
	}
}

// TestReplaceFile_ReplacesALink: a link at the name is replaced by the
// new file, never written through, even when it dangles.
func TestReplaceFile_ReplacesALink(t *testing.T) {
	dir, elsewhere := t.TempDir(), t.TempDir()
	for _, target := range []string{filepath.Join(elsewhere, "missing"), filepath.Join(elsewhere, "there")} {
		os.WriteFile(filepath.Join(elsewhere, "there"), []byte("keep"), 0o644)
		path := filepath.Join(dir, "entry")
		os.Remove(path)
		if err := os.Symlink(target, path); err != nil {
			t.Fatal(err)
		}
		err := ReplaceFile(path, 0o644, func(w io.Writer) error {
			_, err := io.WriteString(w, "new")
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if st, err := os.Lstat(path); err != nil || !st.Mode().IsRegular() {
			t.Errorf("%s: not replaced by a regular file: %v", target, err)
		}
		if got, _ := os.ReadFile(path); string(got) != "new" {
			t.Errorf("%s: reads %q", target, got)
		}
		if _, err := os.Stat(filepath.Join(elsewhere, "missing")); err == nil {
			t.Errorf("the dangling link's target was created")
		}
		if got, _ := os.ReadFile(filepath.Join(elsewhere, "there")); string(got) != "keep" {
			t.Errorf("the link's target was written")
		}
	}
}
