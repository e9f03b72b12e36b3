package maker

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/limber-audio/limber/internal/shorten"
	"github.com/limber-audio/limber/internal/suggest"
	"github.com/limber-audio/limber/player"
	"github.com/limber-audio/limber/player/routine"
)

// Limits of an ask, in minutes.
const (
	MinMinutes = 2
	MaxMinutes = 60
)

// Ask is what a person wants of a routine. The zero value of each field
// means its default.
type Ask struct {
	// Minutes is the whole session's length, lead-in, rests and closing
	// included: MinMinutes to MaxMinutes.
	Minutes float64
	// Focus lists the body areas to work (routine.Areas); none means the
	// whole body.
	Focus []string
	// Positions lists the positions allowed (routine.Positions); none
	// means all.
	Positions []string
	// Avoid lists stretch ids and areas to leave out, for an injury.
	Avoid []string
	// Gentle asks for longer, easier holds (30 to 60 s) and so fewer
	// stretches, as the guidance gives for older adults and beginners.
	Gentle bool
	// Hold, when above 0, is the length in seconds of every static hold.
	Hold float64
	// Seed chooses among the stretches that fit equally well; the same
	// seed gives the same routine.
	Seed uint64
	// Recent lists the stretches done lately (the last two days): they
	// come after the others in the order of preference.
	Recent []string
}

// Reason says why a stretch is in a made routine.
type Reason struct {
	Stretch string
	Why     string
}

// Made is a routine made or fitted to measure.
type Made struct {
	// Routine is the routine; Library is the library it was made from
	// with the routine added, ready to compile.
	Routine *routine.Routine
	Library *routine.Library
	// Seconds is how long it lasts, as compiled with the voice it was
	// made for.
	Seconds float64
	// Reasons has one entry per stretch of the routine, in order.
	Reasons []Reason
}

// AskError is an ask that cannot be met: it says why, and what would work.
type AskError struct{ Msg string }

func (e *AskError) Error() string { return e.Msg }

func askErrorf(format string, args ...any) error {
	return &AskError{Msg: fmt.Sprintf(format, args...)}
}

// check validates the parts of an ask both Make and Fit read.
func (a *Ask) check() error {
	if !(a.Minutes >= MinMinutes && a.Minutes <= MaxMinutes) {
		return askErrorf("--minutes must be between %d and %d, got %g", MinMinutes, MaxMinutes, a.Minutes)
	}
	if a.Hold != 0 && !(a.Hold >= 10 && a.Hold <= 120) {
		return askErrorf("--hold must be between 10 and 120 seconds, got %g", a.Hold)
	}
	return nil
}

// Make makes a routine of the library's stretches to the ask, measured
// with voice at opts (whose Pace must be 0 or 1: the maker sets the
// length itself).
func Make(lib *routine.Library, voice player.Voice, opts player.Options, ask Ask) (*Made, error) {
	if err := ask.check(); err != nil {
		return nil, err
	}
	for _, a := range ask.Focus {
		if !routine.IsArea(a) {
			return nil, askErrorf("unknown area %q%s; the areas are %s", a, suggest.Hint(a, routine.Areas), strings.Join(routine.Areas, ", "))
		}
	}
	for _, p := range ask.Positions {
		if !routine.IsPosition(p) {
			return nil, askErrorf("unknown position %q; the positions are %s", p, strings.Join(routine.Positions, ", "))
		}
	}
	for _, a := range ask.Avoid {
		if !routine.IsArea(a) && lib.Stretch(a) == nil {
			var known []string
			for _, s := range lib.Stretches {
				known = append(known, s.ID)
			}
			return nil, askErrorf("--avoid: %q is neither an area nor a stretch%s", shorten.To(a, 40), suggest.Hint(a, append(known, routine.Areas...)))
		}
	}
	pool, err := candidates(lib, ask)
	if err != nil {
		return nil, err
	}
	cal, err := calibrate(lib, voice, opts, pool)
	if err != nil {
		return nil, err
	}
	f := &fitter{lib: lib, voice: voice, opts: opts, cal: cal, target: ask.Minutes * 60, aim: ask.Minutes * 60,
		leadIn: 5, rest: 8, minRest: 5, maxRest: 20, minHold: staticHolds[0], maxHold: staticHolds[len(staticHolds)-1]}
	if ask.Gentle {
		f.rest, f.minRest = 12, 8
		f.minHold, f.maxHold = gentleHolds[0], gentleHolds[len(gentleHolds)-1]
	}
	if ask.Hold > 0 {
		f.minHold, f.maxHold = 0, 0
	}
	// The choice works from estimates; when the routine it makes misses
	// the time, choose again aiming the other way by as much.
	var made *Made
	for range 3 {
		f.dropped = nil
		chosen, err := f.choose(pool, ask)
		if err != nil {
			return nil, err
		}
		order(chosen, ask.Seed)
		r := &routine.Routine{ID: madeID(ask), Name: Describe(ask), Closing: routine.DefaultClosing,
			CalloutEvery: routine.DefaultCalloutEvery}
		if made, err = f.finish(r, chosen); err != nil {
			return nil, err
		}
		if f.missed(made) == nil {
			for _, it := range chosen {
				made.Reasons = append(made.Reasons, Reason{Stretch: it.s.ID, Why: why(it, ask)})
			}
			return made, nil
		}
		f.aim -= made.Seconds - f.target
	}
	return nil, f.missed(made)
}

// candidates returns the stretches the ask allows, in its order of
// preference: the focus areas' first (taking the areas in turn, so each
// gets one early), those done lately after the others.
func candidates(lib *routine.Library, ask Ask) ([]*item, error) {
	rng := rand.New(rand.NewPCG(ask.Seed, ask.Seed^0x6c696d626572))
	var pool []*item
	avoid, recent := setOf(ask.Avoid), setOf(ask.Recent) // as long as the user's lists may be
	for _, s := range lib.Stretches {
		if len(s.Areas) == 0 || s.Position == "" {
			continue // nothing says what it works or where
		}
		if len(ask.Positions) > 0 && !slices.Contains(ask.Positions, s.Position) {
			continue
		}
		if avoided(s, avoid) {
			continue
		}
		it := newItem(s, ask.Gentle, ask.Hold)
		it.focus = len(ask.Focus) == 0 || slices.ContainsFunc(ask.Focus, s.HasArea)
		it.recent = recent[s.ID]
		pool = append(pool, it)
	}
	for _, a := range ask.Focus {
		if !slices.ContainsFunc(pool, func(it *item) bool { return it.s.HasArea(a) }) {
			return nil, noStretch(lib, ask, a)
		}
	}
	if len(pool) == 0 {
		return nil, askErrorf("no stretch is left to choose from: --avoid and --position leave none out of %d", len(lib.Stretches))
	}
	rng.Shuffle(len(pool), func(i, j int) { pool[i], pool[j] = pool[j], pool[i] })
	// Recent ones last, keeping the shuffled order otherwise.
	slices.SortStableFunc(pool, func(a, b *item) int { return boolCmp(a.recent, b.recent) })
	// Take the areas in turn: one stretch for each focus area (or, for
	// the whole body, each area) by its main area, then the next round.
	areas := ask.Focus
	if len(areas) == 0 {
		areas = append([]string(nil), routine.Areas...)
		rng.Shuffle(len(areas), func(i, j int) { areas[i], areas[j] = areas[j], areas[i] })
	}
	var out []*item
	taken := map[*item]bool{}
	for len(out) < len(pool) {
		before := len(out)
		for _, a := range areas {
			// Its main area first; failing that, any stretch that works it.
			for _, main := range []bool{true, false} {
				i := slices.IndexFunc(pool, func(it *item) bool {
					return !taken[it] && it.focus && (main && it.s.Areas[0] == a || !main && it.s.HasArea(a))
				})
				if i >= 0 {
					taken[pool[i]] = true
					out = append(out, pool[i])
					break
				}
			}
		}
		if len(out) == before {
			break
		}
	}
	for _, it := range pool { // what is left: focus stretches, then the others
		if !taken[it] && it.focus {
			out = append(out, it)
			taken[it] = true
		}
	}
	for _, it := range pool {
		if !taken[it] {
			out = append(out, it)
		}
	}
	return out, nil
}

func boolCmp(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

// noStretch explains that no allowed stretch works area, and what would
// help: the positions that have one, or the --avoid that took it away.
func noStretch(lib *routine.Library, ask Ask, area string) error {
	var positions []string
	avoid, someAvoided := setOf(ask.Avoid), false
	for _, s := range lib.Stretches {
		if !s.HasArea(area) || s.Position == "" {
			continue
		}
		if avoided(s, avoid) {
			someAvoided = true
			continue
		}
		if !slices.Contains(positions, s.Position) {
			positions = append(positions, s.Position)
		}
	}
	where := "no"
	if len(ask.Positions) > 0 {
		where = "no " + strings.Join(ask.Positions, " or ")
	}
	switch {
	case len(positions) > 0:
		return askErrorf("%s stretch for %s; try --position %s", where, area, strings.Join(positions, ","))
	case someAvoided:
		return askErrorf("%s stretch for %s that --avoid leaves; drop %s from --focus or from --avoid", where, area, area)
	}
	return askErrorf("%s stretch for %s in the library", where, area)
}

// order puts the chosen stretches in position blocks: standing, chair,
// floor, or the reverse (the seed decides), keeping the order of
// preference within a block. A stretch of the second round is never
// next to itself.
func order(items []*item, seed uint64) {
	blocks := slices.Clone(routine.Positions)
	if seed%2 == 1 {
		slices.Reverse(blocks)
	}
	slices.SortStableFunc(items, func(a, b *item) int {
		return slices.Index(blocks, a.s.Position) - slices.Index(blocks, b.s.Position)
	})
	// Within a block, the first round before the second.
	slices.SortStableFunc(items, func(a, b *item) int {
		if a.s.Position != b.s.Position {
			return 0
		}
		return a.round - b.round
	})
	// A stretch never follows itself: move its second round past the
	// next stretch of its block.
	for i := 1; i < len(items); i++ {
		if items[i].s != items[i-1].s {
			continue
		}
		for j := i + 1; j < len(items) && items[j].s.Position == items[i].s.Position; j++ {
			if items[j].s != items[i].s {
				items[i], items[j] = items[j], items[i]
				break
			}
		}
	}
}

// why says why it is in the routine, for plan --explain.
func why(it *item, ask Ask) string {
	var parts []string
	var works []string
	for _, a := range it.s.Areas {
		if len(ask.Focus) == 0 || slices.Contains(ask.Focus, a) {
			works = append(works, a)
		}
	}
	switch {
	case len(ask.Focus) == 0:
		parts = append(parts, "works "+strings.Join(works, " and ")+" (whole body)")
	case it.focus:
		parts = append(parts, "works "+strings.Join(works, " and ")+", a focus area")
	default:
		parts = append(parts, "fills the time: works "+strings.Join(it.s.Areas, " and "))
	}
	parts = append(parts, it.s.Position)
	d := it.dose()
	if d.hold > 0 {
		parts = append(parts, fmt.Sprintf("%d × %g s a side", d.reps, d.hold))
	} else {
		parts = append(parts, fmt.Sprintf("%d repeats", d.reps))
	}
	if it.recent {
		parts = append(parts, "done in the last two days, so chosen after the others")
	}
	if it.round == 2 {
		parts = append(parts, "second round: the time could not be filled otherwise")
	}
	return strings.Join(parts, "; ")
}

// Describe names a made routine for people: "Hips and lower back, 10
// minutes".
func Describe(ask Ask) string {
	what := "Whole body"
	if len(ask.Focus) > 0 {
		names := make([]string, len(ask.Focus))
		for i, a := range ask.Focus {
			names[i] = strings.ReplaceAll(a, "-", " ")
		}
		what = joinAnd(names)
		what = strings.ToUpper(what[:1]) + what[1:]
	}
	if ask.Gentle {
		what = "Gentle: " + strings.ToLower(what[:1]) + what[1:]
	}
	if len(ask.Positions) == 1 {
		what += map[string]string{"standing": ", standing", "chair": ", in a chair", "floor": ", on the floor"}[ask.Positions[0]]
	}
	return fmt.Sprintf("%s, %s", what, minutes(ask.Minutes))
}

func minutes(m float64) string {
	if m == 1 {
		return "1 minute"
	}
	return fmt.Sprintf("%g minutes", m)
}

// joinAnd joins words as a sentence does: "a, b and c".
func joinAnd(words []string) string {
	if len(words) <= 1 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
}

// setOf is the set of a list's items.
func setOf(list []string) map[string]bool {
	set := make(map[string]bool, len(list))
	for _, x := range list {
		set[x] = true
	}
	return set
}

// avoided reports whether avoid names s or one of its areas.
func avoided(s *routine.Stretch, avoid map[string]bool) bool {
	return avoid[s.ID] || slices.ContainsFunc(s.Areas, func(a string) bool { return avoid[a] })
}
