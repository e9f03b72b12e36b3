// Package audio holds what limber's sound packages share, as beep's root
// package does for its own: the Options every file writer takes, with
// the Markers and Tags it writes; the one rounding of a sample to 16 bits
// that files and the speaker both use; Reader, which reads a stream for
// a writer through its silences and its mono mix; and the rates limber
// reads and writes.
//
// The jobs themselves live in packages of their own: decode (open any
// file limber reads), wav and flac (the codecs), resample, tone, music
// (a looped bed and its cache), encode (the writers by format) and
// speaker (live output, the only one that needs a sound card).
//
// Arithmetic on samples rounds every product before it is added
// (float64(a*b)): a CPU with fused multiply-add (arm64) would otherwise
// round differently from one without (amd64), and the same export would
// give other bytes.
package audio
