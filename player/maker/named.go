package maker

import (
	"fmt"
	"math"
	"strings"

	"github.com/limber-audio/limber/player"
	"github.com/limber-audio/limber/player/routine"
)

// Fit brings routine or stretch name of the library to ask.Minutes by
// changing its holds and repeats within the guidance, its rests and its
// lead-in; with ask.Minutes 0 it only sets every static hold to ask.Hold.
// The stretches and their order stay. What cannot reach the length is
// refused with the range it can reach.
func Fit(lib *routine.Library, voice player.Voice, opts player.Options, name string, ask Ask) (*Made, error) {
	r, ok := lib.Resolve(name)
	if !ok {
		return nil, &player.UnknownNameError{Name: name, Known: lib.Names()}
	}
	if ask.Minutes == 0 {
		if ask.Hold != 0 && !(ask.Hold >= 10 && ask.Hold <= 120) {
			return nil, askErrorf("--hold must be between 10 and 120 seconds, got %g", ask.Hold)
		}
	} else if err := ask.check(); err != nil {
		return nil, err
	}
	out := *r
	out.ID = fittedID(r.ID, ask)
	out.Name = r.Name
	if ask.Minutes > 0 {
		out.Name = fmt.Sprintf("%s, %s", r.Name, minutes(ask.Minutes))
	}
	out.Items = nil
	var items []*item
	for _, ri := range r.Items {
		it := newItem(lib.Stretch(ri.Stretch), ask.Gentle, ask.Hold)
		it.focus = true
		items = append(items, it)
	}
	if ask.Minutes == 0 {
		// Only --hold: each static hold at it, the rest as it was.
		for _, ri := range r.Items {
			if static(lib.Stretch(ri.Stretch)) {
				ri.Hold = ask.Hold
			}
			out.Items = append(out.Items, ri)
		}
		lib := lib.WithRoutine(&out)
		tl, err := player.Compile(lib, out.ID, voice, opts)
		if err != nil {
			return nil, err
		}
		return &Made{Routine: &out, Library: lib, Seconds: tl.Seconds(tl.Len)}, nil
	}
	cal, err := calibrate(lib, voice, opts, items)
	if err != nil {
		return nil, err
	}
	f := &fitter{lib: lib, voice: voice, opts: opts, cal: cal, target: ask.Minutes * 60, aim: ask.Minutes * 60,
		leadIn: r.LeadIn, rest: r.Rest, minRest: r.Rest / 2, maxRest: math.Max(2*r.Rest, 15),
		minHold: staticHolds[0], maxHold: staticHolds[len(staticHolds)-1]}
	if r.Rest == 0 || len(items) == 1 {
		f.minRest, f.maxRest = r.Rest, r.Rest
	}
	if ask.Gentle {
		f.minHold, f.maxHold = gentleHolds[0], gentleHolds[len(gentleHolds)-1]
	}
	if ask.Hold > 0 {
		f.minHold, f.maxHold = 0, 0
	}
	if miss := f.miss(items); miss > Tolerance(f.target) {
		return nil, f.outOfRange(&out, r.Name, items)
	}
	made, err := f.finish(&out, items)
	if err != nil {
		return nil, err
	}
	if f.missed(made) != nil {
		return nil, f.outOfRange(&out, r.Name, items)
	}
	for _, it := range items {
		made.Reasons = append(made.Reasons, Reason{Stretch: it.s.ID, Why: why(it, Ask{})})
	}
	return made, nil
}

// outOfRange reports the lengths routine r can be fitted to: its
// stretches at their smallest doses with the shortest rests and lead-in,
// and at their largest with the longest.
func (f *fitter) outOfRange(r *routine.Routine, name string, items []*item) error {
	measure := func(level func(*item) int, rest, leadIn float64) float64 {
		x := *r
		x.Rest, x.LeadIn, x.Items = rest, leadIn, nil
		for _, it := range items {
			it.level = level(it)
			x.Items = append(x.Items, it.routineItem())
		}
		tl, err := player.Compile(f.lib.WithRoutine(&x), x.ID, f.voice, f.opts)
		if err != nil {
			return math.NaN()
		}
		return tl.Seconds(tl.Len)
	}
	lo := measure(func(*item) int { return 0 }, f.minRest, minLeadIn)
	hi := measure(func(it *item) int { return len(it.ladder) - 1 }, f.maxRest, maxLeadIn)
	lo -= Tolerance(lo)
	hi += Tolerance(hi)
	return askErrorf("%s can be fitted to %s to %s (--minutes %g to %g), not %s",
		name, clock(math.Max(lo, 0)), clock(hi), math.Max(math.Ceil(lo/60), MinMinutes), math.Min(math.Floor(hi/60), MaxMinutes), minutes(f.target/60))
}

// fittedID names a routine fitted to an ask: "upper-back-5min".
func fittedID(id string, ask Ask) string {
	switch {
	case ask.Minutes > 0:
		id += "-" + strings.ReplaceAll(fmt.Sprintf("%gmin", ask.Minutes), ".", "-")
	case ask.Hold > 0:
		id += fmt.Sprintf("-hold%g", ask.Hold)
	}
	return routineID(id)
}

// madeID names a made routine from its ask: "made-hips-lower-back-10min".
func madeID(ask Ask) string {
	parts := []string{"made"}
	if len(ask.Focus) == 0 {
		parts = append(parts, "whole-body")
	}
	parts = append(parts, ask.Focus...)
	if ask.Gentle {
		parts = append(parts, "gentle")
	}
	parts = append(parts, strings.ReplaceAll(fmt.Sprintf("%gmin", ask.Minutes), ".", "-"))
	return routineID(strings.Join(parts, "-"))
}

// routineID cuts an id to the 64 characters routine files allow.
func routineID(id string) string {
	if len(id) > 64 {
		id = strings.TrimRight(id[:64], "-")
	}
	return id
}
