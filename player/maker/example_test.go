package maker_test

import (
	"fmt"
	"math"

	"github.com/limber-audio/limber/cues"
	"github.com/limber-audio/limber/player"
	"github.com/limber-audio/limber/player/maker"
	"github.com/limber-audio/limber/player/routine"
)

// A routine made to measure: ten minutes for the hips and the lower back,
// without getting on the floor.
func ExampleMake() {
	lib, err := routine.LoadBuiltin(cues.Builtin())
	if err != nil {
		panic(err)
	}
	ask := maker.Ask{Minutes: 10, Focus: []string{"hips", "lower-back"}, Positions: []string{"standing", "chair"}, Seed: 20261130}
	made, err := maker.Make(lib, cues.NewPack(player.DefaultRate), player.Options{}, ask)
	if err != nil {
		panic(err)
	}
	fmt.Println(made.Routine.Name)
	fmt.Printf("lasts %.0f minutes\n", math.Round(made.Seconds/60))
	for _, it := range made.Routine.Items {
		if s := lib.Stretch(it.Stretch); s.Position == "floor" {
			fmt.Println("on the floor:", s.ID)
		}
	}
	// Output:
	// Hips and lower back, 10 minutes
	// lasts 10 minutes
}

// A routine of the library fitted to a length.
func ExampleFit() {
	lib, err := routine.LoadBuiltin(cues.Builtin())
	if err != nil {
		panic(err)
	}
	made, err := maker.Fit(lib, cues.NewPack(player.DefaultRate), player.Options{}, "upper-back", maker.Ask{Minutes: 7})
	if err != nil {
		panic(err)
	}
	fmt.Println(made.Routine.ID, "-", made.Routine.Name)
	_, err = maker.Fit(lib, cues.NewPack(player.DefaultRate), player.Options{}, "upper-back", maker.Ask{Minutes: 60})
	fmt.Println(err != nil)
	// Output:
	// upper-back-7min - Upper back, 7 minutes
	// true
}
