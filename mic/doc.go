// Package mic captures sound from a microphone: the default capture
// device or one chosen by name, as 16-bit mono samples at the rate the
// caller asks for, through miniaudio (github.com/gen2brain/malgo), which
// reaches PulseAudio, PipeWire (through its PulseAudio service) and ALSA
// on Linux, Core Audio on macOS and WASAPI on Windows.
//
// Each piece of sound comes with the time it was captured, so a listener
// can line it up with what the program itself was playing then.
//
// miniaudio is C: a build without cgo has no capture, and Devices and
// Open fail with ErrUnavailable.
package mic
