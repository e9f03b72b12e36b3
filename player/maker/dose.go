package maker

import (
	"math"

	"github.com/limber-audio/limber/player"
	"github.com/limber-audio/limber/player/routine"
)

// Hold guidance, in seconds (ACSM): static holds of 10 to 30 s for most
// adults, 30 to 60 s for older adults, about a minute per stretch and side
// in all.
var (
	staticHolds = []float64{15, 20, 25, 30}
	gentleHolds = []float64{30, 40, 50, 60}
)

const (
	perSideMax = 60.0 // seconds of holding per stretch and side, at most
	// staticFrom is the shortest hold, in the library, of a stretch whose
	// holds the maker may change; shorter ones are moves with a rhythm of
	// their own, which only change their repeats.
	staticFrom = 15.0
)

// dose is how much of a stretch a routine asks for: its repeats on each
// side and, for a static stretch, the length of every hold (0 keeps the
// stretch's own).
type dose struct {
	reps int
	hold float64
}

// item is a stretch as the maker sees it: what it works, the doses it may
// be given (shortest first) and what each costs in time.
type item struct {
	s      *routine.Stretch
	focus  bool // works a focus area
	recent bool // done in the last two days
	round  int  // 1, or 2 for a second round
	ladder []dose
	level  int // the dose chosen, an index into ladder

	// From the calibration, in seconds: the stretch's length with one
	// repetition at its own holds, and what each further one adds.
	one, perRep float64
	holds       int     // hold steps in one repetition
	ownHold     float64 // seconds of holding in one repetition, as the library has it
}

func (it *item) dose() dose { return it.ladder[it.level] }

// static reports whether the stretch's holds may change: every hold step
// lasts at least staticFrom, and no rest step sets a rhythm between them
// (as in shoulder rolls, which move for 15 s and pause).
func static(s *routine.Stretch) bool {
	n := 0
	for _, st := range s.Steps {
		switch {
		case st.Kind == routine.StepRest, st.Kind == routine.StepHold && st.Seconds < staticFrom:
			return false
		case st.Kind == routine.StepHold:
			n++
		}
	}
	return n > 0
}

// newItem describes stretch s with the doses the guidance allows. hold,
// when above 0, fixes every static hold.
func newItem(s *routine.Stretch, gentle bool, hold float64) *item {
	it := &item{s: s, round: 1}
	for _, st := range s.Steps {
		if st.Kind == routine.StepHold {
			it.holds++
			it.ownHold += st.Seconds
		}
	}
	if !static(s) {
		// A move keeps its rhythm: from half its repeats to all of them.
		for r := (s.Repeats + 1) / 2; r <= s.Repeats; r++ {
			it.ladder = append(it.ladder, dose{reps: r})
		}
		return it
	}
	holds := staticHolds
	if gentle {
		holds = gentleHolds
	}
	if hold > 0 {
		holds = []float64{hold}
	}
	for _, h := range holds {
		for r := 1; r <= 3; r++ {
			// At least one repetition, however long the hold asked.
			if r > 1 && float64(r*it.holds)*h > perSideMax {
				break
			}
			it.ladder = append(it.ladder, dose{reps: r, hold: h})
		}
	}
	sortDoses(it)
	return it
}

// sortDoses orders the ladder by the holding it gives, shortest first.
func sortDoses(it *item) {
	l := it.ladder
	for i := 1; i < len(l); i++ {
		for j := i; j > 0 && it.holdTime(l[j]) < it.holdTime(l[j-1]); j-- {
			l[j], l[j-1] = l[j-1], l[j]
		}
	}
}

// holdTime is the seconds of holding dose d gives, both sides.
func (it *item) holdTime(d dose) float64 {
	per := it.ownHold
	if d.hold > 0 {
		per = d.hold * float64(it.holds)
	}
	return float64(float64(it.s.Sides*d.reps) * per) // rounded: no CPU fuses it into a sum
}

// seconds estimates the stretch's length at dose d from the calibration.
func (it *item) seconds(d dose) float64 {
	// Each product is rounded before it is added, so that no CPU fuses
	// the two and rounds once: the same routine is made on every machine.
	sec := it.one + float64(float64(d.reps-1)*it.perRep)
	if d.hold > 0 {
		sec += float64(float64(it.s.Sides*d.reps) * (float64(d.hold*float64(it.holds)) - it.ownHold))
	}
	return sec
}

// routineItem is the item as a routine lists it.
func (it *item) routineItem() routine.Item {
	d := it.dose()
	return routine.Item{Stretch: it.s.ID, Repeats: d.reps, Hold: d.hold}
}

// calibration is what compiling the candidates once tells: each one's
// length, and the cost of the routine around them.
type calibration struct {
	leadIn  float64 // "get ready" before the lead-in's silence
	closing float64 // from the end of the last stretch to the end
	restCue float64 // a rest without its silence: "time to rest" and gaps
}

// Calibration settings: a rest long enough that the preview of the next
// stretch is said inside it, so every rest costs the same.
const (
	calRest   = 30.0
	calLeadIn = 5.0
)

// calibrate compiles the items, at one and at two repetitions of their own
// holds, and sets each one's length and cost per repetition. It costs two
// compiles whatever the number of items.
func calibrate(lib *routine.Library, voice player.Voice, opts player.Options, items []*item) (calibration, error) {
	var cal calibration
	lens := make([][2]float64, len(items))
	for reps := 1; reps <= 2; reps++ {
		r := &routine.Routine{ID: calibrationID, Name: "calibration", LeadIn: calLeadIn, Rest: calRest,
			Closing: routine.DefaultClosing, CalloutEvery: routine.DefaultCalloutEvery}
		for _, it := range items {
			r.Items = append(r.Items, routine.Item{Stretch: it.s.ID, Repeats: reps})
		}
		// The first again at the end, so that every candidate has a rest
		// after it and the closing can be told apart.
		r.Items = append(r.Items, routine.Item{Stretch: items[0].s.ID, Repeats: reps})
		tl, err := player.Compile(lib.WithRoutine(r), r.ID, voice, opts)
		if err != nil {
			return cal, err
		}
		ends := stretchEnds(tl)
		for i := range items {
			lens[i][reps-1] = tl.Seconds(ends[i] - tl.Sections[i].Start)
		}
		if reps == 1 {
			// The last section is the first stretch again, as long.
			last := tl.Sections[len(tl.Sections)-1].Start + ends[0] - tl.Sections[0].Start
			cal.leadIn = tl.Seconds(tl.Sections[0].Start) - calLeadIn
			cal.closing = tl.Seconds(tl.Len - last)
			cal.restCue = tl.Seconds(tl.Sections[1].Start-ends[0]) - calRest
		}
	}
	for i, it := range items {
		it.one = lens[i][0]
		it.perRep = math.Max(lens[i][1]-lens[i][0], 0)
	}
	return cal, nil
}

// calibrationID names the routines the maker compiles to measure; it
// cannot clash with a routine file's ids, which have no '~'.
const calibrationID = "~maker"

// stretchEnds returns, for each section of tl, where its stretch ends:
// the first event after its start that belongs to no stretch (the rest,
// or the closing).
func stretchEnds(tl *player.Timeline) []int {
	ends := make([]int, len(tl.Sections))
	e := 0
	for i, s := range tl.Sections {
		for e < len(tl.Events) && (tl.Events[e].Start < s.Start || tl.Events[e].Stretch != "") {
			e++
		}
		ends[i] = tl.Len
		if e < len(tl.Events) {
			ends[i] = tl.Events[e].Start
		}
	}
	return ends
}
