// Package flac reads and writes FLAC files with limber's own code.
//
// Write encodes 16-bit audio losslessly, on every core, with chapters,
// a cue sheet and tags; Decode reads any FLAC file the reference encoder
// makes (checked against flac -d), checks every frame's CRCs and seeks
// by finding frame headers, so it needs no seek table. Both share the
// package's bit reader and writer, its CRCs and its fixed predictors.
package flac
