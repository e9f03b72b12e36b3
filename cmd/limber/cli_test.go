package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/limber-audio/limber/player"
)

var (
	// testDir holds what the tests' limbers share: their config and cache
	// folders, and the built program.
	testDir string
	// startEnv is the environment the tests started in, before TestMain
	// moved the caches: go build uses it, to find its own build cache.
	startEnv []string
)

func TestMain(m *testing.M) {
	startEnv = os.Environ()
	dir, err := os.MkdirTemp("", "limber-cli")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	testDir = dir
	// The speech the listening tests voice stays in the user's test
	// cache, where the other packages' tests keep theirs (see
	// speechtest.CacheDir), not in the moved cache, voiced again by
	// every run.
	if os.Getenv("LIMBER_TEST_CACHE") == "" {
		if base, err := os.UserCacheDir(); err == nil {
			os.Setenv("LIMBER_TEST_CACHE", filepath.Join(base, "limber-tests"))
		}
	}
	// Every limber a test runs, in this process or its own, reads its
	// config and caches its voiced words in folders of its own, never the
	// user's; tests that need a config or a fresh cache set these again.
	os.Setenv("XDG_CONFIG_HOME", filepath.Join(dir, "config"))
	os.Setenv("XDG_CACHE_HOME", filepath.Join(dir, "cache"))
	os.Setenv("XDG_STATE_HOME", filepath.Join(dir, "state")) // and its practice log
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// limber runs limber in this test's process, through run as main calls
// it, with env ("NAME=value") set for the call, no input and no terminal,
// and returns what it wrote and its exit code. It must not play live
// (play, say without -o): the speaker is opened once per process. What
// needs a process of its own (signals, a terminal, a sound device, peak
// memory, umask) uses limberProc or program.
func limber(t *testing.T, env []string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	for _, kv := range env {
		name, value, _ := strings.Cut(kv, "=")
		t.Setenv(name, value)
	}
	var out, errOut bytes.Buffer
	err := run(context.Background(), args, strings.NewReader(""), &out, &errOut)
	code = report(err, &errOut)
	return out.String(), errOut.String(), code
}

// goBuild builds this package into bin, with flags, in the environment
// the tests started in and env ("NAME=value") over it: there go finds
// its own build cache (TestMain moves XDG_CACHE_HOME, where go looks
// for it; a build from an empty cache took 25 s without cgo and 80 s
// with it, against 1 and 3).
func goBuild(bin string, env []string, flags ...string) error {
	cmd := exec.Command("go", append(append([]string{"build", "-o", bin}, flags...), ".")...)
	cmd.Env = append(slices.Clone(startEnv), env...)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build %s: %v\n%s", strings.Join(append(env, flags...), " "), err, out)
	}
	return nil
}

// slow skips a slow end-to-end test under go test -short; make test runs
// them all.
func slow(t testing.TB) {
	t.Helper()
	if testing.Short() {
		t.Skip("slow end-to-end test: go test without -short (make test) runs it")
	}
}

var (
	buildOnce sync.Once
	built     string // the program, once built
	buildErr  error
)

// program returns the limber program built from this package, built on
// first use, for the tests that run it as a user does.
func program(t testing.TB) string {
	t.Helper()
	buildOnce.Do(func() {
		built = filepath.Join(testDir, "limber")
		if buildErr = goBuild(built+".go-build", nil); buildErr != nil {
			return
		}
		buildErr = copyInPages(built+".go-build", built)
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return built
}

// copyInPages copies the program a page at a time, as cp and an
// installer write it. A file written in large pieces, as go build
// writes its output, is kept by Linux (6.18 here) in page-cache folios
// of up to 2 MB, and a process running it maps each folio it touches
// whole: the same binary then shows 4-5 MB more peak RSS (17 MB instead
// of 12.5 for export upper-back, measured), more or less as its layout
// happens to fall, none of it limber's doing. The memory budgets are
// about limber's own memory.
func copyInPages(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o755)
	if err != nil {
		return err
	}
	buf := make([]byte, 4096)
	for {
		n, err := in.Read(buf)
		if n > 0 {
			if _, werr := out.Write(buf[:n]); werr != nil {
				out.Close()
				return werr
			}
		}
		if err == io.EOF {
			return out.Close()
		}
		if err != nil {
			out.Close()
			return err
		}
	}
}

// limberProc runs the built program with args and env added to the
// test's own, and returns its output and exit code.
func limberProc(t *testing.T, env []string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := exec.Command(program(t), args...)
	cmd.Env = append(os.Environ(), env...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		code = ee.ExitCode()
	case err != nil:
		t.Fatal(err)
	}
	return out.String(), errOut.String(), code
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

const userRoutinesDoc = `{
  "version": 1,
  "stretches": {
    "tilt": {"name": "Tilt", "name_cue": "neck-tilts", "sides": 2, "steps": [{"hold": 12}]}
  },
  "routines": {"mine": {"name": "Mine", "stretches": ["tilt"]}}
}
`

func TestCLI(t *testing.T) {
	good := writeFile(t, "good.json", userRoutinesDoc)
	bad := writeFile(t, "bad.json", strings.Replace(userRoutinesDoc, `{"hold": 12}`, `{"hold": 900}`, 1))
	tests := []struct {
		name     string
		args     []string
		code     int
		stdout   []string // substrings expected on stdout
		stderr   []string // substrings expected on stderr
		noStdout bool
	}{
		{"help", []string{"--help"}, 0, []string{"Commands:", "list", "plan", "check"}, nil, false},
		{"no command", nil, 2, nil, []string{"limber: no command given"}, true},
		{"version", []string{"--version"}, 0, []string{"limber ", runtime.GOOS + "/" + runtime.GOARCH}, nil, false},
		{"unknown command", []string{"lst"}, 2, nil, []string{`limber: unknown command "lst" (did you mean list, log or play?); run limber --help`}, true},
		{"list", []string{"list"}, 0, []string{"upper-back", "desk-break", "warm-up", "childs-pose", "arm-slides", "Upper back"}, nil, false},
		{"list user file", []string{"list", "--routines", good}, 0, []string{"mine", "tilt"}, nil, false},
		{"list with args", []string{"list", "x"}, 2, nil, []string{"limber: list: takes no arguments"}, true},
		{"plan text", []string{"plan", "neck-tilts"}, 0, []string{"# neck-tilts: Neck tilts", "neck-tilts  left", "hold  15s", `"Switch sides."`}, nil, false},
		{"plan help", []string{"plan", "--help"}, 0, []string{"Usage: limber plan NAME", "--json", "--pace"}, nil, false},
		{"plan unknown", []string{"plan", "uper-back"}, 2, nil, []string{`limber: no routine or stretch named "uper-back" (did you mean upper-back or lower-back?)`}, true},
		{"plan no name", []string{"plan"}, 2, nil, []string{"limber: plan: missing routine or stretch NAME"}, true},
		{"plan bad pace", []string{"plan", "upper-back", "--pace", "3"}, 2, nil, []string{"limber: --pace must be between 0.5 and 2, got 3"}, true},
		{"plan bad flag", []string{"plan", "upper-back", "--bogus"}, 2, nil, []string{"limber: plan: unknown flag: --bogus"}, true},
		{"plan bad file", []string{"plan", "mine", "--routines", bad}, 2, nil, []string{"bad.json:4:87: stretches.tilt.steps[0].hold: must be between 1 and 600 seconds, got 900"}, true},
		{"check good", []string{"check", good}, 0, []string{"good.json: ok: 1 stretch, 1 routine, 0 phrases of your own words; longest mine ("}, nil, false},
		{"check bad", []string{"check", bad}, 2, nil, []string{"limber: " + bad + ":4:87: stretches.tilt.steps[0].hold"}, true},
		{"check missing", []string{"check", filepath.Join(t.TempDir(), "none.json")}, 2, nil, []string{"limber: load routines: open", "no such file"}, true},
		{"check builtin", []string{"check", "../../player/routine/routines.json"}, 0, []string{"routines.json: ok: 48 stretches, 16 routines, 0 phrases of your own words; longest full-body-20", "replaces stretch childs-pose (built-in)"}, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stdout, stderr, code := limber(t, nil, tt.args...)
			if code != tt.code {
				t.Errorf("exit code %d, want %d\nstderr: %s", code, tt.code, stderr)
			}
			for _, s := range tt.stdout {
				if !strings.Contains(stdout, s) {
					t.Errorf("stdout lacks %q:\n%s", s, stdout)
				}
			}
			for _, s := range tt.stderr {
				if !strings.Contains(stderr, s) {
					t.Errorf("stderr lacks %q:\n%s", s, stderr)
				}
			}
			if tt.noStdout && stdout != "" {
				t.Errorf("stdout not empty on error:\n%s", stdout)
			}
			if code != 0 {
				for _, line := range strings.Split(strings.TrimSpace(stderr), "\n") {
					if !strings.HasPrefix(line, "limber: ") && !strings.HasPrefix(line, "Usage") && line != "" {
						t.Errorf("stderr line without limber: prefix: %q", line)
					}
				}
			}
		})
	}
}

func TestCLI_PlanJSONMatchesCompile(t *testing.T) {
	stdout, stderr, code := limber(t, nil, "plan", "desk-break", "--json", "--pace", "1.5")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var p player.PlanJSON
	if err := json.Unmarshal([]byte(stdout), &p); err != nil {
		t.Fatal(err)
	}
	if p.Routine != "desk-break" || p.Rate != player.DefaultRate || len(p.Events) == 0 {
		t.Fatalf("plan = %+v", p)
	}
	last := p.Events[len(p.Events)-1]
	if last.Start+last.Duration > p.Duration {
		t.Errorf("last event ends at %g, after the plan's %g s", last.Start+last.Duration, p.Duration)
	}
	for _, e := range p.Events {
		if e.Kind == "hold" && e.Stretch == "neck-tilts" && e.Duration != 15 {
			t.Errorf("neck-tilts hold at pace 1.5 lasts %g s, want 15 (10 s x 1.5)", e.Duration)
		}
	}
}

// TestRun_InProcess drives run directly, as main does.
func TestRun_InProcess(t *testing.T) {
	var out, errOut bytes.Buffer
	err := run(context.Background(), []string{"plan", "childs-pose"}, strings.NewReader(""), &out, &errOut)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), `"The child's pose."`) {
		t.Errorf("plan output:\n%s", out.String())
	}
	if got := report(usagef("bad"), &errOut); got != exitUsage {
		t.Errorf("report(usage error) = %d, want %d", got, exitUsage)
	}
	if got := report(errors.New("disk on fire"), &errOut); got != exitFailure {
		t.Errorf("report(runtime error) = %d, want %d", got, exitFailure)
	}
}

// TestREADME_RoutineExample checks the routine file shown in the README
// is valid and does what the README says it does.
// TestREADME_RoutineExamples checks every JSON example of the README with
// limber check, and plans the one that shows callouts.
func TestREADME_RoutineExamples(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	blocks := strings.Split(string(readme), "```json\n")[1:]
	if len(blocks) < 2 {
		t.Fatal("want the words example and the full format example in the README")
	}
	for _, b := range blocks {
		doc := b[:strings.Index(b, "```")]
		path := writeFile(t, "example.json", doc)
		if _, stderr, code := limber(t, nil, "check", path); code != 0 {
			t.Fatalf("limber check on the README's example: %s\n%s", stderr, doc)
		}
		if !strings.Contains(doc, "quick-neck") {
			continue
		}
		stdout, stderr, code := limber(t, nil, "plan", "quick-neck", "--routines", path)
		if code != 0 {
			t.Fatal(stderr)
		}
		for _, want := range []string{`"Last stretch:"`, `"Halfway there."`, `"One minute left."`, `"Thirty seconds left."`} {
			if !strings.Contains(stdout, want) {
				t.Errorf("the example's plan never says %s", want)
			}
		}
	}
}

func TestFlags_NumbersSayWhatIsWrong(t *testing.T) {
	for _, tc := range []struct{ args, want string }{
		{"--pace 1e309", `invalid argument "1e309" for "--pace" flag: out of range: must be between 0.5 and 2`},
		{"--pace fast", `invalid argument "fast" for "--pace" flag: must be a number between 0.5 and 2`},
		{"--pace 3", `--pace must be between 0.5 and 2, got 3`},
	} {
		_, stderr, code := limber(t, nil, append([]string{"plan", "neck-tilts"}, strings.Fields(tc.args)...)...)
		if code != 2 || !strings.Contains(stderr, tc.want) {
			t.Errorf("%s: exit %d, %q; want 2 and %q", tc.args, code, stderr, tc.want)
		}
	}
}
