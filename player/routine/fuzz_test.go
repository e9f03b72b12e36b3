package routine_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/limber-audio/limber/internal/testtools"

	"github.com/limber-audio/limber/cues"
	"github.com/limber-audio/limber/player"
	"github.com/limber-audio/limber/player/routine"
)

func FuzzLoad(f *testing.F) {
	f.Add([]byte(`{"version": 1, "stretches": {"s": {"name": "S", "name_cue": "neck-tilts", "steps": [{"say": "Reach up."}, {"hold": 5}]}}}`))
	files, _ := filepath.Glob("testdata/malformed/*.json")
	files = append(files, routine.BuiltinName) // the built-in library itself
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	voice := secondVoice{}
	f.Fuzz(func(t *testing.T, data []byte) {
		var lib *routine.Library
		var err error
		// Memory in proportion to the file: nothing in it may make the
		// loader balloon.
		testtools.AllocBudget(t, 64*uint64(len(data))+2<<20, func() {
			lib, err = routine.Load(data, "fuzz.json", nil, cues.Builtin())
		})
		if err != nil {
			var ve *routine.ValidationErrors
			if !errors.As(err, &ve) || len(ve.Errs) == 0 {
				t.Fatalf("error is not a validation error: %v", err)
			}
			for _, e := range ve.Errs {
				if strings.Contains(e.Error(), "\n") {
					t.Fatalf("problem spans lines: %q", e.Error())
				}
			}
			return
		}
		for _, name := range lib.Names() {
			tl, err := player.Compile(lib, name, voice, player.Options{Rate: 8000})
			var long *player.TooLongError
			if errors.As(err, &long) {
				continue // its cues made it too long: refused, at a bounded cost
			}
			if err != nil {
				t.Fatalf("valid library fails to compile %s: %v", name, err)
			}
			if tl.Len <= 0 || tl.Len > (routine.MaxDuration+60)*8000 {
				t.Fatalf("%s: length %d samples out of range", name, tl.Len)
			}
		}
	})
}

// secondVoice speaks every cue and phrase for exactly one second.
type secondVoice struct{}

func (secondVoice) Text(id string) string                   { return cues.Builtin().Text(id) }
func (secondVoice) CueLen(id string, rate int) (int, error) { return rate, nil }

// FuzzParseAreas: --focus, --area and --avoid lists, and --position.
func FuzzParseAreas(f *testing.F) {
	f.Add("hips,lower-back")
	f.Add(" neck , ,neck,hip")
	f.Add("standing,chair")
	f.Fuzz(func(t *testing.T, list string) {
		testtools.AllocBudget(t, 16*uint64(len(list))+64<<10, func() {
			for _, parse := range []func(string) ([]string, error){routine.ParseAreas, routine.ParsePositions} {
				got, err := parse(list)
				if err != nil {
					if strings.Contains(err.Error(), "\n") {
						t.Fatalf("a message on several lines: %q", err)
					}
					continue
				}
				if len(got) == 0 {
					t.Fatalf("%q: no error and nothing parsed", list)
				}
				for _, x := range got {
					if !routine.IsArea(x) && !routine.IsPosition(x) {
						t.Fatalf("%q gave %q", list, x)
					}
				}
			}
		})
	})
}
