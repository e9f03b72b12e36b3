//go:build linux

package main

import (
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/limber-audio/limber/internal/testtools"
)

// nextShown waits for the next notification the server is asked to show.
func nextShown(t *testing.T, srv *testtools.NotificationServer) testtools.Shown {
	t.Helper()
	select {
	case n := <-srv.Shown:
		return n
	case <-time.After(30 * time.Second): // a guard against a hang
		t.Fatal("no notification shown")
	}
	return testtools.Shown{}
}

// TestNudge_StartPlays: limber nudge asks through the notification
// server on the session bus; Start plays the routine (the sound card
// receives it, the session is on the bus as a media player) and the
// session is recorded.
func TestNudge_StartPlays(t *testing.T) {
	slow(t)
	bus := testtools.PrivateBus(t)
	srv := testtools.StartNotificationServer(t, bus, "actions", "body")
	card := newSoundCard(t, true)
	state := t.TempDir()
	routines := writeFile(t, "tiny.json", tinyRoutine)
	cmd := exec.Command(program(t), "nudge", "tiny", "--routines", routines)
	cmd.Env = append(os.Environ(), "HOME="+card.home, "XDG_STATE_HOME="+state, "DBUS_SESSION_BUS_ADDRESS="+bus)
	var stderr syncBuffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	n := nextShown(t, srv)
	if n.App != "limber" || n.Summary != "Time to stretch: Tiny" || !strings.HasPrefix(n.Body, "Tiny takes 0:") ||
		strings.Join(n.Actions, " ") != "default Start start Start later Later" {
		t.Errorf("shown %+v", n)
	}
	if len(card.frames()) != 0 {
		t.Fatal("sound before Start")
	}
	srv.Invoke(n.ID, "start")
	eventually(t, "the routine playing, on the bus", func() bool { return playerctl(t, bus, "-p", "limber", "status") == "Playing" })
	eventually(t, "sound at the card", func() bool { return len(card.frames()) > 0 })
	playerctl(t, bus, "-p", "limber", "stop")
	if err := cmd.Wait(); err != nil {
		t.Errorf("after Stop: %v\n%s", err, stderr.String())
	}
	if es := entriesIn(t, state); len(es) != 1 || es[0].Routine != "tiny" || es[0].Played <= 0 {
		t.Errorf("log: %+v", es)
	}
}

// TestNudge_LaterAsksAgain: Later puts the question off by --later and
// asks again; dismissing it ends the nudge with nothing played.
func TestNudge_LaterAsksAgain(t *testing.T) {
	slow(t)
	bus := testtools.PrivateBus(t)
	srv := testtools.StartNotificationServer(t, bus, "actions", "body")
	card := newSoundCard(t, false)
	state := t.TempDir()
	cmd := exec.Command(program(t), "nudge", "desk-break", "--later", "1s")
	cmd.Env = append(os.Environ(), "HOME="+card.home, "XDG_STATE_HOME="+state, "DBUS_SESSION_BUS_ADDRESS="+bus)
	var stdout syncBuffer
	cmd.Stdout = &stdout
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	first := nextShown(t, srv)
	pressed := time.Now()
	srv.Invoke(first.ID, "later")
	second := nextShown(t, srv)
	if waited := time.Since(pressed); waited < time.Second {
		t.Errorf("asked again after %s, before --later's 1s", waited)
	}
	if second.ID == first.ID || second.Summary != first.Summary {
		t.Errorf("second notification %+v after %+v", second, first)
	}
	srv.Dismiss(second.ID)
	if err := cmd.Wait(); err != nil {
		t.Errorf("dismissed: %v", err)
	}
	if !strings.HasPrefix(stdout.String(), "asking again at ") || len(card.frames()) != 0 {
		t.Errorf("stdout %q, %d frames played", stdout.String(), len(card.frames()))
	}
	if es := entriesIn(t, state); len(es) != 0 {
		t.Errorf("log: %+v", es)
	}
}

// TestNudge_NoServer: without a notification server (a bus with none, or
// no bus at all) nudge says so in one line and exits 1.
func TestNudge_NoServer(t *testing.T) {
	for name, env := range map[string][]string{
		"no server on the bus": {"DBUS_SESSION_BUS_ADDRESS=" + testtools.PrivateBus(t)},
		"no bus":               {"DBUS_SESSION_BUS_ADDRESS=", "XDG_RUNTIME_DIR="},
	} {
		_, stderr, code := limberProc(t, env, "nudge", "desk-break")
		if code != 1 || strings.Count(stderr, "\n") != 1 || !strings.HasPrefix(stderr, "limber: no notification server") {
			t.Errorf("%s: exit %d, stderr %q; want 1 and one line", name, code, stderr)
		}
	}
	if _, stderr, code := limberProc(t, nil, "nudge", "dsk-break"); code != 2 || !strings.Contains(stderr, "did you mean desk-break") {
		t.Errorf("unknown name: exit %d, %q", code, stderr)
	}
}

// TestNudge_NoButtons: a server that shows no buttons gets a
// notification saying what to run.
func TestNudge_NoButtons(t *testing.T) {
	bus := testtools.PrivateBus(t)
	srv := testtools.StartNotificationServer(t, bus, "body")
	if _, stderr, code := limberProc(t, []string{"DBUS_SESSION_BUS_ADDRESS=" + bus}, "nudge", "desk-break"); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if n := nextShown(t, srv); len(n.Actions) != 0 || !strings.HasSuffix(n.Body, "Run: limber play desk-break") {
		t.Errorf("shown %+v", n)
	}
}

// TestRemind_UnitsForThisLimber: limber remind writes units that
// systemd accepts, naming this limber binary, and --list and --off go
// round in a configuration folder of the test's own.
func TestRemind_UnitsForThisLimber(t *testing.T) {
	slow(t)
	analyze := requireTool(t, "systemd-analyze")
	config := t.TempDir()
	env := []string{"XDG_CONFIG_HOME=" + config, "XDG_RUNTIME_DIR=" + t.TempDir()}
	routines := writeFile(t, "tiny.json", tinyRoutine)
	for _, args := range [][]string{
		{"--daily", "07:30", "upper-back"},
		{"--every", "1h", "--between", "09:00-17:00", "desk-break"},
		{"--every", "45m", "--between", "13:00-15:00", "tiny", "--routines", routines},
	} {
		stdout, stderr, code := limberProc(t, env, append([]string{"remind"}, args...)...)
		if code != 0 || !strings.Contains(stdout, "to turn it on, run:\n  systemctl --user daemon-reload\n  systemctl --user enable --now limber-remind-") {
			t.Fatalf("remind %v: exit %d\n%s%s", args, code, stdout, stderr)
		}
	}
	units, _ := os.ReadDir(config + "/systemd/user")
	var paths []string
	for _, u := range units {
		paths = append(paths, config+"/systemd/user/"+u.Name())
	}
	if len(paths) != 6 {
		t.Fatalf("units: %v", paths)
	}
	verify := exec.Command(analyze, append([]string{"--user", "verify", "--man=no"}, paths...)...)
	verify.Env = append(os.Environ(), env...)
	if out, err := verify.CombinedOutput(); err != nil || len(out) > 0 {
		t.Errorf("systemd-analyze verify: %v\n%s", err, out)
	}
	service, _ := os.ReadFile(config + "/systemd/user/limber-remind-tiny.service")
	if want := `ExecStart="` + program(t) + `" "nudge" "tiny" "--routines" "` + routines + `"`; !strings.Contains(string(service), want) {
		t.Errorf("service:\n%s\nwant %s", service, want)
	}

	list := func() string { out, _, _ := limber(t, env, "remind", "--list"); return out }
	for _, want := range []string{"desk-break  every 1h between 09:00-17:00  ", "tiny        every 45m between 13:00-15:00  ", "upper-back  daily 07:30  "} {
		if !strings.Contains(list(), want) {
			t.Errorf("--list lacks %q:\n%s", want, list())
		}
	}
	if _, stderr, code := limber(t, env, "remind", "--off", "desk-brake"); code != 2 || !strings.Contains(stderr, `no reminder named "desk-brake" (did you mean desk-break?)`) {
		t.Errorf("--off a typo: exit %d, %s", code, stderr)
	}
	if out, _, code := limber(t, env, "remind", "--off", "desk-break"); code != 0 || !strings.HasPrefix(out, "desk-break: off\n") {
		t.Errorf("--off desk-break: %d %s", code, out)
	}
	if got := list(); strings.Contains(got, "desk-break") || !strings.Contains(got, "upper-back") {
		t.Errorf("after --off desk-break:\n%s", got)
	}
	limber(t, env, "remind", "--off")
	if got := list(); got != "No reminders.\n" {
		t.Errorf("after --off:\n%s", got)
	}
	if left, _ := os.ReadDir(config + "/systemd/user"); len(left) != 0 {
		t.Errorf("left behind: %v", left)
	}

	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"remind", "desk-break"}, "limber: remind: say when: --daily HH:MM, or --every DURATION --between HH:MM-HH:MM"},
		{[]string{"remind", "--every", "5m", "--between", "09:00-10:00", "desk-break"}, "limber: --every: every must be whole minutes from 10m to 12h, got 5m0s"},
		{[]string{"remind", "--daily", "07:30", "--every", "1h", "desk-break"}, "limber: remind: --daily and --every do not go together"},
		{[]string{"remind", "--list", "--off"}, "limber: remind: --list, --off and a schedule do not go together"},
		{[]string{"remind", "--daily", "07:30", "Desk Break"}, "limber: a reminder's name is a routine or stretch id"},
	} {
		if _, stderr, code := limber(t, env, tc.args...); code != 2 || !strings.HasPrefix(stderr, tc.want) {
			t.Errorf("%v: exit %d, %q; want 2 and %q", tc.args, code, stderr, tc.want)
		}
	}
}
