package audio

import (
	"context"
	"io"
	"path/filepath"
	"strings"

	"github.com/gopxl/beep/v2"
)

// The sample rates limber reads and writes, in Hz.
const (
	MinRate = 8000
	MaxRate = 192000
)

// Marker is a labelled position in a file: a WAV cue point with a label,
// a FLAC chapter.
type Marker struct {
	Pos   int // sample frame
	Label string
}

// Tag is one piece of a file's metadata, as a Vorbis comment names it:
// TITLE=Upper back.
type Tag struct{ Name, Value string }

// Options describe the file a writer makes; every format takes the same.
// What a format cannot hold (tags in a WAV file) it leaves out.
type Options struct {
	Rate     int // samples per second
	Channels int // 1 (the stream's channels mixed) or 2
	// Markers label positions: WAV cue points, FLAC chapters.
	Markers []Marker
	// Tags are written where the format has a place for them (FLAC's
	// Vorbis comments).
	Tags []Tag
	// Progress, when set, is called as the file is written with the
	// frames written so far.
	Progress func(done int)
}

// WriteFunc writes n frames of s to w as an audio file with opts. The
// same stream and options always give the same bytes. It stops with
// ctx's error when ctx is cancelled; errors from w are returned as they
// are. A writer that must read s twice (to put a checksum in a header
// before the audio, when w cannot seek) needs s to be a
// beep.StreamSeeker.
type WriteFunc func(ctx context.Context, w io.Writer, s beep.Streamer, n int, opts Options) error

// Scale converts a count n at rate from to rate to, rounded to the
// nearest: samples between two rates, or a position to milliseconds
// (Scale(pos, rate, 1000)).
func Scale(n, from, to int) int {
	return int((int64(n)*int64(to) + int64(from)/2) / int64(from))
}

// Ext returns the lower-case extension of a file name: ".wav".
func Ext(name string) string { return strings.ToLower(filepath.Ext(name)) }
