// Package suggest finds the known names closest to a misspelt one, for
// "did you mean" hints in error messages.
package suggest

import (
	"sort"
	"strings"
)

// MaxName is the longest name Nearest looks for, in bytes: nobody types
// a longer one by hand, and measuring one against thousands of
// candidates would cost its length times theirs each.
const MaxName = 128

// Nearest returns up to n of candidates that look most like name, closest
// first; candidates too far from name to be a plausible typo are left out,
// as is any candidate for a name longer than MaxName. A candidate that
// begins with name, or has a word (between dashes) that does, counts as
// close: "neck" finds neck-tilts, "tilts" finds it too.
func Nearest(name string, candidates []string, n int) []string {
	type cand struct {
		s    string
		dist int
	}
	if len(name) > MaxName {
		return nil
	}
	limit := len(name)/3 + 2
	var cs []cand
	for _, c := range candidates {
		var d int
		switch {
		case len(name) >= 3 && strings.HasPrefix(c, name):
			d = min(Distance(name, c), 1)
		case len(name) >= 3 && wordPrefix(c, name):
			d = min(Distance(name, c), 2)
		case abs(len(c)-len(name)) > limit: // at least that many edits: no need to count them
			continue
		default:
			d = Distance(name, c)
		}
		if d <= limit {
			cs = append(cs, cand{c, d})
		}
	}
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].dist < cs[j].dist })
	out := make([]string, 0, min(n, len(cs)))
	for _, c := range cs[:min(n, len(cs))] {
		out = append(out, c.s)
	}
	return out
}

// Hint formats Nearest's result as " (did you mean a or b?)", or "" when
// there is nothing to suggest.
func Hint(name string, candidates []string) string {
	near := Nearest(name, candidates, 3)
	switch len(near) {
	case 0:
		return ""
	case 1:
		return " (did you mean " + near[0] + "?)"
	}
	s := " (did you mean "
	for i, c := range near {
		switch {
		case i == len(near)-1:
			s += " or "
		case i > 0:
			s += ", "
		}
		s += c
	}
	return s + "?)"
}

// Distance is the Levenshtein edit distance between a and b, in bytes.
func Distance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// wordPrefix reports whether a word of s, between dashes, begins with
// name.
func wordPrefix(s, name string) bool {
	for _, w := range strings.Split(s, "-") {
		if strings.HasPrefix(w, name) {
			return true
		}
	}
	return false
}
