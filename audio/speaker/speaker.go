package speaker

import (
	"errors"
	"time"
)

// ErrNoOutput means no sound came out of the speaker: the machine has no
// usable audio output device, or the device would not open or take sound.
var ErrNoOutput = errors.New("no usable audio output: the sound device did not accept any sound (try limber export to write a WAV file instead)")

// ErrNoAudioBuild means this binary was built without cgo and so without
// live audio output.
var ErrNoAudioBuild = errors.New("this build has no audio output (it was built without cgo); use limber export to write a WAV file")

// ProbeTimeout is how long Open waits for the device to open, and
// Device.CheckFlowing for it to take the first sound, before giving up
// with ErrNoOutput.
const ProbeTimeout = 3 * time.Second

// flowingAfter is how much sound the device must have taken for
// CheckFlowing to trust it: more than beep's and oto's buffers hold
// without a device behind them.
const flowingAfter = 400 * time.Millisecond
