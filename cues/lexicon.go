package cues

import (
	"bytes"
	"crypto/sha256"
	_ "embed" // the project lexicon
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/limber-audio/limber/internal/shorten"
)

// lexiconText is lexicon.txt: festival pronunciations of the fitness
// words limber says.
//
//go:embed lexicon.txt
var lexiconText []byte

// LexEntry is how festival should say one word: its syllables, each a
// list of phones with a stress.
type LexEntry struct {
	Word      string
	Syllables []Syllable
}

// Syllable is one syllable of a LexEntry: phones of festival's US English
// phone set, and 1 when it is stressed, 0 when not.
type Syllable struct {
	Phones []string
	Stress int
}

// festivalPhones are the phones of the US English voices' phone set
// (radio), vowels first.
var (
	festivalVowels = []string{"aa", "ae", "ah", "ao", "aw", "ax", "axr", "ay", "eh", "er", "ey", "ih", "iy", "ow", "oy", "uh", "uw"}
	festivalCons   = []string{"b", "ch", "d", "dh", "f", "g", "hh", "jh", "k", "l", "m", "n", "ng", "p", "r", "s", "sh", "t", "th", "v", "w", "y", "z", "zh"}
)

// Limits on a lexicon, so that a damaged file costs little.
const (
	maxLexWord    = 40 // bytes
	maxLexEntries = 10000
)

// ParseLexicon reads a lexicon in lexicon.txt's format: one word a line,
// then its syllables separated by " . ", each phones with 1 or 0 after
// its vowel; blank lines and lines starting with # are skipped. A
// problem is reported as "line N: what is wrong".
func ParseLexicon(data []byte) ([]LexEntry, error) {
	var out []LexEntry
	seen := map[string]bool{}
	for n, line := range bytes.Split(data, []byte("\n")) {
		text := strings.TrimSpace(string(line))
		if text == "" || text[0] == '#' {
			continue
		}
		e, err := parseLexLine(text)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", n+1, err)
		}
		if seen[e.Word] {
			return nil, fmt.Errorf("line %d: %q is listed twice", n+1, e.Word)
		}
		if len(out) == maxLexEntries {
			return nil, fmt.Errorf("line %d: more than %d words", n+1, maxLexEntries)
		}
		seen[e.Word] = true
		out = append(out, e)
	}
	return out, nil
}

func parseLexLine(text string) (LexEntry, error) {
	word, rest, _ := strings.Cut(text, " ")
	word, _, _ = strings.Cut(word, "\t")
	rest = strings.TrimSpace(strings.TrimPrefix(text, word))
	if len(word) > maxLexWord || strings.IndexFunc(word, func(r rune) bool { return !(r >= 'a' && r <= 'z' || r == '\'' || r == '-') }) >= 0 {
		return LexEntry{}, fmt.Errorf("%q: a word is lower-case letters, ' and -, at most %d of them", shorten.To(word, maxLexWord), maxLexWord)
	}
	if rest == "" {
		return LexEntry{}, fmt.Errorf("%q has no phones", word)
	}
	e := LexEntry{Word: word}
	for _, syl := range strings.Split(rest, ".") {
		s := Syllable{Stress: -1}
		for _, ph := range strings.Fields(syl) {
			name := strings.TrimRight(ph, "01")
			switch {
			case len(ph)-len(name) > 1:
				return LexEntry{}, fmt.Errorf("%s: phone %q has more than one stress mark", word, ph)
			case name != ph && !slices.Contains(festivalVowels, name):
				return LexEntry{}, fmt.Errorf("%s: a stress mark goes on a vowel, not on %q", word, name)
			case name != ph && s.Stress >= 0:
				return LexEntry{}, fmt.Errorf("%s: syllable %q has two stressed vowels", word, strings.TrimSpace(syl))
			case name != ph:
				s.Stress = int(ph[len(ph)-1] - '0')
			case slices.Contains(festivalVowels, name):
				return LexEntry{}, fmt.Errorf("%s: vowel %q needs 1 (stressed) or 0 after it", word, name)
			case !slices.Contains(festivalCons, name):
				return LexEntry{}, fmt.Errorf("%s: %q is not a phone of festival's US English set", word, shorten.To(name, 10))
			}
			s.Phones = append(s.Phones, name)
		}
		if s.Stress < 0 {
			return LexEntry{}, fmt.Errorf("%s: syllable %q has no vowel marked 1 or 0", word, strings.TrimSpace(syl))
		}
		e.Syllables = append(e.Syllables, s)
	}
	return e, nil
}

var lexicon = sync.OnceValue(func() []LexEntry {
	entries, err := ParseLexicon(lexiconText)
	if err != nil {
		// The lexicon is embedded and checked by the tests; failing here
		// means the binary was built from a broken tree.
		panic(err)
	}
	return entries
})

// Lexicon returns limber's lexicon, lexicon.txt, as embedded in the
// binary.
func Lexicon() []LexEntry { return lexicon() }

// festivalLexicon is the lexicon as festival commands, and a short hash of
// them that names the pronunciations in cache keys.
var festivalLexicon = sync.OnceValues(func() (scheme, hash string) {
	scheme = FestivalScheme(Lexicon())
	sum := sha256.Sum256([]byte(scheme))
	return scheme, hex.EncodeToString(sum[:4])
})

// FestivalScheme returns the festival commands that add entries to the
// current voice's lexicon, one lex.add.entry per word.
func FestivalScheme(entries []LexEntry) string {
	var b strings.Builder
	for _, e := range entries {
		fmt.Fprintf(&b, "(lex.add.entry '(%q nil (", e.Word)
		for i, s := range e.Syllables {
			if i > 0 {
				b.WriteByte(' ')
			}
			fmt.Fprintf(&b, "((%s) %d)", strings.Join(s.Phones, " "), s.Stress)
		}
		b.WriteString(")))\n")
	}
	return b.String()
}

// Phones returns the entry's phones in order, as festival's Segment
// relation lists them.
func (e LexEntry) Phones() []string {
	var out []string
	for _, s := range e.Syllables {
		out = append(out, s.Phones...)
	}
	return out
}

// String returns the entry as a line of lexicon.txt.
func (e LexEntry) String() string {
	syls := make([]string, len(e.Syllables))
	for i, s := range e.Syllables {
		phones := make([]string, len(s.Phones))
		for j, p := range s.Phones {
			phones[j] = p
			if slices.Contains(festivalVowels, p) {
				phones[j] += fmt.Sprint(s.Stress)
			}
		}
		syls[i] = strings.Join(phones, " ")
	}
	return e.Word + " " + strings.Join(syls, " . ")
}
