package routine

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/limber-audio/limber/cues"
)

func builtinLibrary(t *testing.T) *Library {
	t.Helper()
	lib, err := LoadBuiltin(cues.Builtin())
	if err != nil {
		t.Fatal(err)
	}
	return lib
}

// The library issue's floor: at least 45 stretches and 15 routines.
const (
	minBuiltinStretches    = 45
	minBuiltinRoutines     = 15
	minStretchesPerArea    = 4
	minPositionsPerArea    = 2
	seedStretchesUnchanged = "childs-pose neck-rotations neck-tilts butterfly-wings chair-rotation arm-slides"
)

func TestBuiltin_EveryStretchSaysWhatItWorksWhereAndWhy(t *testing.T) {
	lib := builtinLibrary(t)
	if len(lib.Stretches) < minBuiltinStretches || len(lib.Routines) < minBuiltinRoutines {
		t.Errorf("%d stretches and %d routines, want at least %d and %d", len(lib.Stretches), len(lib.Routines), minBuiltinStretches, minBuiltinRoutines)
	}
	for _, s := range lib.Stretches {
		if len(s.Areas) == 0 || s.Position == "" || len(s.Sources) == 0 {
			t.Errorf("%s: areas %v, position %q, sources %v: every built-in stretch needs all three", s.ID, s.Areas, s.Position, s.Sources)
		}
		for _, src := range s.Sources {
			if u, err := url.Parse(src); err != nil || u.Scheme != "https" {
				t.Errorf("%s: source %q is not an https address", s.ID, src)
			}
		}
		if !strings.Contains(seedStretchesUnchanged, s.ID) && (s.Caution == "" || len(s.How) == 0) {
			t.Errorf("%s: a new stretch says how to do it and when to ease off", s.ID)
		}
	}
}

func TestBuiltin_EveryAreaHasStretchesInSeveralPositions(t *testing.T) {
	lib := builtinLibrary(t)
	for _, area := range Areas {
		var n int
		var positions []string
		for _, s := range lib.Stretches {
			if s.HasArea(area) {
				n++
				if !slices.Contains(positions, s.Position) {
					positions = append(positions, s.Position)
				}
			}
		}
		if n < minStretchesPerArea || len(positions) < minPositionsPerArea {
			t.Errorf("%s: %d stretches in %v, want at least %d in %d positions", area, n, positions, minStretchesPerArea, minPositionsPerArea)
		}
		// A desk worker finds something for every area off the floor.
		if !slices.Contains(positions, "chair") && !slices.Contains(positions, "standing") {
			t.Errorf("%s: no stretch off the floor (%v)", area, positions)
		}
	}
}

func TestBuiltin_RoutinesKeepEachPositionInOneBlock(t *testing.T) {
	lib := builtinLibrary(t)
	for _, r := range lib.Routines {
		blocks := lib.Positions(r)
		seen := map[string]bool{}
		for _, p := range blocks {
			if seen[p] {
				t.Errorf("%s goes %s: %s comes back after another position", r.ID, strings.Join(blocks, " -> "), p)
			}
			seen[p] = true
		}
	}
}

// TestBuiltin_SeedStretchesKeepTheirTimings pins the six stretches of the
// seed article as they were before the library grew.
func TestBuiltin_SeedStretchesKeepTheirTimings(t *testing.T) {
	lib := builtinLibrary(t)
	want := map[string]string{
		"childs-pose":     "1x1 say hold30 say",
		"neck-rotations":  "1x2 say hold15 say hold15",
		"neck-tilts":      "2x1 say hold15",
		"butterfly-wings": "1x3 say hold8 say hold8",
		"chair-rotation":  "2x1 say hold8 say",
		"arm-slides":      "1x10 say rest2 hold5 say rest2",
	}
	for id, w := range want {
		s := lib.Stretch(id)
		if s == nil {
			t.Errorf("no stretch %s", id)
			continue
		}
		got := []string{strings.Join([]string{strconv.Itoa(s.Sides), strconv.Itoa(s.Repeats)}, "x")}
		for _, st := range s.Steps {
			switch st.Kind {
			case StepSay:
				got = append(got, "say")
			case StepHold:
				got = append(got, "hold"+strconv.Itoa(int(st.Seconds)))
			case StepRest:
				got = append(got, "rest"+strconv.Itoa(int(st.Seconds)))
			}
		}
		if g := strings.Join(got, " "); g != w {
			t.Errorf("%s: %s, want %s", id, g, w)
		}
	}
}
