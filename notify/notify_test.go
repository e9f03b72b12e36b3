package notify

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"
	"github.com/limber-audio/limber/internal/testtools"
)

var question = Notification{
	App: "limber", Summary: "Time to stretch", Body: "Desk break, 2:40",
	Actions: []Action{{"start", "Start"}, {"later", "Later"}},
}

// ask runs Ask on its own goroutine and returns what the server was
// asked to show, and where the answer will come.
func ask(t *testing.T, b *Bus, srv *testtools.NotificationServer, ctx context.Context) (testtools.Shown, chan string) {
	t.Helper()
	answer := make(chan string, 1)
	go func() {
		key, err := b.Ask(ctx, question)
		if err != nil {
			key = "error: " + err.Error()
		}
		answer <- key
	}()
	select {
	case n := <-srv.Shown:
		return n, answer
	case <-time.After(30 * time.Second): // a guard against a hang
		t.Fatal("nothing shown")
	}
	return testtools.Shown{}, nil
}

func TestBus_AsksAndHearsTheAnswer(t *testing.T) {
	bus := testtools.PrivateBus(t)
	srv := testtools.StartNotificationServer(t, bus, "actions", "body")
	b, err := Connect(context.Background(), bus)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if !b.Buttons() {
		t.Error("no buttons, though the server has actions")
	}
	ctx := context.Background()

	n, answer := ask(t, b, srv, ctx)
	if n.App != "limber" || n.Summary != question.Summary || n.Body != question.Body || n.Expire != 0 ||
		fmt.Sprint(n.Actions) != "[default Start start Start later Later]" {
		t.Errorf("shown %+v", n)
	}
	srv.Invoke(n.ID, "later")
	if got := <-answer; got != "later" {
		t.Errorf("Later pressed: %q", got)
	}
	if !slices.Contains(srv.Closed(), n.ID) {
		t.Error("the answered notification was left up")
	}

	n, answer = ask(t, b, srv, ctx)
	srv.Invoke(n.ID, "default") // a click on the notification itself
	if got := <-answer; got != "start" {
		t.Errorf("notification clicked: %q, want the first action", got)
	}

	// Another program on the bus cannot answer for the person, and an
	// answer to another notification is not this one's.
	n, answer = ask(t, b, srv, ctx)
	other, err := dbus.Connect(bus)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	other.Emit("/org/freedesktop/Notifications", "org.freedesktop.Notifications.ActionInvoked", n.ID, "start")
	srv.Invoke(n.ID+100, "start")
	srv.Dismiss(n.ID)
	if got := <-answer; got != "" {
		t.Errorf("dismissed: %q, want no answer", got)
	}

	// Giving up takes the notification away.
	cctx, cancel := context.WithCancel(ctx)
	n, answer = ask(t, b, srv, cctx)
	cancel()
	if got := <-answer; got != "error: "+context.Canceled.Error() {
		t.Errorf("cancelled: %q", got)
	}
	if !slices.Contains(srv.Closed(), n.ID) {
		t.Error("a cancelled notification was left up")
	}
}

func TestConnect_NoServer(t *testing.T) {
	bus := testtools.PrivateBus(t)
	for name, addr := range map[string]string{
		"a bus without a server": bus,
		"no bus":                 "unix:path=/nonexistent/bus",
	} {
		if _, err := Connect(context.Background(), addr); !errors.Is(err, ErrNoServer) {
			t.Errorf("%s: %v, want ErrNoServer", name, err)
		}
	}
}

func TestBus_NoButtons(t *testing.T) {
	bus := testtools.PrivateBus(t)
	testtools.StartNotificationServer(t, bus, "body")
	b, err := Connect(context.Background(), bus)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if b.Buttons() {
		t.Error("buttons, though the server has no actions")
	}
}
