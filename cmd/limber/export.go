package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/limber-audio/limber/audio"
	"github.com/limber-audio/limber/player"
	"github.com/spf13/pflag"
	"golang.org/x/term"
)

// Export rate limits.
const (
	minRate = 8000
	maxRate = 192000
)

func runExport(ctx context.Context, s *stdio, args []string) error {
	var (
		src   source
		w     wavFlags
		music musicFlags
	)
	fs := newFlags("export", s, "export NAME -o FILE.wav [flags]\n\n"+
		"Renders routine or stretch NAME to a 16-bit PCM WAV file with a labelled\n"+
		"marker at every stretch, side switch and repetition. -o - writes to stdout.")
	w.addFlags(fs)
	fs.StringVar(&w.captions, "captions", "", "also write a WebVTT file of everything spoken to `FILE`")
	fs.StringVar(&w.labels, "labels", "", "also write an Audacity label track (tab-separated) to `FILE`")
	music.addFlags(fs)
	src.addFlags(fs, true, true)
	name, err := parseName(fs, args)
	if err != nil {
		return err
	}
	if w.out == "" {
		return usagef("export: missing -o FILE.wav (or -o - for stdout)")
	}
	if err := w.check(); err != nil {
		return err
	}
	bed, err := music.open(w.rate)
	if err != nil {
		return err
	}
	if bed != nil {
		defer bed.Close()
		w.music, w.musicVolume = bed, music.volume
	}
	tl, voice, err := src.compileAt(ctx, name, w.rate, s)
	if err != nil {
		return err
	}
	return w.write(ctx, s, tl, voice, "export", name)
}

// wavFlags are the flags of commands that write WAV files.
type wavFlags struct {
	out      string
	rate     int
	channels int
	force    bool
	captions string
	labels   string
	// music, when set, plays under the routine
	music       player.Music
	musicVolume float64
}

func (w *wavFlags) addFlags(fs *pflag.FlagSet) {
	fs.StringVarP(&w.out, "output", "o", "", "write a WAV file to `FILE` (- for stdout)")
	fs.IntVar(&w.rate, "rate", player.DefaultRate, "WAV sample rate in `Hz` (8000 to 192000)")
	fs.IntVar(&w.channels, "channels", 1, "WAV channels: `N` is 1, or 2 (each side's cues lean toward that ear)")
	fs.BoolVar(&w.force, "force", false, "replace existing output files")
}

// check validates the flags and that every output can be written, before
// any work is done.
func (w *wavFlags) check() error {
	switch {
	case w.rate < minRate || w.rate > maxRate:
		return usagef("--rate must be between %d and %d Hz, got %d", minRate, maxRate, w.rate)
	case w.channels != 1 && w.channels != 2:
		return usagef("--channels must be 1 or 2, got %d", w.channels)
	}
	for _, path := range []string{w.out, w.captions, w.labels} {
		if path == "" || path == "-" {
			continue
		}
		if err := audio.CheckTarget(path, w.force); err != nil {
			return exportTargetError(err)
		}
	}
	return nil
}

// write renders tl to the WAV file (with a progress bar on a terminal),
// then the captions and labels asked for.
// verb ("export", "say") and what name the errors and progress bar.
func (w *wavFlags) write(ctx context.Context, s *stdio, tl *player.Timeline, clips player.Clips, verb, what string) error {
	if w.out == "-" && isTerminal(s.out) {
		return usagef("refusing to write WAV data to a terminal; use -o FILE.wav or a pipe")
	}
	opts := player.ExportOptions{Channels: w.channels, Music: w.music, MusicVolume: w.musicVolume}
	bar := newProgress(s.errOut, verb+" "+what)
	if bar != nil {
		opts.Progress = bar.update
	}
	write := func(out io.Writer) error { return player.Export(ctx, out, tl, clips, opts) }
	var err error
	if w.out == "-" {
		err = write(s.out)
	} else {
		err = audio.WriteFile(w.out, w.force, write)
	}
	bar.done()
	if err != nil {
		if errors.Is(err, context.Canceled) {
			return fmt.Errorf("%s interrupted; %s not written", verb, w.out)
		}
		// An *os.PathError repeats the file name: keep only its cause.
		var pe *fs.PathError
		if errors.As(err, &pe) && pe.Path == w.out {
			err = pe.Err
		}
		return fmt.Errorf("%s %s: %w", verb, w.out, exportTargetError(err))
	}
	if w.captions != "" {
		if err := audio.WriteFile(w.captions, w.force, tl.WriteCaptions); err != nil {
			return fmt.Errorf("write captions %s: %w", w.captions, err)
		}
	}
	if w.labels != "" {
		if err := audio.WriteFile(w.labels, w.force, tl.WriteLabels); err != nil {
			return fmt.Errorf("write labels %s: %w", w.labels, err)
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
