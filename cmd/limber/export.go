package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/limber-audio/limber/audio"
	"github.com/limber-audio/limber/audio/encode"
	"github.com/limber-audio/limber/audio/wav"
	"github.com/limber-audio/limber/internal/atomicfile"
	"github.com/limber-audio/limber/internal/timefmt"
	"github.com/limber-audio/limber/player"
	"github.com/spf13/pflag"
	"golang.org/x/term"
)

// exportGCPercent is the garbage collector's target while exporting: the
// live heap is a few megabytes (the export streams what it writes), so
// collecting at half again that, not the default twice, costs little and
// keeps the peak under sox's (README, "Speed and memory"). Other commands
// keep the default: they allocate in bursts, where collecting often costs.
const exportGCPercent = 50

func runExport(ctx context.Context, s *stdio, args []string) error {
	if os.Getenv("GOGC") == "" {
		defer debug.SetGCPercent(debug.SetGCPercent(exportGCPercent))
	}
	var (
		src   source
		w     outputFlags
		music musicFlags
	)
	fs := newFlags("export", s, "export NAME -o FILE.wav|FILE.flac [flags]\n\n"+
		"Renders routine or stretch NAME to a 16-bit WAV or FLAC file (by the\n"+
		"extension, or --format) with a labelled marker (a chapter, in FLAC) at\n"+
		"every stretch, side switch and repetition. -o - writes to stdout.")
	w.addFlags(fs)
	fs.StringVar(&w.captions, "captions", "", "also write a WebVTT file of everything spoken to `FILE`")
	fs.StringVar(&w.labels, "labels", "", "also write an Audacity label track (tab-separated) to `FILE`")
	music.addFlags(fs)
	src.addFlags(fs, true, true)
	src.made.addFlags(fs)
	name, err := src.parseNameOrMade(fs, args)
	if err != nil {
		return err
	}
	if name == "" {
		name = "made"
	}
	if w.out == "" {
		return usagef("export: missing -o FILE.wav or FILE.flac (or -o - for stdout)")
	}
	w.save = src.made.save
	if err := w.check(src.inputs(music.path)...); err != nil {
		return err
	}
	src.made.force = w.force
	bed, err := music.open(w.rate, true)
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
	defer voice.Close()
	w.also = src.made.target()
	w.tags = fileTags(tl, src.voiceName())
	if err := w.write(ctx, s, tl, voice, "export", name); err != nil {
		return err
	}
	if bed != nil {
		bed.CompleteCache() // the next export with this bed need not decode it
	}
	return nil
}

// outputFlags are the flags of commands that write an audio file: where,
// in which format, at which rate and with how many channels.
type outputFlags struct {
	out      string
	format   string // as given with --format
	kind     encode.Format
	tags     []audio.Tag
	rate     int
	channels int
	force    bool
	captions string
	labels   string
	save     string             // --save, checked with the other outputs
	also     *atomicfile.Target // written with them: the --save file
	// music, when set, plays under the routine
	music       player.Music
	musicVolume float64
}

func (w *outputFlags) addFlags(fs *pflag.FlagSet) {
	fs.StringVarP(&w.out, "output", "o", "", "write the audio to `FILE`, in the format its extension names (- for stdout)")
	fs.StringVar(&w.format, "format", "", "file `FORMAT`: "+strings.Join(encode.Names(), " or ")+" (default: by the extension of -o; "+encode.Default().Name+" for -o -)")
	fs.IntVar(&w.rate, "rate", player.DefaultRate, fmt.Sprintf("sample rate of the output in `Hz` (%d to %d)", audio.MinRate, audio.MaxRate))
	fs.IntVar(&w.channels, "channels", 1, "channels of the output: `N` is 1, or 2 (each side's cues lean toward that ear)")
	fs.BoolVar(&w.force, "force", false, "replace existing output files")
}

// check validates the flags and that every output can be written, is
// not another output and is none of the inputs, before any work is done.
func (w *outputFlags) check(inputs ...named) error {
	switch {
	case w.rate < audio.MinRate || w.rate > audio.MaxRate:
		return usagef("--rate must be between %d and %d Hz, got %d", audio.MinRate, audio.MaxRate, w.rate)
	case w.channels != 1 && w.channels != 2:
		return usagef("--channels must be 1 or 2, got %d", w.channels)
	}
	if err := w.chooseFormat(); err != nil {
		return err
	}
	outs := []named{{flag: "-o", path: w.out}, {flag: "--captions", path: w.captions}, {flag: "--labels", path: w.labels}, {flag: "--save", path: w.save}}
	for i, o := range outs {
		if o.path == "" || o.path == "-" {
			continue
		}
		for _, p := range outs[:i] {
			if p.path != "" && p.path != "-" && sameFile(o.path, p.path) {
				return usagef("%s and %s are the same file (%s); each output needs its own", p.flag, o.flag, shortQuote(o.path))
			}
		}
		for _, in := range inputs {
			if in.path != "" && (sameFile(o.path, in.path) || in.dir && inside(o.path, in.path)) {
				return usagef("%s %s would overwrite %s %s", o.flag, shortQuote(o.path), in.flag, shortQuote(in.path))
			}
		}
		if err := atomicfile.CheckTarget(o.path, w.force); err != nil {
			return &usageError{err} // a path the user gave: theirs to fix
		}
	}
	return nil
}

// otherAudio are extensions of audio files limber does not write: -o
// with one of them is a mistake, not a WAV file under that name.
var otherAudio = []string{".mp3", ".ogg", ".oga", ".opus", ".m4a", ".aac", ".wma", ".aiff", ".aif"}

// chooseFormat sets the file format from --format or -o's extension.
func (w *outputFlags) chooseFormat() error {
	if w.format != "" {
		f, err := encode.Lookup(w.format)
		if err != nil {
			return &usageError{fmt.Errorf("--%w", err)}
		}
		w.kind = f
		return nil
	}
	ext := audio.Ext(w.out)
	if f, ok := encode.ForExt(ext); ok {
		w.kind = f
		return nil
	}
	if slices.Contains(otherAudio, ext) {
		var exts []string
		for _, f := range encode.Formats() {
			exts = append(exts, f.Ext)
		}
		return usagef("-o %s: limber writes %s files; name one of those, or give --format", shortQuote(w.out), strings.Join(exts, " and "))
	}
	w.kind = encode.Default() // no extension (/dev/null), or anything else
	return nil
}

// named is a file or folder named by a flag, for messages.
type named struct {
	flag, path string
	dir        bool // a folder: nothing may be written inside it
}

// sameFile reports whether two paths name one file: the same file on
// disk, or, for files yet to be made, the same place once links (dangling
// ones too) are followed.
func sameFile(a, b string) bool {
	sa, errA := os.Stat(a)
	sb, errB := os.Stat(b)
	if errA == nil && errB == nil {
		return os.SameFile(sa, sb)
	}
	return canonical(a) == canonical(b)
}

// inside reports whether path lies in folder dir.
func inside(path, dir string) bool {
	rel, err := filepath.Rel(canonical(dir), canonical(path))
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// canonical is the file writing path would write: its links followed,
// dangling ones too (atomicfile.Resolve), absolute, with its folder's
// links resolved. Outputs are compared by it, so that a link cannot make
// two outputs one file unnoticed.
func canonical(path string) string {
	if dest, err := atomicfile.Resolve(path); err == nil {
		path = dest
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return path
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		return real
	}
	if dir, err := filepath.EvalSymlinks(filepath.Dir(abs)); err == nil {
		return filepath.Join(dir, filepath.Base(abs))
	}
	return abs
}

// write renders tl to the audio file (with a progress bar on a terminal),
// then the captions and labels asked for.
// verb ("export", "say") and what name the errors and progress bar.
func (w *outputFlags) write(ctx context.Context, s *stdio, tl *player.Timeline, clips player.Clips, verb, what string) error {
	if w.out == "-" && isTerminal(s.out) {
		return usagef("refusing to write audio to a terminal; use -o FILE.wav or a pipe")
	}
	opts := player.ExportOptions{Channels: w.channels, Music: w.music, MusicVolume: w.musicVolume, Format: w.kind, Tags: w.tags}
	bar := newProgress(s.errOut, verb+" "+what)
	if bar != nil {
		opts.Progress = bar.update
	}
	sound := atomicfile.Target{Path: w.out, Write: func(out io.Writer) error { return player.Export(ctx, out, tl, clips, opts) }}
	if w.out == "-" {
		sound.Path, sound.W = "standard output", s.out
	}
	targets := []atomicfile.Target{sound}
	if w.captions != "" {
		targets = append(targets, atomicfile.Target{Path: w.captions, Write: tl.WriteCaptions})
	}
	if w.labels != "" {
		targets = append(targets, atomicfile.Target{Path: w.labels, Write: tl.WriteLabels})
	}
	if w.also != nil {
		targets = append(targets, *w.also)
	}
	err := atomicfile.WriteFiles(ctx, w.force, targets...)
	bar.done()
	if err != nil {
		if errors.Is(err, context.Canceled) {
			return fmt.Errorf("%s interrupted; nothing written", verb)
		}
		return fmt.Errorf("%s %w", verb, exportTargetError(err))
	}
	if isTerminal(s.errOut) { // in a pipe, success is silent
		fmt.Fprintln(s.errOut, w.summary(tl))
	}
	return nil
}

// summary says what an export wrote: "wrote upper-back.flac: 9:10, 7.1
// MB, 20 chapters", and the captions and labels beside it. The size is
// left out for what is not a file (standard output, a device).
func (w *outputFlags) summary(tl *player.Timeline) string {
	marks := "markers"
	if w.kind.Name == "flac" {
		marks = "chapters"
	}
	out, size := w.out, ""
	if st, err := os.Stat(w.out); err == nil && st.Mode().IsRegular() && w.out != "-" {
		size = megabytes(st.Size())
	}
	if out == "-" {
		out = "standard output"
	}
	line := fmt.Sprintf("wrote %s: %s", out, timefmt.Minutes(tl.Seconds(tl.Len)))
	if size != "" {
		line += ", " + size
	}
	if n := len(tl.Marks); n > 0 {
		line += fmt.Sprintf(", %d %s", n, marks)
	}
	var also []string
	for _, f := range []string{w.captions, w.labels, w.save} {
		if f != "" {
			also = append(also, f)
		}
	}
	switch len(also) {
	case 0:
	case 1:
		line += "; and " + also[0]
	default:
		line += "; and " + strings.Join(also[:len(also)-1], ", ") + " and " + also[len(also)-1]
	}
	return line
}

// megabytes formats a size in decimal megabytes, as file managers do:
// 7.1 MB, or 650 kB under one.
func megabytes(n int64) string {
	if n < 1_000_000 {
		return fmt.Sprintf("%d kB", (n+500)/1000)
	}
	return fmt.Sprintf("%.1f MB", float64(n)/1e6)
}

// exportTargetError marks an existing target, or a file too large for WAV,
// as the user's to fix.
func exportTargetError(err error) error {
	var ee *atomicfile.ExistsError
	if errors.As(err, &ee) || errors.Is(err, wav.ErrTooLarge) {
		return &usageError{err}
	}
	return err
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// canRedraw reports whether w is a terminal that takes escape sequences:
// a line redrawn in place, colours. One with TERM=dumb (Emacs's shell,
// some consoles of screen readers) gets plain lines instead.
func canRedraw(w io.Writer) bool { return isTerminal(w) && os.Getenv("TERM") != "dumb" }

// progress draws a one-line progress bar on a terminal.
type progress struct {
	w     io.Writer
	label string
	last  int // last percentage drawn
}

// newProgress returns a bar drawing on w, or nil when w is not a
// terminal that can redraw it (a nil *progress does nothing).
func newProgress(w io.Writer, label string) *progress {
	if !canRedraw(w) {
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

// voiceName says whose voice an export speaks in, for its ARTIST tag.
func (src *source) voiceName() string {
	engines, all, err := src.tts.engines()
	switch {
	case src.voice != "":
		return "your own voice, and limber's"
	case err == nil && all && len(engines) > 0:
		return "text-to-speech: " + engines[0].Name()
	}
	return "limber voice (festival, cmu_us_slt_arctic_hts)"
}

// fileTags are the tags of an exported FLAC file: the routine's name and
// description, limber, the voice, and the date (SOURCE_DATE_EPOCH's when
// set, for a reproducible file; else today's).
func fileTags(tl *player.Timeline, voice string) []audio.Tag {
	date := time.Now().UTC()
	if epoch, err := strconv.ParseInt(os.Getenv("SOURCE_DATE_EPOCH"), 10, 64); err == nil {
		date = time.Unix(epoch, 0).UTC()
	}
	tags := []audio.Tag{{Name: "TITLE", Value: tl.Name}, {Name: "ALBUM", Value: "limber"}, {Name: "ARTIST", Value: voice}}
	if tl.Description != "" {
		tags = append(tags, audio.Tag{Name: "DESCRIPTION", Value: tl.Description})
	}
	return append(tags, audio.Tag{Name: "DATE", Value: date.Format("2006-01-02")})
}
