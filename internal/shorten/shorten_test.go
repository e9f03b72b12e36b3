package shorten

import "testing"

func TestTo(t *testing.T) {
	for _, tc := range []struct {
		s    string
		n    int
		want string
	}{
		{"Reach forward.", 40, "Reach forward."},
		{"Reach forward.", 14, "Reach forward."},
		{"Reach forward.", 5, "Reach..."},
		{"Дышите", 3, "Д..."}, // the cut falls inside "ы": it goes
		{"", 0, ""},
	} {
		if got := To(tc.s, tc.n); got != tc.want {
			t.Errorf("To(%q, %d) = %q, want %q", tc.s, tc.n, got, tc.want)
		}
	}
}
