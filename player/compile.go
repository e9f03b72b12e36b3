package player

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/limber-audio/limber/audio/tone"
	"github.com/limber-audio/limber/internal/shorten"
	"github.com/limber-audio/limber/internal/suggest"
	"github.com/limber-audio/limber/player/routine"
)

// DefaultRate is limber's internal sample rate: timelines are compiled and
// rendered at it, and clips are resampled to it once when loaded.
const DefaultRate = 44100

// Voice supplies the spoken cues a timeline is built from.
// *cues.Pack implements it.
type Voice interface {
	// Text returns what cue id says.
	Text(id string) string
	// CueLen returns the length of cue id's clip in samples at rate.
	CueLen(id string, rate int) (int, error)
}

// Options tune a compile. The zero value means the defaults.
type Options struct {
	// Rate is the timeline's sample rate; 0 means DefaultRate. Plans and
	// exports at other rates compile at DefaultRate and use
	// Timeline.AtRate, so that every rate gives the same timing.
	Rate int
	// Pace scales every hold and rest (0.5..2); 0 means 1.
	Pace float64
	// Coach sets how much the voice says; CoachDefault means the
	// routine's own level (full unless the routine file says otherwise).
	Coach routine.Coach
}

// Pace limits.
const (
	MinPace = 0.5
	MaxPace = 2.0
)

// Gaps between sounds, in seconds.
const (
	cueGap     = 0.30 // between two cues, and after a hold's end tone
	settleGap  = 1.00 // after a stretch's introduction, to get into position
	closingGap = 0.50 // before the finish tone
	tailGap    = 0.50 // after the last sound
	countdown  = 3    // ticks over the last seconds of a hold or lead-in
)

// Compile turns the routine or stretch called name into a Timeline at the
// voice's rate. The same library, voice and options always give the same
// timeline.
func Compile(lib *routine.Library, name string, voice Voice, opts Options) (*Timeline, error) {
	pace := opts.Pace
	if pace == 0 {
		pace = 1
	}
	if !(pace >= MinPace && pace <= MaxPace) { // also refuses NaN
		return nil, fmt.Errorf("pace must be between %g and %g, got %g", MinPace, MaxPace, pace)
	}
	r, ok := lib.Resolve(name)
	if !ok {
		return nil, &UnknownNameError{Name: name, Known: lib.Names()}
	}
	rate := opts.Rate
	if rate == 0 {
		rate = DefaultRate
	}
	coach := opts.Coach
	if coach == routine.CoachDefault {
		coach = r.Coach
	}
	if coach == routine.CoachDefault {
		coach = routine.CoachFull
	}
	c := &compiler{lib: lib, voice: voice, pace: pace, rate: rate, coach: coach, every: r.CalloutEvery, limit: routine.MaxDuration * rate,
		tl: &Timeline{Routine: r.ID, Name: r.Name, Description: r.Description, Rate: rate}}
	if err := c.routineEvents(r); err != nil {
		var tl *TooLongError
		if errors.As(err, &tl) {
			tl.Name = name
			return nil, tl
		}
		return nil, fmt.Errorf("compile %s: %w", name, err)
	}
	c.tl.Len = c.t
	sort.SliceStable(c.tl.Events, func(i, j int) bool { return c.tl.Events[i].Start < c.tl.Events[j].Start })
	return c.tl, nil
}

// TooLongError reports a routine that, as it would play (at its pace,
// with every cue), lasts longer than routine.MaxDuration. Compiling it
// stops there, so its cost stays bounded.
type TooLongError struct {
	Name string
	Pace float64
}

func (e *TooLongError) Error() string {
	pace := ""
	if e.Pace != 1 {
		pace = fmt.Sprintf(" at pace %g", e.Pace)
	}
	return fmt.Sprintf("%s lasts more than %d hours%s, the longest a routine may play", e.Name, routine.MaxDuration/3600, pace)
}

// UnknownNameError reports a name that is neither a routine nor a stretch.
type UnknownNameError struct {
	Name  string
	Known []string
}

func (e *UnknownNameError) Error() string {
	return fmt.Sprintf("no routine or stretch named %q%s", shorten.To(e.Name, 60), suggest.Hint(e.Name, e.Known))
}

type compiler struct {
	lib   *routine.Library
	voice Voice
	pace  float64
	rate  int
	coach routine.Coach
	every int // seconds between time-left callouts, 0 for none
	limit int // samples the timeline may reach; 0 for no limit
	tl    *Timeline
	t     int // the write head, in samples

	// labels of what is running now
	stretch string
	side    Side
	rep     int
}

func (c *compiler) n(sec float64) int { return samples(sec, c.rate) }

func (c *compiler) add(e Event) {
	e.Stretch, e.Side, e.Rep = c.stretch, c.side, c.rep
	c.tl.Events = append(c.tl.Events, e)
}

// say adds cue id at the write head and moves the head past it and a
// gap.
func (c *compiler) say(id string) error {
	n, err := c.voice.CueLen(id, c.rate)
	if err != nil {
		return err
	}
	c.add(Event{Start: c.t, Len: n, Kind: KindCue, Cue: id, Text: c.voice.Text(id)})
	c.t += n + c.n(cueGap)
	return c.checkLength()
}

// checkLength stops a compile whose timeline has grown past
// routine.MaxDuration.
func (c *compiler) checkLength() error {
	if c.limit > 0 && c.t > c.limit {
		return &TooLongError{Pace: c.pace}
	}
	return nil
}

// speak is say for a cue of the given role: it is left out where the
// coaching level does not say such cues.
func (c *compiler) speak(role cueRole, ids ...string) error {
	if !says(c.coach, role) {
		return nil
	}
	for _, id := range ids {
		if err := c.say(id); err != nil {
			return err
		}
	}
	return nil
}

// cueLen returns the length of the cues ids said one after the other,
// gaps included.
func (c *compiler) cueLen(ids ...string) (int, error) {
	total := 0
	for i, id := range ids {
		n, err := c.voice.CueLen(id, c.rate)
		if err != nil {
			return 0, err
		}
		if i > 0 {
			total += c.n(cueGap)
		}
		total += n
	}
	return total, nil
}

func (c *compiler) tone(at int, t tone.Tone) int {
	n := t.Len(c.rate)
	c.add(Event{Start: at, Len: n, Kind: KindTone, Tone: t})
	return n
}

// countdownTicks adds ticks one, two and three seconds before end, where
// they fall after from.
func (c *compiler) countdownTicks(from, end int) {
	for k := countdown; k >= 1; k-- {
		if at := end - k*c.rate; at >= from {
			c.tone(at, tone.Tick)
		}
	}
}

// span adds a hold or rest of sec seconds at the head.
func (c *compiler) span(kind EventKind, sec float64) {
	n := c.n(sec)
	c.add(Event{Start: c.t, Len: n, Kind: kind})
	c.t += n
}

func (c *compiler) routineEvents(r *routine.Routine) error {
	if r.LeadIn > 0 {
		if err := c.speak(roleEssential, "get-ready"); err != nil {
			return err
		}
		start := c.t
		c.span(KindRest, r.LeadIn)
		c.countdownTicks(start, c.t)
	}
	for i, it := range r.Items {
		if i > 0 && r.Rest > 0 {
			c.stretch, c.side, c.rep = "", SideNone, 0
			if err := c.rest(r, i); err != nil {
				return err
			}
		}
		if err := c.stretchItem(c.lib.Stretch(it.Stretch), it); err != nil {
			return err
		}
	}
	c.stretch, c.side, c.rep = "", SideNone, 0
	c.t += c.n(closingGap)
	c.t += c.tone(c.t, tone.Finish) + c.n(cueGap)
	if err := c.speak(roleEssential, r.Closing); err != nil {
		return err
	}
	if err := c.speak(roleExtra, sessionCues(float64(c.t)/float64(c.rate))...); err != nil {
		return err
	}
	c.t += c.n(tailGap - cueGap)
	return nil
}

// rest adds the rest before item i: "time to rest", the silent rest, and
// during it a preview of the stretch to come ("next up", or "last
// stretch" before the final one). A preview too long for the rest is said
// before it, so the rest keeps its length.
func (c *compiler) rest(r *routine.Routine, i int) error {
	if err := c.speak(roleInstruction, "rest"); err != nil {
		return err
	}
	var preview []string
	if says(c.coach, roleExtra) {
		lead := "next-up"
		if i == len(r.Items)-1 {
			lead = "last-stretch"
		}
		preview = []string{lead, c.lib.Stretch(r.Items[i].Stretch).NameCue}
	}
	n, err := c.cueLen(preview...)
	if err != nil {
		return err
	}
	restLen := c.n(r.Rest * c.pace)
	inside := len(preview) > 0 && n+c.n(previewMargin) <= restLen
	if len(preview) > 0 && !inside {
		if err := c.speak(roleExtra, preview...); err != nil {
			return err
		}
	}
	start := c.t
	c.span(KindRest, r.Rest*c.pace)
	if inside {
		// Early in the rest, leaving time before the stretch begins.
		at := c.t
		c.t = start + min(c.n(previewDelay), restLen-n-c.n(previewMargin-previewDelay))
		if err := c.speak(roleExtra, preview...); err != nil {
			return err
		}
		c.t = at
	}
	return nil
}

// Where a preview goes in a rest, in seconds.
const (
	previewDelay  = 1.0 // after the rest begins
	previewMargin = 2.0 // at least this much of the rest around the preview
)

func (c *compiler) stretchItem(s *routine.Stretch, it routine.Item) error {
	c.stretch, c.side, c.rep = s.ID, SideNone, 0
	c.tl.Sections = append(c.tl.Sections, Section{Start: c.t, Stretch: s.ID, Name: s.Name})
	c.tl.Marks = append(c.tl.Marks, Mark{Pos: c.t, Label: s.Name})
	if err := c.speak(roleEssential, s.NameCue); err != nil {
		return err
	}
	if err := c.speak(roleInstruction, s.Intro()...); err != nil {
		return err
	}
	c.t += c.n(settleGap - cueGap)
	reps := s.Repeats
	if it.Repeats > 0 {
		reps = it.Repeats
	}
	for side := 1; side <= s.Sides; side++ {
		if s.Sides == 2 {
			c.side = Side(side)
			if c.side == SideLeft {
				if err := c.speak(roleEssential, "left-side"); err != nil {
					return err
				}
			} else {
				c.tl.Marks = append(c.tl.Marks, Mark{Pos: c.t, Label: s.Name + ", right side"})
				c.t += c.tone(c.t, tone.Switch) + c.n(cueGap)
				if err := c.speak(roleEssential, "switch-sides"); err != nil {
					return err
				}
			}
		}
		for rep := 1; rep <= reps; rep++ {
			if reps > 1 {
				c.rep = rep
			}
			if rep > 1 {
				c.tl.Marks = append(c.tl.Marks, Mark{Pos: c.t, Label: fmt.Sprintf("%s%s, rep %d", s.Name, sideSuffix(c.side), rep)})
				if err := c.speak(roleEssential, repCue(rep, reps)); err != nil {
					return err
				}
			}
			if err := c.steps(s.Steps, it.Hold); err != nil {
				return err
			}
		}
	}
	return nil
}

func sideSuffix(s Side) string {
	if s == SideNone {
		return ""
	}
	return ", " + s.String() + " side"
}

// repCue names the cue that counts repetition rep of reps aloud.
func repCue(rep, reps int) string {
	switch {
	case rep == reps:
		return "last-one"
	case rep <= 20:
		return fmt.Sprintf("rep.%d", rep)
	}
	return "keep-going"
}

func (c *compiler) steps(steps []routine.Step, holdOverride float64) error {
	for _, st := range steps {
		switch st.Kind {
		case routine.StepSay:
			if err := c.speak(roleInstruction, st.Cue); err != nil {
				return err
			}
		case routine.StepRest:
			c.span(KindRest, st.Seconds*c.pace)
			if err := c.checkLength(); err != nil {
				return err
			}
		case routine.StepHold:
			sec := st.Seconds
			if holdOverride > 0 {
				sec = holdOverride
			}
			start := c.t
			c.span(KindHold, sec*c.pace)
			startTone := c.tone(start, tone.Start)
			c.countdownTicks(start+startTone+c.n(0.1), c.t)
			if err := c.callouts(start, c.t, startTone); err != nil {
				return err
			}
			c.t += c.tone(c.t, tone.End) + c.n(cueGap)
			if err := c.checkLength(); err != nil {
				return err
			}
		}
	}
	return nil
}

// callouts adds the spoken callouts of the hold [start, end): "halfway
// there" starting at its middle when it lasts 20 s or more, and from 45 s
// on "N seconds left" starting when N seconds remain, every CalloutEvery
// seconds. A callout that would overlap the start tone, the countdown
// ticks or another callout (with a gap either side) is left out, halfway
// first in line.
func (c *compiler) callouts(start, end, startTone int) error {
	if !says(c.coach, roleExtra) {
		return nil
	}
	length := end - start
	type callout struct {
		id string
		at int
	}
	var want []callout
	if float64(length) >= halfwayFrom*float64(c.rate) {
		want = append(want, callout{"halfway", start + length/2})
	}
	if c.every > 0 && float64(length) >= timeLeftFrom*float64(c.rate) {
		for _, left := range timeLeftCues {
			if left%c.every == 0 && left*c.rate < length {
				want = append(want, callout{fmt.Sprintf("left.%d", left), end - left*c.rate})
			}
		}
	}
	gap := c.n(cueGap)
	lo := start + startTone + gap      // after the start tone
	hi := end - countdown*c.rate - gap // before the first tick
	type span struct{ from, to int }
	var taken []span
	for _, w := range want {
		n, err := c.voice.CueLen(w.id, c.rate)
		if err != nil {
			return err
		}
		s := span{w.at, w.at + n}
		ok := s.from >= lo && s.to <= hi
		for _, t := range taken {
			if s.from < t.to+gap && t.from < s.to+gap {
				ok = false
			}
		}
		if !ok {
			continue
		}
		taken = append(taken, s)
		c.add(Event{Start: s.from, Len: n, Kind: KindCue, Cue: w.id, Text: c.voice.Text(w.id)})
	}
	return nil
}

// UnknownCueError reports cue ids that are not in the voice's manifest.
type UnknownCueError struct {
	IDs   []string
	Known []string
}

func (e *UnknownCueError) Error() string {
	if len(e.IDs) == 1 {
		return fmt.Sprintf("no cue named %q%s; limber cues lists them", e.IDs[0], suggest.Hint(e.IDs[0], e.Known))
	}
	return fmt.Sprintf("no cues named %q; limber cues lists them", e.IDs)
}

// CueSequence returns a timeline that says the given cues one after the
// other, with the usual short gap between them: what `limber say` plays.
func CueSequence(ids []string, voice Voice, cueSet routine.CueSet, opts Options) (*Timeline, error) {
	var unknown []string
	for _, id := range ids {
		if !cueSet.Has(id) {
			unknown = append(unknown, id)
		}
	}
	if len(unknown) > 0 {
		return nil, &UnknownCueError{IDs: unknown, Known: cueSet.IDs()}
	}
	rate := opts.Rate
	if rate == 0 {
		rate = DefaultRate
	}
	c := &compiler{voice: voice, rate: rate, tl: &Timeline{Routine: strings.Join(ids, " "), Name: "cues", Rate: rate}}
	for _, id := range ids {
		if err := c.say(id); err != nil {
			return nil, err
		}
	}
	c.t += c.n(tailGap - cueGap)
	c.tl.Len = c.t
	return c.tl, nil
}

// SpokenCues returns the ids of every cue and phrase the timeline of name
// speaks with opts, each once, in order of first use, without asking the
// voice for any clip: what must be voiced before the real Compile. Which
// cues are said does not depend on how long they are.
func SpokenCues(lib *routine.Library, name string, opts Options) ([]string, error) {
	tl, err := Compile(lib, name, anyLength{}, opts)
	if err != nil {
		return nil, err
	}
	return tl.CueIDs(), nil
}

// anyLength is a voice that says every cue in one second.
type anyLength struct{}

func (anyLength) Text(string) string                     { return "" }
func (anyLength) CueLen(_ string, rate int) (int, error) { return rate, nil }
