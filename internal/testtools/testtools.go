// Package testtools holds helpers shared by limber's tests.
package testtools

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
)

// RequireTool returns the path of an external program a test reads
// limber's output with (sox, sndfile-info, tmux). When it is missing the
// test fails in CI, which installs it (scripts/deps.sh), and is skipped
// elsewhere.
func RequireTool(tb testing.TB, name string) string {
	tb.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") != "" {
			tb.Fatalf("%s not installed (scripts/deps.sh installs it)", name)
		}
		tb.Skipf("%s not installed", name)
	}
	return path
}

// DirNames lists the names in a folder, so a test can check that nothing
// (a temporary file, a partial output) was left behind.
func DirNames(tb testing.TB, dir string) []string {
	tb.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		tb.Fatal(err)
	}
	names := make([]string, 0, len(es))
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

// Golden compares got with the golden file at path, or, with update set
// (each package's -update flag), rewrites the file with got.
func Golden(tb testing.TB, path string, got []byte, update bool) {
	tb.Helper()
	if update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			tb.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("%v (run go test -update to create it)", err)
	}
	if string(got) != string(want) {
		tb.Errorf("%s differs (go test -update rewrites it):\n got:\n%s\nwant:\n%s", path, got, want)
	}
}

// AllocBudget runs f and fails tb when f allocated more than budget bytes
// in all: fuzz tests use it to catch inputs that make a parser balloon,
// not only those that crash it. The count covers every goroutine, so call
// it where nothing else runs.
func AllocBudget(tb testing.TB, budget uint64, f func()) {
	tb.Helper()
	if got := Allocated(f); got > budget {
		tb.Fatalf("allocated %d bytes, over the budget of %d", got, budget)
	}
}

// Allocated runs f and returns how many bytes were allocated meanwhile,
// for a check made on another goroutine than f's.
func Allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}
