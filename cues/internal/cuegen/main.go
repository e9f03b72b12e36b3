// Command cuegen voices the cues of the embedded manifest with festival
// and the clip pipeline (cues.Render: the same code that voices a user's
// words), writing one WAV file per cue into a folder, for generate.sh. It
// is a build tool, not part of limber.
//
//	go run ./cues/internal/cuegen DIR [ID...]
package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/limber-audio/limber/cues"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "cuegen:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("usage: cuegen DIR [ID...]")
	}
	dir, only := args[0], map[string]bool{}
	for _, id := range args[1:] {
		if !cues.Builtin().Has(id) {
			return fmt.Errorf("no cue %q in cues.json", id)
		}
		only[id] = true
	}
	engine := cues.Festival{}
	if err := engine.Available(); err != nil {
		return fmt.Errorf("%w (apt-get install festival festvox-us-slt-hts)", err)
	}
	n := 0
	for _, c := range cues.Builtin().Cues() {
		if len(only) > 0 && !only[c.ID] {
			continue
		}
		speak := c.Speak
		if speak == "" {
			speak = c.Text
		}
		clip, err := cues.Render(context.Background(), engine, speak, 0)
		if err != nil {
			return fmt.Errorf("%s: %w", c.ID, err)
		}
		if err := writeClip(filepath.Join(dir, c.ID+".wav"), clip); err != nil {
			return err
		}
		n++
	}
	fmt.Fprintf(os.Stderr, "cuegen: voiced %d cues\n", n)
	return nil
}

func writeClip(path string, clip []int16) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	if err := cues.WriteClipWAV(w, clip); err != nil {
		f.Close()
		return err
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
