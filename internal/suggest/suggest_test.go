package suggest

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
)

func TestNearest(t *testing.T) {
	known := []string{"neck-tilts", "neck-rotations", "chair-rotation", "hips"}
	tests := []struct {
		name string
		want []string
	}{
		{"neck-tilt", []string{"neck-tilts"}},
		{"hip", []string{"hips"}},
		{"nothing-like-it-at-all", []string{}},
		{strings.Repeat("neck-tilts", 20), nil}, // longer than MaxName
	}
	for _, tt := range tests {
		if got := Nearest(tt.name, known, 3); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Nearest(%.20q) = %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestNearest_LongNameManyCandidates: a name of 64 KB (an --avoid of
// config.json) against 100,000 stretch ids costs nothing: it used to
// cost 64 K times 10 steps for each of them, minutes in all.
func TestNearest_LongNameManyCandidates(t *testing.T) {
	known := make([]string, 100_000)
	for i := range known {
		known[i] = fmt.Sprintf("s%d", i)
	}
	for _, name := range []string{strings.Repeat("x", 64<<10), strings.Repeat("y", MaxName)} {
		if got := Nearest(name, known, 3); len(got) != 0 {
			t.Errorf("suggests %q", got)
		}
	}
}

func TestHint(t *testing.T) {
	ids := []string{"neck-tilts", "neck-rotations", "chair-rotation", "butterfly-wings", "upper-back"}
	for _, tc := range []struct{ name, want string }{
		{"neck-tilt", " (did you mean neck-tilts?)"},              // a typo
		{"neck", " (did you mean neck-tilts or neck-rotations?)"}, // the start of a name
		{"wings", " (did you mean butterfly-wings?)"},             // a word of one
		{"rotation", " (did you mean neck-rotations or chair-rotation?)"},
		{"ne", ""}, // too short to point anywhere
		{"hamstring", ""},
	} {
		if got := Hint(tc.name, ids); got != tc.want {
			t.Errorf("Hint(%q) = %q, want %q", tc.name, got, tc.want)
		}
	}
}
