package player

import (
	"flag"
	"fmt"
	"testing"

	"github.com/limber-audio/limber/cues"
	"github.com/limber-audio/limber/player/routine"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/")

// fixedVoice speaks every cue of the built-in manifest for exactly one
// second, so timings in tests are easy to reason about.
type fixedVoice struct{}

func (fixedVoice) Text(id string) string { return cues.Builtin().Text(id) }
func (fixedVoice) CueLen(id string, rate int) (int, error) {
	if !cues.Builtin().Has(id) {
		return 0, fmt.Errorf("unknown cue %q", id)
	}
	return rate, nil
}

func builtin(tb testing.TB) *routine.Library {
	tb.Helper()
	lib, err := routine.LoadBuiltin(cues.Builtin())
	if err != nil {
		tb.Fatal(err)
	}
	return lib
}
