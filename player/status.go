package player

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/limber-audio/limber/internal/timefmt"
)

// KeyHelp is the one-line summary of the controls, and KeyHelpShort the
// same for a narrow terminal.
const (
	KeyHelp      = "space pause  n/→ next  s side/rep  p/← back  r repeat  +/- volume  q quit"
	KeyHelpShort = "keys: space n s p r + - q"
)

// String renders the status as one line with everything in it, e.g.
// "03:12 / 09:04  Neck tilts, left side  hold 7s".
func (st Status) String() string { return st.Line(0, false) }

// Line renders the status to fit in width columns (0: no limit), never
// more, so a terminal never wraps it. With keys, the key help is added
// where there is room. What goes first when space is short: the key help
// (then its short form), the volume, then the words are shortened, then
// the routine's length goes, then the seconds left in a hold; a
// shortened name stays as long as a few letters of it fit, and the
// position and PAUSED stay longest. What listening heard goes after the
// volume and before the words.
func (st Status) Line(width int, keys bool) string {
	what := st.what()
	hold := ""
	if st.HoldLeft > 0 {
		hold = "hold " + seconds(st.HoldLeft)
	}
	paused := ""
	if st.Paused {
		paused = "PAUSED"
	}
	pos := clockSeconds(st.Pos, st.Rate)
	full := pos + " / " + st.total()
	vol := fmt.Sprintf("vol %d%%", int(float64(st.Volume*100)+0.5))
	help := []string{"", ""}
	if keys {
		help = []string{KeyHelp, KeyHelpShort}
	}
	listen := st.Listen
	candidates := [][]string{
		{full, what, hold, paused, listen, vol, help[0]},
		{full, what, hold, paused, listen, vol, help[1]},
		{full, what, hold, paused, listen, vol},
		{full, what, hold, paused, listen},
		{full, what, hold, paused},
	}
	for _, c := range candidates {
		if line := join(c...); width <= 0 || fits(line, width) {
			return line
		}
	}
	// Shorten the words to what room is left, down to a few letters:
	// first beside the whole clock, then beside the position alone, then
	// without the hold's seconds (the ticks count them down anyway).
	if what != "" {
		for _, c := range []struct {
			min         int
			clock, hold string
		}{{6, full, hold}, {6, pos, hold}, {4, pos, ""}} {
			rest := utf8.RuneCountInString(join(c.clock, "", c.hold, paused))
			if room := width - 1 - rest - 2; room >= c.min {
				return join(c.clock, cutRunes(what, room), c.hold, paused)
			}
		}
	}
	for _, c := range [][]string{{full, hold, paused}, {pos, hold, paused}, {pos, paused}, {pos}} {
		if line := join(c...); fits(line, width) {
			return line
		}
	}
	return cutRunes(pos, width-1)
}

// total is the routine's length as the status line shows it, rounded to
// the second as the closing line ("upper-back done, 9:10") rounds it.
func (st Status) total() string {
	return timefmt.Clock(int(float64(st.Len)/float64(st.Rate) + 0.5))
}

// seconds formats a time left as whole seconds, rounded up: a countdown
// shows 1s until it is over.
func seconds(d time.Duration) string {
	return fmt.Sprintf("%ds", int(d.Seconds()+0.999))
}

// what names what is going on: the stretch, side and repetition, or
// what happens between stretches.
func (st Status) what() string {
	switch {
	case st.Done:
		return "done"
	case st.Name != "":
		w := st.Name
		if st.Side != SideNone {
			w += ", " + st.Side.String() + " side"
		}
		if st.Rep > 0 {
			w += fmt.Sprintf(", rep %d", st.Rep)
		}
		return w
	}
	if st.Left > 0 {
		// "get ready 4s: Upper back", "rest 6s, next: Figure four"
		switch st.Part {
		case PartLeadIn:
			if st.Routine != "" {
				return "get ready " + seconds(st.Left) + ": " + st.Routine
			}
			return "get ready " + seconds(st.Left)
		case PartRest:
			return "rest " + seconds(st.Left) + ", next: " + st.Next
		}
	}
	return st.Between()
}

// fits reports whether line leaves the last column of a width-wide
// terminal free: writing into it makes some terminals wrap.
func fits(line string, width int) bool { return utf8.RuneCountInString(line) <= width-1 }

// join joins the non-empty parts with two spaces.
func join(parts ...string) string {
	var b strings.Builder
	for _, p := range parts {
		if p == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteString("  ")
		}
		b.WriteString(p)
	}
	return b.String()
}

// cutRunes cuts s to at most n runes, the last one an ellipsis when
// cut; a space or comma the cut leaves before it goes.
func cutRunes(s string, n int) string {
	if n <= 0 {
		return ""
	}
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return strings.TrimRight(string(r[:n-1]), " ,") + "…"
}
