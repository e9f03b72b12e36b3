// Package timefmt writes times and lengths for people and files, one
// function per format, so that each format is written one way wherever
// it appears: the chapters of a FLAC file and the cues of a WebVTT file
// (Millis), the status line (Clock), the line that ends a session
// (Minutes), plans and lists (Tenths, Span) and the routine loader's
// messages (HMS).
package timefmt
