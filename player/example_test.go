package player_test

import (
	"fmt"

	"github.com/limber-audio/limber/cues"
	"github.com/limber-audio/limber/player"
)

func ExampleLoad() {
	doc := []byte(`{
  "version": 1,
  "stretches": {
    "tilt": {"name": "Tilt", "name_cue": "neck-tilts", "steps": [{"hold": 900}]}
  }
}`)
	_, err := player.Load(doc, "my.json", cues.Builtin())
	fmt.Println(err)
	// Output:
	// my.json:4:75: stretches.tilt.steps[0].hold: must be between 0 and 600 seconds, got 900
}

func ExampleCompile() {
	lib, err := player.LoadBuiltin(cues.Builtin())
	if err != nil {
		panic(err)
	}
	tl, err := player.Compile(lib, "neck-tilts", cues.NewPack(player.DefaultRate), player.Options{})
	if err != nil {
		panic(err)
	}
	for _, e := range tl.Events {
		if e.Kind == player.KindHold {
			fmt.Printf("%s %s side: hold %s\n", e.Stretch, e.Side, player.FormatSeconds(tl.Seconds(e.Len)))
		}
	}
	// Output:
	// neck-tilts left side: hold 15s
	// neck-tilts right side: hold 15s
}
