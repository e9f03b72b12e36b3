package player

import (
	"fmt"
	"strings"

	"github.com/limber-audio/limber/audio"
	"github.com/limber-audio/limber/audio/tone"
	"github.com/limber-audio/limber/internal/suggest"
)

// EventKind says what an Event is.
type EventKind int

// The kinds of event.
const (
	KindCue  EventKind = iota // a spoken clip
	KindTone                  // a beep
	KindHold                  // the span a position is held (silence, but for tones inside it)
	KindRest                  // a pause: lead-in, rest between stretches or a rest step
)

var kindNames = [...]string{"cue", "tone", "hold", "rest"}

// String returns the kind's name as used in plans.
func (k EventKind) String() string { return kindNames[k] }

// Side says which side of the body a two-sided stretch is working.
type Side int

// The sides.
const (
	SideNone Side = iota
	SideLeft
	SideRight
)

var sideNames = [...]string{"", "left", "right"}

// String returns "left", "right" or "".
func (s Side) String() string { return sideNames[s] }

// Event is one entry of a Timeline. Start and Len are in samples at the
// timeline's rate.
type Event struct {
	Start, Len int
	Kind       EventKind
	Cue        string    // KindCue: the cue id
	Text       string    // KindCue: what it says
	Tone       tone.Tone // KindTone
	Stretch    string    // the stretch running, "" in lead-in and closing
	Side       Side
	Rep        int // repetition, from 1; 0 when the stretch is not repeated
}

// End returns the sample just after the event.
func (e Event) End() int { return e.Start + e.Len }

// Section is the span of one stretch in a routine: from its spoken name to
// the start of the next stretch's rest. Skipping moves between sections.
type Section struct {
	Start   int // sample where the stretch's name is spoken
	Stretch string
	Name    string
}

// Mark is a labelled position for audio editors: a stretch start, a side
// switch or a repetition.
type Mark struct {
	Pos   int // sample
	Label string
}

// Timeline is a compiled routine: every sound and span at an exact sample
// offset. It is read-only once compiled and safe for concurrent use.
type Timeline struct {
	Routine     string // routine id, or the stretch id when one stretch is played
	Name        string
	Description string // the routine's, if it has one
	Rate        int    // samples per second
	Len         int    // total length in samples
	Events      []Event
	Sections    []Section
	Marks       []Mark
}

// CueIDs returns the id of every cue the timeline speaks, each once, in
// order of first use.
func (t *Timeline) CueIDs() []string {
	var ids []string
	seen := map[string]bool{}
	for _, e := range t.Events {
		if e.Kind == KindCue && !seen[e.Cue] {
			seen[e.Cue] = true
			ids = append(ids, e.Cue)
		}
	}
	return ids
}

// Seconds converts a sample offset to seconds at the timeline's rate.
func (t *Timeline) Seconds(n int) float64 { return float64(n) / float64(t.Rate) }

// Samples converts seconds to the nearest sample offset at the timeline's
// rate.
func (t *Timeline) Samples(sec float64) int { return samples(sec, t.Rate) }

// SectionAt returns the index of the section playing at sample pos, or -1
// before the first one.
func (t *Timeline) SectionAt(pos int) int {
	i := -1
	for j, s := range t.Sections {
		if s.Start > pos {
			break
		}
		i = j
	}
	return i
}

// Section returns the index of the first section of stretch id, or an
// error naming the stretches the timeline has.
func (t *Timeline) Section(id string) (int, error) {
	for i, s := range t.Sections {
		if s.Stretch == id {
			return i, nil
		}
	}
	ids := make([]string, len(t.Sections))
	for i, s := range t.Sections {
		ids[i] = s.Stretch
	}
	has := strings.Join(ids, ", ")
	const most = 8 // a long routine's are summed up
	if len(ids) > most {
		has = fmt.Sprintf("%s and %d more", strings.Join(ids[:most], ", "), len(ids)-most)
	}
	return -1, fmt.Errorf("%s has no stretch %q%s; it has %s", t.Routine, id, suggest.Hint(id, ids), has)
}

// AtRate returns the timeline moved to another sample rate: every offset
// and length is scaled and rounded to the nearest sample, so the new
// timeline lasts as long as t to within a sample. Rendering it needs clips
// at the new rate; a clip a sample longer than its event is cut to fit.
func (t *Timeline) AtRate(rate int) *Timeline {
	if rate == t.Rate {
		return t
	}
	scale := func(n int) int { return audio.Scale(n, t.Rate, rate) }
	out := *t
	out.Rate = rate
	out.Len = scale(t.Len)
	out.Events = make([]Event, len(t.Events))
	for i, e := range t.Events {
		end := scale(e.End())
		e.Start = scale(e.Start)
		e.Len = max(end-e.Start, 1)
		out.Events[i] = e
	}
	out.Sections = make([]Section, len(t.Sections))
	for i, s := range t.Sections {
		s.Start = scale(s.Start)
		out.Sections[i] = s
	}
	out.Marks = make([]Mark, len(t.Marks))
	for i, m := range t.Marks {
		m.Pos = scale(m.Pos)
		out.Marks[i] = m
	}
	return &out
}

func samples(sec float64, rate int) int {
	return int(float64(sec*float64(rate)) + 0.5) // the product rounded first, on every CPU
}
