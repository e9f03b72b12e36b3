package player

import (
	"fmt"
	"strings"
	"testing"

	"github.com/limber-audio/limber/cues"
	"github.com/limber-audio/limber/cues/cueid"
	"github.com/limber-audio/limber/player/routine"
)

// holdRoutine is a library with one hold of the given seconds and a
// routine around it with the given cadence.
func holdRoutine(t *testing.T, hold float64, every int) *routine.Library {
	t.Helper()
	doc := fmt.Sprintf(`{"version": 1,
  "stretches": {"s": {"name": "S", "name_cue": "neck-tilts", "steps": [{"hold": %g}]}},
  "routines": {"r": {"name": "R", "callout_every": %d, "stretches": ["s"]}}}`, hold, every)
	lib, err := routine.Load([]byte(doc), "t.json", nil, cues.Builtin())
	if err != nil {
		t.Fatal(err)
	}
	return lib
}

// calloutsAt returns the callouts of the first hold as "id@seconds from
// the hold's start".
func calloutsAt(tl *Timeline) []string {
	var hold Event
	for _, e := range tl.Events {
		if e.Kind == KindHold {
			hold = e
			break
		}
	}
	var out []string
	for _, e := range tl.Events {
		if e.Kind == KindCue && e.Start >= hold.Start && e.Start < hold.End() {
			out = append(out, fmt.Sprintf("%s@%g", e.Cue, tl.Seconds(e.Start-hold.Start)))
		}
	}
	return out
}

func TestCompile_CalloutsInLongHolds(t *testing.T) {
	tests := []struct {
		hold  float64
		every int
		pace  float64
		want  string
	}{
		{19, 15, 1, ""},
		{20, 15, 1, "halfway@10"},
		{10, 15, 2, "halfway@10"}, // holds are measured at the routine's pace
		{44, 15, 1, "halfway@22"},
		{45, 15, 1, "left.30@15 halfway@22.5 left.15@30"},
		// "thirty seconds left" would start with "halfway": halfway wins.
		{60, 15, 1, "left.45@15 halfway@30 left.15@45"},
		{60, 30, 1, "halfway@30"},
		{60, 0, 1, "halfway@30"},
		{120, 30, 1, "left.90@30 halfway@60 left.30@90"},
		// Five minutes left is also halfway: halfway is kept.
		{600, 60, 1, "halfway@300 left.240@360 left.180@420 left.120@480 left.60@540"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%gs every %d pace %g", tt.hold, tt.every, tt.pace), func(t *testing.T) {
			tl, err := Compile(holdRoutine(t, tt.hold, tt.every), "r", fixedVoice{}, Options{Rate: 1000, Pace: tt.pace})
			if err != nil {
				t.Fatal(err)
			}
			got := strings.Join(calloutsAt(tl), " ")
			if got != tt.want {
				t.Errorf("callouts %q, want %q", got, tt.want)
			}
			var hold int
			for _, e := range tl.Events {
				if e.Kind == KindHold {
					hold = e.Len
				}
			}
			if want := tl.Samples(tt.hold * tt.pace); hold != want {
				t.Errorf("hold lasts %d samples with callouts, want %d", hold, want)
			}
		})
	}
}

func cueIDs(tl *Timeline) []string {
	var ids []string
	for _, e := range tl.Events {
		if e.Kind == KindCue {
			ids = append(ids, e.Cue)
		}
	}
	return ids
}

func holdLens(tl *Timeline) []int {
	var out []int
	for _, e := range tl.Events {
		if e.Kind == KindHold {
			out = append(out, e.Len)
		}
	}
	return out
}

func TestCompile_CoachLevels(t *testing.T) {
	lib := builtin(t)
	compile := func(c routine.Coach) *Timeline {
		tl, err := Compile(lib, "upper-back", fixedVoice{}, Options{Rate: 1000, Coach: c})
		if err != nil {
			t.Fatal(err)
		}
		return tl
	}
	full, brief, tones := compile(routine.CoachFull), compile(routine.CoachBrief), compile(routine.CoachTones)
	if def := compile(routine.CoachDefault); len(def.Events) != len(full.Events) {
		t.Error("the default level is not full for upper-back")
	}
	// Every level holds the same positions for the same time.
	for name, tl := range map[string]*Timeline{"brief": brief, "tones": tones} {
		if fmt.Sprint(holdLens(tl)) != fmt.Sprint(holdLens(full)) {
			t.Errorf("%s: holds differ from full", name)
		}
		if len(tl.Sections) != len(full.Sections) || len(tl.Marks) != len(full.Marks) {
			t.Errorf("%s: %d sections and %d marks, full has %d and %d", name, len(tl.Sections), len(tl.Marks), len(full.Sections), len(full.Marks))
		}
	}
	if ids := cueIDs(tones); len(ids) != 0 {
		t.Errorf("tones says %v", ids)
	}
	var toneCount [2]int
	for i, tl := range []*Timeline{full, tones} {
		for _, e := range tl.Events {
			if e.Kind == KindTone {
				toneCount[i]++
			}
		}
	}
	if toneCount[0] != toneCount[1] {
		t.Errorf("tones level has %d tones, full %d", toneCount[1], toneCount[0])
	}
	essential := map[string]bool{"get-ready": true, "left-side": true, "switch-sides": true, "last-one": true, "routine-complete": true}
	for _, s := range lib.Stretches {
		essential[s.NameCue] = true
	}
	said := map[string]bool{}
	for _, id := range cueIDs(brief) {
		said[id] = true
		if !essential[id] && !strings.HasPrefix(id, "rep.") {
			t.Errorf("brief says %s", id)
		}
	}
	for _, id := range []string{"neck-tilts", "switch-sides", "rep.2", "last-one", "routine-complete"} {
		if !said[id] {
			t.Errorf("brief never says %s", id)
		}
	}
	fullSaid := strings.Join(cueIDs(full), " ")
	for _, id := range []string{"neck-tilts.how", "childs-pose.tip", "next-up", "last-stretch", "halfway", "stretched-for"} {
		if !strings.Contains(fullSaid, id) {
			t.Errorf("full never says %s", id)
		}
	}
}

func TestCompile_PreviewsTheNextStretchDuringTheRest(t *testing.T) {
	lib := builtin(t)
	tl, err := Compile(lib, "desk-break", fixedVoice{}, Options{Rate: 1000})
	if err != nil {
		t.Fatal(err)
	}
	r := lib.Routine("desk-break")
	var rests []Event
	for _, e := range tl.Events {
		if e.Kind == KindRest && e.Stretch == "" && e.Start > tl.Sections[0].Start {
			rests = append(rests, e)
		}
	}
	if len(rests) != len(r.Items)-1 {
		t.Fatalf("%d rests between %d stretches", len(rests), len(r.Items))
	}
	for i, rest := range rests {
		if rest.Len != tl.Samples(r.Rest) {
			t.Errorf("rest %d lasts %d, want %d", i, rest.Len, tl.Samples(r.Rest))
		}
		next := lib.Stretch(r.Items[i+1].Stretch)
		lead := "next-up"
		if i == len(rests)-1 {
			lead = "last-stretch"
		}
		var got []string
		for _, e := range tl.Events {
			if e.Kind == KindCue && e.Start >= rest.Start && e.End() <= rest.End() {
				got = append(got, e.Cue)
			}
		}
		if strings.Join(got, " ") != lead+" "+next.NameCue {
			t.Errorf("rest %d says %v, want %s %s", i, got, lead, next.NameCue)
		}
	}
}

func TestCompile_SaysHowLongTheSessionWas(t *testing.T) {
	for sec, want := range map[float64]string{
		10: "stretched-for minutes.1", 100: "stretched-for minutes.2", 544: "stretched-for minutes.9",
		23 * 60: "stretched-for minutes.25", 3700: "stretched-for minutes.60", 4000: "stretched-long",
	} {
		if got := strings.Join(sessionCues(sec), " "); got != want {
			t.Errorf("%g s: %s, want %s", sec, got, want)
		}
	}
	tl, err := Compile(builtin(t), "upper-back", cues.NewPack(DefaultRate), Options{})
	if err != nil {
		t.Fatal(err)
	}
	ids := cueIDs(tl)
	minutes := int(tl.Seconds(tl.Len)/60 + 0.5)
	if got := strings.Join(ids[len(ids)-2:], " "); got != fmt.Sprintf("stretched-for minutes.%d", minutes) {
		t.Errorf("upper-back (%.0f s) ends with %s", tl.Seconds(tl.Len), got)
	}
}

func TestCompile_CautionIsSpokenOnlyInFull(t *testing.T) {
	doc := `{"version": 1,
  "stretches": {"s": {"name": "S", "name_cue": "neck-tilts", "how": "neck-tilts.how", "tips": ["neck-tilts.tip"],
    "caution": "Skip this one if your neck hurts.", "areas": ["neck"], "position": "chair",
    "sources": ["https://www.nhs.uk/live-well/exercise/"], "steps": [{"hold": 10}]}}}`
	lib, err := routine.Load([]byte(doc), "t.json", nil, cues.Builtin())
	if err != nil {
		t.Fatal(err)
	}
	caution := cueid.OfWords("Skip this one if your neck hurts.")
	for _, tt := range []struct {
		coach routine.Coach
		want  string
	}{
		{routine.CoachFull, "get-ready neck-tilts neck-tilts.how neck-tilts.tip " + caution + " all-done stretched-for minutes.1"},
		{routine.CoachBrief, "get-ready neck-tilts all-done"},
		{routine.CoachTones, ""},
	} {
		tl, err := Compile(lib, "s", anyLength{}, Options{Rate: 1000, Coach: tt.coach})
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(cueIDs(tl), " "); got != tt.want {
			t.Errorf("%s says %q, want %q", tt.coach, got, tt.want)
		}
	}
}
