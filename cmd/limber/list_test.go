package main

import (
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/limber-audio/limber/internal/testtools"
)

// listJSON runs limber list --json with args and decodes it.
func listJSON(t *testing.T, args ...string) listEntries {
	t.Helper()
	out, stderr, code := limber(t, nil, append([]string{"list", "--json"}, args...)...)
	if code != 0 {
		t.Fatalf("list --json %s: exit %d: %s", strings.Join(args, " "), code, stderr)
	}
	var e listEntries
	if err := json.Unmarshal([]byte(out), &e); err != nil {
		t.Fatal(err)
	}
	return e
}

func TestList_JSONGolden(t *testing.T) {
	out, stderr, code := limber(t, nil, "list", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	testtools.Golden(t, filepath.Join("testdata", "list.json"), []byte(out), *update)
}

func TestList_Filters(t *testing.T) {
	all := listJSON(t)
	for _, area := range []string{"neck", "hips", "calves"} {
		got := listJSON(t, "--area", area)
		want := 0
		for _, s := range all.Stretches {
			if slices.Contains(s.Areas, area) {
				want++
			}
		}
		if len(got.Stretches) != want {
			t.Errorf("--area %s: %d stretches, the library has %d for it", area, len(got.Stretches), want)
		}
		for _, s := range got.Stretches {
			if !slices.Contains(s.Areas, area) {
				t.Errorf("--area %s lists %s (%v)", area, s.ID, s.Areas)
			}
		}
		for _, r := range got.Routines {
			if !slices.Contains(r.Areas, area) {
				t.Errorf("--area %s lists routine %s (%v)", area, r.ID, r.Areas)
			}
		}
	}
	chair := listJSON(t, "--position", "chair")
	if len(chair.Stretches) == 0 || len(chair.Routines) == 0 {
		t.Errorf("--position chair: %d stretches, %d routines", len(chair.Stretches), len(chair.Routines))
	}
	for _, s := range chair.Stretches {
		if s.Position != "chair" {
			t.Errorf("--position chair lists %s (%s)", s.ID, s.Position)
		}
	}
	for _, r := range chair.Routines {
		if !slices.Equal(r.Positions, []string{"chair"}) {
			t.Errorf("--position chair lists routine %s (%v)", r.ID, r.Positions)
		}
	}
	both := listJSON(t, "--area", "hips,glutes", "--position", "standing,chair")
	for _, s := range both.Stretches {
		if !(s.Position == "standing" || s.Position == "chair") || !(slices.Contains(s.Areas, "hips") || slices.Contains(s.Areas, "glutes")) {
			t.Errorf("--area hips,glutes --position standing,chair lists %s (%v, %s)", s.ID, s.Areas, s.Position)
		}
	}
}

func TestList_RefusesUnknownAreasAndPositions(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--area", "hip"}, `limber: --area: unknown area "hip" (did you mean hips?); the areas are neck, shoulders, upper-back, chest, wrists, lower-back, hips, glutes, hamstrings, quads, calves` + "\n"},
		{[]string{"--position", "sofa"}, `limber: --position: unknown position "sofa"; the positions are standing, chair, floor` + "\n"},
		{[]string{"--area", ""}, `limber: --area: no area given; the areas are neck, shoulders, upper-back, chest, wrists, lower-back, hips, glutes, hamstrings, quads, calves` + "\n"},
	} {
		_, stderr, code := limber(t, nil, append([]string{"list"}, tt.args...)...)
		if code != 2 || stderr != tt.want {
			t.Errorf("list %s: exit %d, stderr %q; want 2, %q", strings.Join(tt.args, " "), code, stderr, tt.want)
		}
	}
}

func TestList_GroupsByAreaInEightyColumns(t *testing.T) {
	long := writeFile(t, "long.json", `{"version": 1,
  "stretches": {"a-stretch-with-a-very-long-id-that-goes-on": {"name": "A stretch with a long name that goes on and on and on and on",
    "areas": ["hips", "glutes"], "position": "floor", "steps": [{"hold": 10}]}},
  "routines": {"long-one": {"name": "Long one", "description": "A description long enough that it can never fit on one line of an eighty-column terminal, whatever the width of the id.", "stretches": ["a-stretch-with-a-very-long-id-that-goes-on"]}}}`)
	out, stderr, code := limber(t, nil, "list", "--routines", long)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, l := range strings.Split(out, "\n") {
		// A file's path is never cut; it may be wider on its own line.
		if len(l) >= 80 && strings.TrimSpace(l) != "["+long+"]" { // the last column stays free
			t.Errorf("%d columns: %q", len(l), l)
		}
	}
	hips := strings.Index(out, " Hips:\n")
	if hips < 0 || !strings.Contains(out[hips:], "a-stretch-with-a-very-long-id-that-goes-on") {
		t.Errorf("the user's hip stretch is not under Hips:\n%s", out)
	}
	if !strings.Contains(out, "floor") || !strings.Contains(out, "(also glutes)") {
		t.Errorf("no position or other areas shown:\n%s", out)
	}
}
