package maker

import (
	"fmt"
	"math"
	"slices"

	"github.com/limber-audio/limber/player"
	"github.com/limber-audio/limber/player/routine"
)

// fitter fits stretches to a length. Times are in seconds.
type fitter struct {
	lib    *routine.Library
	voice  player.Voice
	opts   player.Options
	cal    calibration
	target float64
	// The lead-in, and the rest between stretches with its range: the
	// rests take up what the doses cannot.
	leadIn                 float64
	rest, minRest, maxRest float64
	// Static holds may be tuned within these bounds to fit the last
	// seconds; 0 when they are fixed (--hold).
	minHold, maxHold float64
	// dropped are stretches outside the focus taken out to keep their
	// holding within a third; they are not offered again.
	dropped []*item
}

// The range of the lead-in, in seconds, when it is tuned to fit.
const (
	minLeadIn = 3.0
	maxLeadIn = 10.0
)

// Tolerance is how far a made or fitted routine may be from the asked
// length: 5% or 15 s, whichever is larger.
func Tolerance(seconds float64) float64 { return math.Max(0.05*seconds, 15) }

// budget is the time n stretches have once the lead-in, the rests at
// their usual length and the closing are taken.
func (f *fitter) budget(n int) float64 {
	// Products are rounded before they are added (see seconds).
	return f.target - f.cal.leadIn - f.leadIn - f.cal.closing - float64(float64(max(n-1, 0))*(f.cal.restCue+f.rest))
}

// slack is how much longer the rests between n stretches and the lead-in
// can grow.
func (f *fitter) slack(n int) float64 {
	return float64(float64(max(n-1, 0))*(f.maxRest-f.rest)) + math.Max(maxLeadIn-f.leadIn, 0)
}

// give is how much shorter they can become.
func (f *fitter) give(n int) float64 {
	return float64(float64(max(n-1, 0))*(f.rest-f.minRest)) + math.Max(f.leadIn-minLeadIn, 0)
}

func total(items []*item) float64 {
	t := 0.0
	for _, it := range items {
		t += it.seconds(it.dose())
	}
	return t
}

// thirdShare is the most holding the stretches outside the focus may have
// for each second of the focus's: a third of the whole is half the
// focus's, less a little room for tuning the holds after.
const thirdShare = 0.48

// minTotal is how long the items last at their smallest doses.
func minTotal(items []*item) float64 {
	t := 0.0
	for _, it := range items {
		t += it.seconds(it.ladder[0])
	}
	return t
}

func frac(it *item) float64 {
	if len(it.ladder) == 1 {
		return 1
	}
	return float64(it.level) / float64(len(it.ladder)-1)
}

// fill sets the items' doses so that together they last as close to b as
// their ladders allow, raising the least raised first, and returns how
// long they last. A stretch outside the focus is raised only while the
// holding outside the focus stays within half the focus's.
func fill(items []*item, b float64) float64 {
	for _, it := range items {
		it.level = 0
	}
	t := total(items)
	for {
		focus, other := holdTimes(items)
		var best *item
		for _, it := range items {
			if it.level == len(it.ladder)-1 {
				continue
			}
			if !it.focus && other+it.holdTime(it.ladder[it.level+1])-it.holdTime(it.dose()) > focus*thirdShare {
				continue
			}
			if best == nil || frac(it) < frac(best) {
				best = it
			}
		}
		if best == nil {
			return t
		}
		d := best.seconds(best.ladder[best.level+1]) - best.seconds(best.dose())
		if t+d > b {
			if t+d-b < b-t {
				best.level++
				t += d
			}
			return t
		}
		best.level++
		t += d
	}
}

// holdTimes returns the seconds of holding of the focus stretches and of
// the others.
func holdTimes(items []*item) (focus, other float64) {
	for _, it := range items {
		if it.focus {
			focus += it.holdTime(it.dose())
		} else {
			other += it.holdTime(it.dose())
		}
	}
	return focus, other
}

// choose picks from pool, in its order, the stretches of the routine and
// their doses: first one for each focus area, then more focus stretches
// at a middle dose until the time is taken; more when the doses cannot
// stretch to the time (focus stretches, then others within a third of
// the holding, then a second round); fewer when it is too short.
func (f *fitter) choose(pool []*item, ask Ask) ([]*item, error) {
	var chosen []*item
	covered := func() bool {
		for _, a := range ask.Focus {
			if !slices.ContainsFunc(chosen, func(it *item) bool { return it.s.HasArea(a) }) {
				return false
			}
		}
		return true
	}
	for _, it := range pool {
		if covered() {
			break
		}
		if it.focus && slices.ContainsFunc(ask.Focus, func(a string) bool {
			return it.s.HasArea(a) && !slices.ContainsFunc(chosen, func(c *item) bool { return c.s.HasArea(a) })
		}) {
			chosen = append(chosen, it)
		}
	}
	cover := len(chosen)
	for _, it := range chosen {
		it.level = 0
	}
	if t := total(chosen); t > f.budget(len(chosen))+f.give(len(chosen))+Tolerance(f.target) {
		need := math.Ceil((f.target + t - f.budget(len(chosen)) - f.give(len(chosen))) / 60)
		return nil, askErrorf("%s is too short for a stretch for each of %s; ask for --minutes %g or more, or fewer areas",
			minutes(ask.Minutes), joinAnd(ask.Focus), need)
	}
	// More focus stretches at a middle dose until they take the time.
	est := 0.0
	for _, it := range chosen {
		it.level = len(it.ladder) / 2
		est += it.seconds(it.dose())
	}
	for _, it := range pool {
		if est >= f.budget(len(chosen)) {
			break
		}
		if !it.focus || slices.Contains(chosen, it) {
			continue
		}
		it.level = len(it.ladder) / 2
		chosen = append(chosen, it)
		est += it.seconds(it.dose())
	}
	// Growing may add stretches outside the focus that the third then
	// takes away; then grow again, without them.
	for range 4 {
		chosen = f.thirdAtMost(f.size(pool, chosen, cover))
		if f.miss(chosen) == 0 || len(f.eligible(pool, chosen)) == 0 {
			break
		}
	}
	return chosen, nil
}

// size adds stretches to chosen while even their largest doses cannot
// fill the time, or takes the last ones away while even their smallest
// overfill it (never fewer than keep), and sets their doses. A stretch is
// added only when it brings the time closer; the one that fits best among
// the first kind there is (see eligible) goes in.
func (f *fitter) size(pool []*item, chosen []*item, cover int) []*item {
	keep := max(cover, 1)
	for len(chosen) > keep && minTotal(chosen) > f.budget(len(chosen))+f.give(len(chosen)) {
		chosen = chosen[:len(chosen)-1]
	}
	for {
		miss := f.miss(chosen)
		if miss == 0 {
			return chosen
		}
		x, xmiss := f.bestOf(f.eligible(pool, chosen), chosen)
		if len(chosen) > cover {
			// Or another in place of the last one.
			last := chosen[len(chosen)-1]
			if y, ymiss := f.bestOf(f.eligible(pool, chosen[:len(chosen)-1]), chosen[:len(chosen)-1]); y != nil && y != last && ymiss < miss && ymiss < xmiss {
				chosen[len(chosen)-1] = y
				continue
			}
		}
		if x == nil || xmiss >= miss {
			f.miss(chosen) // the doses of the best without it
			return chosen
		}
		chosen = append(chosen, x)
	}
}

// miss sets the doses of chosen to fill the time and returns by how many
// seconds the rests cannot make up the difference: 0 when they can.
func (f *fitter) miss(chosen []*item) float64 {
	n := len(chosen)
	b := f.budget(n)
	t := fill(chosen, b)
	return math.Max(0, b-f.slack(n)-t) + math.Max(0, minTotal(chosen)-b-f.give(n))
}

// bestOf returns the candidate that, added to chosen, misses the time by
// least (the first of those that miss by nothing), and by how much.
func (f *fitter) bestOf(candidates, chosen []*item) (*item, float64) {
	var best *item
	bestMiss := math.Inf(1)
	for _, x := range candidates {
		m := f.miss(append(chosen[:len(chosen):len(chosen)], x))
		if m < bestMiss {
			best, bestMiss = x, m
			if m == 0 {
				break
			}
		}
	}
	return best, bestMiss
}

// thirdAtMost keeps the holding of the stretches outside the focus to a
// third of the whole: it lowers their doses, then leaves out the last of
// them, as needed.
func (f *fitter) thirdAtMost(chosen []*item) []*item {
	for {
		focus, other := holdTimes(chosen)
		if other <= focus*thirdShare {
			return chosen
		}
		if i := lastIndex(chosen, func(it *item) bool { return !it.focus && it.level > 0 }); i >= 0 {
			chosen[i].level--
			continue
		}
		j := lastIndex(chosen, func(it *item) bool { return !it.focus })
		f.dropped = append(f.dropped, chosen[j])
		chosen = slices.Delete(chosen, j, j+1)
		fill(chosen, f.budget(len(chosen)))
	}
}

func lastIndex(items []*item, f func(*item) bool) int {
	for i := len(items) - 1; i >= 0; i-- {
		if f(items[i]) {
			return i
		}
	}
	return -1
}

// eligible returns, in the order of preference, the stretches that may
// be added to chosen: focus stretches not chosen yet; failing those,
// others that keep the holding outside the focus within a third; failing
// those, a second round of a focus stretch that has company in its
// position (so it never follows itself).
func (f *fitter) eligible(pool, chosen []*item) []*item {
	var out []*item
	for _, it := range pool {
		if it.focus && !slices.Contains(chosen, it) {
			out = append(out, it)
		}
	}
	if len(out) > 0 {
		return out
	}
	focus, other := 0.0, 0.0
	for _, it := range chosen {
		if it.focus {
			focus += it.holdTime(it.ladder[len(it.ladder)-1])
		} else {
			other += it.holdTime(it.ladder[0])
		}
	}
	for _, it := range pool {
		if !it.focus && !slices.Contains(chosen, it) && !slices.Contains(f.dropped, it) && other+it.holdTime(it.ladder[0]) <= focus*thirdShare {
			out = append(out, it)
		}
	}
	if len(out) > 0 {
		return out
	}
	for _, it := range pool {
		if !it.focus || !slices.Contains(chosen, it) || slices.ContainsFunc(chosen, func(c *item) bool { return c.round == 2 && c.s == it.s }) {
			continue
		}
		if !slices.ContainsFunc(chosen, func(c *item) bool { return c.s != it.s && c.s.Position == it.s.Position }) {
			continue
		}
		again := *it
		again.round = 2
		again.ladder = slices.Clone(it.ladder)
		out = append(out, &again)
	}
	return out
}

// finish sets r's lead-in, rests and items to the chosen ones, compiles
// it, and tunes the rests (then the static holds) until it lasts the
// target; it fails when the target is out of reach.
func (f *fitter) finish(r *routine.Routine, chosen []*item) (*Made, error) {
	n := len(chosen)
	if n == 0 {
		return nil, askErrorf("no stretch fits")
	}
	rest, leadIn, shift := f.rest, f.leadIn, 0.0
	var made *Made
	for range 12 {
		r.LeadIn, r.Rest = round1(leadIn), round1(rest)
		r.Items = r.Items[:0]
		for _, it := range chosen {
			ri := it.routineItem()
			// Longer: the focus's holds grow; shorter: every hold shrinks,
			// so the focus keeps its share either way.
			if ri.Hold > 0 && (shift < 0 || shift > 0 && it.focus) {
				ri.Hold = round1(math.Min(math.Max(ri.Hold+shift, f.minHold), f.maxHoldFor(it)))
			}
			r.Items = append(r.Items, ri)
		}
		lib := f.lib.WithRoutine(r)
		tl, err := player.Compile(lib, r.ID, f.voice, f.opts)
		if err != nil {
			return nil, fmt.Errorf("compile %s: %w", r.ID, err)
		}
		made = &Made{Routine: r, Library: lib, Seconds: tl.Seconds(tl.Len)}
		diff := f.target - made.Seconds
		if math.Abs(diff) <= 1 {
			break
		}
		// First the rests, then the lead-in, then the static holds.
		if n > 1 {
			next := math.Min(math.Max(rest+diff/float64(n-1), f.minRest), f.maxRest)
			if math.Abs(next-rest) >= 0.05 {
				rest = next
				continue
			}
		}
		if next := math.Min(math.Max(leadIn+diff, minLeadIn), maxLeadIn); math.Abs(next-leadIn) >= 0.05 {
			leadIn = next
			continue
		}
		per := 0.0
		for _, it := range chosen {
			if d := it.dose(); d.hold > 0 && (diff < 0 || it.focus) {
				per += float64(it.s.Sides * d.reps * it.holds)
			}
		}
		if per == 0 || f.minHold == 0 {
			break
		}
		next := shift + diff/per
		if math.Abs(next-shift) < 0.05 {
			break
		}
		shift = next
	}
	if diff := made.Seconds - f.target; math.Abs(diff) > Tolerance(f.target) {
		word := "at most"
		if diff > 0 {
			word = "at least"
		}
		return nil, askErrorf("cannot make %s of that: what it allows lasts %s %s; ask for %s, or widen --focus or --position",
			minutes(f.target/60), word, clock(made.Seconds), fitMinutes(made.Seconds, diff))
	}
	return made, nil
}

// maxHoldFor is the longest hold it may be tuned to: within the
// guidance, and a minute a side in all when it is repeated.
func (f *fitter) maxHoldFor(it *item) float64 {
	d := it.dose()
	if d.reps > 1 {
		return math.Min(f.maxHold, math.Floor(10*perSideMax/float64(d.reps*it.holds))/10)
	}
	return f.maxHold
}

// fitMinutes suggests a whole number of minutes near sec that the ask can
// meet.
func fitMinutes(sec, diff float64) string {
	m := sec / 60
	if diff > 0 {
		return fmt.Sprintf("--minutes %g or more", math.Ceil(m))
	}
	return fmt.Sprintf("--minutes %g or less", math.Max(math.Floor(m), MinMinutes))
}

func clock(sec float64) string {
	s := int(math.Round(sec))
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}

func round1(x float64) float64 { return math.Round(x*10) / 10 }
