package cueid

import (
	"flag"
	"strings"
	"testing"

	"github.com/limber-audio/limber/internal/testtools"
)

var update = flag.Bool("update", false, "rewrite golden files")

func TestOfWords_Golden(t *testing.T) {
	sentences := []string{
		"Reach forward.",
		"Reach   forward. ",
		"reach forward.",
		"Sit with one leg straight and reach toward your toes.",
		"Don't lock your knees!",
		"Atmen Sie tief ein.",
		"Дышите глубоко.",
		"3, 2, 1, go",
		"Supercalifragilisticexpialidociousandthensome stretch",
	}
	var b strings.Builder
	for _, s := range sentences {
		id := OfWords(s)
		if !Valid(id) || !IsPhrase(id) {
			t.Errorf("OfWords(%q) = %q, not a valid phrase id", s, id)
		}
		b.WriteString(id + "\t" + s + "\n")
	}
	if OfWords("Reach forward.") != OfWords("  Reach \t forward.") {
		t.Error("white space changes the id")
	}
	if OfWords("Reach forward.") == OfWords("reach forward.") {
		t.Error("case does not change the id, so two different texts would share a clip")
	}
	testtools.Golden(t, "testdata/phrase-ids.golden", []byte(b.String()), *update)
}

func TestValid(t *testing.T) {
	for id, want := range map[string]bool{
		"switch-sides": true, "rep.2": true, "a": true, "neck-tilts.how": true,
		"": false, "../x": false, ".hidden": false, "a..b": false, "A": false, "a/b": false,
		"a b": false, "x.": false, strings.Repeat("a", 65): false, "-a": false,
	} {
		if got := Valid(id); got != want {
			t.Errorf("Valid(%q) = %v, want %v", id, got, want)
		}
	}
}

func FuzzOfWords(f *testing.F) {
	f.Add("Reach forward.")
	f.Add("Дышите глубоко.")
	f.Fuzz(func(t *testing.T, text string) {
		testtools.AllocBudget(t, 64*uint64(len(text))+64<<10, func() {
			id := OfWords(text)
			if !IsPhrase(id) {
				t.Fatalf("OfWords(%q) = %q, not a valid phrase id", text, id)
			}
			if OfWords(Normalize(text)) != id {
				t.Fatalf("normalizing %q changes its id", text)
			}
		})
	})
}

func TestCheckText(t *testing.T) {
	tests := []struct {
		text string
		want string // "" for fine
	}{
		{"Reach forward.", ""},
		{strings.Repeat("a", MaxText), ""},
		{"", "must not be empty"},
		{strings.Repeat("a", MaxText+1), "is longer than 200 bytes"},
		{"one\ntwo", "must be one line"},
		{"\x1b[2J", "must be one line"},
	}
	for _, tt := range tests {
		err := CheckText(tt.text)
		if tt.want == "" && err != nil || tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)) {
			t.Errorf("CheckText(%.20q) = %v, want %q", tt.text, err, tt.want)
		}
	}
}
