package player

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/limber-audio/limber/cues/cueid"
	"github.com/limber-audio/limber/internal/timefmt"

	"github.com/limber-audio/limber/audio/tone"
)

// PlanJSON is the stable JSON form of a Timeline printed by `limber plan
// --json`. Times are seconds (sample offset / rate). Fields may be added;
// none is renamed or removed.
type PlanJSON struct {
	Routine  string      `json:"routine"`
	Name     string      `json:"name"`
	Rate     int         `json:"rate"`
	Duration float64     `json:"duration"`
	Samples  int         `json:"samples"`
	Events   []EventJSON `json:"events"`
	Marks    []MarkJSON  `json:"marks"`
}

// EventJSON is one event of a PlanJSON.
type EventJSON struct {
	Start       float64 `json:"start"`
	Duration    float64 `json:"duration"`
	Kind        string  `json:"kind"`
	Cue         string  `json:"cue,omitempty"`
	Text        string  `json:"text,omitempty"`
	Tone        string  `json:"tone,omitempty"`
	Stretch     string  `json:"stretch"`
	Side        string  `json:"side"`
	Rep         int     `json:"rep"`
	StartSample int     `json:"start_sample"`
	Samples     int     `json:"samples"`
}

// MarkJSON is one labelled position of a PlanJSON, as written to WAV
// markers.
type MarkJSON struct {
	Start       float64 `json:"start"`
	Label       string  `json:"label"`
	StartSample int     `json:"start_sample"`
}

// Plan returns the JSON form of t.
func (t *Timeline) Plan() PlanJSON {
	p := PlanJSON{Routine: t.Routine, Name: t.Name, Rate: t.Rate, Duration: t.Seconds(t.Len), Samples: t.Len,
		Events: make([]EventJSON, len(t.Events)), Marks: make([]MarkJSON, len(t.Marks))}
	for i, e := range t.Events {
		ej := EventJSON{Start: t.Seconds(e.Start), Duration: t.Seconds(e.Len), Kind: e.Kind.String(),
			Cue: e.Cue, Text: e.Text, Stretch: e.Stretch, Side: e.Side.String(), Rep: e.Rep,
			StartSample: e.Start, Samples: e.Len}
		if e.Kind == KindTone {
			ej.Tone = e.Tone.String()
		}
		p.Events[i] = ej
	}
	for i, m := range t.Marks {
		p.Marks[i] = MarkJSON{Start: t.Seconds(m.Pos), Label: m.Label, StartSample: m.Pos}
	}
	return p
}

// WriteJSON writes t's plan as indented JSON.
func (t *Timeline) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(t.Plan()); err != nil {
		return fmt.Errorf("write plan: %w", err)
	}
	return nil
}

// WriteText writes t's plan as one readable line per event, countdown
// ticks left out:
//
//	00:31.2  neck-tilts       left         hold   15s
func (t *Timeline) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s: %s, %s\n", t.Routine, t.Name, FormatClock(t.Seconds(t.Len)))
	width := len("-")
	for _, s := range t.Sections {
		width = max(width, len(s.Stretch))
	}
	for _, e := range t.Events {
		if e.Kind == KindTone && e.Tone == tone.Tick {
			continue
		}
		stretch := e.Stretch
		if stretch == "" {
			stretch = "-"
		}
		rep := ""
		if e.Rep > 0 {
			rep = fmt.Sprintf("rep %d", e.Rep)
		}
		var what string
		switch e.Kind {
		case KindCue:
			what = fmt.Sprintf("%q", e.Text)
			if cueid.IsPhrase(e.Cue) { // the user's words: show the id to record them under
				what += "  " + e.Cue
			}
		case KindTone:
			what = e.Tone.String()
		default:
			what = FormatSeconds(t.Seconds(e.Len))
		}
		fmt.Fprintf(&b, "%s  %-*s  %-5s  %-6s  %-4s  %s\n", FormatClock(t.Seconds(e.Start)), width, stretch,
			e.Side, rep, e.Kind, what)
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("write plan: %w", err)
	}
	return nil
}

// FormatClock formats seconds as plans show a time: mm:ss.d, or
// h:mm:ss.d from an hour on (timefmt.Tenths).
func FormatClock(sec float64) string { return timefmt.Tenths(sec) }

// FormatSeconds formats a span as plans show one: "15s", "7.5s",
// "2m30s" (timefmt.Span).
func FormatSeconds(sec float64) string { return timefmt.Span(sec) }
