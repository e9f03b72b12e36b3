package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"

	"github.com/limber-audio/limber/cues"
	"github.com/limber-audio/limber/player"
	"github.com/limber-audio/limber/player/routine"
)

func runList(ctx context.Context, s *stdio, args []string) error {
	var (
		src            source
		area, position string
		asJSON         bool
	)
	fs := newFlags("list", s, "list [--area AREAS] [--position LIST] [--json] [--routines FILE]...\n\n"+
		"Lists the routines, then the stretches grouped by the body area they\n"+
		"work most, each with its length and position and, for those from your\n"+
		"own files, the file. A length marked ~ is an estimate: it speaks words\n"+
		"not voiced yet (limber cues --synth voices them).")
	fs.StringVar(&area, "area", "", "only what works one of `AREAS` (comma list: "+strings.Join(routine.Areas, ", ")+")")
	fs.StringVar(&position, "position", "", "only stretches done in one of `LIST` (standing, chair, floor), and routines done wholly in them")
	fs.BoolVar(&asJSON, "json", false, "print the list as JSON")
	src.addFlags(fs, false, false)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("list: takes no arguments, got %s", strings.Join(fs.Args(), " "))
	}
	var f listFilter
	var err error
	if fs.Changed("area") {
		if f.areas, err = routine.ParseAreas(area); err != nil {
			return usagef("--area: %w", err)
		}
	}
	if fs.Changed("position") {
		if f.positions, err = routine.ParsePositions(position); err != nil {
			return usagef("--position: %w", err)
		}
	}
	lib, err := src.library()
	if err != nil {
		return err
	}
	entries, err := measureList(lib, newEstimate(lib, &src.tts), f)
	if err != nil {
		return err
	}
	if asJSON {
		return writeListJSON(s.out, entries)
	}
	_, err = io.WriteString(s.out, formatList(entries, f, listWidth))
	return err
}

// listWidth is the width limber list keeps to: an 80-column terminal,
// its last column left free (writing into it makes some terminals wrap).
const listWidth = 79

// listFilter is what --area and --position keep; empty keeps everything.
type listFilter struct {
	areas, positions []string
}

// stretch reports whether s passes the filter: it works one of the areas
// and is done in one of the positions.
func (f listFilter) stretch(s *routine.Stretch) bool {
	if len(f.areas) > 0 && !slices.ContainsFunc(f.areas, s.HasArea) {
		return false
	}
	return len(f.positions) == 0 || slices.Contains(f.positions, s.Position)
}

// routine reports whether r passes the filter: one of its stretches
// works one of the areas, and every one is done in one of the positions.
func (f listFilter) routine(lib *routine.Library, r *routine.Routine) bool {
	if len(f.areas) > 0 && !slices.ContainsFunc(f.areas, func(a string) bool { return slices.Contains(lib.Areas(r), a) }) {
		return false
	}
	if len(f.positions) == 0 {
		return true
	}
	for _, it := range r.Items {
		if !slices.Contains(f.positions, lib.Stretch(it.Stretch).Position) {
			return false
		}
	}
	return true
}

// listEntries are what limber list shows, as its JSON has them.
type listEntries struct {
	Stretches []listStretch `json:"stretches"`
	Routines  []listRoutine `json:"routines"`
}

type listStretch struct {
	ID        string   `json:"id"`
	Name      string   `json:"name"`
	Areas     []string `json:"areas"`
	Position  string   `json:"position"`
	Sides     int      `json:"sides"`
	Seconds   float64  `json:"seconds"`
	Estimated bool     `json:"estimated"`
	Sources   []string `json:"sources"`
	File      string   `json:"file"`
}

type listRoutine struct {
	ID          string   `json:"id"`
	Name        string   `json:"name"`
	Description string   `json:"description"`
	Seconds     float64  `json:"seconds"`
	Estimated   bool     `json:"estimated"`
	Areas       []string `json:"areas"`
	Positions   []string `json:"positions"`
	Stretches   []string `json:"stretches"`
	File        string   `json:"file"`
}

// measureList measures what passes f, in the library's order.
func measureList(lib *routine.Library, voice *estimate, f listFilter) (*listEntries, error) {
	out := &listEntries{Stretches: []listStretch{}, Routines: []listRoutine{}}
	for _, r := range lib.Routines {
		if !f.routine(lib, r) {
			continue
		}
		secs, guessed, err := voice.length(lib, r.ID)
		if err != nil {
			return nil, err
		}
		ids := make([]string, len(r.Items))
		for i, it := range r.Items {
			ids[i] = it.Stretch
		}
		out.Routines = append(out.Routines, listRoutine{ID: r.ID, Name: r.Name, Description: r.Description,
			Seconds: roundSeconds(secs), Estimated: guessed, Areas: nonNil(lib.Areas(r)), Positions: nonNil(lib.Positions(r)),
			Stretches: ids, File: fileOf(r.Origin)})
	}
	for _, st := range lib.Stretches {
		if !f.stretch(st) {
			continue
		}
		secs, guessed, err := voice.length(lib, st.ID)
		if err != nil {
			return nil, err
		}
		out.Stretches = append(out.Stretches, listStretch{ID: st.ID, Name: st.Name, Areas: nonNil(st.Areas), Position: st.Position,
			Sides: st.Sides, Seconds: roundSeconds(secs), Estimated: guessed, Sources: nonNil(st.Sources), File: fileOf(st.Origin)})
	}
	return out, nil
}

// fileOf is the file a stretch or routine comes from, "" for the
// built-in library.
func fileOf(origin string) string {
	if origin == routine.BuiltinName {
		return ""
	}
	return origin
}

// roundSeconds rounds to a tenth of a second, as lengths are shown.
func roundSeconds(s float64) float64 { return math.Round(s*10) / 10 }

// nonNil makes an absent list an empty one, so JSON shows [] and never
// null.
func nonNil(list []string) []string {
	if list == nil {
		return []string{}
	}
	return list
}

func writeListJSON(w io.Writer, e *listEntries) error {
	b, err := json.MarshalIndent(e, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// formatList lays the entries out in lines of at most width columns:
// the routines, then the stretches under the area they work most
// (their first), in the order of routine.Areas; stretches that name no
// area come last.
func formatList(e *listEntries, f listFilter, width int) string {
	var b strings.Builder
	idWidth := 0
	for _, r := range e.Routines {
		idWidth = max(idWidth, len(r.ID))
	}
	for _, s := range e.Stretches {
		idWidth = max(idWidth, len(s.ID))
	}
	idWidth = min(idWidth, 24)
	// id, length, then the text column.
	line := func(id, mark string, secs float64, text, file string) {
		if len(id) > idWidth { // a long id takes a line of its own
			fmt.Fprintf(&b, "  %s\n", id)
			id = ""
		}
		head := fmt.Sprintf("  %-*s  %s%7s  ", idWidth, id, mark, player.FormatClock(secs))
		indent := len(head)
		lines := wrapWords(text, width-indent)
		if file != "" {
			// A file's path is never cut: it goes whole where it fits,
			// else on a line of its own.
			if last := lines[len(lines)-1]; indent+len(last)+len(file)+3 <= width {
				lines[len(lines)-1] += " [" + file + "]"
			} else {
				lines = append(lines, "["+file+"]")
			}
		}
		for i, l := range lines {
			if i == 0 {
				b.WriteString(head + l + "\n")
			} else {
				b.WriteString(strings.Repeat(" ", indent) + l + "\n")
			}
		}
	}
	mark := func(guessed bool) string {
		if guessed {
			return "~"
		}
		return " "
	}
	if len(e.Routines) > 0 {
		b.WriteString("Routines:\n")
		for _, r := range e.Routines {
			text := r.Name
			if r.Description != "" {
				text += ": " + r.Description
			}
			line(r.ID, mark(r.Estimated), r.Seconds, text, r.File)
		}
	}
	groups := append(append([]string(nil), routine.Areas...), "")
	if len(f.areas) > 0 {
		groups = f.areas // a stretch shows under the area asked for
	}
	shown := map[string]bool{}
	for _, area := range groups {
		var in []listStretch
		for _, s := range e.Stretches {
			if shown[s.ID] {
				continue
			}
			main := ""
			if len(s.Areas) > 0 {
				main = s.Areas[0]
			}
			if main == area || len(f.areas) > 0 && slices.Contains(s.Areas, area) {
				in = append(in, s)
				shown[s.ID] = true
			}
		}
		if len(in) == 0 {
			continue
		}
		if len(shown) == len(in) { // the first group
			if b.Len() > 0 {
				b.WriteByte('\n')
			}
			b.WriteString("Stretches by the area they work most (each plays alone, with a lead-in):\n")
		}
		title := "other"
		if area != "" {
			title = areaTitle(area)
		}
		b.WriteString(" " + title + ":\n")
		for _, s := range in {
			text := fmt.Sprintf("%-8s  %s", orDash(s.Position), s.Name)
			if others := otherAreas(s.Areas, area); len(others) > 0 {
				text += " (also " + strings.Join(others, ", ") + ")"
			}
			line(s.ID, mark(s.Estimated), s.Seconds, text, s.File)
		}
	}
	if b.Len() == 0 {
		b.WriteString("Nothing matches.\n")
	}
	return b.String()
}

// areaTitle is an area as a heading: "upper-back" is "Upper back".
func areaTitle(area string) string {
	t := strings.ReplaceAll(area, "-", " ")
	if area == "wrists" {
		t = "wrists and forearms"
	}
	return strings.ToUpper(t[:1]) + t[1:]
}

// otherAreas returns areas without the one a heading already names.
func otherAreas(areas []string, heading string) []string {
	var out []string
	for _, a := range areas {
		if a != heading {
			out = append(out, a)
		}
	}
	return out
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// wrapWords breaks text into lines of at most width bytes at spaces; a
// word longer than width is cut.
func wrapWords(text string, width int) []string {
	width = max(width, 10)
	var lines []string
	for len(text) > width {
		cut := strings.LastIndexByte(text[:width+1], ' ')
		if cut <= 0 {
			cut = width
		}
		lines = append(lines, strings.TrimRight(text[:cut], " "))
		text = strings.TrimLeft(text[cut:], " ")
	}
	return append(lines, text)
}

// estimate is a voice for commands that show lengths without voicing
// anything (list, check): the built-in clips and cached or recorded
// phrases at their real length, other phrases at a length guessed from
// their words.
type estimate struct {
	pack    *cues.Pack
	guessed bool
}

// newEstimate returns an estimate knowing lib's phrases, with those the
// cache has (as voiced by the engines tts names) at their real length.
func newEstimate(lib *routine.Library, tts *ttsFlags) *estimate {
	p := cues.NewPack(player.DefaultRate)
	p.AddPhrases(lib.Phrases())
	return estimateWith(p, tts)
}

// estimateWith is newEstimate for a pack that knows the phrases already.
func estimateWith(p *cues.Pack, tts *ttsFlags) *estimate {
	if engines, all, err := tts.engines(); err == nil && cache() != nil {
		syn := &cues.Synth{Engines: engines, Cache: cache(), BuiltinCues: all}
		syn.Cached(p, p.IDs()) // a cache that cannot be read only makes estimates
	}
	return &estimate{pack: p}
}

// Text implements player.Voice.
func (e *estimate) Text(id string) string { return e.pack.Text(id) }

// CueLen implements player.Voice.
func (e *estimate) CueLen(id string, rate int) (int, error) {
	n, err := e.pack.CueLen(id, rate)
	var ue *cues.UnvoicedError
	if errors.As(err, &ue) {
		e.guessed = true
		words := len(strings.Fields(e.pack.Text(id)))
		return int(float64(rate) * (0.3 + float64(0.33*float64(words)))), nil
	}
	return n, err
}

// length returns how long name lasts in seconds, and whether that is a
// guess.
func (e *estimate) length(lib *routine.Library, name string) (float64, bool, error) {
	e.guessed = false
	tl, err := player.Compile(lib, name, e, player.Options{})
	if err != nil {
		return 0, false, err
	}
	return tl.Seconds(tl.Len), e.guessed, nil
}
