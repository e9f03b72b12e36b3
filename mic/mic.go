package mic

import (
	"encoding/hex"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// ErrUnavailable means this build cannot capture sound: it was built
// without cgo.
var ErrUnavailable = errors.New("microphone capture is not available in this build (it needs cgo)")

// ErrNoMicrophone means the system offers no capture device at all.
var ErrNoMicrophone = errors.New("no microphone found")

// Device is a capture device.
type Device struct {
	// Name is what the sound system shows people ("Built-in Audio Analog
	// Stereo"); two devices may share one.
	Name string
	// ID is the sound system's own name for it when that is text (a
	// PulseAudio source such as "alsa_input.pci-0000_00_1f.3.analog-stereo",
	// an ALSA device such as "hw:CARD=PCH,DEV=0"), else its identifier in
	// hex.
	ID string
	// Default is set on the system's default capture device.
	Default bool

	id []byte // the backend's identifier
}

// idString renders a backend's device identifier: the text up to its
// first NUL when that is printable ASCII, else hex.
func idString(id []byte) string {
	n := len(id)
	for i, b := range id {
		if b == 0 {
			n = i
			break
		}
	}
	text := n > 0
	for _, b := range id[:n] {
		if b < 0x20 || b > 0x7e {
			text = false
			break
		}
	}
	for _, b := range id[n:] {
		if b != 0 {
			text = false
			break
		}
	}
	if text {
		return string(id[:n])
	}
	end := len(id)
	for end > 1 && id[end-1] == 0 {
		end--
	}
	return hex.EncodeToString(id[:end])
}

// notMicrophones are ALSA's plugin devices, which miniaudio lists beside
// the cards: converters and routes that capture nothing of their own
// ("null" even makes up silence).
var notMicrophones = map[string]bool{
	"null": true, "lavrate": true, "samplerate": true, "speexrate": true, "speex": true,
	"jack": true, "oss": true, "pulse": true, "upmix": true, "vdownmix": true, "pipewire": true,
}

// Chunk is a piece of captured sound.
type Chunk struct {
	// Samples are mono, 16-bit.
	Samples []int16
	// At is when the chunk was handed over by the sound system: about the
	// moment its last sample was captured.
	At time.Time
}

// Options say what to capture.
type Options struct {
	// Device names the capture device (see Find); "" means the system's
	// default.
	Device string
	// Rate is the sample rate wanted, in samples per second; the sound
	// system converts to it. 0 means 16000.
	Rate int
}

// NotFoundError says that no capture device matches a name.
type NotFoundError struct {
	Name    string
	Devices []Device // what there is
}

func (e *NotFoundError) Error() string {
	if len(e.Devices) == 0 {
		return fmt.Sprintf("no microphone named %s: there is no capture device at all", strconv.Quote(e.Name))
	}
	names := make([]string, len(e.Devices))
	for i, d := range e.Devices {
		names[i] = strconv.Quote(d.ID)
	}
	return fmt.Sprintf("no microphone named %s (there is %s; limber mics lists them)", strconv.Quote(e.Name), strings.Join(names, ", "))
}

// AmbiguousError says that a name matches several capture devices.
type AmbiguousError struct {
	Name    string
	Matches []string
}

func (e *AmbiguousError) Error() string {
	q := make([]string, len(e.Matches))
	for i, m := range e.Matches {
		q[i] = strconv.Quote(m)
	}
	return fmt.Sprintf("microphone %s matches %d devices: %s; give one of these", strconv.Quote(e.Name), len(e.Matches), strings.Join(q, ", "))
}

// Find picks the device name means among devices: the one with exactly
// that ID or name, else the one whose name or ID contains it, ignoring
// case.
func Find(devices []Device, name string) (Device, error) {
	for _, d := range devices {
		if d.ID == name {
			return d, nil
		}
	}
	var exact []Device
	for _, d := range devices {
		if d.Name == name {
			exact = append(exact, d)
		}
	}
	if len(exact) == 1 {
		return exact[0], nil
	}
	var matches []Device
	lower := strings.ToLower(name)
	for _, d := range devices {
		if name != "" && (strings.Contains(strings.ToLower(d.Name), lower) || strings.Contains(strings.ToLower(d.ID), lower)) {
			matches = append(matches, d)
		}
	}
	switch len(matches) {
	case 1:
		return matches[0], nil
	case 0:
		return Device{}, &NotFoundError{Name: name, Devices: devices}
	}
	names := make([]string, len(matches))
	for i, m := range matches {
		names[i] = m.ID
	}
	sort.Strings(names)
	return Device{}, &AmbiguousError{Name: name, Matches: names}
}
