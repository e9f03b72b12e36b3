// Command cuelist prints the embedded cue manifest as "id<TAB>words to
// speak" lines, for generate.sh. It is a build tool, not part of limber.
package main

import (
	"fmt"
	"os"

	"github.com/limber-audio/limber/cues"
)

func main() {
	for _, c := range cues.Builtin().Cues() {
		speak := c.Speak
		if speak == "" {
			speak = c.Text
		}
		if _, err := fmt.Printf("%s\t%s\n", c.ID, speak); err != nil {
			fmt.Fprintln(os.Stderr, "cuelist:", err)
			os.Exit(1)
		}
	}
}
