package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/limber-audio/limber/player/routine"
)

// TestMessages_SayWhatToFix: what a new user trips on is said in plain
// words, in one line, with the exit code the README gives (2: yours to
// fix).
func TestMessages_SayWhatToFix(t *testing.T) {
	missingComma := writeFile(t, "comma.json", `{
  "version": 1,
  "routines": {"quick": {"name": "Quick", "stretches": [
    "neck-tilts"
    "chair-rotation"
  ]}}
}`)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"check"}, "limber: check: missing FILE, the routine file to check (limber init writes a starter)"},
		{[]string{"check", missingComma}, "limber: " + missingComma + ":4:17: routines.quick.stretches[0]: missing comma after this item of the list"},
		{[]string{"export", "desk-break", "-o", "/nonexistent/dir/x.wav"}, "limber: cannot write /nonexistent/dir/x.wav: folder /nonexistent/dir does not exist"},
		{[]string{"play", "desk-break", "--volume", "0.8"}, `limber: play: invalid argument "0.8" for "--volume" flag: volume is in per cent, from 0 to 150: did you mean 80? (0.8% says you mean it)`},
		{[]string{"export", "desk-break", "-o", "/dev/null", "--music-volume", "101"}, `limber: export: invalid argument "101" for "--music-volume" flag: must be between 0 and 100 per cent`},
	} {
		stdout, stderr, code := limber(t, nil, tc.args...)
		if code != exitUsage || stderr != tc.want+"\n" || stdout != "" {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 and the one line %q", tc.args, code, stderr, tc.want)
		}
	}
}

// TestMessages_FromSuggests: --from names a stretch of the routine, and
// a part of a name ("neck") is answered with the whole one.
func TestMessages_FromSuggests(t *testing.T) {
	_, stderr, code := limberProc(t, []string{"HOME=" + t.TempDir()}, "play", "desk-break", "--from", "neck")
	want := `limber: --from: desk-break has no stretch "neck" (did you mean neck-tilts?); it has neck-tilts, chair-rotation, butterfly-wings` + "\n"
	if code != exitUsage || stderr != want {
		t.Errorf("exit %d, stderr %q; want 2 and %q", code, stderr, want)
	}
}

// TestCheck_CountsTheFilesOwnWords: the phrases of your routines.json,
// which check layers the file over, are not the checked file's.
func TestCheck_CountsTheFilesOwnWords(t *testing.T) {
	config := t.TempDir()
	mine := `{"version": 1, "stretches": {"mine": {"name": "Mine", "how": "Sit up tall.", "tips": "Breathe out slowly.", "steps": [{"hold": 10}]}}}`
	if err := os.MkdirAll(filepath.Join(config, "limber"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(config, "limber", "routines.json"), []byte(mine), 0o644); err != nil {
		t.Fatal(err)
	}
	file := writeFile(t, "new.json", `{"version": 1, "routines": {"new": {"name": "New", "stretches": ["mine"], "closing": "See you tomorrow."}}}`)
	stdout, stderr, code := limber(t, []string{"XDG_CONFIG_HOME=" + config}, "check", file)
	if code != 0 || !strings.Contains(stdout, "0 stretches, 1 routine, 1 phrase of your own words") {
		t.Errorf("exit %d, stdout %q, stderr %q; want one phrase: the closing", code, stdout, stderr)
	}
}

// TestREADME_SaysTheLimitsTheLoaderKeeps: the ranges the README gives for
// holds and rests are the loader's, and so are its messages'.
func TestREADME_SaysTheLimitsTheLoaderKeeps(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(string(readme)), " ")
	for _, want := range []string{
		fmt.Sprintf("lasts exactly as long as asked (%g to %g s)", routine.MinHold, routine.MaxHold),
		fmt.Sprintf("longer than 0 and at most %g s", routine.MaxRest),
		fmt.Sprintf("`lead_in` is a countdown after \"get ready\" (0 to %g s", routine.MaxRest),
		fmt.Sprintf("must be between %g and %g seconds", routine.MinHold, routine.MaxHold),
	} {
		if !strings.Contains(text, want) {
			t.Errorf("README lacks %q", want)
		}
	}
	file := writeFile(t, "zero.json", `{"version": 1, "stretches": {"s": {"name": "S", "steps": [{"hold": 0}, {"rest": 0}]}}}`)
	_, stderr, _ := limber(t, nil, "check", file)
	for _, want := range []string{
		fmt.Sprintf("hold: must be between %g and %g seconds, got 0", routine.MinHold, routine.MaxHold),
		fmt.Sprintf("rest: must be more than 0 and at most %g seconds, got 0", routine.MaxRest),
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("check says %q; want %q", stderr, want)
		}
	}
}

// TestHelp_SaysWhatIsThere: no command's help shows an empty Flags
// section, and limber --help names both formats export writes.
func TestHelp_SaysWhatIsThere(t *testing.T) {
	for _, c := range commands {
		stdout, _, code := limber(t, nil, c.name, "--help")
		if code != 0 || !strings.HasPrefix(stdout, "Usage: limber "+c.name) {
			t.Errorf("%s --help: exit %d:\n%s", c.name, code, stdout)
		}
		if strings.HasSuffix(strings.TrimSpace(stdout), "Flags:") {
			t.Errorf("%s --help ends in an empty Flags section:\n%s", c.name, stdout)
		}
	}
	stdout, _, _ := limber(t, nil, "--help")
	if !strings.Contains(stdout, "WAV or FLAC file") {
		t.Errorf("limber --help does not say export writes FLAC too:\n%s", stdout)
	}
}
