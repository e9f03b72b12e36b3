package player_test

import (
	"fmt"

	"github.com/limber-audio/limber/cues"
	"github.com/limber-audio/limber/player"
	"github.com/limber-audio/limber/player/routine"
)

func ExampleCompile() {
	lib, err := routine.LoadBuiltin(cues.Builtin())
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
