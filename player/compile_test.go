package player

import (
	"bytes"
	"encoding/json"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/limber-audio/limber/audio/tone"
	"github.com/limber-audio/limber/cues"
	"github.com/limber-audio/limber/internal/testtools"
	"github.com/limber-audio/limber/player/routine"
)

// TestPlan_Golden pins the JSON plan of every built-in routine, compiled
// with the real voice pack (go test -update rewrites testdata/plans).
func TestPlan_Golden(t *testing.T) {
	lib := builtin(t)
	voice := cues.NewPack(DefaultRate)
	for _, r := range lib.Routines {
		t.Run(r.ID, func(t *testing.T) {
			tl, err := Compile(lib, r.ID, voice, Options{})
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := tl.WriteJSON(&buf); err != nil {
				t.Fatal(err)
			}
			testtools.Golden(t, filepath.Join("testdata", "plans", r.ID+".json"), buf.Bytes(), *update)
		})
	}
}

// holds returns the hold events of stretch id in plan p.
func holds(p PlanJSON, id string) []EventJSON {
	var out []EventJSON
	for _, e := range p.Events {
		if e.Kind == "hold" && e.Stretch == id {
			out = append(out, e)
		}
	}
	return out
}

func plan(t *testing.T, lib *routine.Library, name string, opts Options) PlanJSON {
	t.Helper()
	tl, err := Compile(lib, name, cues.NewPack(DefaultRate), opts)
	if err != nil {
		t.Fatal(err)
	}
	// Go through the JSON a script would read.
	var buf bytes.Buffer
	if err := tl.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	var p PlanJSON
	if err := json.Unmarshal(buf.Bytes(), &p); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestPlan_FollowsTheSeed reads the upper-back plan and checks the timings
// the article gives for each stretch.
func TestPlan_FollowsTheSeed(t *testing.T) {
	p := plan(t, builtin(t), "upper-back", Options{})
	inRange := func(id string, lo, hi float64) []EventJSON {
		t.Helper()
		hs := holds(p, id)
		if len(hs) == 0 {
			t.Fatalf("%s: no holds in the plan", id)
		}
		for _, h := range hs {
			if h.Duration < lo || h.Duration > hi {
				t.Errorf("%s: hold of %gs, the article says %g to %g s", id, h.Duration, lo, hi)
			}
		}
		return hs
	}
	bothSides := func(id string, hs []EventJSON) {
		t.Helper()
		var left, right int
		for _, h := range hs {
			switch h.Side {
			case "left":
				left++
			case "right":
				right++
			}
		}
		if left == 0 || left != right {
			t.Errorf("%s: %d left and %d right holds, want the same on both sides", id, left, right)
		}
	}
	inRange("childs-pose", 20, 60)
	inRange("neck-rotations", 10, 20)
	bothSides("neck-tilts", inRange("neck-tilts", 10, 20))
	bothSides("chair-rotation", inRange("chair-rotation", 5, 10))
	wings := inRange("butterfly-wings", 5, 10)
	if len(wings) < 4 || wings[len(wings)-1].Rep < 2 {
		t.Errorf("butterfly-wings: %d holds, last rep %d; want the back/forward pair repeated", len(wings), wings[len(wings)-1].Rep)
	}
	slides := inRange("arm-slides", 5, 5)
	if len(slides) != 10 || slides[9].Rep != 10 {
		t.Errorf("arm-slides: %d holds, want 10 (5 s at the top, 10 times)", len(slides))
	}
	// Reps are counted aloud: "number two" ... and "last one".
	said := map[string]bool{}
	for _, e := range p.Events {
		if e.Kind == "cue" && e.Stretch == "arm-slides" {
			said[e.Cue] = true
		}
	}
	for _, id := range []string{"rep.2", "rep.5", "rep.9", "last-one"} {
		if !said[id] {
			t.Errorf("arm-slides: cue %s never said", id)
		}
	}
	// Every stretch of the article, in its order.
	var order []string
	for _, e := range p.Events {
		if e.Stretch != "" && (len(order) == 0 || order[len(order)-1] != e.Stretch) {
			order = append(order, e.Stretch)
		}
	}
	want := []string{"childs-pose", "neck-rotations", "neck-tilts", "butterfly-wings", "chair-rotation", "arm-slides"}
	if len(order) != len(want) {
		t.Fatalf("stretch order %v, want %v", order, want)
	}
	for i := range want {
		if order[i] != want[i] {
			t.Errorf("stretch order %v, want %v", order, want)
			break
		}
	}
}

func TestPlan_DeskBreakIsShort(t *testing.T) {
	if p := plan(t, builtin(t), "desk-break", Options{}); p.Duration >= 5*60 {
		t.Errorf("desk-break lasts %gs, want under 5 minutes", p.Duration)
	}
}

// TestCompile_Invariants checks, for every routine and stretch at several
// paces, the rules every timeline keeps.
func TestCompile_Invariants(t *testing.T) {
	lib := builtin(t)
	voice := fixedVoice{}
	for _, name := range lib.Names() {
		for _, pace := range []float64{0.5, 1, 1.7, 2} {
			tl, err := Compile(lib, name, voice, Options{Rate: 8000, Pace: pace})
			if err != nil {
				t.Fatal(err)
			}
			r, _ := lib.Resolve(name)
			checkInvariants(t, lib, r, tl, pace)
		}
	}
}

func checkInvariants(t *testing.T, lib *routine.Library, r *routine.Routine, tl *Timeline, pace float64) {
	t.Helper()
	lastHoldEnd, lastStart := 0, 0
	var holdsPerStretch = map[string]int{}
	for i, e := range tl.Events {
		if e.Start < lastStart {
			t.Fatalf("%s: event %d starts before the one before it", tl.Routine, i)
		}
		lastStart = e.Start
		if e.End() > tl.Len || e.Len <= 0 {
			t.Fatalf("%s: event %d (%v) spans [%d,%d) outside [0,%d)", tl.Routine, i, e.Kind, e.Start, e.End(), tl.Len)
		}
		switch e.Kind {
		case KindHold:
			if e.Start < lastHoldEnd {
				t.Errorf("%s: hold at %d overlaps the previous hold", tl.Routine, e.Start)
			}
			lastHoldEnd = e.End()
			holdsPerStretch[e.Stretch]++
		case KindCue:
			// Holds start when the cue before them ends: only callouts
			// play inside a hold, and never over a tone or another cue.
			for _, o := range tl.Events {
				if o == e || !(e.Start < o.End() && o.Start < e.End()) {
					continue
				}
				switch {
				case o.Kind == KindHold && !isCallout(e.Cue):
					t.Errorf("%s: cue %s at %d overlaps a hold", tl.Routine, e.Cue, e.Start)
				case o.Kind == KindTone || o.Kind == KindCue:
					t.Errorf("%s: cue %s at %d overlaps %s %s%s at %d", tl.Routine, e.Cue, e.Start, o.Kind, o.Cue, o.Tone, o.Start)
				}
			}
		}
	}
	// Hold lengths are exactly what the routine asks for, times the pace.
	for _, it := range r.Items {
		s := lib.Stretch(it.Stretch)
		want := -1
		for _, st := range s.Steps {
			if st.Kind == routine.StepHold {
				sec := st.Seconds
				if it.Hold > 0 {
					sec = it.Hold
				}
				want = tl.Samples(sec * pace)
				break
			}
		}
		for _, e := range tl.Events {
			if e.Kind == KindHold && e.Stretch == s.ID && want >= 0 && len(s.Steps) > 0 && e.Len != want && allHoldsEqual(s) {
				t.Errorf("%s/%s: hold of %d samples, want %d", tl.Routine, s.ID, e.Len, want)
			}
		}
	}
}

func allHoldsEqual(s *routine.Stretch) bool {
	first := -1.0
	for _, st := range s.Steps {
		if st.Kind == routine.StepHold {
			if first >= 0 && st.Seconds != first {
				return false
			}
			first = st.Seconds
		}
	}
	return true
}

func TestCompile_TonesMarkEveryHold(t *testing.T) {
	lib := builtin(t)
	tl, err := Compile(lib, "neck-tilts", fixedVoice{}, Options{Rate: 1000})
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range tl.Events {
		if h.Kind != KindHold {
			continue
		}
		var start, end bool
		var ticks []int
		for _, e := range tl.Events {
			if e.Kind != KindTone {
				continue
			}
			switch {
			case e.Tone == tone.Start && e.Start == h.Start:
				start = true
			case e.Tone == tone.End && e.Start == h.End():
				end = true
			case e.Tone == tone.Tick && e.Start >= h.Start && e.Start < h.End():
				ticks = append(ticks, h.End()-e.Start)
			}
		}
		if !start || !end {
			t.Errorf("hold at %d: start tone %v, end tone %v", h.Start, start, end)
		}
		if len(ticks) != 3 || ticks[0] != 3000 || ticks[1] != 2000 || ticks[2] != 1000 {
			t.Errorf("hold at %d: ticks %v ms before its end, want [3000 2000 1000]", h.Start, ticks)
		}
	}
}

func TestCompile_PaceScalesHoldsAndRests(t *testing.T) {
	lib := builtin(t)
	voice := fixedVoice{}
	slow, err := Compile(lib, "desk-break", voice, Options{Rate: 1000, Pace: 2})
	if err != nil {
		t.Fatal(err)
	}
	normal, err := Compile(lib, "desk-break", voice, Options{Rate: 1000})
	if err != nil {
		t.Fatal(err)
	}
	var held, heldSlow int
	for _, e := range normal.Events {
		if e.Kind == KindHold {
			held += e.Len
		}
	}
	for _, e := range slow.Events {
		if e.Kind == KindHold {
			heldSlow += e.Len
		}
	}
	if heldSlow != 2*held {
		t.Errorf("holds at pace 2 total %d ms, want %d", heldSlow, 2*held)
	}
	for _, pace := range []float64{0.49, 2.01, math.NaN(), -1} {
		if _, err := Compile(lib, "desk-break", voice, Options{Pace: pace}); err == nil {
			t.Errorf("pace %g accepted", pace)
		}
	}
}

func TestCompile_IsDeterministic(t *testing.T) {
	lib := builtin(t)
	var prev []byte
	for range 3 {
		tl, err := Compile(lib, "upper-back", cues.NewPack(DefaultRate), Options{})
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := tl.WriteJSON(&buf); err != nil {
			t.Fatal(err)
		}
		if prev != nil && !bytes.Equal(prev, buf.Bytes()) {
			t.Fatal("two compiles of upper-back differ")
		}
		prev = buf.Bytes()
	}
}

func TestCompile_UnknownName(t *testing.T) {
	_, err := Compile(builtin(t), "uper-back", fixedVoice{}, Options{Rate: 1000})
	if err == nil || err.Error() != `no routine or stretch named "uper-back" (did you mean upper-back or lower-back?)` {
		t.Errorf("err = %v", err)
	}
}

func BenchmarkLoadAndCompile(b *testing.B) {
	voice := cues.NewPack(DefaultRate)
	for b.Loop() {
		lib, err := routine.LoadBuiltin(cues.Builtin())
		if err != nil {
			b.Fatal(err)
		}
		for _, name := range lib.Names() {
			if _, err := Compile(lib, name, voice, Options{}); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// TestBuiltinCues_AllHaveClips compiles every built-in routine and stretch
// and checks each cue it says has a clip in the voice pack, including the
// cues the compiler adds (counting, sides, lead-in, closing). It decodes
// every clip: a check of the pack, not of arithmetic, so -short (the
// arm64 run under qemu, where it took 44 s of the package's 49) leaves
// it to the full run.
func TestBuiltinCues_AllHaveClips(t *testing.T) {
	if testing.Short() {
		t.Skip("decodes the whole voice pack: go test without -short runs it")
	}
	lib := builtin(t)
	pack := cues.NewPack(DefaultRate)
	used := map[string]bool{}
	for _, name := range lib.Names() {
		for _, pace := range []float64{1} {
			tl, err := Compile(lib, name, pack, Options{Pace: pace})
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range tl.Events {
				if e.Kind == KindCue {
					used[e.Cue] = true
				}
			}
		}
	}
	for rep := 2; rep <= 20; rep++ {
		used[repCue(rep, 21)] = true
	}
	used["keep-going"] = true
	for id := range used {
		if _, err := pack.Clip(id); err != nil {
			t.Errorf("cue %s: %v", id, err)
		}
	}
}

func TestCueSequence(t *testing.T) {
	tl, err := CueSequence([]string{"switch-sides", "last-one"}, fixedVoice{}, cues.Builtin(), Options{Rate: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if len(tl.Events) != 2 || tl.Events[0].Start != 0 || tl.Events[1].Start != 1300 || tl.Len != 2800 {
		t.Errorf("timeline %+v", tl)
	}
	_, err = CueSequence([]string{"swich-sides"}, fixedVoice{}, cues.Builtin(), Options{})
	if err == nil || !strings.Contains(err.Error(), `no cue named "swich-sides" (did you mean switch-sides`) {
		t.Errorf("err = %v", err)
	}
}

func isCallout(id string) bool { return id == "halfway" || strings.HasPrefix(id, "left.") }
