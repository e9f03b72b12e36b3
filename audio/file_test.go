package audio

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

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
	if err := WriteFile(path, false, writeString("data")); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil || string(got) != "data" {
		t.Fatalf("read back %q, %v", got, err)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o644 {
		t.Errorf("mode %v, want 0644", st.Mode().Perm())
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
	err := WriteFile(path, false, writeString("new"))
	var ee *ExistsError
	if !errors.As(err, &ee) || !strings.Contains(err.Error(), "use --force") {
		t.Fatalf("err = %v, want ExistsError mentioning --force", err)
	}
	if got, _ := os.ReadFile(path); string(got) != "old" {
		t.Errorf("existing file changed to %q", got)
	}
	if err := WriteFile(path, true, writeString("new")); err != nil {
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
	err := WriteFile(path, true, func(w io.Writer) error {
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
	if err := WriteFile(os.DevNull, false, writeString("data")); err != nil {
		t.Errorf("writing to %s: %v", os.DevNull, err)
	}
	if st, err := os.Stat(os.DevNull); err != nil || st.Mode().IsRegular() {
		t.Fatalf("%s was replaced: %v", os.DevNull, err)
	}
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full")
	}
	err := WriteFile("/dev/full", true, writeString(strings.Repeat("x", 1<<20)))
	if !errors.Is(err, syscall.ENOSPC) {
		t.Errorf("writing to /dev/full: %v, want ENOSPC", err)
	}
}

func TestWriteFile_UnwritableFolder(t *testing.T) {
	for _, path := range []string{
		filepath.Join(t.TempDir(), "missing", "out.wav"),
		"/proc/limber-test.wav",
	} {
		if err := WriteFile(path, false, writeString("x")); err == nil {
			t.Errorf("%s: written", path)
			os.Remove(path)
		}
	}
	if os.Getuid() != 0 {
		dir := t.TempDir()
		os.Chmod(dir, 0o555)
		defer os.Chmod(dir, 0o755)
		if err := WriteFile(filepath.Join(dir, "out.wav"), false, writeString("x")); err == nil {
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
