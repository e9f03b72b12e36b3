package remind

import (
	"context"
	"encoding/xml"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/limber-audio/limber/internal/testtools"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func TestParseSchedule(t *testing.T) {
	tests := []struct {
		in    string
		times string // Times, or the error's start
	}{
		{"daily 07:30", "[07:30]"},
		{"daily 00:00", "[00:00]"},
		{"every 1h between 09:00-17:00", "[09:00 10:00 11:00 12:00 13:00 14:00 15:00 16:00 17:00]"},
		{"every 45m between 09:00-12:00", "[09:00 09:45 10:30 11:15 12:00]"},
		{"every 1h30m between 08:15-12:00", "[08:15 09:45 11:15]"},
		{"every 12h between 00:00-23:59", "[00:00 12:00]"},
		{"daily 24:00", "want a time of day from 00:00 to 23:59"},
		{"daily 7:30", "want a schedule like"},
		{"daily +7:30", "want a schedule like"},
		{"daily 07:3x", "want a schedule like"},
		{"every 5m between 09:00-17:00", "every must be whole minutes from 10m to 12h"},
		{"every 90s between 09:00-17:00", "every must be whole minutes"},
		{"every 13h between 09:00-17:00", "every must be whole minutes"},
		{"every 1h between 17:00-09:00", "between must go from an earlier"},
		{"every 1h between 09:00-09:00", "between must go from an earlier"},
		{"every -1h between 09:00-17:00", "every must be whole minutes"},
		{"hourly", "want a schedule like"},
	}
	for _, tt := range tests {
		s, err := ParseSchedule(tt.in)
		if err != nil {
			if !strings.Contains(err.Error(), tt.times) {
				t.Errorf("%q: error %q, want %q", tt.in, err, tt.times)
			}
			continue
		}
		if got := fmt.Sprint(s.Times()); got != tt.times {
			t.Errorf("%q: times %s, want %s", tt.in, got, tt.times)
		}
		if s.String() != tt.in {
			t.Errorf("%q: written back as %q", tt.in, s.String())
		}
	}
}

func TestParseWindow(t *testing.T) {
	for in, want := range map[string]string{
		"09:00-17:00": "09:00 17:00",
		"17:00-09:00": "the hours must go from an earlier",
		"09:00":       "want the hours as HH:MM-HH:MM",
		"9-17":        "want a time of day as HH:MM",
	} {
		from, to, err := ParseWindow(in)
		got := fmt.Sprint(from, " ", to)
		if err != nil {
			got = err.Error()
		}
		if !strings.HasPrefix(got, want) {
			t.Errorf("%q: %q, want %q", in, got, want)
		}
	}
}

// reminders are the golden cases: a daily one, and a repeating one
// whose command holds a space, a quote, % and $, which systemd would
// otherwise read as separators, specifiers and variables.
func reminders(t *testing.T, bin string) []Reminder {
	t.Helper()
	every, err := Repeating(45*time.Minute, 9*60, 17*60)
	if err != nil {
		t.Fatal(err)
	}
	return []Reminder{
		{Name: "morning", Schedule: Daily(7*60 + 30), Command: []string{bin, "nudge", "morning"}},
		{Name: "desk-break", Schedule: every, Command: []string{bin, "nudge", "desk-break", "--routines", `/home/me/my "100%" $HOME.json`}},
	}
}

func TestUnits_Golden(t *testing.T) {
	for _, r := range reminders(t, "/usr/local/bin/limber") {
		timer, err := Timer(r)
		if err != nil {
			t.Fatal(err)
		}
		service, err := Service(r)
		if err != nil {
			t.Fatal(err)
		}
		plist, err := Plist(r)
		if err != nil {
			t.Fatal(err)
		}
		testtools.Golden(t, filepath.Join("testdata", r.Name+".timer"), []byte(timer), *update)
		testtools.Golden(t, filepath.Join("testdata", r.Name+".service"), []byte(service), *update)
		testtools.Golden(t, filepath.Join("testdata", r.Name+".plist"), []byte(plist), *update)
		if s, err := ReadTimer(timer); err != nil || s != r.Schedule {
			t.Errorf("%s: timer read back as %v, %v", r.Name, s, err)
		}
		if s, err := ReadPlist(plist); err != nil || s != r.Schedule {
			t.Errorf("%s: plist read back as %v, %v", r.Name, s, err)
		}
		// The property list is well-formed XML with the command's words
		// intact.
		var doc struct {
			Strings []string `xml:"dict>array>string"`
		}
		if err := xml.Unmarshal([]byte(plist), &doc); err != nil {
			t.Errorf("%s: plist: %v", r.Name, err)
		} else if fmt.Sprint(doc.Strings) != fmt.Sprint(r.Command) {
			t.Errorf("%s: plist command %q, want %q", r.Name, doc.Strings, r.Command)
		}
	}
}

// TestUnits_SystemdAccepts runs systemd-analyze verify on the units, as
// a user's systemd would load them, with ExecStart naming a program
// whose path needs quoting: systemd must find it and say nothing.
func TestUnits_SystemdAccepts(t *testing.T) {
	analyze := testtools.RequireTool(t, "systemd-analyze")
	dir := t.TempDir()
	bin := filepath.Join(dir, "my tools", "limber 100%")
	os.MkdirAll(filepath.Dir(bin), 0o755)
	if err := os.Symlink("/bin/true", bin); err != nil {
		t.Fatal(err)
	}
	var units []string
	for _, r := range reminders(t, bin) {
		timer, _ := Timer(r)
		service, _ := Service(r)
		for ext, content := range map[string]string{".timer": timer, ".service": service} {
			path := filepath.Join(dir, UnitName(r.Name)+ext)
			os.WriteFile(path, []byte(content), 0o644)
			units = append(units, path)
		}
	}
	cmd := exec.Command(analyze, append([]string{"--user", "verify", "--man=no"}, units...)...)
	cmd.Env = append(os.Environ(), "XDG_RUNTIME_DIR="+t.TempDir()) // --user needs one
	out, err := cmd.CombinedOutput()
	if err != nil || len(out) > 0 {
		t.Errorf("systemd-analyze verify: %v\n%s", err, out)
	}
	// And it does complain about a unit it cannot run, so silence means
	// something.
	os.Remove(bin)
	out, err = exec.Command(analyze, "--user", "verify", "--man=no", units[1]).CombinedOutput()
	if err == nil && len(out) == 0 {
		t.Error("systemd-analyze verify accepts a service whose program is missing")
	}
}

// TestManager_RoundTrip adds, lists and removes reminders in a folder of
// its own. No user service manager runs in the test, so the commands
// that would turn them on are handed back.
func TestManager_RoundTrip(t *testing.T) {
	ctx := context.Background()
	m := &Manager{System: Systemd, Dir: filepath.Join(t.TempDir(), "systemd", "user")}
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent")
	t.Setenv("XDG_RUNTIME_DIR", t.TempDir())
	rs := reminders(t, "/usr/local/bin/limber")
	for _, r := range rs {
		res, err := m.Add(ctx, r)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Files) != 2 || len(res.Pending) != 2 || res.Pending[1][3] != "--now" || res.Pending[1][4] != UnitName(r.Name)+".timer" {
			t.Errorf("add %s: %+v", r.Name, res)
		}
	}
	// What enable would have linked.
	os.MkdirAll(filepath.Join(m.Dir, "timers.target.wants"), 0o755)
	os.Symlink(filepath.Join(m.Dir, "limber-remind-morning.timer"), filepath.Join(m.Dir, "timers.target.wants", "limber-remind-morning.timer"))
	list, err := m.List()
	if err != nil || len(list) != 2 || list[0].Name != "desk-break" || list[0].Schedule != rs[1].Schedule || list[1].Name != "morning" || list[1].Err != nil {
		t.Fatalf("list: %+v, %v", list, err)
	}
	res, err := m.Remove(ctx, "morning")
	if err != nil || len(res.Files) != 3 {
		t.Errorf("remove: %+v, %v", res, err)
	}
	if _, err := m.Remove(ctx, "morning"); err == nil {
		t.Error("removed morning twice")
	}
	list, _ = m.List()
	if len(list) != 1 || list[0].Name != "desk-break" {
		t.Errorf("after removing morning: %+v", list)
	}
	m.Remove(ctx, "desk-break")
	if names := testtools.DirNames(t, m.Dir); len(names) != 1 || names[0] != "timers.target.wants" {
		t.Errorf("left in the folder: %v", names)
	}
	if names := testtools.DirNames(t, filepath.Join(m.Dir, "timers.target.wants")); len(names) != 0 {
		t.Errorf("left linked: %v", names)
	}
}

func FuzzParseSchedule(f *testing.F) {
	for _, s := range []string{"daily 07:30", "every 1h between 09:00-17:00", "every 45m between 09:00-12:00", "every 1h1m1s between 00:00-23:59"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		testtools.AllocBudget(t, 16*uint64(len(text))+64<<10, func() {
			s, err := ParseSchedule(text)
			if err != nil {
				return
			}
			if n := len(s.Times()); n < 1 || n > 24*6+1 {
				t.Errorf("%q fires %d times a day", text, n)
			}
			if again, err := ParseSchedule(s.String()); err != nil || again != s {
				t.Errorf("%q written as %q reads back as %v, %v", text, s, again, err)
			}
		})
	})
}
