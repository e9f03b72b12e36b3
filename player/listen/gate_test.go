package listen

import (
	"slices"
	"testing"

	"github.com/limber-audio/limber/kws"
)

// TestGate: quiet longer than 1.5 s is held back but for its last
// 300 ms, which goes on just before the sound that ends it; what is
// passed on is placed back where it was seen.
func TestGate(t *testing.T) {
	const s = kws.SampleRate
	loud := func(n int) []int16 { return slices.Repeat([]int16{1000, -1000}, n/2) }
	quiet := func(n int) []int16 { return make([]int16, n) }
	g := newGate(100)
	var passed int
	feed := func(x []int16) {
		for len(x) > 0 {
			n := min(len(x), s/50) // a microphone's 20 ms
			for _, p := range g.pieces(x[:n]) {
				passed += len(p)
			}
			x = x[n:]
		}
	}
	feed(loud(s))      // 0-1 s: sound
	feed(quiet(5 * s)) // 1-6 s: quiet, held back after 2.5 s
	feed(loud(s))      // 6-7 s: sound
	if want := s + 3*s/2 + 3*s/10 + s; passed != want {
		t.Errorf("passed %d samples, want %d", passed, want)
	}
	for _, tc := range []struct{ given, seen int64 }{
		{s / 2, s / 2},                    // before any gap
		{5*s/2 - 1, 5*s/2 - 1},            // the last of the quiet passed
		{5 * s / 2, 6*s - 3*s/10},         // the preroll
		{5*s/2 + 3*s/10, 6 * s},           // the sound that ended the quiet
		{5*s/2 + 3*s/10 + s/2, 6*s + s/2}, // within it
	} {
		if got := g.place(tc.given); got != tc.seen {
			t.Errorf("place(%d) = %d, want %d", tc.given, got, tc.seen)
		}
	}
}
