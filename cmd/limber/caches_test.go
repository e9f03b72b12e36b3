//go:build linux

package main

import (
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/limber-audio/limber/internal/testtools"
)

// cachedExport sets up an export that goes through all three caches:
// built-in clips (clips/), a user's words voiced by a --tts engine
// (phrases/) and a music bed long enough to be cached (music/). It returns
// the environment, the export's arguments and the cache folder.
func cachedExport(t *testing.T) (env, args []string, cacheHome string) {
	t.Helper()
	sox := testtools.RequireTool(t, "sox")
	env = wordsEnv(t)
	cacheHome = strings.TrimPrefix(env[0], "XDG_CACHE_HOME=")
	tts, _ := fakeTTS(t, "0", "")
	bed := filepath.Join(t.TempDir(), "bed.flac")
	if out, err := exec.Command(sox, "-n", "-r", "44100", "-c", "2", bed, "synth", "4", "pinknoise", "gain", "-20").CombinedOutput(); err != nil {
		t.Fatalf("sox: %v\n%s", err, out)
	}
	file := writeFile(t, "my.json", hamstringDoc)
	args = []string{"export", "legs", "--routines", file, "--tts", tts, "--music", bed, "-o", filepath.Join(t.TempDir(), "legs.wav"), "--force"}
	return env, args, cacheHome
}

// cacheEntries lists the entries of limber's caches: every file under
// clips/, phrases/ and music/ but the phrase cache's lock.
func cacheEntries(t *testing.T, cacheHome string) []string {
	t.Helper()
	var out []string
	for _, name := range []string{"clips", "phrases", "music"} {
		dir := filepath.Join(cacheHome, "limber", name)
		for _, e := range testtools.DirNames(t, dir) {
			if e != ".lock" {
				out = append(out, filepath.Join(dir, e))
			}
		}
	}
	return out
}

// TestCaches_PipesAtEntries: a named pipe at any entry of the caches is
// taken for a damaged entry: limber neither waits on it (it used to,
// for ever, past one Ctrl-C) nor fails, and the entry is made again.
func TestCaches_PipesAtEntries(t *testing.T) {
	slow(t)
	env, args, cacheHome := cachedExport(t)
	if code, stderr, _ := hostileRun(t, env, args...); code != 0 {
		t.Fatalf("first export: exit %d: %s", code, stderr)
	}
	entries := cacheEntries(t, cacheHome)
	kinds := map[string]int{}
	for _, e := range entries {
		kinds[filepath.Base(filepath.Dir(e))]++
		os.Remove(e)
		if err := syscall.Mkfifo(e, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if kinds["clips"] == 0 || kinds["phrases"] == 0 || kinds["music"] == 0 {
		t.Fatalf("the export did not fill every cache: %v", kinds)
	}
	code, stderr, _ := hostileRun(t, env, args...) // the run's own guard stops a hang
	if code != 0 {
		t.Fatalf("export with pipes in the caches: exit %d: %s", code, stderr)
	}
	for _, e := range entries {
		if st, err := os.Lstat(e); err == nil && st.Mode().Type() == fs.ModeNamedPipe {
			t.Errorf("%s is still a pipe", e)
		}
	}
}

// TestHistory_PipeIsRefused: a named pipe in the practice log's place is
// refused by name, by limber log and by a session's record alike, never
// waited on.
func TestHistory_PipeIsRefused(t *testing.T) {
	state := t.TempDir()
	log := filepath.Join(state, "limber", "history.jsonl")
	os.MkdirAll(filepath.Dir(log), 0o755)
	if err := syscall.Mkfifo(log, 0o600); err != nil {
		t.Fatal(err)
	}
	env := []string{"XDG_STATE_HOME=" + state}
	for _, args := range [][]string{{"log"}, {"log", "add", "desk-break"}} {
		code, stderr, _ := hostileRun(t, env, args...)
		if code == 0 || !strings.Contains(stderr, "history.jsonl: not a regular file") {
			t.Errorf("%v: exit %d, %q", args, code, stderr)
		}
	}
}

// TestCaches_LinksAtEntriesAreReplaced: a symbolic link planted at a
// cache entry, or at the phrase cache's lock, never makes limber create
// the file it names: entries are replaced by name, the lock is not
// followed (the words are then voiced without the cache, with a warning).
func TestCaches_LinksAtEntriesAreReplaced(t *testing.T) {
	slow(t)
	env, args, cacheHome := cachedExport(t)
	if _, stderr, code := limber(t, env, args...); code != 0 {
		t.Fatalf("first export: exit %d: %s", code, stderr)
	}
	outside := t.TempDir()
	entries := cacheEntries(t, cacheHome)
	for i, e := range entries {
		os.Remove(e)
		if err := os.Symlink(filepath.Join(outside, strconv.Itoa(i)), e); err != nil {
			t.Fatal(err)
		}
	}
	if _, stderr, code := limber(t, env, args...); code != 0 {
		t.Fatalf("export with links at the entries: exit %d: %s", code, stderr)
	}
	if names := testtools.DirNames(t, outside); len(names) != 0 {
		t.Errorf("writes followed the links out of the cache: %v", names)
	}
	for _, e := range entries {
		if st, err := os.Lstat(e); err == nil && st.Mode()&fs.ModeSymlink != 0 {
			t.Errorf("%s is still a link", e)
		}
	}
	lock := filepath.Join(cacheHome, "limber", "phrases", ".lock")
	os.Remove(lock)
	os.Symlink(filepath.Join(outside, "lock"), lock)
	for _, e := range testtools.DirNames(t, filepath.Dir(lock)) {
		if e != ".lock" {
			os.Remove(filepath.Join(filepath.Dir(lock), e)) // words to voice again
		}
	}
	_, stderr, code := limber(t, env, args...)
	if code != 0 || !strings.Contains(stderr, "voicing your words without the cache") {
		t.Errorf("export with a link at the lock: exit %d: %s", code, stderr)
	}
	if names := testtools.DirNames(t, outside); len(names) != 0 {
		t.Errorf("the lock followed the link out of the cache: %v", names)
	}
}

// readOnlyDir makes dir read-only, even for root (with the immutable
// attribute), until the test ends.
func readOnlyDir(t *testing.T, dir string) {
	t.Helper()
	if os.Geteuid() != 0 {
		os.Chmod(dir, 0o555)
		t.Cleanup(func() { os.Chmod(dir, 0o755) })
		return
	}
	chattr := testtools.RequireTool(t, "chattr")
	if out, err := exec.Command(chattr, "+i", dir).CombinedOutput(); err != nil {
		t.Skipf("chattr +i: %v: %s", err, out)
	}
	t.Cleanup(func() { exec.Command(chattr, "-i", dir).Run() })
}

// TestCaches_PhraseCacheDegrades: a phrase cache that cannot be used
// (read-only, a file where its folder goes, folders at its entries) is
// worked without, with a warning, as the clip and music caches are: the
// words are voiced all the same and the export succeeds.
func TestCaches_PhraseCacheDegrades(t *testing.T) {
	slow(t)
	tests := []struct {
		name  string
		spoil func(t *testing.T, phrases string)
		want  string
	}{
		{"read-only", func(t *testing.T, phrases string) {
			os.RemoveAll(phrases)
			os.MkdirAll(phrases, 0o755)
			readOnlyDir(t, phrases)
		}, "voicing your words without the cache"},
		{"a file where the folder goes", func(t *testing.T, phrases string) {
			os.RemoveAll(phrases)
			os.WriteFile(phrases, []byte("x"), 0o644)
		}, "voicing your words without the cache"},
		{"folders at the entries", func(t *testing.T, phrases string) {
			for _, e := range testtools.DirNames(t, phrases) {
				if e == ".lock" {
					continue
				}
				p := filepath.Join(phrases, e)
				os.Remove(p)
				os.MkdirAll(filepath.Join(p, "x"), 0o755)
			}
		}, "your words are voiced again next time"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env, args, cacheHome := cachedExport(t)
			if _, stderr, code := limber(t, env, args...); code != 0 {
				t.Fatalf("first export: exit %d: %s", code, stderr)
			}
			tt.spoil(t, filepath.Join(cacheHome, "limber", "phrases"))
			_, stderr, code := limber(t, env, args...)
			if code != 0 || !strings.Contains(stderr, tt.want) {
				t.Errorf("exit %d, stderr %q; want exit 0 and a warning %q", code, stderr, tt.want)
			}
		})
	}
}
