package player

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/limber-audio/limber/audio"
	"github.com/limber-audio/limber/audio/encode"
	"github.com/limber-audio/limber/internal/timefmt"
)

// ExportOptions tune Export. The zero value writes mono WAV.
type ExportOptions struct {
	// Channels is 1 (default) or 2. In stereo, the sounds of a left or
	// right side lean toward that ear.
	Channels int
	// Progress, when set, is called as the export goes with the samples
	// written and the total.
	Progress func(done, total int)
	// Format is the file format (encode.Lookup, encode.ForExt); the zero
	// value is encode.Default, WAV.
	Format encode.Format
	// Tags are written where the format has a place for them (a FLAC
	// file's Vorbis comments: TITLE and the like); a WAV file has none.
	Tags []audio.Tag
	// Music, when set, plays under the routine at MusicVolume, a gain
	// from 0 (silent) to 1; DefaultMusicVolume is the usual level.
	Music       Music
	MusicVolume float64
}

// Export renders tl to w in opts.Format (16-bit, at the timeline's rate),
// with a labelled marker (a WAV cue point, a FLAC chapter) at every
// stretch start, side switch and repetition. The same timeline, clips and
// options always give the same bytes. It stops with ctx's error when ctx
// is cancelled.
func Export(ctx context.Context, w io.Writer, tl *Timeline, clips Clips, opts ExportOptions) error {
	if opts.Channels == 0 {
		opts.Channels = 1
	}
	r, err := NewRenderer(tl, clips, RenderOptions{Lean: opts.Channels == 2})
	if err != nil {
		return err
	}
	var p Program = r
	if opts.Music != nil {
		p = NewBed(r, opts.Music, opts.MusicVolume)
	}
	return exportProgram(ctx, w, tl, p, opts)
}

// exportProgram writes p, which plays tl, as Export does.
func exportProgram(ctx context.Context, w io.Writer, tl *Timeline, p Program, opts ExportOptions) error {
	if opts.Channels == 0 {
		opts.Channels = 1
	}
	format := opts.Format
	if format.Write == nil {
		format = encode.Default()
	}
	file := audio.Options{Rate: tl.Rate, Channels: opts.Channels, Tags: opts.Tags, Markers: make([]audio.Marker, len(tl.Marks))}
	for i, m := range tl.Marks {
		file.Markers[i] = audio.Marker{Pos: m.Pos, Label: m.Label}
	}
	if opts.Progress != nil {
		file.Progress = func(done int) { opts.Progress(done, tl.Len) }
	}
	if err := format.Write(ctx, w, p, tl.Len, file); err != nil {
		return err
	}
	return p.Err()
}

// WriteCaptions writes a WebVTT file with a caption for every spoken cue,
// timed to the millisecond.
func (t *Timeline) WriteCaptions(w io.Writer) error {
	var b strings.Builder
	// The header line may carry a title after a space; it is not shown.
	fmt.Fprintf(&b, "WEBVTT - %s\n", strings.ReplaceAll(t.Name, "-->", "->"))
	n := 0
	for _, e := range t.Events {
		if e.Kind != KindCue {
			continue
		}
		n++
		fmt.Fprintf(&b, "\n%d\n%s --> %s\n%s\n", n, vttTime(t.Seconds(e.Start)), vttTime(t.Seconds(e.End())), vttText(e.Text))
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("write captions: %w", err)
	}
	return nil
}

// vttText escapes what a caption says, so that players show it as
// written and never as markup: & < > become entities, and "-->", which
// would end a cue's text, cannot occur.
var vttText = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace

// vttTime formats seconds as WebVTT's hh:mm:ss.ttt.
func vttTime(sec float64) string {
	return timefmt.Millis(int64(float64(sec*1000) + 0.5))
}

// WriteLabels writes the timeline's marks as an Audacity label track:
// one "start<TAB>end<TAB>label" line per mark, times in seconds, each
// label running to the next mark.
func (t *Timeline) WriteLabels(w io.Writer) error {
	var b strings.Builder
	for i, m := range t.Marks {
		end := t.Len
		if i+1 < len(t.Marks) {
			end = t.Marks[i+1].Pos
		}
		fmt.Fprintf(&b, "%.6f\t%.6f\t%s\n", t.Seconds(m.Pos), t.Seconds(end), m.Label)
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("write labels: %w", err)
	}
	return nil
}
