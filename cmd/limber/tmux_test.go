package main

import (
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// tmux drives a terminal session on its own server socket.
type tmux struct {
	t    *testing.T
	bin  string
	sock string
}

func newTmux(t *testing.T) *tmux {
	t.Helper()
	tm := &tmux{t: t, bin: requireTool(t, "tmux"), sock: filepath.Join(t.TempDir(), "tmux.sock")}
	tm.run("new-session", "-d", "-x", "200", "-y", "10", "sh")
	t.Cleanup(func() { exec.Command(tm.bin, "-S", tm.sock, "kill-server").Run() })
	return tm
}

func (tm *tmux) run(args ...string) string {
	tm.t.Helper()
	out, err := exec.Command(tm.bin, append([]string{"-S", tm.sock}, args...)...).CombinedOutput()
	if err != nil {
		tm.t.Fatalf("tmux %v: %v\n%s", args, err, out)
	}
	return string(out)
}

func (tm *tmux) send(keys ...string) {
	tm.t.Helper()
	tm.run(append([]string{"send-keys", "-t", "0"}, keys...)...)
}

func (tm *tmux) screen() string { tm.t.Helper(); return tm.run("capture-pane", "-p", "-t", "0") }

// waitFor polls the screen until ok says yes; the deadline only guards
// against a hang, it is not a timing requirement.
func (tm *tmux) waitFor(what string, ok func(screen string) bool) string {
	tm.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		s := tm.screen()
		if ok(s) {
			return s
		}
		if time.Now().After(deadline) {
			tm.t.Fatalf("waiting for %s; screen:\n%s", what, s)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func (tm *tmux) waitText(text string) string {
	tm.t.Helper()
	return tm.waitFor(strings.TrimSpace(text), func(s string) bool { return strings.Contains(s, text) })
}

var statusTime = regexp.MustCompile(`(\d\d:\d\d) / \d\d:\d\d`)

// statusLine returns the status line on the screen, "" if none.
func statusLine(screen string) string {
	for _, line := range strings.Split(screen, "\n") {
		if statusTime.MatchString(line) && strings.Contains(line, "q quit") {
			return line
		}
	}
	return ""
}

// checkTerminalRestored asks the shell in the pane for its terminal
// settings after limber exited: echo and canonical mode must be back on.
func (tm *tmux) checkTerminalRestored(marker string) {
	tm.t.Helper()
	tm.send("clear; stty -a | tr ' ' '\\n' | grep -x -e echo -e -echo -e icanon -e -icanon | tr '\\n' ' '; echo "+marker, "Enter")
	// The output line, not the typed command (which also ends in the
	// marker): the two settings, each maybe negated, then the marker.
	out := regexp.MustCompile(`(?m)^(-?(echo|icanon) ){2}` + marker + `$`)
	s := tm.waitFor("stty output", out.MatchString)
	if line := out.FindString(s); line != "echo icanon "+marker && line != "icanon echo "+marker {
		tm.t.Errorf("terminal not restored after limber exited: %q\n%s", line, s)
	}
}

func TestPlay_ControlsInTmux(t *testing.T) {
	card := newSoundCard(t, true)
	tm := newTmux(t)
	start := "HOME=" + card.home + " " + limberBin + " play desk-break; echo exit=$?"
	tm.send(start, "Enter")
	tm.waitFor("the status line", func(s string) bool { return statusLine(s) != "" })

	tm.send("n")
	tm.waitFor("the first stretch", func(s string) bool { return strings.Contains(statusLine(s), "Neck tilts") })
	tm.send("n")
	s := tm.waitFor("the second stretch", func(s string) bool { return strings.Contains(statusLine(s), "Chair rotation") })
	p := planOf(t, nil, "desk-break")
	var chair float64
	for _, e := range p.Events {
		if e.Stretch == "chair-rotation" {
			chair = e.Start
			break
		}
	}
	if at := statusTime.FindStringSubmatch(statusLine(s))[1]; at < clock(chair) {
		t.Errorf("after two skips the status says %s, before chair-rotation starts at %s", at, clock(chair))
	}

	// Paused, the position stands still.
	tm.send("Space")
	s = tm.waitFor("PAUSED", func(s string) bool { return strings.Contains(statusLine(s), "PAUSED") })
	before := statusTime.FindStringSubmatch(statusLine(s))[1]
	time.Sleep(2 * time.Second)
	if after := statusTime.FindStringSubmatch(statusLine(tm.screen()))[1]; after != before {
		t.Errorf("paused at %s, but the status moved on to %s", before, after)
	}
	tm.send("Space")
	tm.waitFor("resume", func(s string) bool { l := statusLine(s); return l != "" && !strings.Contains(l, "PAUSED") })

	// Back, right after the stretch began: the stretch before it. The
	// left arrow works as p does.
	tm.send("Left")
	tm.waitFor("back to the first stretch", func(s string) bool { return strings.Contains(statusLine(s), "Neck tilts") })

	tm.send("+")
	tm.waitFor("louder", func(s string) bool { return strings.Contains(statusLine(s), "vol 110%") })

	tm.send("q")
	tm.waitText("exit=0")
	if strings.Contains(tm.screen(), "q quit") {
		t.Errorf("status line left on screen after quitting:\n%s", tm.screen())
	}
	tm.checkTerminalRestored("after-q")

	// Ctrl-C quits as cleanly.
	tm.send("clear; "+start, "Enter")
	tm.waitFor("the status line", func(s string) bool { return statusLine(s) != "" })
	tm.send("C-c")
	tm.waitText("exit=0")
	tm.checkTerminalRestored("after-ctrl-c")
}

func clock(sec float64) string {
	s := int(sec)
	return string([]byte{byte('0' + s/600), byte('0' + s/60%10), ':', byte('0' + s%60/10), byte('0' + s%10)})
}
