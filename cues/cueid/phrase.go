package cueid

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"unicode"
)

// Phrase is a user's own words, spoken where a routine file puts a
// sentence instead of a cue id. Its ID is derived from the words, so the
// same sentence always has the same id, in every file and on every machine.
type Phrase struct {
	ID   string
	Text string
}

// PhrasePrefix starts every phrase id, which keeps them apart from the
// voice pack's ids.
const PhrasePrefix = "say."

// MaxText is the longest text limber takes for one name or sentence to
// speak, in bytes: a routine file's fields and limber say's words alike.
const MaxText = 200

// CheckText says what is wrong with text as one name or sentence to
// speak, in the words a routine file's problems use: it must not be
// empty, must be at most MaxText bytes and one line, without tabs or
// control characters. nil when it is fine.
func CheckText(text string) error {
	switch {
	case text == "":
		return errors.New("must not be empty")
	case len(text) > MaxText:
		return fmt.Errorf("is longer than %d bytes", MaxText)
	case strings.IndexFunc(text, unicode.IsControl) >= 0:
		return errors.New("must be one line of text, without tabs or control characters")
	}
	return nil
}

// maxSlug bounds the readable part of a phrase id, in bytes.
const maxSlug = 32

// Normalize folds runs of white space in a sentence to single spaces
// and trims both ends: the form that is spoken, shown and hashed.
func Normalize(text string) string {
	return strings.Join(strings.Fields(text), " ")
}

// OfWords returns the cue id of a sentence: "say.", the first words in
// lower case joined by '-' (at most 32 bytes, cut at a word), '-', and six
// hex digits of the SHA-256 of the normalized text, e.g.
// "say.reach-forward-3fa2c1". Texts that differ only in white space share
// an id; any other difference changes the digits. The id is always a valid
// cue id (Valid).
func OfWords(text string) string {
	text = Normalize(text)
	sum := sha256.Sum256([]byte(text))
	hash := hex.EncodeToString(sum[:3])
	var slug strings.Builder
	for _, w := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '\'')
	}) {
		w = strings.ReplaceAll(w, "'", "")
		if w == "" {
			continue
		}
		if slug.Len()+len(w)+1 > maxSlug {
			if slug.Len() == 0 {
				slug.WriteString(w[:maxSlug])
			}
			break
		}
		if slug.Len() > 0 {
			slug.WriteByte('-')
		}
		slug.WriteString(w)
	}
	if slug.Len() == 0 {
		return PhrasePrefix + hash
	}
	return PhrasePrefix + slug.String() + "-" + hash
}

// IsPhrase reports whether id has the form OfWords gives.
func IsPhrase(id string) bool {
	return strings.HasPrefix(id, PhrasePrefix) && Valid(id)
}

// LooksLike reports whether s uses only the cue id alphabet (lower-case
// letters, digits, '-' and '.'), so that in a routine file it is read as a
// cue id, never as words to speak: "switch-sides" is a cue, "relax" a
// misspelt one, "Relax." words.
func LooksLike(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '.') {
			return false
		}
	}
	return true
}

// HasWords reports whether text has something to speak: at least one
// letter or digit.
func HasWords(text string) bool {
	return strings.IndexFunc(text, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0
}
