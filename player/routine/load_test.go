package routine

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/limber-audio/limber/internal/testtools"

	"github.com/limber-audio/limber/cues"
)

// valid is a small routine file every validation case starts from.
const valid = `{
  "version": 1,
  "stretches": {
    "tilt": {
      "name": "Tilt",
      "name_cue": "neck-tilts",
      "sides": 2,
      "steps": [{"say": "neck-tilts.tilt"}, {"hold": 10}]
    }
  },
  "routines": {
    "short": {"name": "Short", "stretches": ["tilt", {"stretch": "tilt", "hold": 5}]}
  }
}`

func TestLoad_AcceptsValidFile(t *testing.T) {
	lib, err := Load([]byte(valid), "t.json", nil, cues.Builtin())
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(lib.Stretches), 1; got != want {
		t.Errorf("stretches = %d, want %d", got, want)
	}
	r := lib.Routine("short")
	if r == nil || len(r.Items) != 2 || r.Items[1].Hold != 5 || r.LeadIn != DefaultLeadIn || r.Rest != DefaultRest {
		t.Errorf("routine short = %+v", r)
	}
}

func TestLoad_RejectsWithPosition(t *testing.T) {
	tests := []struct {
		name string
		old  string // replaced in valid ...
		new  string // ... by this
		want string // the first problem, as printed
	}{
		{"syntax error", `"version": 1,`, `"version": 1,,`,
			`t.json:2:16: one comma too many: remove it`},
		{"truncated", `"routines"`, `"routines" `,
			""}, // placeholder replaced below
		{"unknown top-level field", `"routines": {`, `"routins": {`,
			`t.json:11:3: routins: unknown field (did you mean routines?)`},
		{"unknown stretch field", `"sides": 2,`, `"sides": 2, "colour": "red",`,
			`t.json:7:19: stretches.tilt.colour: unknown field`},
		{"wrong type", `{"hold": 10}`, `{"hold": "10"}`,
			`t.json:8:54: stretches.tilt.steps[1].hold: must be a number, got string`},
		{"hold too long", `{"hold": 10}`, `{"hold": 900}`,
			`t.json:8:54: stretches.tilt.steps[1].hold: must be between 1 and 600 seconds, got 900`},
		{"hold zero", `{"hold": 10}`, `{"hold": 0}`,
			`t.json:8:54: stretches.tilt.steps[1].hold: must be between 1 and 600 seconds, got 0`},
		{"hold negative", `{"hold": 10}`, `{"hold": -3}`,
			`t.json:8:54: stretches.tilt.steps[1].hold: must be between 1 and 600 seconds, got -3`},
		{"override hold too long", `"hold": 5}`, `"hold": 601}`,
			`t.json:12:82: routines.short.stretches[1].hold: must be between 1 and 600 seconds, got 601`},
		{"repeats zero", `"sides": 2,`, `"sides": 2, "repeats": 0,`,
			`t.json:7:30: stretches.tilt.repeats: must be between 1 and 100, got 0`},
		{"repeats too many", `"sides": 2,`, `"sides": 2, "repeats": 101,`,
			`t.json:7:30: stretches.tilt.repeats: must be between 1 and 100, got 101`},
		{"repeats fraction", `"sides": 2,`, `"sides": 2, "repeats": 2.5,`,
			`t.json:7:30: stretches.tilt.repeats: must be a whole number, got 2.5`},
		{"three sides", `"sides": 2,`, `"sides": 3,`,
			`t.json:7:16: stretches.tilt.sides: must be between 1 and 2, got 3`},
		{"unknown cue", `{"say": "neck-tilts.tilt"}`, `{"say": "neck-tilts.tlt"}`,
			`t.json:8:25: stretches.tilt.steps[0].say: unknown cue "neck-tilts.tlt" (did you mean neck-tilts.tilt, neck-tilts.tip or neck-tilts.how?); for words, write "Neck tilts tlt."`},
		{"unknown stretch", `["tilt", {`, `["tlit", {`,
			`t.json:12:46: routines.short.stretches[0]: unknown stretch "tlit" (did you mean tilt?)`},
		{"empty routine", `"stretches": ["tilt", {"stretch": "tilt", "hold": 5}]`, `"stretches": []`,
			`t.json:12:45: routines.short.stretches: must list at least one stretch`},
		{"empty steps", `[{"say": "neck-tilts.tilt"}, {"hold": 10}]`, `[]`,
			`t.json:8:16: stretches.tilt.steps: must have at least one step`},
		{"step with two actions", `{"hold": 10}`, `{"hold": 10, "rest": 2}`,
			`t.json:8:45: stretches.tilt.steps[1]: must have exactly one of "say", "hold" or "rest"`},
		{"duplicate stretch id", `  "routines": {`, `  "stretches": {}, "routines": {`,
			`t.json:11:3: stretches: duplicate key`},
		{"duplicate key inside", `"name": "Tilt",`, `"name": "Tilt", "name": "Tilt",`,
			`t.json:5:23: stretches.tilt.name: duplicate key`},
		{"routine named like a stretch", `"short": {`, `"tilt": {`,
			`t.json:12:5: routines.tilt: a stretch has the same id; routine and stretch ids must differ`},
		{"invalid id", `"tilt": {`, `"Tilt Left": {`,
			`t.json:4:5: stretches.Tilt Left: invalid id: use lower-case letters, digits and '-'`},
		{"missing version", `"version": 1,`, ``,
			`t.json:1:1: version: missing; this limber reads version 1`},
		{"future version", `"version": 1,`, `"version": 2,`,
			`t.json:2:14: version: unsupported version 2; this limber reads version 1`},
		{"missing name", `"name": "Tilt",`, ``,
			`t.json:4:13: stretches.tilt.name: missing`},
		{"too long", `{"hold": 10}]`, `{"hold": 600}], "repeats": 100`,
			`t.json:4:13: stretches.tilt: lasts at least 33h21m40s, longer than the 4h00m00s limit`},
		{"hold too short to hold", `{"hold": 10}`, `{"hold": 1e-7}`,
			`t.json:8:54: stretches.tilt.steps[1].hold: must be between 1 and 600 seconds, got 1e-7`},
		{"routine too long, each stretch fine", `"routines": {`, `"routines": {"long": {"name": "L", "stretches": [` + strings.Repeat(`{"stretch": "tilt", "hold": 600}, `, 13) + `"tilt"]},`,
			`t.json:11:24: routines.long: lasts at least 4h`},
		{"cues count toward the length", `[{"say": "neck-tilts.tilt"}, {"hold": 10}]`, `[` + strings.Repeat(`{"say": "neck-tilts.tilt"}, `, 300) + `{"hold": 10}], "repeats": 100`,
			`t.json:4:13: stretches.tilt: lasts at least 8h`},
		{"unknown coach", `"name": "Short",`, `"name": "Short", "coach": "loud",`,
			`t.json:12:41: routines.short.coach: must be "full", "brief" or "tones", got "loud"`},
		{"odd cadence", `"name": "Short",`, `"name": "Short", "callout_every": 20,`,
			`t.json:12:49: routines.short.callout_every: must be 15, 30 or 60 seconds, or 0 for no time-left callouts, got 20`},
		{"key with a newline", `"sides": 2,`, `"sides": 2, "a\nb": 1,`,
			`t.json:7:19: stretches.tilt."a\nb": unknown field (did you mean name or how?)`},
		{"unknown area", `"sides": 2,`, `"sides": 2, "areas": ["neck", "hip"],`,
			`t.json:7:37: stretches.tilt.areas[1]: unknown "hip" (did you mean hips?); use one of neck, shoulders, upper-back, chest, wrists, lower-back, hips, glutes, hamstrings, quads, calves`},
		{"areas not a list", `"sides": 2,`, `"sides": 2, "areas": "neck",`,
			`t.json:7:28: stretches.tilt.areas: must be a list of areas, got string`},
		{"no areas", `"sides": 2,`, `"sides": 2, "areas": [],`,
			`t.json:7:28: stretches.tilt.areas: must name at least one area: neck, shoulders, upper-back, chest, wrists, lower-back, hips, glutes, hamstrings, quads, calves`},
		{"area twice", `"sides": 2,`, `"sides": 2, "areas": ["neck", "neck"],`,
			`t.json:7:37: stretches.tilt.areas[1]: "neck" is listed twice`},
		{"unknown position", `"sides": 2,`, `"sides": 2, "position": "sitting",`,
			`t.json:7:31: stretches.tilt.position: unknown "sitting" (did you mean standing?); use one of standing, chair, floor`},
		{"position not a string", `"sides": 2,`, `"sides": 2, "position": 1,`,
			`t.json:7:31: stretches.tilt.position: must be a string, got number`},
		{"unknown caution cue", `"sides": 2,`, `"sides": 2, "caution": "neck-tilts.warn",`,
			`t.json:7:30: stretches.tilt.caution: unknown cue "neck-tilts.warn" (did you mean neck-tilts.how, neck-tilts.tip or neck-tilts.tilt?); for words, write "Neck tilts warn."`},
		{"source over http", `"sides": 2,`, `"sides": 2, "sources": ["http://www.nhs.uk/live-well/"],`,
			`t.json:7:31: stretches.tilt.sources[0]: must be an https:// address, got "http://www.nhs.uk/live-well/"`},
		{"source without a host", `"sides": 2,`, `"sides": 2, "sources": ["https:///x"],`,
			`t.json:7:31: stretches.tilt.sources[0]: must be an https:// address, got "https:///x"`},
		{"source on a bare host", `"sides": 2,`, `"sides": 2, "sources": ["https://localhost/x"],`,
			`t.json:7:31: stretches.tilt.sources[0]: must name a host such as www.nhs.uk, got "https://localhost/x"`},
		{"source with a space", `"sides": 2,`, `"sides": 2, "sources": ["https://www.nhs.uk/a b"],`,
			`t.json:7:31: stretches.tilt.sources[0]: must be an address without spaces or control characters`},
		{"no sources", `"sides": 2,`, `"sides": 2, "sources": [],`,
			`t.json:7:30: stretches.tilt.sources: must list at least one https:// address`},
		{"source not a string", `"sides": 2,`, `"sides": 2, "sources": [7],`,
			`t.json:7:31: stretches.tilt.sources[0]: must be a string, got number`},
		{"not an object", valid, `[1, 2]`,
			`t.json:1:1: must be an object, got array`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := strings.Replace(valid, tt.old, tt.new, 1)
			if doc == valid {
				t.Fatalf("case does not change the document: %q not found", tt.old)
			}
			if tt.name == "truncated" {
				doc = doc[:strings.Index(doc, `"routines"`)+4]
				tt.want = `t.json:11:7: the file ends inside the object opened on line 1: a } is missing`
			}
			_, err := Load([]byte(doc), "t.json", nil, cues.Builtin())
			var ve *ValidationErrors
			if !errors.As(err, &ve) {
				t.Fatalf("Load error = %v, want *ValidationErrors", err)
			}
			got := ve.Errs[0].Error()
			if got != tt.want && !(strings.HasSuffix(tt.want, "m") || strings.HasSuffix(tt.want, "h")) || !strings.HasPrefix(got, tt.want) {
				t.Errorf("first problem:\n got %s\nwant %s", got, tt.want)
			}
			if strings.Contains(err.Error(), "\n") && len(ve.Errs) == 1 {
				t.Errorf("one problem printed on several lines: %q", err)
			}
		})
	}
}

func TestLoad_ReportsEveryProblem(t *testing.T) {
	doc := strings.NewReplacer(`{"hold": 10}`, `{"hold": 900}`, `"sides": 2,`, `"sides": 5,`,
		`["tilt", {`, `["nope", {`).Replace(valid)
	_, err := Load([]byte(doc), "t.json", nil, cues.Builtin())
	var ve *ValidationErrors
	if !errors.As(err, &ve) {
		t.Fatalf("Load error = %v", err)
	}
	want := []string{"stretches.tilt.sides", "stretches.tilt.steps[1].hold", "routines.short.stretches[0]"}
	if len(ve.Errs) != len(want) {
		t.Fatalf("got %d problems, want %d:\n%v", len(ve.Errs), len(want), err)
	}
	for i, w := range want {
		if ve.Errs[i].Field != w {
			t.Errorf("problem %d field = %s, want %s", i, ve.Errs[i].Field, w)
		}
	}
}

func TestLoad_CapsProblemCount(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"version": 1, "stretches": {`)
	for i := range 30 {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(`"s` + string(rune('a'+i%26)) + strings.Repeat("x", i/26) + `": {"name": "S", "name_cue": "hold", "steps": [{"hold": 0}]}`)
	}
	b.WriteString(`}}`)
	_, err := Load([]byte(b.String()), "t.json", nil, cues.Builtin())
	var ve *ValidationErrors
	if !errors.As(err, &ve) {
		t.Fatalf("Load error = %v", err)
	}
	if len(ve.Errs) != MaxProblems || ve.Omitted != 30-MaxProblems {
		t.Errorf("got %d problems and %d omitted, want %d and %d", len(ve.Errs), ve.Omitted, MaxProblems, 30-MaxProblems)
	}
	if !strings.HasSuffix(err.Error(), "t.json: and 10 more problems") {
		t.Errorf("error does not end with the count of omitted problems:\n%s", err)
	}
}

func TestLoadFile_RefusesHugeFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "huge.json")
	if err := os.WriteFile(path, make([]byte, MaxFileSize+10), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := LoadFile(path, nil, cues.Builtin())
	if err == nil || !strings.Contains(err.Error(), "huge.json: file is larger than the 8 MiB limit") {
		t.Errorf("LoadFile = %v, want a size error", err)
	}
}

func TestLoadFile_MissingFile(t *testing.T) {
	_, err := LoadFile(filepath.Join(t.TempDir(), "none.json"), nil, cues.Builtin())
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("LoadFile = %v, want not-exist", err)
	}
}

// TestLoad_MalformedCorpus loads every file under testdata/malformed and
// compares the problems reported with its .golden file (go test -update
// rewrites them).
func TestLoad_MalformedCorpus(t *testing.T) {
	files, err := filepath.Glob("testdata/malformed/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no corpus: %v", err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			_, err := LoadFile(f, nil, cues.Builtin())
			var ve *ValidationErrors
			if !errors.As(err, &ve) {
				t.Fatalf("LoadFile = %v, want *ValidationErrors", err)
			}
			checkGolden(t, strings.TrimSuffix(f, ".json")+".golden", []byte(err.Error()+"\n"))
		})
	}
}

var update = flag.Bool("update", false, "rewrite golden files under testdata/")

func checkGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	testtools.Golden(t, path, got, *update)
}
