// Package wav reads and writes WAV files.
//
// Write makes a 16-bit PCM file with a cue point and a label at every
// marker, laid out so that libsndfile, sox, ffmpeg and audio editors all
// read them, without seeking (a pipe works). Decode reads 8-, 16-, 24-
// and 32-bit integer PCM and 32-bit float, plain or extensible, trusting
// none of a header's sizes. Header is the 44-byte header both limber's
// writer and its voice cache lay down.
package wav
