package routine

import (
	"fmt"
	"slices"
	"strings"

	"github.com/limber-audio/limber/internal/suggest"
)

// Areas is the vocabulary of body areas a stretch may name, from the neck
// down. "wrists" stands for the wrists and forearms.
var Areas = []string{
	"neck", "shoulders", "upper-back", "chest", "wrists",
	"lower-back", "hips", "glutes", "hamstrings", "quads", "calves",
}

// Positions is the vocabulary of positions a stretch is done in.
// "chair" is sitting on a chair; standing by one, holding it, is
// "standing".
var Positions = []string{"standing", "chair", "floor"}

// IsArea reports whether s is one of Areas.
func IsArea(s string) bool { return slices.Contains(Areas, s) }

// IsPosition reports whether s is one of Positions.
func IsPosition(s string) bool { return slices.Contains(Positions, s) }

// ParseAreas reads a comma-separated list of areas ("hips,lower-back"),
// each once, in the order given. It names an unknown one with the
// nearest known one and the whole vocabulary.
func ParseAreas(list string) ([]string, error) {
	return parseVocabulary(list, "area", Areas)
}

// ParsePositions reads a comma-separated list of positions, each once.
func ParsePositions(list string) ([]string, error) {
	return parseVocabulary(list, "position", Positions)
}

func parseVocabulary(list, what string, vocab []string) ([]string, error) {
	var out []string
	for s := range strings.SplitSeq(list, ",") { // no slice of the parts: a list of commas costs nothing
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		if !slices.Contains(vocab, s) {
			return nil, fmt.Errorf("unknown %s %q%s; the %ss are %s", what, shortQuote(s), suggest.Hint(s, vocab), what, strings.Join(vocab, ", "))
		}
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no %s given; the %ss are %s", what, what, strings.Join(vocab, ", "))
	}
	return out, nil
}

// HasArea reports whether the stretch works area (its main area or any
// other).
func (s *Stretch) HasArea(area string) bool { return slices.Contains(s.Areas, area) }

// Areas returns the areas the routine's stretches work, each once, in the
// order they first come.
func (l *Library) Areas(r *Routine) []string {
	var out []string
	for _, it := range r.Items {
		if s := l.Stretch(it.Stretch); s != nil {
			for _, a := range s.Areas {
				if !slices.Contains(out, a) {
					out = append(out, a)
				}
			}
		}
	}
	return out
}

// Positions returns the positions of the routine's stretches in the order
// the routine takes them, one entry per block: [floor standing] for a
// routine that starts on the floor and then stands. Stretches without a
// position are passed over.
func (l *Library) Positions(r *Routine) []string {
	var out []string
	for _, it := range r.Items {
		s := l.Stretch(it.Stretch)
		if s == nil || s.Position == "" {
			continue
		}
		if len(out) == 0 || out[len(out)-1] != s.Position {
			out = append(out, s.Position)
		}
	}
	return out
}
