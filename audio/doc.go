// Package audio holds limber's small sound building blocks: tones with
// click-free envelopes, the WAV writer with cue and label chunks and atomic
// file writes, and the speaker wrapper with its device probe.
//
// audio knows nothing of routines; it deals in samples and rates.
package audio
