package player

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// KeyHelp is the one-line summary of the controls, and KeyHelpShort the
// same for a narrow terminal.
const (
	KeyHelp      = "space pause  n/→ next  p/← back  r repeat  +/- volume  q quit"
	KeyHelpShort = "keys: space n p r + - q"
)

// String renders the status as one line with everything in it, e.g.
// "03:12 / 09:04  Neck tilts, left side  hold 7s".
func (st Status) String() string { return st.Line(0, false) }

// Line renders the status to fit in width columns (0: no limit), never
// more, so a terminal never wraps it. With keys, the key help is added
// where there is room. What goes first when space is short: the key help
// (then its short form), the volume, then the words (shortened, then
// left out), then the routine's length; the position and the seconds
// left in a hold stay longest, and PAUSED with them. What listening
// heard goes after the volume and before the words.
func (st Status) Line(width int, keys bool) string {
	what := st.what()
	hold := ""
	if st.HoldLeft > 0 {
		hold = fmt.Sprintf("hold %ds", int(st.HoldLeft.Seconds()+0.999))
	}
	paused := ""
	if st.Paused {
		paused = "PAUSED"
	}
	pos := clockSeconds(st.Pos, st.Rate)
	full := pos + " / " + clockSeconds(st.Len, st.Rate)
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
	// Shorten the words to what room is left, down to a few letters.
	rest := utf8.RuneCountInString(join(full, "", hold, paused))
	if room := width - 1 - rest - 2; room >= 6 && what != "" {
		return join(full, cutRunes(what, room), hold, paused)
	}
	for _, c := range [][]string{{full, hold, paused}, {pos, hold, paused}, {pos, paused}, {pos}} {
		if line := join(c...); fits(line, width) {
			return line
		}
	}
	return cutRunes(pos, width-1)
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

// cutRunes cuts s to n runes, the last one an ellipsis when cut.
func cutRunes(s string, n int) string {
	if n <= 0 {
		return ""
	}
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
