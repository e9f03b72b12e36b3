package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/limber-audio/limber/cues"
)

func TestCues_ListsEveryCue(t *testing.T) {
	stdout, stderr, code := limber(t, nil, "cues")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if len(lines) != len(cues.Builtin().Cues()) {
		t.Errorf("%d lines, %d cues", len(lines), len(cues.Builtin().Cues()))
	}
	if !strings.Contains(stdout, "switch-sides") || !strings.Contains(stdout, "Switch sides.") {
		t.Errorf("output lacks switch-sides:\n%s", stdout)
	}
	text, _, code := limber(t, nil, "cues", "--export-text")
	if code != 0 || !strings.Contains(text, "switch-sides\tSwitch sides.\n") {
		t.Errorf("--export-text: exit %d\n%s", code, text)
	}
}

func TestCues_Missing(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"hold.wav", "rest.flac"} {
		data, err := os.ReadFile(filepath.Join("..", "..", "cues", "testdata", "formats", f))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, f), data, 0o644)
	}
	stdout, stderr, code := limber(t, nil, "cues", "--missing", dir)
	total := len(cues.Builtin().Cues())
	if code != 0 || strings.Contains(stdout, "hold\t") || !strings.Contains(stdout, "switch-sides\t") {
		t.Errorf("exit %d, stdout:\n%s", code, stdout)
	}
	if want := strconv.Itoa(total-2) + " of " + strconv.Itoa(total) + " cues still to record"; !strings.Contains(stderr, want) {
		t.Errorf("stderr %q lacks %q", stderr, want)
	}
	_, stderr, code = limber(t, nil, "cues", "--missing", filepath.Join(dir, "nope"))
	if code != 2 || !strings.HasPrefix(stderr, "limber: voice folder: open") {
		t.Errorf("missing folder: exit %d, %q", code, stderr)
	}
	// The same folder speaks through say, with one warning for the cues
	// still to record and one for a misnamed file.
	os.WriteFile(filepath.Join(dir, "switch_sides.wav"), []byte("x"), 0o644)
	out := filepath.Join(t.TempDir(), "say.wav")
	_, stderr, code = limber(t, nil, "say", "hold", "last-one", "--voice", dir, "-o", out)
	if code != 0 || strings.Count(stderr, "warning") != 2 || !strings.Contains(stderr, "using the built-in voice for") ||
		!strings.Contains(stderr, "ignored (folders, and files not named by a cue id with .wav, .flac, .mp3 or .ogg): switch_sides.wav\n") {
		t.Errorf("say --voice: exit %d, %q", code, stderr)
	}
}

func TestSay_WritesWAV(t *testing.T) {
	soxi := requireTool(t, "soxi")
	out := filepath.Join(t.TempDir(), "say.wav")
	_, stderr, code := limber(t, nil, "say", "switch-sides", "last-one", "-o", out, "--rate", "22050")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	b, err := exec.Command(soxi, "-D", out).Output()
	if err != nil {
		t.Fatal(err)
	}
	d, _ := strconv.ParseFloat(strings.TrimSpace(string(b)), 64)
	// Two short phrases, a gap and a tail: a couple of seconds.
	if d < 1.2 || d > 4 {
		t.Errorf("say wrote %.2f s", d)
	}
	_, stderr, code = limber(t, nil, "say", "switch-sides", "-o", out)
	if code != 2 || !strings.Contains(stderr, "already exists; use --force") {
		t.Errorf("existing output: exit %d, %q", code, stderr)
	}
}
