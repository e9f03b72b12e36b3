package routine

import (
	"errors"
	"strings"
	"testing"

	"github.com/limber-audio/limber/cues"
	"github.com/limber-audio/limber/cues/cueid"
)

// hamstring is the routine of the README: a new stretch in the user's own
// words, and a built-in stretch used by id.
const hamstring = `{
  "version": 1,
  "stretches": {
    "hamstring": {"name": "Hamstring stretch", "how": "Sit with one leg straight and reach toward your toes.",
                  "sides": 2, "steps": [{"say": "Reach forward."}, {"hold": 20}]}
  },
  "routines": {
    "legs": {"name": "Legs", "stretches": ["hamstring", "neck-tilts"], "closing": "Nice work  today."}
  }
}`

func builtinLib(t *testing.T) *Library {
	t.Helper()
	lib, err := LoadBuiltin(cues.Builtin())
	if err != nil {
		t.Fatal(err)
	}
	return lib
}

func TestLoad_WordsWhereverACueGoes(t *testing.T) {
	lib, err := Load([]byte(hamstring), "my.json", builtinLib(t), cues.Builtin())
	if err != nil {
		t.Fatal(err)
	}
	s := lib.Stretch("hamstring")
	if s == nil {
		t.Fatal("no hamstring stretch")
	}
	tests := []struct {
		field, id string
	}{
		{"name_cue (from the name)", s.NameCue},
		{"how", s.How[0]},
		{"say", s.Steps[0].Cue},
		{"closing", lib.Routine("legs").Closing},
	}
	for _, tt := range tests {
		if !cueid.IsPhrase(tt.id) {
			t.Errorf("%s = %q, want a phrase id", tt.field, tt.id)
		}
	}
	var texts []string
	for _, p := range lib.Phrases() {
		texts = append(texts, p.Text)
		if p.ID != cueid.OfWords(p.Text) {
			t.Errorf("phrase %q has id %s, want %s", p.Text, p.ID, cueid.OfWords(p.Text))
		}
	}
	want := "Hamstring stretch|Sit with one leg straight and reach toward your toes.|Reach forward.|Nice work today."
	if got := strings.Join(texts, "|"); got != want {
		t.Errorf("phrases = %s\nwant      %s", got, want)
	}
	if got := lib.Stretch("neck-tilts"); got == nil || got.Origin != BuiltinName {
		t.Errorf("built-in neck-tilts = %+v, want it from %s", got, BuiltinName)
	}
	if s.Origin != "my.json" {
		t.Errorf("hamstring from %q, want my.json", s.Origin)
	}
}

func TestLoad_WordsRules(t *testing.T) {
	tests := []struct {
		name, say string
		want      string // the problem, or "" when the step is fine
	}{
		{"known cue", "switch-sides", ""},
		{"sentence", "Relax your shoulders.", ""},
		{"lower-case words with a space", "relax now", ""},
		{"unicode words", "Atmen Sie tief ein – ganz ruhig.", ""},
		{"typo of a cue", "switch-side", `unknown cue "switch-side" (did you mean switch-sides or left-side?); for words, write "Switch side."`},
		{"id-like word", "relax", `unknown cue "relax" (did you mean release, rest or rep.2?); for words, write "Relax."`},
		{"no words", "... !!!", `has no words to speak`},
		{"control character", "Breathe\tout.", `must be one line of text, without tabs or control characters`},
		{"escape sequence", "Breathe \x1b[31mout", `must be one line of text, without tabs or control characters`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := strings.Replace(valid, `"neck-tilts.tilt"`, quote(tt.say), 1)
			_, err := Load([]byte(doc), "t.json", nil, cues.Builtin())
			if tt.want == "" {
				if err != nil {
					t.Fatalf("Load: %v", err)
				}
				return
			}
			var ve *ValidationErrors
			if !errors.As(err, &ve) || !strings.HasSuffix(ve.Errs[0].Error(), "stretches.tilt.steps[0].say: "+tt.want) {
				t.Fatalf("Load error = %v\nwant ... %s", err, tt.want)
			}
		})
	}
}

func quote(s string) string {
	return `"` + strings.NewReplacer(`"`, `\"`, "\t", `\t`, "\x1b", `\u001b`).Replace(s) + `"`
}

func TestLoad_HowAndTipsTakeOneOrMany(t *testing.T) {
	doc := strings.Replace(valid, `"sides": 2,`, `"sides": 2, "how": "Sit tall.", "tips": ["neck-tilts.tip", "Keep breathing."],`, 1)
	lib, err := Load([]byte(doc), "t.json", nil, cues.Builtin())
	if err != nil {
		t.Fatal(err)
	}
	s := lib.Stretch("tilt")
	if len(s.How) != 1 || len(s.Tips) != 2 || s.Tips[0] != "neck-tilts.tip" || !cueid.IsPhrase(s.Tips[1]) {
		t.Errorf("how = %q, tips = %q", s.How, s.Tips)
	}
}

func TestLoad_LayersOverTheBuiltins(t *testing.T) {
	base := builtinLib(t)
	mine := `{"version": 1, "stretches": {
	  "neck-tilts": {"name": "Gentle neck tilts", "sides": 2, "steps": [{"say": "Tilt slowly."}, {"hold": 10}]}
	}}`
	lib, err := Load([]byte(mine), "mine.json", base, cues.Builtin())
	if err != nil {
		t.Fatal(err)
	}
	s := lib.Stretch("neck-tilts")
	if s.Name != "Gentle neck tilts" || s.Origin != "mine.json" {
		t.Errorf("neck-tilts = %q from %s, want the user's", s.Name, s.Origin)
	}
	if s.NameCue != "neck-tilts" {
		t.Errorf("name cue %q, want the built-in cue neck-tilts (a cue by the stretch's id)", s.NameCue)
	}
	if len(lib.Stretches) != len(base.Stretches) {
		t.Errorf("%d stretches, want %d: a replacement takes the place of the old one", len(lib.Stretches), len(base.Stretches))
	}
	want := Override{Kind: "stretch", ID: "neck-tilts", Was: BuiltinName, By: "mine.json"}
	if len(lib.Overrides) != 1 || lib.Overrides[0] != want {
		t.Errorf("overrides = %+v, want %+v", lib.Overrides, want)
	}
	if lib.Routine("upper-back") == nil {
		t.Error("built-in routines are gone")
	}
	// A second file over the first: later files win.
	second := `{"version": 1, "routines": {"upper-back": {"name": "My upper back", "stretches": ["neck-tilts"]}}}`
	lib2, err := Load([]byte(second), "second.json", lib, cues.Builtin())
	if err != nil {
		t.Fatal(err)
	}
	if r := lib2.Routine("upper-back"); r.Name != "My upper back" || r.Origin != "second.json" {
		t.Errorf("upper-back = %q from %s", r.Name, r.Origin)
	}
	if len(lib2.Overrides) != 2 || lib2.Overrides[1].Kind != "routine" {
		t.Errorf("overrides = %+v", lib2.Overrides)
	}
}

func TestLoad_LayerConflicts(t *testing.T) {
	tests := []struct {
		name, doc, want string
	}{
		{"routine named like a built-in stretch",
			`{"version": 1, "routines": {"neck-tilts": {"name": "N", "stretches": ["neck-tilts"]}}}`,
			`routines.neck-tilts: routines.json has a stretch with the same id; routine and stretch ids must differ`},
		{"stretch named like a built-in routine",
			`{"version": 1, "stretches": {"upper-back": {"name": "U", "steps": [{"hold": 5}]}}}`,
			`stretches.upper-back: routines.json has a routine with the same id; routine and stretch ids must differ`},
		{"unknown stretch suggests built-ins",
			`{"version": 1, "routines": {"r": {"name": "R", "stretches": ["neck-tilt"]}}}`,
			`routines.r.stretches[0]: unknown stretch "neck-tilt" (did you mean neck-tilts or pelvic-tilt?)`},
		{"a replaced stretch makes a built-in routine too long",
			`{"version": 1, "stretches": {"neck-tilts": {"name": "N", "repeats": 11, "sides": 2, "steps": [{"hold": 600}, {"rest": 50}]}}}`,
			`routines.upper-back: lasts at least`},
		{"empty file",
			`{"version": 1}`,
			`must define at least one stretch or routine`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load([]byte(tt.doc), "u.json", builtinLib(t), cues.Builtin())
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Load error = %v\nwant it to contain %s", err, tt.want)
			}
		})
	}
}
