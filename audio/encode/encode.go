package encode

import (
	"fmt"
	"slices"
	"strings"

	"github.com/limber-audio/limber/audio"
	"github.com/limber-audio/limber/audio/flac"
	"github.com/limber-audio/limber/audio/wav"
)

// Format is a file format limber writes.
type Format struct {
	Name  string // as --format takes it: "flac"
	Ext   string // the file extension that chooses it: ".flac"
	Write audio.WriteFunc
}

// formats are the formats limber writes, the default first.
var formats = []Format{
	{Name: "wav", Ext: ".wav", Write: wav.Write},    // 16-bit PCM with cue markers
	{Name: "flac", Ext: ".flac", Write: flac.Write}, // 16-bit FLAC with chapters, a cue sheet and tags
}

// Default is the format written when none is chosen: WAV.
func Default() Format { return formats[0] }

// Formats lists the formats, the default first.
func Formats() []Format { return slices.Clone(formats) }

// Names lists the formats by name, the default first.
func Names() []string {
	names := make([]string, len(formats))
	for i, f := range formats {
		names[i] = f.Name
	}
	return names
}

// Lookup returns the format called name, in any case.
func Lookup(name string) (Format, error) {
	for _, f := range formats {
		if strings.EqualFold(f.Name, name) {
			return f, nil
		}
	}
	return Format{}, fmt.Errorf("format must be %s, got %q", orList(Names()), name)
}

// ForExt returns the format a file extension (".flac", as audio.Ext
// gives it) chooses, if any.
func ForExt(ext string) (Format, bool) {
	for _, f := range formats {
		if f.Ext == ext {
			return f, true
		}
	}
	return Format{}, false
}

// orList joins names as "a, b or c".
func orList(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}
