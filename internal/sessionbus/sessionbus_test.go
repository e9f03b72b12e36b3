package sessionbus_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/limber-audio/limber/internal/sessionbus"
	"github.com/limber-audio/limber/internal/testtools"
)

// TestConnect_SilentBusIsGivenUp: a socket that accepts and never speaks
// holds Connect only until the deadline (ErrNoAnswer), or until the
// caller gives up (a signal), never for ever.
func TestConnect_SilentBusIsGivenUp(t *testing.T) {
	addr := testtools.SilentBus(t)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if _, err := sessionbus.Connect(ctx, addr); !errors.Is(err, sessionbus.ErrNoAnswer) {
		t.Errorf("deadline: %v, want ErrNoAnswer", err)
	}
	ctx, cancel = context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	if _, err := sessionbus.Connect(ctx, addr); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v, want context.Canceled", err)
	}
}

// TestConnect_RealBus: a bus that answers gives a connection that
// outlives the context it was made under.
func TestConnect_RealBus(t *testing.T) {
	addr := testtools.PrivateBus(t)
	ctx, cancel := context.WithTimeout(context.Background(), sessionbus.Wait*30) // a guard: the machine may be loaded
	conn, err := sessionbus.Connect(ctx, addr)
	cancel()
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var id string
	if err := conn.BusObject().Call("org.freedesktop.DBus.GetId", 0).Store(&id); err != nil || id == "" {
		t.Errorf("after the context ended: %q, %v", id, err)
	}
}
