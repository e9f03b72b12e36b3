package maker

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/limber-audio/limber/cues"
	"github.com/limber-audio/limber/player"
	"github.com/limber-audio/limber/player/routine"
)

func builtin(tb testing.TB) (*routine.Library, player.Voice) {
	tb.Helper()
	lib, err := routine.LoadBuiltin(cues.Builtin())
	if err != nil {
		tb.Fatal(err)
	}
	return lib, cues.NewPack(player.DefaultRate)
}

// randomAsk is one of the asks the property tests try: any length from 2
// to 60 minutes, up to three focus areas, a position or two, sometimes
// gentle, sometimes a fixed hold, something to avoid, recent stretches.
func randomAsk(rng *rand.Rand, lib *routine.Library) Ask {
	a := Ask{Minutes: float64(2 + rng.IntN(59)), Seed: rng.Uint64()}
	if rng.IntN(4) == 0 {
		a.Minutes += 0.5
		a.Minutes = math.Min(a.Minutes, MaxMinutes)
	}
	pick := func(list []string, n int) []string {
		out := []string{}
		for _, i := range rng.Perm(len(list))[:n] {
			out = append(out, list[i])
		}
		return out
	}
	a.Focus = pick(routine.Areas, rng.IntN(4))
	if rng.IntN(2) == 0 {
		a.Positions = pick(routine.Positions, 1+rng.IntN(2))
	}
	if rng.IntN(5) == 0 {
		a.Gentle = true
	}
	if rng.IntN(8) == 0 {
		a.Hold = []float64{20, 30, 45}[rng.IntN(3)]
	}
	if rng.IntN(5) == 0 {
		s := lib.Stretches[rng.IntN(len(lib.Stretches))]
		if !slices.ContainsFunc(a.Focus, s.HasArea) {
			a.Avoid = []string{s.ID}
		}
	}
	if rng.IntN(3) == 0 {
		for range 6 {
			a.Recent = append(a.Recent, lib.Stretches[rng.IntN(len(lib.Stretches))].ID)
		}
	}
	return a
}

// checkRecipe checks every rule of the recipe (see the package comment)
// for routine m made to ask.
func checkRecipe(t *testing.T, lib *routine.Library, voice player.Voice, ask Ask, m *Made) {
	t.Helper()
	fail := func(format string, args ...any) {
		t.Helper()
		t.Errorf("%+v: %s: %v", ask, fmt.Sprintf(format, args...), m.Routine.Items)
	}
	tl, err := player.Compile(m.Library, m.Routine.ID, voice, player.Options{})
	if err != nil {
		t.Fatal(err)
	}
	target := ask.Minutes * 60
	if got := tl.Seconds(tl.Len); math.Abs(got-target) > Tolerance(target) || got != m.Seconds {
		fail("lasts %.1f s (says %.1f), asked %g", got, m.Seconds, target)
	}
	// Two thirds of the holding for the focus.
	var focus, all float64
	for _, e := range tl.Events {
		if e.Kind != player.KindHold {
			continue
		}
		sec := tl.Seconds(e.Len)
		all += sec
		if len(ask.Focus) == 0 || slices.ContainsFunc(ask.Focus, lib.Stretch(e.Stretch).HasArea) {
			focus += sec
		}
	}
	if focus < all*2/3-0.01 {
		fail("%.0f of %.0f s of holding for the focus", focus, all)
	}
	for _, a := range ask.Focus {
		if !slices.ContainsFunc(m.Routine.Items, func(it routine.Item) bool { return lib.Stretch(it.Stretch).HasArea(a) }) {
			fail("no stretch for %s", a)
		}
	}
	count := map[string]int{}
	for i, it := range m.Routine.Items {
		s := lib.Stretch(it.Stretch)
		count[s.ID]++
		if len(ask.Positions) > 0 && !slices.Contains(ask.Positions, s.Position) {
			fail("%s is done %s", s.ID, s.Position)
		}
		if slices.Contains(ask.Avoid, s.ID) || slices.ContainsFunc(ask.Avoid, s.HasArea) {
			fail("%s is avoided", s.ID)
		}
		if i > 0 && m.Routine.Items[i-1].Stretch == s.ID {
			fail("%s twice in a row", s.ID)
		}
		ref := newItem(s, false, 0)
		switch {
		case !static(s):
			if it.Hold != 0 || it.Repeats < (s.Repeats+1)/2 || it.Repeats > s.Repeats {
				fail("%s is a move with %d repeats of its own; made %d, hold %g", s.ID, s.Repeats, it.Repeats, it.Hold)
			}
		case ask.Hold > 0:
			if it.Hold != ask.Hold {
				fail("%s holds %g, asked %g", s.ID, it.Hold, ask.Hold)
			}
		default:
			lo, hi := 15.0, 30.0
			if ask.Gentle {
				lo, hi = 30, 60
			}
			if it.Hold < lo || it.Hold > hi {
				fail("%s holds %g s, outside %g to %g", s.ID, it.Hold, lo, hi)
			}
		}
		if static(s) && it.Repeats > 1 && float64(it.Repeats*ref.holds)*it.Hold > perSideMax {
			fail("%s holds %d × %g s a side, over a minute", s.ID, it.Repeats, it.Hold)
		}
	}
	// A second round only once every focus stretch allowed is in.
	for id, n := range count {
		if n > 2 {
			fail("%s %d times", id, n)
		}
		if n == 2 {
			pool, _ := candidates(lib, ask)
			for _, it := range pool {
				if it.focus && count[it.s.ID] == 0 {
					fail("%s twice while %s is left out", id, it.s.ID)
				}
			}
		}
	}
	blocks := lib.Positions(m.Routine)
	seen := map[string]bool{}
	for _, p := range blocks {
		if seen[p] {
			fail("positions go %v", blocks)
		}
		seen[p] = true
	}
}

func TestMake_KeepsTheRecipeForEveryAsk(t *testing.T) {
	lib, voice := builtin(t)
	rng := rand.New(rand.NewPCG(1, 2))
	asks := 3000
	if testing.Short() {
		asks = 300
	}
	refused := 0
	for range asks {
		ask := randomAsk(rng, lib)
		m, err := Make(lib, voice, player.Options{}, ask)
		var ae *AskError
		switch {
		case errors.As(err, &ae):
			refused++
			if testing.Verbose() {
				t.Logf("%+v: %v", ask, err)
			}
			if len(ask.Focus) == 0 && len(ask.Positions) == 0 && len(ask.Avoid) == 0 {
				t.Errorf("%+v refused: %v", ask, err)
			}
			continue
		case err != nil:
			t.Fatalf("%+v: %v", ask, err)
		}
		checkRecipe(t, lib, voice, ask, m)
	}
	// Most asks can be met; what cannot is a narrow focus, few positions
	// and a long session together.
	if refused > asks/5 {
		t.Errorf("%d of %d asks refused", refused, asks)
	}
	t.Logf("%d of %d asks refused", refused, asks)
}

func TestMake_SameSeedSameRoutineOtherSeedOtherRoutine(t *testing.T) {
	lib, voice := builtin(t)
	for _, base := range []Ask{
		{Minutes: 10},
		{Minutes: 10, Focus: []string{"hips", "lower-back"}},
		{Minutes: 5, Positions: []string{"chair"}},
		{Minutes: 30, Gentle: true},
	} {
		distinct := map[string]bool{}
		for seed := range uint64(10) {
			ask := base
			ask.Seed = seed
			a, err := Make(lib, voice, player.Options{}, ask)
			if err != nil {
				t.Fatal(err)
			}
			b, err := Make(lib, voice, player.Options{}, ask)
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(*a.Routine) != fmt.Sprint(*b.Routine) {
				t.Errorf("%+v made two routines:\n%v\n%v", ask, a.Routine, b.Routine)
			}
			distinct[fmt.Sprint(a.Routine.Items)] = true
		}
		if len(distinct) < 8 {
			t.Errorf("%+v: %d different routines from 10 seeds", base, len(distinct))
		}
	}
}

func TestMake_PutsRecentStretchesLast(t *testing.T) {
	lib, voice := builtin(t)
	for seed := range uint64(20) {
		ask := Ask{Minutes: 10, Seed: seed}
		first, err := Make(lib, voice, player.Options{}, ask)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range first.Routine.Items {
			ask.Recent = append(ask.Recent, it.Stretch)
		}
		again, err := Make(lib, voice, player.Options{}, ask)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range again.Routine.Items {
			if slices.Contains(ask.Recent, it.Stretch) {
				t.Errorf("seed %d: %s again the day after, with %d stretches to choose from", seed, it.Stretch, len(lib.Stretches))
			}
		}
	}
}

func TestMake_Refuses(t *testing.T) {
	lib, voice := builtin(t)
	for _, tt := range []struct {
		ask  Ask
		want string
	}{
		{Ask{Minutes: 1}, "--minutes must be between 2 and 60, got 1"},
		{Ask{Minutes: 61}, "--minutes must be between 2 and 60, got 61"},
		{Ask{Minutes: 10, Focus: []string{"hip"}}, `unknown area "hip" (did you mean hips?); the areas are neck, shoulders, upper-back, chest, wrists, lower-back, hips, glutes, hamstrings, quads, calves`},
		{Ask{Minutes: 10, Positions: []string{"sofa"}}, `unknown position "sofa"; the positions are standing, chair, floor`},
		{Ask{Minutes: 10, Focus: []string{"wrists"}, Positions: []string{"floor"}}, "no floor stretch for wrists; try --position chair,standing"},
		{Ask{Minutes: 10, Focus: []string{"calves"}, Avoid: []string{"calves"}}, "no stretch for calves that --avoid leaves; drop calves from --focus or from --avoid"},
		{Ask{Minutes: 10, Avoid: []string{"neck-tilt"}}, `--avoid: "neck-tilt" is neither an area nor a stretch (did you mean neck-tilts, pelvic-tilt or neck?)`},
		{Ask{Minutes: 60, Focus: []string{"wrists"}}, "cannot make 60 minutes of that: what it allows lasts at most"},
		{Ask{Minutes: 2, Focus: routine.Areas}, "2 minutes is too short for a stretch for each of neck, shoulders, upper-back, chest, wrists, lower-back, hips, glutes, hamstrings, quads and calves; ask for --minutes"},
		{Ask{Minutes: 10, Hold: 5}, "--hold must be between 10 and 120 seconds, got 5"},
	} {
		_, err := Make(lib, voice, player.Options{}, tt.ask)
		var ae *AskError
		if !errors.As(err, &ae) || len(err.Error()) < len(tt.want) || err.Error()[:len(tt.want)] != tt.want {
			t.Errorf("%+v: %v, want %s...", tt.ask, err, tt.want)
		}
	}
}

func BenchmarkMake(b *testing.B) {
	lib, voice := builtin(b)
	ask := Ask{Minutes: 10, Focus: []string{"hips", "lower-back"}, Seed: 20261130}
	for b.Loop() {
		if _, err := Make(lib, voice, player.Options{}, ask); err != nil {
			b.Fatal(err)
		}
	}
}

func TestMade_FileRoundTrip(t *testing.T) {
	lib, voice := builtin(t)
	for _, ask := range []Ask{
		{Minutes: 10, Focus: []string{"hips", "lower-back"}, Seed: 7},
		{Minutes: 23.5, Gentle: true, Positions: []string{"chair"}, Seed: 8},
	} {
		m, err := Make(lib, voice, player.Options{}, ask)
		if err != nil {
			t.Fatal(err)
		}
		m.Routine.Description = "Made to measure."
		saved, err := routine.Load(m.File(), "saved.json", lib, cues.Builtin())
		if err != nil {
			t.Fatalf("the saved file does not load: %v\n%s", err, m.File())
		}
		plan := func(l *routine.Library) string {
			tl, err := player.Compile(l, m.Routine.ID, voice, player.Options{})
			if err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			if err := tl.WriteJSON(&b); err != nil {
				t.Fatal(err)
			}
			return b.String()
		}
		if a, b := plan(m.Library), plan(saved); a != b {
			t.Errorf("%+v: the saved routine plays another plan", ask)
		}
	}
}

func TestFit_NamedRoutinesToALength(t *testing.T) {
	lib, voice := builtin(t)
	for _, tt := range []struct {
		name    string
		minutes float64
		refused string
	}{
		{"upper-back", 5, "Upper back can be fitted to "},
		{"upper-back", 7, ""},
		{"upper-back", 12, ""},
		{"desk-break", 4, ""},
		{"full-body-20", 16, ""},
		{"neck-tilts", 2, ""},
		{"hips", 60, "Hips can be fitted to "},
	} {
		m, err := Fit(lib, voice, player.Options{}, tt.name, Ask{Minutes: tt.minutes})
		if tt.refused != "" {
			if err == nil || !strings.HasPrefix(err.Error(), tt.refused) {
				t.Errorf("%s to %g minutes: %v, want %s...", tt.name, tt.minutes, err, tt.refused)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s to %g minutes: %v", tt.name, tt.minutes, err)
			continue
		}
		if math.Abs(m.Seconds-tt.minutes*60) > Tolerance(tt.minutes*60) {
			t.Errorf("%s to %g minutes lasts %.1f s", tt.name, tt.minutes, m.Seconds)
		}
		orig, _ := lib.Resolve(tt.name)
		if len(orig.Items) != len(m.Routine.Items) {
			t.Errorf("%s fitted has %d stretches, had %d", tt.name, len(m.Routine.Items), len(orig.Items))
		}
		for i, it := range m.Routine.Items {
			if it.Stretch != orig.Items[i].Stretch {
				t.Errorf("%s fitted: stretch %d is %s, was %s", tt.name, i, it.Stretch, orig.Items[i].Stretch)
			}
		}
	}
}

func TestFit_HoldSetsEveryStaticHold(t *testing.T) {
	lib, voice := builtin(t)
	m, err := Fit(lib, voice, player.Options{}, "upper-back", Ask{Hold: 30})
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range m.Routine.Items {
		s := lib.Stretch(it.Stretch)
		if static(s) != (it.Hold == 30) {
			t.Errorf("%s (static %v) holds %g", s.ID, static(s), it.Hold)
		}
	}
}
