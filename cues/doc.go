// Package cues holds limber's voice cue pack: the manifest that maps each cue
// id to the words it speaks, the prerecorded clips embedded in the binary, and
// the loading of a user's own recordings from a folder (--voice DIR).
//
// Clips are decoded and resampled once, on first use, to the rate the caller
// asks for, and kept in a clip cache on disk (ClipCache) from which they are
// read as they play. Lengths are known without decoding (from the clip
// index, clips/index.tsv, which mirrors the FLAC headers), so commands that
// only plan a routine never decode audio.
//
// The clips are made by generate.sh from cues.json; run it by hand after
// changing the manifest text.
package cues
