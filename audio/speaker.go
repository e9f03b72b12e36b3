package audio

import (
	"errors"
	"time"
)

// ErrNoOutput means no sound came out of the speaker: the machine has no
// usable audio output device.
var ErrNoOutput = errors.New("no usable audio output: the sound device did not accept any sound (try limber export to write a WAV file instead)")

// ErrNoAudioBuild means this binary was built without cgo and so without
// live audio output.
var ErrNoAudioBuild = errors.New("this build has no audio output (it was built without cgo); use limber export to write a WAV file")

// ProbeTimeout is how long OpenSpeaker waits for the device to take a
// short burst of silence before it gives up.
const ProbeTimeout = 3 * time.Second

// probeSilence is the silence OpenSpeaker plays to check the device.
const probeSilence = 50 * time.Millisecond
