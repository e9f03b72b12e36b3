package notify_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/limber-audio/limber/notify"
)

// Asking whether to stretch now, on the desktop's session bus.
func Example() {
	bus, err := notify.Connect(context.Background(), "")
	if errors.Is(err, notify.ErrNoServer) {
		fmt.Println("nobody shows notifications here")
		return
	}
	if err != nil {
		panic(err)
	}
	defer bus.Close()
	answer, err := bus.Ask(context.Background(), notify.Notification{
		App: "limber", Summary: "Time to stretch: Desk break", Body: "Desk break takes 2:40.",
		Actions: []notify.Action{{Key: "start", Label: "Start"}, {Key: "later", Label: "Later"}},
	})
	if err != nil {
		panic(err)
	}
	fmt.Println("the answer:", answer) // "start", "later", or "" when dismissed
}
