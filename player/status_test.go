package player

import (
	"math"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestStatus_LineFitsEveryWidth(t *testing.T) {
	st := Status{Pos: 192 * 100, Len: 547 * 100, Rate: 100, Name: "Standing arm slides", Side: SideLeft, Rep: 7,
		HoldLeft: 4 * time.Second, Paused: true, Volume: 1.5}
	tests := []struct {
		width int
		want  string
	}{
		{0, "03:12 / 09:07  Standing arm slides, left side, rep 7  hold 4s  PAUSED  vol 150%  " + KeyHelp},
		{200, "03:12 / 09:07  Standing arm slides, left side, rep 7  hold 4s  PAUSED  vol 150%  " + KeyHelp},
		{120, "03:12 / 09:07  Standing arm slides, left side, rep 7  hold 4s  PAUSED  vol 150%  " + KeyHelpShort},
		{80, "03:12 / 09:07  Standing arm slides, left side, rep 7  hold 4s  PAUSED  vol 150%"},
		{70, "03:12 / 09:07  Standing arm slides, left side, rep 7  hold 4s  PAUSED"},
		{50, "03:12 / 09:07  Standing arm sli…  hold 4s  PAUSED"},
		{40, "03:12 / 09:07  Standi…  hold 4s  PAUSED"},
		{35, "03:12  Standing…  hold 4s  PAUSED"},
		{25, "03:12  Standing…  PAUSED"},
		{21, "03:12  Stan…  PAUSED"},
		{15, "03:12  PAUSED"},
		{8, "03:12"},
		{4, "03…"},
	}
	for _, tt := range tests {
		got := st.Line(tt.width, true)
		if got != tt.want {
			t.Errorf("width %d:\n got %q\nwant %q", tt.width, got, tt.want)
		}
		if tt.width > 0 && utf8.RuneCountInString(got) >= tt.width {
			t.Errorf("width %d: %d columns, the last one must stay free", tt.width, utf8.RuneCountInString(got))
		}
	}
	if got := st.Line(200, false); strings.Contains(got, "space") || strings.Contains(got, "keys") {
		t.Errorf("key help without keys: %q", got)
	}
	// Playing at 30 columns, the name stays, shortened, with the hold's
	// seconds: the routine's length goes first.
	st.Paused = false
	if got, want := st.Line(30, true), "03:12  Standing arm…  hold 4s"; got != want {
		t.Errorf("width 30:\n got %q\nwant %q", got, want)
	}
	neck := Status{Pos: 12 * 100, Len: 549 * 100, Rate: 100, Name: "Neck tilts", Side: SideLeft, HoldLeft: 12 * time.Second}
	if got, want := neck.Line(30, true), "00:12  Neck tilts…  hold 12s"; got != want {
		t.Errorf("width 30:\n got %q\nwant %q", got, want)
	}
}

// TestStatus_TotalAsTheClosingLineSaysIt: the routine's length is
// rounded to the second, as "upper-back done, 9:10" rounds it, not cut.
func TestStatus_TotalAsTheClosingLineSaysIt(t *testing.T) {
	st := Status{Pos: 0, Len: 54978, Rate: 100}
	if got := st.Line(0, false); !strings.HasPrefix(got, "00:00 / 09:10") {
		t.Errorf("line %q, want the length 549.78 s shown as 09:10", got)
	}
}

func TestSession_StatusBetweenStretches(t *testing.T) {
	s, out, _, tl := newTestSession(t, "desk-break", SessionOptions{})
	rest := -1
	for _, e := range tl.Events {
		if e.Kind == KindRest && e.Stretch == "" && e.Start > tl.Sections[0].Start {
			rest = e.Start
			break
		}
	}
	if rest < 0 {
		t.Fatal("desk-break has no rest")
	}
	// seconds is how the line counts down: whole seconds, rounded up.
	seconds := func(sec float64) string { return strconv.Itoa(int(math.Ceil(sec))) + "s" }
	checks := []struct {
		at   int
		part Part
		next string
		want string // what MPRIS shows: no countdown
		line string
	}{
		{1, PartLeadIn, "", "get ready", "get ready " + seconds(tl.Seconds(tl.Sections[0].Start-1)) + ": " + tl.Name},
		{rest + 1, PartRest, tl.Sections[1].Name, "rest, next: " + tl.Sections[1].Name,
			"rest " + seconds(tl.Seconds(tl.Sections[1].Start-rest-1)) + ", next: " + tl.Sections[1].Name},
		{tl.closingStart() + 1, PartClosing, "", "closing", "closing"},
	}
	for _, c := range checks {
		out.pull(c.at - s.Status().Pos)
		st := s.Status()
		if st.Part != c.part || st.Next != c.next {
			t.Errorf("at %d: part %d, next %q; want %d, %q", c.at, st.Part, st.Next, c.part, c.next)
		}
		if got := st.Between(); got != c.want {
			t.Errorf("at %d: between %q, want %q", c.at, got, c.want)
		}
		if got := s.Status().Line(0, false); !strings.Contains(got, "  "+c.line+"  ") {
			t.Errorf("at %d: line %q lacks %q", c.at, got, c.line)
		}
	}
}

// TestStatus_LineWithListening: what listening heard sits after the
// volume in the order things give way, before the words.
func TestStatus_LineWithListening(t *testing.T) {
	st := Status{Pos: 192 * 100, Len: 547 * 100, Rate: 100, Name: "Neck tilts", Side: SideLeft,
		HoldLeft: 4 * time.Second, Volume: 1, Listen: "heard: limber next"}
	for _, tt := range []struct {
		width int
		want  string
	}{
		{0, "03:12 / 09:07  Neck tilts, left side  hold 4s  heard: limber next  vol 100%  " + KeyHelp},
		{103, "03:12 / 09:07  Neck tilts, left side  hold 4s  heard: limber next  vol 100%  " + KeyHelpShort},
		{76, "03:12 / 09:07  Neck tilts, left side  hold 4s  heard: limber next  vol 100%"},
		{66, "03:12 / 09:07  Neck tilts, left side  hold 4s  heard: limber next"},
		{50, "03:12 / 09:07  Neck tilts, left side  hold 4s"},
	} {
		if got := st.Line(tt.width, true); got != tt.want {
			t.Errorf("width %d:\n got %q\nwant %q", tt.width, got, tt.want)
		}
	}
}
