package main

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/limber-audio/limber/cues"
	"github.com/limber-audio/limber/internal/testtools"
	"github.com/limber-audio/limber/player/routine"
)

func TestMade_GoldenPlans(t *testing.T) {
	for _, tt := range []struct {
		file string
		args []string
	}{
		{"made-hips-lower-back-seed1.json", []string{"--minutes", "10", "--focus", "hips,lower-back", "--seed", "1"}},
		{"made-hips-lower-back-seed2.json", []string{"--minutes", "10", "--focus", "hips,lower-back", "--seed", "2"}},
		{"made-upper-back-7min.json", []string{"upper-back", "--minutes", "7"}},
	} {
		out, stderr, code := limber(t, nil, append([]string{"plan", "--json"}, tt.args...)...)
		if code != 0 {
			t.Fatalf("plan %s: exit %d: %s", tt.args, code, stderr)
		}
		testtools.Golden(t, filepath.Join("testdata", tt.file), []byte(out), *update)
	}
}

func TestMade_LastsTheMinutesAsked(t *testing.T) {
	for _, args := range [][]string{
		{"--minutes", "10", "--focus", "hips,lower-back", "--seed", "5"},
		{"--minutes", "2"},
		{"--minutes", "45", "--gentle", "--position", "chair"},
		{"upper-back", "--minutes", "7"},
		{"neck-tilts", "--minutes", "2"},
		{"desk-break", "--minutes", "4", "--hold", "20"},
	} {
		p := planOf(t, nil, args...)
		var minutes float64
		for i, a := range args {
			if a == "--minutes" {
				minutes = mustFloat(t, args[i+1])
			}
		}
		want := minutes * 60
		if math.Abs(p.Duration-want) > math.Max(0.05*want, 15) {
			t.Errorf("plan %s lasts %.1f s, want %g", strings.Join(args, " "), p.Duration, want)
		}
	}
}

func mustFloat(t *testing.T, s string) float64 {
	t.Helper()
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestMade_SaveRoundTrip(t *testing.T) {
	dir := t.TempDir()
	saved := filepath.Join(dir, "mine.json")
	made := planOf(t, nil, "--minutes", "12", "--focus", "neck,shoulders", "--seed", "9", "--save", saved)
	if _, stderr, code := limber(t, nil, "check", saved); code != 0 {
		t.Fatalf("check of the saved routine: exit %d: %s", code, stderr)
	}
	again := planOf(t, nil, made.Routine, "--routines", saved)
	if fmt.Sprint(made.Events) != fmt.Sprint(again.Events) || made.Duration != again.Duration || made.Name != again.Name {
		t.Errorf("the saved routine plays another plan: %s %g vs %s %g", made.Name, made.Duration, again.Name, again.Duration)
	}
	// An existing file is not replaced.
	_, stderr, code := limber(t, nil, "plan", "--minutes", "5", "--save", saved)
	if code != 2 || !strings.Contains(stderr, "--save:") {
		t.Errorf("--save over an existing file: exit %d: %s", code, stderr)
	}
}

func TestMade_Refusals(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"plan", "--minutes", "1"}, "limber: --minutes must be between 2 and 60, got 1\n"},
		{[]string{"plan", "--minutes", "10", "--focus", "hip"}, `limber: --focus: unknown area "hip" (did you mean hips?); the areas are neck, shoulders, upper-back, chest, wrists, lower-back, hips, glutes, hamstrings, quads, calves` + "\n"},
		{[]string{"plan", "--minutes", "10", "--focus", "wrists", "--position", "floor"}, "limber: no floor stretch for wrists; try --position chair,standing\n"},
		{[]string{"plan", "--focus", "hips"}, "limber: plan: say how long with --minutes N, or name a routine or stretch (see limber list)\n"},
		{[]string{"plan", "hips", "--minutes", "10", "--focus", "hips"}, "limber: plan: --focus, --position, --avoid and --seed make a new routine; drop NAME (hips), or drop them to fit NAME to --minutes\n"},
		{[]string{"plan", "upper-back", "--minutes", "3"}, "limber: Upper back can be fitted to "},
		{[]string{"plan", "--minutes", "10", "--pace", "1.5"}, "limber: plan: --pace and --minutes or --hold both set the length; use one\n"},
		{[]string{"plan", "--minutes", "10", "--explain", "--json"}, "limber: plan: --explain is for the text plan, not --json\n"},
	} {
		_, stderr, code := limber(t, nil, tt.args...)
		if code != 2 || !strings.HasPrefix(stderr, tt.want) || strings.Count(stderr, "\n") != 1 {
			t.Errorf("%s: exit %d, stderr %q; want 2 and %q", strings.Join(tt.args, " "), code, stderr, tt.want)
		}
	}
}

func TestMade_AvoidsWhatTheFlagAndTheConfigSay(t *testing.T) {
	config := t.TempDir()
	if err := os.MkdirAll(filepath.Join(config, "limber"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(config, "limber", "config.json"), []byte(`{"avoid": ["hips", "neck-tilts"]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	env := []string{"XDG_CONFIG_HOME=" + config}
	lib, err := routine.LoadBuiltin(cues.Builtin())
	if err != nil {
		t.Fatal(err)
	}
	for seed := range 5 {
		p := planOf(t, env, "--minutes", "20", "--avoid", "knee-rolls,calves", "--seed", strconv.Itoa(seed))
		for _, e := range p.Events {
			s := lib.Stretch(e.Stretch)
			if s != nil && (s.HasArea("hips") || s.HasArea("calves") || s.ID == "neck-tilts" || s.ID == "knee-rolls") {
				t.Fatalf("seed %d: %s is in though avoided (%v)", seed, s.ID, s.Areas)
			}
		}
	}
}

func TestMade_ExplainsItsChoices(t *testing.T) {
	out, stderr, code := limber(t, nil, "plan", "--minutes", "10", "--focus", "hips", "--seed", "4", "--explain")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.HasPrefix(out, "# Made by limber --minutes 10 --focus hips --seed 4\n#   ") || !strings.Contains(out, "a focus area") ||
		!strings.Contains(out, ": Hips, 10 minutes, ") {
		t.Errorf("explain:\n%s", out)
	}
}

// TestMade_StretchesOfTheLastTwoDaysComeLast: a routine recorded in the
// practice log yesterday is not made again today.
func TestMade_StretchesOfTheLastTwoDaysComeLast(t *testing.T) {
	state := t.TempDir()
	env := []string{"XDG_STATE_HOME=" + state}
	saved := filepath.Join(t.TempDir(), "made.json")
	first := planOf(t, env, "--minutes", "10", "--seed", "11", "--save", saved)
	yesterday := time.Now().AddDate(0, 0, -1).Format(time.DateOnly)
	if _, stderr, code := limber(t, env, "log", "add", first.Routine, "--routines", saved, "--date", yesterday); code != 0 {
		t.Fatalf("log add: exit %d: %s", code, stderr)
	}
	done := map[string]bool{}
	for _, e := range first.Events {
		done[e.Stretch] = e.Stretch != ""
	}
	again := planOf(t, env, "--minutes", "10", "--seed", "11")
	for _, e := range again.Events {
		if done[e.Stretch] {
			t.Fatalf("%s again, though done yesterday", e.Stretch)
		}
	}
}
