package history

import (
	"fmt"
	"io"
	"strings"
)

// Shade levels of a calendar day, by minutes: none, under 5, 5 to 10,
// 10 to 20, 20 and more.
var shadeMinutes = [...]float64{5, 10, 20}

// level returns a day's shade, 0 (nothing) to 4.
func level(min float64) int {
	if min <= 0 {
		return 0
	}
	l := 1
	for _, m := range shadeMinutes {
		if min >= m {
			l++
		}
	}
	return l
}

// The cells: plain characters, or coloured blocks (xterm's 256 colours:
// a dark grey, then greens from dark to bright).
var (
	plainCells  = [...]string{"..", "--", "++", "**", "##"}
	colourCells = [...]string{
		"\x1b[38;5;237m██\x1b[0m",
		"\x1b[38;5;22m██\x1b[0m",
		"\x1b[38;5;28m██\x1b[0m",
		"\x1b[38;5;34m██\x1b[0m",
		"\x1b[38;5;46m██\x1b[0m",
	}
)

var dayNames = [7]string{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}

// Render writes the calendar as a grid like a contribution graph: a row
// for each day of the week, a column for each week, the months above
// and a legend below, each day shaded by its minutes. A week takes 3
// columns and the legend 62, so up to 25 weeks fit 80 columns. With colour the
// shades are coloured blocks (ANSI escapes); without, plain characters.
func (c Calendar) Render(w io.Writer, colour bool) error {
	cells := plainCells
	if colour {
		cells = colourCells
	}
	var b strings.Builder
	// The months, over the week holding each one's first day.
	head := []byte(strings.Repeat(" ", 5+3*len(c.Minutes)))
	next := 0 // the first column free for a label
	for wk := range c.Minutes {
		for i := range 7 {
			d := c.First + Day(7*wk+i)
			if t := d.Time(); t.Day() == 1 || wk == 0 && i == 0 {
				col := 5 + 3*wk
				if label := t.Format("Jan"); col >= next && col+len(label) <= len(head) {
					copy(head[col:], label)
					next = col + len(label) + 1
				}
			}
		}
	}
	b.WriteString(strings.TrimRight(string(head), " "))
	b.WriteByte('\n')
	for i := range 7 {
		b.WriteString(dayNames[i])
		b.WriteString("  ")
		row := make([]string, 0, len(c.Minutes))
		for wk := range c.Minutes {
			if c.First+Day(7*wk+i) > c.Today {
				row = append(row, "  ")
				continue
			}
			row = append(row, cells[level(c.Minutes[wk][i])])
		}
		b.WriteString(strings.TrimRight(strings.Join(row, " "), " "))
		b.WriteByte('\n')
	}
	fmt.Fprintf(&b, "     %s none  %s under 5 min  %s 5-10  %s 10-20  %s 20 or more\n",
		cells[0], cells[1], cells[2], cells[3], cells[4])
	_, err := io.WriteString(w, b.String())
	return err
}
