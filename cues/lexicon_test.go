package cues

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/limber-audio/limber/internal/testtools"
)

// The words the library issue asked the lexicon to get right.
var lexiconMustHave = []string{"buttock", "glute", "quad", "hamstring", "thoracic", "lumbar", "scapula",
	"piriformis", "psoas", "sternum", "trapezius", "pelvis", "tailbone"}

func TestLexicon_HasTheFitnessWords(t *testing.T) {
	have := map[string]bool{}
	for _, e := range Lexicon() {
		have[e.Word] = true
	}
	for _, w := range lexiconMustHave {
		if !have[w] {
			t.Errorf("lexicon.txt has no entry for %q", w)
		}
	}
}

func TestParseLexicon_Rejects(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"Buttock b ah1 . t ax0 k", `line 1: "Buttock": a word is lower-case letters`},
		{"buttock", `line 1: "buttock" has no phones`},
		{"# comment\n\nbuttock b ah . t ax0 k", `line 3: buttock: vowel "ah" needs 1 (stressed) or 0 after it`},
		{"buttock b1 ah . t ax0 k", `line 1: buttock: a stress mark goes on a vowel, not on "b"`},
		{"buttock b ah1 ax0 . t ax0 k", `line 1: buttock: syllable "b ah1 ax0" has two stressed vowels`},
		{"buttock b ah2 . t ax0 k", `line 1: buttock: "ah2" is not a phone`},
		{"buttock b ah1 . t k", `line 1: buttock: syllable "t k" has no vowel marked 1 or 0`},
		{"buttock b ah1 . t ax0 kk", `line 1: buttock: "kk" is not a phone`},
		{"buttock b ah101", `line 1: buttock: phone "ah101" has more than one stress mark`},
		{"glute g l uw1 t\nglute g l uw1 t", `line 2: "glute" is listed twice`},
	} {
		_, err := ParseLexicon([]byte(tt.in))
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("ParseLexicon(%q) = %v, want %s...", tt.in, err, tt.want)
		}
	}
}

func TestFestivalScheme(t *testing.T) {
	entries, err := ParseLexicon([]byte("buttock  b ah1 . t ax0 k\nglute g l uw1 t\n"))
	if err != nil {
		t.Fatal(err)
	}
	got, want := FestivalScheme(entries), `(lex.add.entry '("buttock" nil (((b ah) 1) ((t ax k) 0))))`+"\n"+
		`(lex.add.entry '("glute" nil (((g l uw t) 1))))`+"\n"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

// requireFestival skips (or, in CI, fails) a test that needs festival
// with the pack's voice.
func requireFestival(t *testing.T) {
	t.Helper()
	testtools.RequireTool(t, "festival")
	if err := (Festival{}).Available(); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
}

// TestLexicon_FestivalSaysEveryWordAsWritten runs festival with the
// pack's voice and the lexicon loaded as the Festival engine loads it, and
// checks that each word of the lexicon is spoken with exactly its phones.
func TestLexicon_FestivalSaysEveryWordAsWritten(t *testing.T) {
	requireFestival(t)
	var script strings.Builder
	script.WriteString("(voice_" + FestivalVoice + ")\n")
	scheme, _ := festivalLexicon()
	script.WriteString(scheme)
	for _, e := range Lexicon() {
		// One word an utterance; pauses left out of what is printed.
		script.WriteString(`(print (mapcar item.name (utt.relation.items (utt.synth (Utterance Text "` + e.Word + `")) 'Segment)))` + "\n")
	}
	path := filepath.Join(t.TempDir(), "check.scm")
	if err := os.WriteFile(path, []byte(script.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("festival", "-b", path).CombinedOutput()
	if err != nil {
		t.Fatalf("festival: %v\n%s", err, out)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) != len(Lexicon()) {
		t.Fatalf("festival printed %d lines for %d words:\n%s", len(lines), len(Lexicon()), out)
	}
	for i, e := range Lexicon() {
		got := strings.Join(strings.Fields(strings.NewReplacer(`"pau"`, "", `"`, "", "(", "", ")", "").Replace(lines[i])), " ")
		if want := strings.Join(e.Phones(), " "); got != want {
			t.Errorf("festival says %q as %q, the lexicon says %q", e.Word, got, want)
		}
	}
}

// TestFestival_VoicesWithTheLexicon checks that the Festival engine, which
// voices the built-in pack (generate.sh) and a user's words alike, says a
// lexicon word from the lexicon: its sound is festival's with the lexicon
// loaded, and not festival's own.
func TestFestival_VoicesWithTheLexicon(t *testing.T) {
	requireFestival(t)
	dir := t.TempDir()
	text := "Squeeze your buttock."
	ours := filepath.Join(dir, "ours.wav")
	if err := (Festival{}).Synthesize(context.Background(), text, ours); err != nil {
		t.Fatal(err)
	}
	in := filepath.Join(dir, "in.txt")
	lex := filepath.Join(dir, "lex.scm")
	scheme, _ := festivalLexicon()
	if err := os.WriteFile(in, []byte(text+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(lex, []byte(scheme), 0o600); err != nil {
		t.Fatal(err)
	}
	voice := "(voice_" + FestivalVoice + ")"
	synth := func(name string, args ...string) []byte {
		out := filepath.Join(dir, name)
		args = append(append([]string{"-eval", voice}, args...), "-o", out, in)
		if b, err := exec.Command("text2wave", args...).CombinedOutput(); err != nil {
			t.Fatalf("text2wave: %v\n%s", err, b)
		}
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	got, err := os.ReadFile(ours)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, synth("lexicon.wav", "-eval", lex)) {
		t.Error("the engine's sound is not festival's with the lexicon")
	}
	if bytes.Equal(got, synth("plain.wav")) {
		t.Error("the engine sounds like festival without the lexicon: buttock is not from the lexicon")
	}
}
