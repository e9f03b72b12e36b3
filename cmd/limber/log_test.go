//go:build linux

package main

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/limber-audio/limber/history"
	"github.com/limber-audio/limber/internal/testtools"
	"github.com/limber-audio/limber/player/routine"
)

// entriesIn reads the practice log under the state folder state.
func entriesIn(t *testing.T, state string) []history.Entry {
	t.Helper()
	var out []history.Entry
	d, err := history.Read(filepath.Join(state, "limber", history.FileName), func(e history.Entry) error {
		out = append(out, e)
		return nil
	})
	if err != nil || d.Lines > 0 {
		t.Fatalf("reading the log: %v, %d damaged lines", err, d.Lines)
	}
	return out
}

// firstSoundAt returns the sample offset of the first sound in the
// export of args: where the card's recording begins.
func firstSoundAt(t *testing.T, args ...string) int {
	t.Helper()
	data, err := os.ReadFile(export(t, args...))
	if err != nil {
		t.Fatal(err)
	}
	for i := 44; i+2 <= len(data); i += 2 {
		if binary.LittleEndian.Uint16(data[i:]) != 0 {
			return (i - 44) / 2
		}
	}
	t.Fatal("silent export")
	return 0
}

// heard returns, in samples of the timeline, the end of the last sound
// the card received and the end of all it received.
func (c *soundCard) heard(first int) (lastSound, all int) {
	frames := c.allFrames()
	last := len(frames) - 1
	for last >= 0 && frames[last] == [2]int16{} {
		last--
	}
	return first + last + 1, first + len(frames)
}

// checkPlayed checks a stopped session's played seconds against what the
// card received: everything heard was played, and nothing was played
// that the card did not receive, but for what sat in the buffers on the
// way to it when the session stopped (the speaker's 70 ms, ALSA's ring
// buffer: 0.23 s was seen).
func checkPlayed(t *testing.T, card *soundCard, first int, e history.Entry) {
	t.Helper()
	lastSound, all := card.heard(first)
	low, high := float64(lastSound)/44100-0.01, float64(all)/44100+0.5
	if e.Played < low || e.Played > high {
		t.Errorf("played %.2f s; the card heard sound up to %.2f s and received %.2f s in all", e.Played, low, high-0.5)
	}
	if e.Finished || e.Played >= e.Planned {
		t.Errorf("a stopped session recorded as finished: %+v", e)
	}
}

// waitHeard waits until the card received sec seconds from the first
// sound on.
func (c *soundCard) waitHeard(t *testing.T, sec float64) {
	t.Helper()
	eventually(t, fmt.Sprintf("%.1f s of sound at the card", sec), func() bool { return len(c.allFrames()) >= int(sec*44100) })
}

// TestLog_PlayRecordsEverySession: a session is recorded however it
// ends (played to the end, q, Ctrl-C, SIGTERM, the desktop's Stop
// button), with the seconds the card received.
func TestLog_PlayRecordsEverySession(t *testing.T) {
	slow(t)
	routines := writeFile(t, "tiny.json", tinyRoutine)
	first := firstSoundAt(t, "tiny", "--routines", routines)

	t.Run("finished", func(t *testing.T) {
		state := t.TempDir()
		card := newSoundCard(t, false)
		if _, stderr, code := limberProc(t, []string{"HOME=" + card.home, "XDG_STATE_HOME=" + state}, "play", "tiny", "--routines", routines); code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		es := entriesIn(t, state)
		if len(es) != 1 {
			t.Fatalf("%d entries", len(es))
		}
		e := es[0]
		plan := planOf(t, nil, "tiny", "--routines", routines)
		if !e.Finished || e.Routine != "tiny" || e.Name != "Tiny" || math.Abs(e.Played-plan.Duration) > 0.01 || math.Abs(e.Planned-plan.Duration) > 0.01 {
			t.Errorf("entry %+v; want tiny finished, %.2f s planned and played", e, plan.Duration)
		}
		if len(e.Stretches) != 1 || e.Stretches[0].ID != "tilt" || !e.Stretches[0].Done {
			t.Errorf("stretches %+v, want tilt done", e.Stretches)
		}
		if _, offset := e.Start.Zone(); e.Start.IsZero() || time.Since(e.Start) > time.Minute || offset != func() int { _, o := time.Now().Zone(); return o }() {
			t.Errorf("start %v", e.Start)
		}
	})

	for _, key := range []string{"q", "C-c"} {
		t.Run("key "+key, func(t *testing.T) {
			state := t.TempDir()
			card := newSoundCard(t, true)
			tm := newTmux(t)
			tm.send("XDG_STATE_HOME="+state+" HOME="+card.home+" "+program(t)+" play tiny --routines "+routines+"; echo exit=$?", "Enter")
			card.waitHeard(t, 1.5)
			tm.send(key)
			want := map[string]string{"q": "exit=0", "C-c": "exit=130"}[key]
			tm.waitText(want)
			es := entriesIn(t, state)
			if len(es) != 1 {
				t.Fatalf("%d entries", len(es))
			}
			checkPlayed(t, card, first, es[0])
		})
	}

	t.Run("SIGTERM", func(t *testing.T) {
		state := t.TempDir()
		card := newSoundCard(t, true)
		cmd := exec.Command(program(t), "play", "tiny", "--routines", routines)
		cmd.Env = append(os.Environ(), "HOME="+card.home, "XDG_STATE_HOME="+state)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		card.waitHeard(t, 1.5)
		cmd.Process.Signal(syscall.SIGTERM)
		var ee *exec.ExitError
		if err := cmd.Wait(); !errors.As(err, &ee) || ee.ExitCode() != 143 {
			t.Errorf("%v, want exit 143", err)
		}
		es := entriesIn(t, state)
		if len(es) != 1 {
			t.Fatalf("%d entries", len(es))
		}
		checkPlayed(t, card, first, es[0])
	})

	t.Run("MPRIS Stop", func(t *testing.T) {
		bus := testtools.PrivateBus(t)
		state := t.TempDir()
		card := newSoundCard(t, true)
		cmd := exec.Command(program(t), "play", "tiny", "--routines", routines)
		cmd.Env = append(os.Environ(), "HOME="+card.home, "XDG_STATE_HOME="+state, "DBUS_SESSION_BUS_ADDRESS="+bus)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		defer cmd.Process.Kill()
		eventually(t, "limber on the bus", func() bool { return playerctl(t, bus, "-p", "limber", "status") == "Playing" })
		card.waitHeard(t, 1.5)
		playerctl(t, bus, "-p", "limber", "stop")
		if err := cmd.Wait(); err != nil {
			t.Errorf("after Stop: %v", err)
		}
		es := entriesIn(t, state)
		if len(es) != 1 {
			t.Fatalf("%d entries", len(es))
		}
		checkPlayed(t, card, first, es[0])
	})
}

// TestLog_NoLog: --no-log, and "log": false in config.json, keep a
// session out of the log; a setting out of range is the user's to fix.
func TestLog_NoLog(t *testing.T) {
	slow(t)
	routines := writeFile(t, "tiny.json", tinyRoutine)
	for _, tc := range []struct {
		name, config string
		flags        []string
		code         int
		stderr       string
	}{
		{"--no-log", "", []string{"--no-log"}, 0, ""},
		{"log: false", `{"log": false}`, nil, 0, ""},
		{"goal out of range", `{"goal_days_per_week": 9}`, nil, 2, "goal_days_per_week must be between 1 and 7, got 9"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			state, config := t.TempDir(), t.TempDir()
			os.MkdirAll(filepath.Join(config, "limber"), 0o755)
			if tc.config != "" {
				os.WriteFile(filepath.Join(config, "limber", "config.json"), []byte(tc.config), 0o644)
			}
			card := newSoundCard(t, false)
			env := []string{"HOME=" + card.home, "XDG_STATE_HOME=" + state, "XDG_CONFIG_HOME=" + config}
			_, stderr, code := limberProc(t, env, append([]string{"play", "tiny", "--routines", routines}, tc.flags...)...)
			if code != tc.code || !strings.Contains(stderr, tc.stderr) {
				t.Fatalf("exit %d, %q; want %d and %q", code, stderr, tc.code, tc.stderr)
			}
			if _, err := os.Stat(filepath.Join(state, "limber", history.FileName)); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("a log was written: %v", err)
			}
		})
	}
}

// TestLog_TenAtOnce: ten limbers recording at the same moment leave ten
// whole lines.
func TestLog_TenAtOnce(t *testing.T) {
	slow(t)
	state := t.TempDir()
	var wg sync.WaitGroup
	codes := make([]int, 10)
	for i := range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cmd := exec.Command(program(t), "log", "add", "upper-back", "--minutes", fmt.Sprint(i+1))
			cmd.Env = append(os.Environ(), "XDG_STATE_HOME="+state)
			if err := cmd.Run(); err != nil {
				codes[i] = -1
			}
		}()
	}
	wg.Wait()
	es := entriesIn(t, state)
	seen := map[float64]bool{}
	for _, e := range es {
		seen[e.Played] = true
		if len(e.Stretches) != 6 || !e.Added || !e.Finished {
			t.Errorf("entry %+v", e)
		}
	}
	if len(es) != 10 || len(seen) != 10 {
		t.Errorf("%d entries (%d different), exits %v; want 10", len(es), len(seen), codes)
	}
}

type logJSON struct {
	Sessions []history.Entry `json:"sessions"`
	Streak   int             `json:"streak_days"`
	Week     int             `json:"week_days"`
	Goal     int             `json:"goal_days_per_week"`
	Today    string          `json:"today"`
	Days     []struct {
		Date    string  `json:"date"`
		Minutes float64 `json:"minutes"`
		Counts  bool    `json:"counts"`
	} `json:"days"`
	Areas []struct {
		Area    string  `json:"area"`
		Minutes float64 `json:"minutes"`
	} `json:"area_minutes"`
}

// TestLog_Views: what log add records shows in the text, JSON and CSV
// views; a damaged line is skipped with one warning.
func TestLog_Views(t *testing.T) {
	state, config := t.TempDir(), t.TempDir()
	os.MkdirAll(filepath.Join(config, "limber"), 0o755)
	os.WriteFile(filepath.Join(config, "limber", "config.json"), []byte(`{"goal_days_per_week": 2}`), 0o644)
	env := []string{"XDG_STATE_HOME=" + state, "XDG_CONFIG_HOME=" + config}
	now := time.Now()
	day := func(back int) string { return now.AddDate(0, 0, -back).Format(time.DateOnly) }
	for _, args := range [][]string{
		{"desk-break", "--date", day(2)},
		{"neck-tilts", "--date", day(1), "--minutes", "1.5"}, // finished: counts
		{"upper-back"},
	} {
		stdout, stderr, code := limber(t, env, append([]string{"log", "add"}, args...)...)
		if code != 0 || !strings.HasPrefix(stdout, "recorded "+args[0]+" on ") {
			t.Fatalf("log add %v: exit %d, %q %q", args, code, stdout, stderr)
		}
	}
	// A damaged line between them, and a line cut short at the end.
	path := filepath.Join(state, "limber", history.FileName)
	f, _ := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString("{\"start\": nonsense}\n{\"start\":\"20")
	f.Close()
	if _, _, code := limber(t, env, "log", "add", "warm-up", "--date", day(40)); code != 0 {
		t.Fatal("log add after a damaged line")
	}

	stdout, stderr, code := limber(t, env, "log", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if lines := strings.Split(strings.TrimSpace(stderr), "\n"); len(lines) != 1 || !strings.HasPrefix(lines[0], "limber: warning: "+path+": skipped 2 damaged lines (the first is line 4)") {
		t.Errorf("want one warning, got:\n%s", stderr)
	}
	var got logJSON
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatalf("%v:\n%s", err, stdout)
	}
	if len(got.Sessions) != 4 || got.Streak != 3 || got.Goal != 2 || got.Today != day(0) {
		t.Errorf("sessions %d, streak %d, goal %d, today %s; want 4, 3, 2, %s", len(got.Sessions), got.Streak, got.Goal, got.Today, day(0))
	}
	if want := min(3, int(now.Weekday()+6)%7+1); got.Week != want {
		t.Errorf("week %d, want %d", got.Week, want)
	}
	if n := len(got.Days); n < 78 || n > 84 || got.Days[n-1].Date != day(0) || !got.Days[n-1].Counts || got.Days[n-2].Minutes != 1.5 {
		t.Errorf("days: %d, last %+v", n, got.Days[n-1])
	}
	// Every area is listed, the neglected ones with 0; neck tilts (1.5
	// minutes yesterday) gave the neck some.
	neck := slices.IndexFunc(got.Areas, func(a struct {
		Area    string  `json:"area"`
		Minutes float64 `json:"minutes"`
	}) bool {
		return a.Area == "neck"
	})
	if len(got.Areas) != len(routine.Areas) || neck < 0 || got.Areas[neck].Minutes <= 0 {
		t.Errorf("area minutes %v", got.Areas)
	}

	stdout, _, code = limber(t, env, "log", "--csv")
	rows := strings.Split(strings.TrimSpace(stdout), "\n")
	if code != 0 || len(rows) != 5 || !strings.HasPrefix(rows[0], "start,routine,name,description,planned_seconds,played_seconds,finished,added,done,skipped") ||
		!strings.Contains(rows[2], ",neck-tilts,Neck tilts,,") || !strings.HasSuffix(rows[3], "childs-pose neck-rotations neck-tilts butterfly-wings chair-rotation arm-slides,") {
		t.Errorf("csv:\n%s", stdout)
	}

	stdout, _, code = limber(t, env, "log")
	for _, want := range []string{"Streak: 3 days in a row.", "This week: ", "The last 12 weeks, minutes a day:\n", "Mon  ", "The last 30 days: 13 min in 3 sessions."} {
		if !strings.Contains(stdout, want) {
			t.Errorf("log lacks %q:\n%s", want, stdout)
		}
	}
	if code != 0 || strings.Contains(stdout, "\x1b") {
		t.Errorf("exit %d; colour in a pipe:\n%s", code, stdout)
	}

	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"log", "add", "uper-back"}, `limber: no routine or stretch named "uper-back" (did you mean upper-back or lower-back?)`},
		{[]string{"log", "add", "desk-break", "--date", "yesterday"}, `limber: --date: want YYYY-MM-DD, got "yesterday"`},
		{[]string{"log", "add", "desk-break", "--date", now.AddDate(0, 0, 1).Format(time.DateOnly)}, "is in the future"},
		{[]string{"log", "add", "desk-break", "--minutes", "0"}, "limber: --minutes must be more than 0"},
		{[]string{"log", "--json", "--csv"}, "limber: log: --json and --csv do not go together"},
		{[]string{"log", "everything"}, "limber: log: takes no arguments but add"},
	} {
		if _, stderr, code := limber(t, env, tc.args...); code != 2 || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d, %q; want 2 and %q", tc.args, code, stderr, tc.want)
		}
	}
}

// TestLog_ColourInATerminal: on an 80-column terminal the calendar is in
// colour and fits; NO_COLOR takes the colour away.
func TestLog_ColourInATerminal(t *testing.T) {
	slow(t)
	state := t.TempDir()
	if _, _, code := limber(t, []string{"XDG_STATE_HOME=" + state}, "log", "add", "desk-break"); code != 0 {
		t.Fatal("log add")
	}
	for _, noColor := range []bool{false, true} {
		tm := newTmuxSized(t, 80, 30)
		env := "XDG_STATE_HOME=" + state
		if noColor {
			env += " NO_COLOR=1"
		}
		tm.send("clear; "+env+" "+program(t)+" log; echo exit=$?", "Enter")
		tm.waitText("exit=0")
		screen := tm.run("capture-pane", "-p", "-e", "-t", "0")
		if coloured := strings.Contains(screen, "\x1b[38;5;"); coloured == noColor {
			t.Errorf("NO_COLOR=%v: colour %v:\n%s", noColor, coloured, screen)
		}
		for _, line := range strings.Split(tm.screen(), "\n") {
			if n := len([]rune(line)); n >= 80 {
				t.Errorf("a line fills the 80 columns: %q", line)
			}
		}
		if !strings.Contains(tm.screen(), "Streak: 1 day in a row.") {
			t.Errorf("screen:\n%s", tm.screen())
		}
	}
}

// fiveYears writes five years of practice log to path: every day the
// upper-back routine in the morning and perDay-1 desk breaks, as a
// reminder every hour of a working day would leave.
func fiveYears(tb testing.TB, path string, perDay int) {
	tb.Helper()
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var b strings.Builder
	start := time.Now().AddDate(-5, 0, 0).Truncate(24 * time.Hour).Add(7 * time.Hour)
	morning := []string{"childs-pose", "neck-rotations", "neck-tilts", "butterfly-wings", "chair-rotation", "arm-slides"}
	for d := range 5 * 365 {
		day := start.AddDate(0, 0, d)
		e := history.Entry{Start: day, Routine: "upper-back", Name: "Upper back", Planned: 549.78, Played: 549.78, Finished: true}
		for _, id := range morning {
			e.Stretches = append(e.Stretches, history.Stretch{ID: id, Played: 80.5, Done: true})
		}
		line, _ := history.MarshalLine(e)
		b.Write(line)
		for i := 1; i < perDay; i++ {
			e := history.Entry{Start: day.Add(time.Duration(i+1) * time.Hour), Routine: "desk-break", Name: "Desk break",
				Description: "A few minutes in your chair for a stiff neck and back.", Planned: 160.29, Played: 95.3,
				Stretches: []history.Stretch{{ID: "neck-tilts", Played: 45, Done: true}, {ID: "chair-rotation", Played: 40.1}}}
			line, _ := history.MarshalLine(e)
			b.Write(line)
		}
	}
	if _, err := f.WriteString(b.String()); err != nil {
		tb.Fatal(err)
	}
}

// BenchmarkLog_FiveYears runs limber log, as a user would, over five
// years of log: two sessions a day, and eight. It reports the time of a
// run and the peak memory (RSS) of the process.
func BenchmarkLog_FiveYears(b *testing.B) {
	for _, perDay := range []int{2, 8} {
		for _, view := range []string{"text", "json"} {
			b.Run(fmt.Sprintf("%d-a-day/%s", perDay, view), func(b *testing.B) {
				state := b.TempDir()
				path := filepath.Join(state, "limber", history.FileName)
				os.MkdirAll(filepath.Dir(path), 0o755)
				fiveYears(b, path, perDay)
				st, _ := os.Stat(path)
				args := []string{"log"}
				if view == "json" {
					args = append(args, "--json")
				}
				// GNU time reports the peak of limber alone: a child's own
				// rusage would count the test's memory it was forked from.
				timeBin := testtools.RequireTool(b, "/usr/bin/time")
				peakFile := filepath.Join(b.TempDir(), "peak")
				var peak int64
				for b.Loop() {
					cmd := exec.Command(timeBin, append([]string{"-f", "%M", "-o", peakFile, program(b)}, args...)...)
					cmd.Env = append(os.Environ(), "XDG_STATE_HOME="+state)
					if err := cmd.Run(); err != nil {
						b.Fatal(err)
					}
					data, _ := os.ReadFile(peakFile)
					kb, _ := strconv.ParseInt(strings.TrimSpace(string(data)), 10, 64)
					peak = max(peak, kb)
				}
				b.ReportMetric(float64(st.Size())/1e6, "MB-log")
				b.ReportMetric(float64(peak)/1024, "MB-peak-RSS")
			})
		}
	}
}
