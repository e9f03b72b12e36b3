package mic

import (
	"errors"
	"strings"
	"testing"
)

func TestFind(t *testing.T) {
	devs := []Device{
		{Name: "Built-in Audio Analog Stereo", ID: "alsa_input.pci-0000_00_1f.3.analog-stereo", Default: true},
		{Name: "Jabra Evolve 20 Mono", ID: "alsa_input.usb-GN_Netcom_Jabra_EVOLVE_20-00.mono-fallback"},
		{Name: "Monitor of Null Output", ID: "limber.monitor"},
		{Name: "Monitor of Null Output", ID: "room.monitor"},
	}
	for _, tc := range []struct {
		name, want, err string
	}{
		{"Jabra Evolve 20 Mono", "alsa_input.usb-GN_Netcom_Jabra_EVOLVE_20-00.mono-fallback", ""},
		{"jabra", "alsa_input.usb-GN_Netcom_Jabra_EVOLVE_20-00.mono-fallback", ""},
		{"room.monitor", "room.monitor", ""},
		{"pci-0000", "alsa_input.pci-0000_00_1f.3.analog-stereo", ""},
		{"Monitor of Null Output", "", "matches 2 devices: \"limber.monitor\", \"room.monitor\""},
		{"alsa_input", "", "matches 2 devices"},
		{"Blue Yeti", "", `no microphone named "Blue Yeti" (there is "alsa_input.pci`},
	} {
		d, err := Find(devs, tc.name)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("Find(%q): %v, want an error saying %q", tc.name, err, tc.err)
			}
			continue
		}
		if err != nil || d.ID != tc.want {
			t.Errorf("Find(%q) = %q, %v; want %q", tc.name, d.ID, err, tc.want)
		}
	}
	var nf *NotFoundError
	if _, err := Find(nil, "usb"); !errors.As(err, &nf) || !strings.Contains(err.Error(), "no capture device at all") {
		t.Errorf("Find in nothing: %v", err)
	}
}

func TestIDString(t *testing.T) {
	for _, tc := range []struct {
		id   []byte
		want string
	}{
		{[]byte("room.monitor\x00\x00\x00"), "room.monitor"},
		{[]byte("hw:CARD=PCH,DEV=0\x00"), "hw:CARD=PCH,DEV=0"},
		{[]byte{0x7b, 0x01, 0x00, 0x00}, "7b01"},
		{[]byte{0, 0, 0}, "00"},
		{[]byte("ab\x00cd"), "61620063 64"[:0] + "6162006364"},
	} {
		if got := idString(tc.id); got != tc.want {
			t.Errorf("idString(%q) = %q, want %q", tc.id, got, tc.want)
		}
	}
}
