package history

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"time"
)

// Entry is one session of the log, one JSON line in the file:
//
//	{"start":"2026-11-25T07:30:12+01:00","routine":"upper-back","name":"Upper back",
//	 "planned_seconds":550.2,"played_seconds":312.4,"finished":false,
//	 "stretches":[{"id":"childs-pose","played_seconds":62.1,"done":true}, ...]}
//
// Fields may be added later; none is renamed or removed, and a reader
// ignores fields it does not know.
type Entry struct {
	// Start is when the session began, with the UTC offset of the place
	// (RFC 3339, to the second).
	Start time.Time `json:"start"`
	// Routine is the routine's id, or the stretch's when one stretch was
	// played alone, or a name the person gave (limber log add).
	Routine string `json:"routine"`
	// Name is the routine's display name; Description, when it has one,
	// says what a made routine holds.
	Name        string `json:"name,omitempty"`
	Description string `json:"description,omitempty"`
	// Planned is how long the routine lasts, Played how much of it was
	// played, in seconds.
	Planned float64 `json:"planned_seconds"`
	Played  float64 `json:"played_seconds"`
	// Finished is true when the session played to its end.
	Finished bool `json:"finished"`
	// Stretches are the stretches the session reached, in order: done,
	// or skipped (passed over or stopped in).
	Stretches []Stretch `json:"stretches,omitempty"`
	// Added is true for a session recorded by hand (limber log add), one
	// done elsewhere, such as an exported file played on a phone.
	Added bool `json:"added,omitempty"`
}

// Stretch is one stretch of a session.
type Stretch struct {
	ID string `json:"id"`
	// Played is the seconds of the stretch that were played.
	Played float64 `json:"played_seconds"`
	// Done is false for a stretch skipped or stopped in.
	Done bool `json:"done"`
	// Areas are the body areas the stretch works, main one first, as the
	// library said when the session was recorded.
	Areas []string `json:"areas,omitempty"`
}

// Done returns the ids of the stretches done in the session, in order.
func (e *Entry) Done() []string {
	var ids []string
	for _, s := range e.Stretches {
		if s.Done {
			ids = append(ids, s.ID)
		}
	}
	return ids
}

// Skipped returns the ids of the stretches reached but not done.
func (e *Entry) Skipped() []string {
	var ids []string
	for _, s := range e.Stretches {
		if !s.Done {
			ids = append(ids, s.ID)
		}
	}
	return ids
}

// Limits on what a line may hold. A line over them is damaged.
const (
	// MaxLine is the longest line read, in bytes, newline included.
	MaxLine = 1 << 20
	// MaxSeconds bounds the seconds of a session (a routine lasts at
	// most 4 hours; a session played with many repeats a little more).
	MaxSeconds = 7 * 24 * 3600.0
)

// MarshalLine returns e as one line of the log, newline included: the
// start to the second, seconds to the hundredth.
func MarshalLine(e Entry) ([]byte, error) {
	if err := e.check(); err != nil {
		return nil, err
	}
	e.Start = e.Start.Truncate(time.Second)
	e.Planned, e.Played = hundredths(e.Planned), hundredths(e.Played)
	if len(e.Stretches) > 0 {
		st := make([]Stretch, len(e.Stretches))
		for i, s := range e.Stretches {
			s.Played = hundredths(s.Played)
			st[i] = s
		}
		e.Stretches = st
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(e); err != nil { // Encode ends the line
		return nil, fmt.Errorf("history entry: %w", err)
	}
	if b.Len() > MaxLine {
		return nil, fmt.Errorf("history entry: %d bytes, over the limit of %d", b.Len(), MaxLine)
	}
	return b.Bytes(), nil
}

func hundredths(x float64) float64 { return math.Round(x*100) / 100 }

// ParseLine reads one line of the log (without its newline). A line that
// is not an entry, or one whose values make no sense, is an error.
func ParseLine(line []byte) (Entry, error) {
	var e Entry
	if len(line) > MaxLine {
		return e, errors.New("line too long")
	}
	if err := json.Unmarshal(line, &e); err != nil {
		return e, err
	}
	return e, e.check()
}

// check says what is wrong with e, if anything.
func (e *Entry) check() error {
	switch {
	case e.Start.IsZero():
		return errors.New("no start time")
	case e.Routine == "":
		return errors.New("no routine")
	case !seconds(e.Planned) || !seconds(e.Played):
		return fmt.Errorf("seconds out of range: planned %g, played %g", e.Planned, e.Played)
	}
	for i, s := range e.Stretches {
		if s.ID == "" || !seconds(s.Played) {
			return fmt.Errorf("stretches[%d]: no id, or seconds out of range", i)
		}
	}
	return nil
}

func seconds(x float64) bool { return x >= 0 && x <= MaxSeconds }
