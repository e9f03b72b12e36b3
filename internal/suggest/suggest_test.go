package suggest

import "testing"

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
