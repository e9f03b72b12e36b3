// Package sessionbus finds the D-Bus session bus, for the media controls
// and the notifications, without ever launching one.
package sessionbus

import (
	"os"
	"path/filepath"
)

// Address is the session bus's address: from DBUS_SESSION_BUS_ADDRESS,
// else the socket in XDG_RUNTIME_DIR that systemd starts; "" when there
// is none. Unlike godbus's own lookup it never starts a bus (with
// dbus-launch) where there is none.
func Address() string {
	if a := os.Getenv("DBUS_SESSION_BUS_ADDRESS"); a != "" {
		return a
	}
	if dir := os.Getenv("XDG_RUNTIME_DIR"); dir != "" {
		if st, err := os.Stat(filepath.Join(dir, "bus")); err == nil && st.Mode()&os.ModeSocket != 0 {
			return "unix:path=" + filepath.Join(dir, "bus")
		}
	}
	return ""
}
