// Package resample converts audio from one sample rate to another with a
// Blackman-windowed sinc filter: a whole clip at once (Samples), a clip
// that comes a piece at a time (Chunks), or an endless stereo stream
// (Stream), all three giving the same samples for the same input.
package resample
