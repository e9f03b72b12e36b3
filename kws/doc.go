// Package kws spots keyphrases in speech with pocketsphinx's keyword
// search: a small cgo binding to Debian's libpocketsphinx (0.8 +
// 5prealpha) that listens for a fixed list of phrases, each with its own
// detection threshold, and reports where in the audio each was heard.
//
// Before the decoder hears the audio, a loud steady noise can be taken
// out of it with speexdsp's noise suppressor (Config.Denoise), and a
// faint one kept under it where it is very quiet (Config.NoiseFloor).
//
// It needs the libraries and an acoustic model at run time
// (libpocketsphinx3, libspeexdsp1 and pocketsphinx-en-us on Debian) and
// the headers to build (libpocketsphinx-dev, libspeexdsp-dev). A build without cgo, on a system other
// than Linux, or with the build tag nopocketsphinx has no decoder: New
// returns ErrUnavailable, and everything else in this package works.
//
// The audio is 16-bit mono at SampleRate. A Decoder is fed the audio in
// pieces of any size, in order, and answers with the phrases whose end
// it has heard; times are counted in samples from the first one fed.
package kws
