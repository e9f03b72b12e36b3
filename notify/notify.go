package notify

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/godbus/dbus/v5"
	"github.com/limber-audio/limber/internal/sessionbus"
)

// The names of the Desktop Notifications Specification.
const (
	busName = "org.freedesktop.Notifications"
	path    = dbus.ObjectPath("/org/freedesktop/Notifications")
	iface   = "org.freedesktop.Notifications"
)

// ErrNoServer means nobody shows notifications: no session bus, or no
// notification server on it.
var ErrNoServer = errors.New("no notification server")

// Action is one button of a notification.
type Action struct {
	Key   string // what Ask returns when it is pressed
	Label string // what the button says
}

// Notification is what Ask shows.
type Notification struct {
	App     string // the application's name, "limber"
	Summary string // one line
	Body    string
	// Actions are the buttons; the first is also what clicking the
	// notification itself does.
	Actions []Action
	// Expire is how long the notification stays; 0 means until it is
	// answered (as far as the server allows), less than 0 as long as the
	// server likes.
	Expire time.Duration
}

// Asker shows a notification and waits for the answer.
type Asker interface {
	// Ask shows n and returns the key of the button pressed, or "" when
	// the notification was dismissed or expired. When ctx ends the
	// notification is taken away and ctx's error returned.
	Ask(ctx context.Context, n Notification) (string, error)
	// Tell shows n and returns at once, for notifications without
	// buttons.
	Tell(n Notification) error
	// Buttons reports whether the notifications show buttons at all.
	Buttons() bool
	Close() error
}

// Bus is a connection to the notification server on the session bus.
// Its methods are not safe for concurrent use.
type Bus struct {
	conn    *dbus.Conn
	obj     dbus.BusObject
	caps    []string
	signals chan *dbus.Signal
}

// callWait bounds each call to the notification server, as D-Bus's own
// default timeout does: a server being started on demand may take
// seconds; one that never answers is given up on.
const callWait = 25 * time.Second

// Connect connects to the notification server on the session bus at
// address ("" finds it as the desktop's own programs do) and checks it
// is there. With no bus or no server the error wraps ErrNoServer; so it
// does for a bus that does not let limber in within sessionbus.Wait, or
// a server that does not answer within callWait. It gives up when ctx is
// done.
func Connect(ctx context.Context, address string) (*Bus, error) {
	if address == "" {
		address = sessionbus.Address()
	}
	if address == "" {
		return nil, fmt.Errorf("%w: no D-Bus session bus", ErrNoServer)
	}
	wait, cancel := context.WithTimeout(ctx, sessionbus.Wait)
	defer cancel()
	conn, err := sessionbus.Connect(wait, address)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("%w: session bus: %v", ErrNoServer, err)
	}
	b := &Bus{conn: conn, obj: conn.Object(busName, path), signals: make(chan *dbus.Signal, 16)}
	ctx, cancel = context.WithTimeout(ctx, callWait)
	defer cancel()
	// GetCapabilities starts a server the bus knows how to start, and
	// fails when there is none.
	if err := b.obj.CallWithContext(ctx, iface+".GetCapabilities", 0).Store(&b.caps); err != nil {
		conn.Close()
		return nil, fmt.Errorf("%w on the session bus (%s): %v", ErrNoServer, busName, err)
	}
	var owner string
	if err := conn.BusObject().CallWithContext(ctx, "org.freedesktop.DBus.GetNameOwner", 0, busName).Store(&owner); err != nil {
		conn.Close()
		return nil, fmt.Errorf("%w: %v", ErrNoServer, err)
	}
	// Only the server's own signals count: another program on the bus
	// cannot press a button.
	if err := conn.AddMatchSignalContext(ctx, dbus.WithMatchSender(owner), dbus.WithMatchObjectPath(path), dbus.WithMatchInterface(iface)); err != nil {
		conn.Close()
		return nil, fmt.Errorf("notify: %w", err)
	}
	conn.Signal(b.signals)
	return b, nil
}

// call calls method of the server, giving up after callWait.
func (b *Bus) call(method string, args ...any) *dbus.Call {
	ctx, cancel := context.WithTimeout(context.Background(), callWait)
	defer cancel()
	return b.obj.CallWithContext(ctx, method, 0, args...)
}

// Buttons implements Asker: the server has the "actions" capability.
func (b *Bus) Buttons() bool { return slices.Contains(b.caps, "actions") }

// Close implements Asker.
func (b *Bus) Close() error { return b.conn.Close() }

// Tell implements Asker.
func (b *Bus) Tell(n Notification) error {
	n.Actions, n.Expire = nil, -time.Millisecond
	_, err := b.notify(n)
	return err
}

// notify shows n and returns its id.
func (b *Bus) notify(n Notification) (uint32, error) {
	var actions []string
	for i, a := range n.Actions {
		if i == 0 {
			actions = append(actions, "default", a.Label)
		}
		actions = append(actions, a.Key, a.Label)
	}
	hints := map[string]dbus.Variant{"urgency": dbus.MakeVariant(byte(1))}
	var id uint32
	expire := int32(max(n.Expire/time.Millisecond, -1))
	if err := b.call(iface+".Notify", n.App, uint32(0), "", n.Summary, n.Body, actions, hints, expire).Store(&id); err != nil {
		return 0, fmt.Errorf("notify: %w", err)
	}
	return id, nil
}

// Ask implements Asker.
func (b *Bus) Ask(ctx context.Context, n Notification) (string, error) {
	// Not cancelled with ctx: a notification shown must be known, to be
	// taken away.
	id, err := b.notify(n)
	if err != nil {
		return "", err
	}
	for {
		select {
		case <-ctx.Done():
			b.call(iface+".CloseNotification", id)
			return "", ctx.Err()
		case sig, ok := <-b.signals:
			if !ok {
				return "", errors.New("notify: the session bus went away")
			}
			if len(sig.Body) < 2 {
				continue
			}
			if got, ok := sig.Body[0].(uint32); !ok || got != id {
				continue
			}
			switch sig.Name {
			case iface + ".ActionInvoked":
				key, _ := sig.Body[1].(string)
				if key == "default" && len(n.Actions) > 0 {
					key = n.Actions[0].Key
				}
				// Most servers take it away themselves; some keep it.
				b.call(iface+".CloseNotification", id)
				return key, nil
			case iface + ".NotificationClosed":
				return "", nil
			}
		}
	}
}
