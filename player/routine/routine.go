package routine

import "github.com/limber-audio/limber/cues/cueid"

// Library is a validated set of stretches and the routines built from them.
// A Library is read-only once loaded and safe for concurrent use.
type Library struct {
	Stretches []*Stretch
	Routines  []*Routine
	// Overrides lists what a file layered over another replaced, in the
	// order the files were loaded.
	Overrides []Override

	phrases map[string]string // the words of every phrase id, from every layer

	// Where each id is in Stretches and Routines, so that a lookup costs
	// the same in a library of a hundred thousand stretches as in one of
	// ten: made with the library (indexIDs), nil in a Library built by
	// hand, which is then searched in order.
	stretchAt, routineAt map[string]int
}

// indexIDs makes the library's indexes, after its stretches and routines
// are in place.
func (l *Library) indexIDs() {
	l.stretchAt = make(map[string]int, len(l.Stretches))
	for i, s := range l.Stretches {
		l.stretchAt[s.ID] = i
	}
	l.routineAt = make(map[string]int, len(l.Routines))
	for i, r := range l.Routines {
		l.routineAt[r.ID] = i
	}
}

// lookup finds id in items through index, or in order when there is no
// index or it is not the items' (they were added to after).
func lookup[T any](items []T, index map[string]int, id string, idOf func(T) string) (T, bool) {
	if index != nil && len(index) == len(items) {
		if i, ok := index[id]; ok && i < len(items) && idOf(items[i]) == id {
			return items[i], true
		}
		var none T
		return none, false
	}
	for _, x := range items {
		if idOf(x) == id {
			return x, true
		}
	}
	var none T
	return none, false
}

// Override is a stretch or routine that a file defined again, replacing
// the one of a file below it.
type Override struct {
	Kind string // "stretch" or "routine"
	ID   string
	Was  string // the file the replaced one came from (BuiltinName for the built-in library)
	By   string // the file that replaced it
}

// Stretch is one exercise: spoken introduction, then its steps, once per
// side and per repetition.
type Stretch struct {
	ID   string
	Name string // display name, e.g. "Neck tilts"
	// Origin names the file the stretch comes from (BuiltinName for the
	// built-in library).
	Origin string
	// NameCue speaks the stretch's name: a cue id, or the phrase id of
	// the name itself.
	NameCue string
	// How holds the cues that explain the position, said after the name.
	// Here and everywhere a cue goes, a phrase id (cueid.OfWords) stands
	// for the user's own words; Library.Phrases has their text.
	How []string
	// Tips holds form tips, said after How.
	Tips []string
	// Caution says when to skip the stretch or ease off, a cue or phrase
	// id said after the tips at the full coaching level; "" for none.
	Caution string
	// Areas are the body areas the stretch works, from Areas, main area
	// first; empty when the file does not say.
	Areas []string
	// Position is where the stretch is done, one of Positions; "" when
	// the file does not say.
	Position string
	// Sources are https addresses of the public guidance the stretch's
	// form and timing follow.
	Sources []string
	// Sides is 1 for a stretch done once, 2 for left then right.
	Sides int
	// Repeats is how many times the steps run on each side (1..100).
	Repeats int
	Steps   []Step

	offset int // where the file defines it, for messages
}

// Intro returns what is said after the stretch's name at the full
// coaching level, in order: how to do it, the tips, the caution.
func (s *Stretch) Intro() []string {
	out := make([]string, 0, len(s.How)+len(s.Tips)+1)
	out = append(append(out, s.How...), s.Tips...)
	if s.Caution != "" {
		out = append(out, s.Caution)
	}
	return out
}

// StepKind says what a Step does.
type StepKind int

// The kinds of step.
const (
	StepSay  StepKind = iota // speak Step.Cue
	StepHold                 // hold a position for Step.Seconds
	StepRest                 // pause for Step.Seconds, silent
)

// Step is one instruction of a stretch.
type Step struct {
	Kind    StepKind
	Cue     string  // StepSay
	Seconds float64 // StepHold, StepRest
}

// Routine is an ordered list of stretches with a lead-in, rests between
// stretches and a closing cue.
type Routine struct {
	ID          string
	Name        string
	Origin      string // the file it comes from, as for Stretch
	Description string
	LeadIn      float64 // seconds of countdown after "get ready"
	Rest        float64 // seconds of rest between stretches
	Closing     string  // cue id said at the end
	// Coach is the routine's coaching level; CoachDefault means full.
	Coach Coach
	// CalloutEvery is the cadence of time-left callouts in long holds, in
	// seconds (15, 30 or 60; 0 for none).
	CalloutEvery int
	Items        []Item

	offset int // where the file defines it, for messages
}

// Item is one stretch of a routine, with optional overrides.
type Item struct {
	Stretch string
	Hold    float64 // when > 0, replaces every hold of the stretch (seconds)
	Repeats int     // when > 0, replaces the stretch's repeat count
}

// Limits on what a routine file may ask for.
const (
	MinHold     = 1.0      // seconds: a hold shorter than its own tones is no hold
	MaxHold     = 600.0    // seconds
	MaxRest     = 600.0    // seconds, for rests, lead-ins and steps
	MaxRepeats  = 100      // per side
	MaxDuration = 4 * 3600 // seconds one routine or stretch may last, as played
	MaxFileSize = 8 << 20  // bytes
)

// Defaults for fields a routine may leave out.
const (
	DefaultLeadIn  = 5.0
	DefaultRest    = 10.0
	DefaultClosing = "routine-complete"
	// SingleClosing is said after a stretch played alone.
	SingleClosing = "all-done"
)

// Stretch returns the stretch with the given id, or nil.
func (l *Library) Stretch(id string) *Stretch {
	s, _ := lookup(l.Stretches, l.stretchAt, id, func(s *Stretch) string { return s.ID })
	return s
}

// Routine returns the routine with the given id, or nil.
func (l *Library) Routine(id string) *Routine {
	r, _ := lookup(l.Routines, l.routineAt, id, func(r *Routine) string { return r.ID })
	return r
}

// Resolve returns the routine called name, or, when name is a stretch id, a
// routine that plays that stretch alone with a lead-in and a closing cue.
func (l *Library) Resolve(name string) (*Routine, bool) {
	if r := l.Routine(name); r != nil {
		return r, true
	}
	s := l.Stretch(name)
	if s == nil {
		return nil, false
	}
	return &Routine{
		ID:           s.ID,
		Name:         s.Name,
		LeadIn:       DefaultLeadIn,
		Closing:      SingleClosing,
		CalloutEvery: DefaultCalloutEvery,
		Items:        []Item{{Stretch: s.ID}},
	}, true
}

// Phrases returns the user's words that the library's stretches and
// routines speak, each once, in the order they are first used.
func (l *Library) Phrases() []cueid.Phrase { return l.phrasesOf(func(string) bool { return true }) }

// PhrasesOf returns the words spoken by the stretches and routines that
// file defines (those whose Origin is file), each once, in order: a
// file's own words, without those of the files below it.
func (l *Library) PhrasesOf(file string) []cueid.Phrase {
	return l.phrasesOf(func(origin string) bool { return origin == file })
}

// phrasesOf returns the words spoken by the stretches and routines whose
// origin keep accepts.
func (l *Library) phrasesOf(keep func(origin string) bool) []cueid.Phrase {
	var out []cueid.Phrase
	seen := map[string]bool{}
	add := func(ids ...string) {
		for _, id := range ids {
			if text, ok := l.phrases[id]; ok && !seen[id] {
				seen[id] = true
				out = append(out, cueid.Phrase{ID: id, Text: text})
			}
		}
	}
	for _, s := range l.Stretches {
		if !keep(s.Origin) {
			continue
		}
		add(s.NameCue)
		add(s.How...)
		add(s.Tips...)
		add(s.Caution)
		for _, st := range s.Steps {
			add(st.Cue)
		}
	}
	for _, r := range l.Routines {
		if keep(r.Origin) {
			add(r.Closing)
		}
	}
	return out
}

// overlay returns l with top's stretches and routines added, an id top
// defines again replacing l's in place.
func (l *Library) overlay(top *Library) *Library {
	out := &Library{Overrides: append([]Override(nil), l.Overrides...), phrases: map[string]string{}}
	for id, t := range l.phrases {
		out.phrases[id] = t
	}
	for id, t := range top.phrases {
		out.phrases[id] = t
	}
	out.Stretches, out.stretchAt = overlayItems(l.Stretches, top.Stretches, func(s *Stretch) (string, string) { return s.ID, s.Origin },
		func(id, was, by string) {
			out.Overrides = append(out.Overrides, Override{Kind: "stretch", ID: id, Was: was, By: by})
		})
	out.Routines, out.routineAt = overlayItems(l.Routines, top.Routines, func(r *Routine) (string, string) { return r.ID, r.Origin },
		func(id, was, by string) {
			out.Overrides = append(out.Overrides, Override{Kind: "routine", ID: id, Was: was, By: by})
		})
	return out
}

// overlayItems replaces the items of base that top defines again, in
// place, and appends top's new ones; replaced is told of each. It
// returns the items and where each id is among them.
func overlayItems[T any](base, top []T, key func(T) (id, origin string), replaced func(id, was, by string)) ([]T, map[string]int) {
	index := make(map[string]int, len(base)+len(top))
	out := make([]T, len(base), len(base)+len(top))
	copy(out, base)
	for i, x := range out {
		id, _ := key(x)
		index[id] = i
	}
	for _, x := range top {
		id, by := key(x)
		if i, ok := index[id]; ok {
			_, was := key(out[i])
			replaced(id, was, by)
			out[i] = x
			continue
		}
		index[id] = len(out)
		out = append(out, x)
	}
	return out, index
}

// stretchIDs returns every stretch id.
func (l *Library) stretchIDs() []string {
	ids := make([]string, len(l.Stretches))
	for i, s := range l.Stretches {
		ids[i] = s.ID
	}
	return ids
}

// Names returns every routine id then every stretch id, in file order.
func (l *Library) Names() []string {
	var out []string
	for _, r := range l.Routines {
		out = append(out, r.ID)
	}
	for _, s := range l.Stretches {
		out = append(out, s.ID)
	}
	return out
}

// MinCueSeconds is what the length checks count for each spoken cue at
// the least, its gap included: the shortest clip of the voice pack and
// the pause after it.
const MinCueSeconds = 0.5

// declaredSeconds is how long the routine lasts at pace 1 at the least:
// its holds, rests and lead-in, and MinCueSeconds for every cue it
// speaks. It stops counting once past MaxDuration, so even a file built
// to overflow it costs no more than that.
func (l *Library) declaredSeconds(r *Routine) float64 {
	total := r.LeadIn + float64(r.Rest*float64(max(len(r.Items)-1, 0)))
	for _, it := range r.Items {
		s := l.Stretch(it.Stretch)
		if s == nil {
			continue
		}
		total += s.declaredSeconds(it)
		if total > MaxDuration {
			break
		}
	}
	return total
}

// declaredSeconds is how long the stretch lasts at pace 1 at the least,
// with the item's overrides, counted as Library.declaredSeconds does.
func (s *Stretch) declaredSeconds(it Item) float64 {
	once := 0.0
	for _, st := range s.Steps {
		switch {
		case st.Kind == StepSay:
			once += MinCueSeconds
		case st.Kind == StepHold && it.Hold > 0:
			once += it.Hold
		default:
			once += st.Seconds
		}
	}
	reps := s.Repeats
	if it.Repeats > 0 {
		reps = it.Repeats
	}
	intro := float64(MinCueSeconds * float64(1+len(s.Intro())))
	return intro + float64(once*float64(reps*s.Sides))
}

// WithRoutine returns a library that has r besides l's routines (in place
// of one with r's id): what a routine made or fitted by a program is
// compiled from. l itself is not changed; r is not validated, so it must
// name only l's stretches and keep within the format's limits.
func (l *Library) WithRoutine(r *Routine) *Library {
	out := *l
	out.Routines = make([]*Routine, 0, len(l.Routines)+1)
	for _, x := range l.Routines {
		if x.ID != r.ID {
			out.Routines = append(out.Routines, x)
		}
	}
	out.Routines = append(out.Routines, r)
	out.indexIDs()
	return &out
}
