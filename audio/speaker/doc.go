// Package speaker is limber's live sound output: beep's speaker (oto)
// opened once per process, with a probe that tells within seconds
// whether a device opens and takes sound at all, the messages of alsa-lib
// and of the JACK library its plugins load silenced, and every sample rounded to the 16-bit value an export of
// the same stream holds.
//
// It is the only package of limber that reaches oto and, on Linux, needs
// cgo and ALSA's headers to build; only the command imports it. Built
// without cgo on Linux, Open reports ErrNoAudioBuild.
package speaker
