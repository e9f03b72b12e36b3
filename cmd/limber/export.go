package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/limber-audio/limber/audio"
	"github.com/limber-audio/limber/player"
	"golang.org/x/term"
)

// Export rate limits.
const (
	minRate = 8000
	maxRate = 192000
)

func runExport(ctx context.Context, s *stdio, args []string) error {
	var (
		src      source
		out      string
		rate     int
		channels int
		captions string
		labels   string
		force    bool
	)
	fs := newFlags("export", s, "export NAME -o FILE.wav [flags]\n\n"+
		"Renders routine or stretch NAME to a 16-bit PCM WAV file with a labelled\n"+
		"marker at every stretch, side switch and repetition. -o - writes to stdout.")
	fs.StringVarP(&out, "output", "o", "", "write the WAV to `FILE` (- for stdout)")
	fs.IntVar(&rate, "rate", player.DefaultRate, "sample rate in `Hz` (8000 to 192000)")
	fs.IntVar(&channels, "channels", 1, "1 (mono) or 2 (stereo: each side's cues lean toward that ear)")
	fs.StringVar(&captions, "captions", "", "also write a WebVTT file of everything spoken to `FILE`")
	fs.StringVar(&labels, "labels", "", "also write an Audacity label track (tab-separated) to `FILE`")
	fs.BoolVar(&force, "force", false, "replace existing output files")
	src.addFlags(fs, true, true)
	if err := parse(fs, args); err != nil {
		return err
	}
	name, err := oneName(fs, "routine or stretch NAME")
	if err != nil {
		return err
	}
	switch {
	case out == "":
		return usagef("export: missing -o FILE.wav (or -o - for stdout)")
	case rate < minRate || rate > maxRate:
		return usagef("--rate must be between %d and %d Hz, got %d", minRate, maxRate, rate)
	case channels != 1 && channels != 2:
		return usagef("--channels must be 1 or 2, got %d", channels)
	case out == "-" && isTerminal(s.out):
		return usagef("export: refusing to write WAV data to a terminal; use -o FILE.wav or a pipe")
	}
	for _, path := range []string{out, captions, labels} {
		if path == "" || path == "-" {
			continue
		}
		if err := audio.CheckTarget(path, force); err != nil {
			return exportTargetError(err)
		}
	}
	tl, voice, err := src.compileAt(name, rate, s)
	if err != nil {
		return err
	}
	opts := player.ExportOptions{Channels: channels}
	bar := newProgress(s.errOut, "exporting "+name)
	if bar != nil {
		opts.Progress = bar.update
	}
	write := func(w io.Writer) error { return player.Export(ctx, w, tl, voice, opts) }
	if out == "-" {
		err = write(s.out)
	} else {
		err = audio.WriteFile(out, force, write)
	}
	bar.done()
	if err != nil {
		if errors.Is(err, context.Canceled) {
			return fmt.Errorf("export interrupted; %s not written", out)
		}
		return fmt.Errorf("export %s: %w", out, exportTargetError(err))
	}
	if captions != "" {
		if err := audio.WriteFile(captions, force, tl.WriteCaptions); err != nil {
			return fmt.Errorf("write captions %s: %w", captions, err)
		}
	}
	if labels != "" {
		if err := audio.WriteFile(labels, force, tl.WriteLabels); err != nil {
			return fmt.Errorf("write labels %s: %w", labels, err)
		}
	}
	return nil
}

// exportTargetError marks an existing target, or a file too large for WAV,
// as the user's to fix.
func exportTargetError(err error) error {
	var ee *audio.ExistsError
	if errors.As(err, &ee) || errors.Is(err, audio.ErrTooLarge) {
		return &usageError{err}
	}
	return err
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// progress draws a one-line progress bar on a terminal.
type progress struct {
	w     io.Writer
	label string
	last  int // last percentage drawn
}

// newProgress returns a bar drawing on w, or nil when w is not a
// terminal (a nil *progress does nothing).
func newProgress(w io.Writer, label string) *progress {
	if !isTerminal(w) {
		return nil
	}
	return &progress{w: w, label: label, last: -1}
}

func (p *progress) update(done, total int) {
	pct := 100 * done / max(total, 1)
	if pct == p.last {
		return
	}
	p.last = pct
	const width = 30
	fill := width * pct / 100
	bar := make([]byte, width)
	for i := range bar {
		bar[i] = ' '
		if i < fill {
			bar[i] = '='
		}
	}
	fmt.Fprintf(p.w, "\r%s [%s] %3d%%", p.label, bar, pct)
}

func (p *progress) done() {
	if p != nil {
		fmt.Fprint(p.w, "\r\033[K")
	}
}
