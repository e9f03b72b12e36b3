package testtools

import (
	"bufio"
	"net"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/godbus/dbus/v5"
)

// PrivateBus starts a session bus of the test's own (dbus-daemon) and
// returns its address; it stops when the test ends.
func PrivateBus(tb testing.TB) string {
	tb.Helper()
	daemon := RequireTool(tb, "dbus-daemon")
	sock := filepath.Join(tb.TempDir(), "bus")
	cmd := exec.Command(daemon, "--session", "--nofork", "--address=unix:path="+sock, "--print-address=1")
	out, err := cmd.StdoutPipe()
	if err != nil {
		tb.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		tb.Fatalf("dbus-daemon: %v", err)
	}
	return strings.TrimSpace(line)
}

// Shown is a notification a NotificationServer was asked to show.
type Shown struct {
	ID                 uint32
	App, Summary, Body string
	Actions            []string // key, label, key, label, ...
	Expire             int32
}

// NotificationServer is a desktop notification server for tests: it
// owns org.freedesktop.Notifications on a bus and speaks the Desktop
// Notifications Specification, as GNOME's or dunst would, but instead of
// drawing a notification it hands it to the test, which presses its
// buttons (Invoke) or dismisses it.
type NotificationServer struct {
	conn *dbus.Conn
	caps []string
	// Shown receives every notification the server is asked to show.
	Shown chan Shown

	mu     sync.Mutex
	next   uint32
	closed []uint32 // by CloseNotification
}

// StartNotificationServer serves notifications on the bus at address,
// with the capabilities caps ("actions" for buttons, "body").
func StartNotificationServer(tb testing.TB, address string, caps ...string) *NotificationServer {
	tb.Helper()
	conn, err := dbus.Connect(address)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { conn.Close() })
	s := &NotificationServer{conn: conn, caps: caps, Shown: make(chan Shown, 16)}
	if err := conn.ExportMethodTable(map[string]any{
		"GetCapabilities": func() ([]string, *dbus.Error) { return s.caps, nil },
		"GetServerInformation": func() (string, string, string, string, *dbus.Error) {
			return "limber-test", "limber", "1", "1.2", nil
		},
		"Notify": func(app string, replaces uint32, icon, summary, body string, actions []string, hints map[string]dbus.Variant, expire int32) (uint32, *dbus.Error) {
			s.mu.Lock()
			s.next++
			id := s.next
			s.mu.Unlock()
			s.Shown <- Shown{ID: id, App: app, Summary: summary, Body: body, Actions: actions, Expire: expire}
			return id, nil
		},
		"CloseNotification": func(id uint32) *dbus.Error {
			s.mu.Lock()
			s.closed = append(s.closed, id)
			s.mu.Unlock()
			return nil
		},
	}, "/org/freedesktop/Notifications", "org.freedesktop.Notifications"); err != nil {
		tb.Fatal(err)
	}
	reply, err := conn.RequestName("org.freedesktop.Notifications", dbus.NameFlagDoNotQueue)
	if err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
		tb.Fatalf("own org.freedesktop.Notifications: %v, %v", reply, err)
	}
	return s
}

// Invoke presses the button key of notification id, as a person would.
func (s *NotificationServer) Invoke(id uint32, key string) error {
	return s.conn.Emit("/org/freedesktop/Notifications", "org.freedesktop.Notifications.ActionInvoked", id, key)
}

// Dismiss closes notification id as a person would (reason 2).
func (s *NotificationServer) Dismiss(id uint32) error {
	return s.conn.Emit("/org/freedesktop/Notifications", "org.freedesktop.Notifications.NotificationClosed", id, uint32(2))
}

// Closed returns the ids the client took away with CloseNotification.
func (s *NotificationServer) Closed() []uint32 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]uint32(nil), s.closed...)
}

// SilentBus listens on a Unix socket that accepts connections and never
// says a word, as a hung bus daemon (or another program's socket named
// as the bus) does, and returns its address; it closes when the test
// ends.
func SilentBus(tb testing.TB) string {
	tb.Helper()
	sock := filepath.Join(tb.TempDir(), "silent")
	l, err := net.Listen("unix", sock)
	if err != nil {
		tb.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c) // held open, never answered
			mu.Unlock()
		}
	}()
	tb.Cleanup(func() {
		l.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	return "unix:path=" + sock
}
