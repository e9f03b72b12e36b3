package notify

import (
	"context"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// Dialog asks with a dialog shown by osascript (macOS), which has up to
// three buttons and, unlike a notification there, reports which one was
// pressed.
type Dialog struct{}

// dialogScript shows the dialog; the words come as arguments, never as
// script, so quotes in them do no harm.
const dialogScript = `on run argv
	set answer to display dialog (item 2 of argv) with title (item 1 of argv) buttons (items 4 thru -1 of argv) default button (item 4 of argv) giving up after ((item 3 of argv) as integer)
	if gave up of answer then return ""
	return button returned of answer
end run`

// Buttons implements Asker.
func (Dialog) Buttons() bool { return true }

// Close implements Asker.
func (Dialog) Close() error { return nil }

// Tell implements Asker with a notification of macOS's own.
func (Dialog) Tell(n Notification) error {
	script := `on run argv
	display notification (item 2 of argv) with title (item 1 of argv)
end run`
	if err := exec.Command("osascript", "-e", script, n.Summary, n.Body).Run(); err != nil {
		return fmt.Errorf("%w: osascript: %v", ErrNoServer, err)
	}
	return nil
}

// Ask implements Asker. The first action is the default button.
func (Dialog) Ask(ctx context.Context, n Notification) (string, error) {
	if len(n.Actions) == 0 || len(n.Actions) > 3 {
		return "", fmt.Errorf("notify: a dialog has 1 to 3 buttons, not %d", len(n.Actions))
	}
	wait := n.Expire
	if wait <= 0 {
		wait = 24 * time.Hour
	}
	args := []string{"-e", dialogScript, n.Summary, n.Body, strconv.Itoa(int(wait / time.Second))}
	for _, a := range n.Actions {
		args = append(args, a.Label)
	}
	out, err := exec.CommandContext(ctx, "osascript", args...).Output()
	if ctx.Err() != nil {
		return "", ctx.Err()
	}
	if err != nil {
		return "", fmt.Errorf("%w: osascript: %v", ErrNoServer, err)
	}
	label := strings.TrimSpace(string(out))
	for _, a := range n.Actions {
		if a.Label == label {
			return a.Key, nil
		}
	}
	return "", nil
}
