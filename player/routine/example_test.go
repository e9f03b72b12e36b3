package routine_test

import (
	"fmt"

	"github.com/limber-audio/limber/cues"
	"github.com/limber-audio/limber/player/routine"
)

func ExampleLoad() {
	doc := []byte(`{
  "version": 1,
  "stretches": {
    "tilt": {"name": "Tilt", "name_cue": "neck-tilts", "steps": [{"hold": 900}]}
  }
}`)
	_, err := routine.Load(doc, "my.json", nil, cues.Builtin())
	fmt.Println(err)
	// Output:
	// my.json:4:75: stretches.tilt.steps[0].hold: must be between 1 and 600 seconds, got 900
}
