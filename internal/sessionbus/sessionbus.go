// Package sessionbus finds the D-Bus session bus, for the media controls
// and the notifications, without ever launching one, and connects to it
// without ever waiting on it for longer than the caller allows.
package sessionbus

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/godbus/dbus/v5"
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

// Wait is how long limber waits for the session bus to let it in: a bus
// that has not answered by then is given up on.
const Wait = time.Second

// ErrNoAnswer reports a bus that did not let limber in before the
// caller's deadline.
var ErrNoAnswer = errors.New("the session bus did not answer")

// Connect connects to the bus at address, authenticates and says Hello,
// giving up when ctx is done: godbus's own Connect has no deadline, and a
// socket that accepts and never speaks (or one that speaks another
// protocol, such as PulseAudio's) would hold it for ever. A deadline of
// ctx is reported as ErrNoAnswer. The connection outlives ctx; it is the
// caller's to close.
func Connect(ctx context.Context, address string) (*dbus.Conn, error) {
	// The connection lives in a context of its own, ended here to give
	// up (godbus then closes the socket under its handshake) or by
	// closing the connection.
	life, end := context.WithCancel(context.Background())
	type result struct {
		conn *dbus.Conn
		err  error
	}
	done := make(chan result, 1)
	go func() {
		conn, err := dbus.Connect(address, dbus.WithContext(life))
		done <- result{conn, err}
	}()
	select {
	case r := <-done:
		if r.err != nil {
			end()
			return nil, r.err
		}
		context.AfterFunc(r.conn.Context(), end)
		return r.conn, nil
	case <-ctx.Done():
		end()
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return nil, fmt.Errorf("%w in time", ErrNoAnswer)
		}
		return nil, ctx.Err()
	}
}
