package history

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/limber-audio/limber/internal/testtools"
)

// bigEntry is an entry whose line is far longer than one pipe buffer or
// disk block, so that appends that were not whole would show.
func bigEntry(writer, n int) Entry {
	e := Entry{
		Start:   time.Date(2026, 11, 25, 7, 30, 0, 0, time.FixedZone("", 3600)).Add(time.Duration(n) * time.Minute),
		Routine: fmt.Sprintf("writer-%d", writer),
		Name:    strconv.Itoa(n),
		Planned: 600, Played: 600, Finished: true,
	}
	for i := range 300 {
		e.Stretches = append(e.Stretches, Stretch{ID: fmt.Sprintf("stretch-%03d", i), Played: 2, Done: true})
	}
	return e
}

// TestAppend_Helper is not a test: TestAppend_TenProcessesAtOnce runs
// the test binary as ten processes that append at once.
func TestAppend_Helper(t *testing.T) {
	path := os.Getenv("LIMBER_HISTORY_APPEND")
	if path == "" {
		t.Skip("run by TestAppend_TenProcessesAtOnce")
	}
	writer, _ := strconv.Atoi(os.Getenv("LIMBER_HISTORY_WRITER"))
	for n := range 20 {
		if err := Append(path, bigEntry(writer, n)); err != nil {
			t.Fatal(err)
		}
	}
}

// TestAppend_TenProcessesAtOnce: ten processes appending 20 long lines
// each leave 200 whole lines, each writer's in its own order.
func TestAppend_TenProcessesAtOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state", FileName)
	var cmds []*exec.Cmd
	for w := range 10 {
		cmd := exec.Command(os.Args[0], "-test.run", "^TestAppend_Helper$")
		cmd.Env = append(os.Environ(), "LIMBER_HISTORY_APPEND="+path, "LIMBER_HISTORY_WRITER="+strconv.Itoa(w))
		cmds = append(cmds, cmd)
	}
	for _, cmd := range cmds {
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
	}
	for _, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Fatal(err)
		}
	}
	next := map[string]int{}
	count := 0
	d, err := Read(path, func(e Entry) error {
		count++
		if want := strconv.Itoa(next[e.Routine]); e.Name != want || len(e.Stretches) != 300 {
			t.Errorf("%s: entry %s after %s", e.Routine, e.Name, want)
		}
		next[e.Routine]++
		return nil
	})
	if err != nil || d.Lines != 0 || count != 200 {
		t.Errorf("read %d entries, %d damaged lines, error %v; want 200, 0", count, d.Lines, err)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want the log private to its owner", st.Mode().Perm())
	}
}

func TestRead_SkipsDamagedLines(t *testing.T) {
	good := func(n int) string {
		line, err := MarshalLine(Entry{Start: time.Date(2026, 1, n, 8, 0, 0, 0, time.UTC), Routine: "warm-up", Played: 60})
		if err != nil {
			t.Fatal(err)
		}
		return string(line)
	}
	content := good(1) +
		"not json at all\n" +
		"\n" + // empty lines are not damage
		`{"start":"2026-01-02T08:00:00Z","routine":"warm-up","played_seconds":60` + "\n" + // cut short
		`{"routine":"warm-up","played_seconds":60}` + "\n" + // no start
		`{"start":"2026-01-02T08:00:00Z","routine":"warm-up","played_seconds":-5}` + "\n" +
		`{"start":"2026-01-02T08:00:00Z","routine":"` + strings.Repeat("x", 2*MaxLine) + `"}` + "\n" +
		good(3) +
		`{"start":"2026-01-04T08:00:00Z","routine":"warm-up","played_seconds":60,"later_field":[1,2]}` // no newline: still whole
	path := filepath.Join(t.TempDir(), FileName)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	var days []int
	d, err := Read(path, func(e Entry) error { days = append(days, e.Start.Day()); return nil })
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(days) != "[1 3 4]" || d.Lines != 5 || d.First != 2 {
		t.Errorf("read days %v, damaged %+v; want [1 3 4] and 5 damaged from line 2", days, d)
	}
}

// TestAppend_AfterALineCutShort: a line a full disk cut short stays one
// damaged line; the next entry starts a line of its own.
func TestAppend_AfterALineCutShort(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	if err := os.WriteFile(path, []byte(`{"start":"2026-01-02T08:00:00Z","rout`), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := Append(path, Entry{Start: time.Now(), Routine: "warm-up", Played: 12}); err != nil {
		t.Fatal(err)
	}
	var got []string
	d, err := Read(path, func(e Entry) error { got = append(got, e.Routine); return nil })
	if err != nil || d.Lines != 1 || fmt.Sprint(got) != "[warm-up]" {
		t.Errorf("got %v, damaged %+v, error %v", got, d, err)
	}
	data, _ := os.ReadFile(path)
	if !bytes.HasPrefix(data, []byte(`{"start":"2026-01-02T08:00:00Z","rout`+"\n")) {
		t.Errorf("the damaged line was rewritten:\n%s", data)
	}
}

func TestMarshalLine_RecordsTheZoneAndRounds(t *testing.T) {
	start := time.Date(2026, 11, 25, 7, 30, 12, 987654321, time.FixedZone("CET", 3600))
	line, err := MarshalLine(Entry{Start: start, Routine: "upper-back", Name: "Upper back", Planned: 550.2049, Played: 312.41723,
		Stretches: []Stretch{{ID: "childs-pose", Played: 62.129, Done: true}, {ID: "neck-tilts", Played: 3.5}}})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"start":"2026-11-25T07:30:12+01:00","routine":"upper-back","name":"Upper back","planned_seconds":550.2,"played_seconds":312.42,"finished":false,` +
		`"stretches":[{"id":"childs-pose","played_seconds":62.13,"done":true},{"id":"neck-tilts","played_seconds":3.5,"done":false}]}` + "\n"
	if string(line) != want {
		t.Errorf("line\n%s\nwant\n%s", line, want)
	}
	for _, bad := range []Entry{{Routine: "x"}, {Start: start}, {Start: start, Routine: "x", Played: -1}} {
		if _, err := MarshalLine(bad); err == nil {
			t.Errorf("%+v: no error", bad)
		}
	}
}

func TestDoneSince(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	now := time.Date(2026, 11, 25, 18, 0, 0, 0, time.UTC)
	for _, e := range []Entry{
		{Start: now.Add(-72 * time.Hour), Routine: "a", Stretches: []Stretch{{ID: "too-old", Done: true}}},
		{Start: now.Add(-40 * time.Hour), Routine: "b", Stretches: []Stretch{{ID: "neck-tilts", Done: true}, {ID: "skipped", Done: false}, {ID: "chair-rotation", Done: true}}},
		{Start: now.Add(-2 * time.Hour), Routine: "c", Stretches: []Stretch{{ID: "childs-pose", Done: true}, {ID: "neck-tilts", Done: true}}},
	} {
		if err := Append(path, e); err != nil {
			t.Fatal(err)
		}
	}
	got, err := DoneSince(path, now.Add(-48*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if want := "[childs-pose neck-tilts chair-rotation]"; fmt.Sprint(got) != want {
		t.Errorf("got %v, want %s", got, want)
	}
	if got, err := DoneSince(filepath.Join(t.TempDir(), "none.jsonl"), now); err != nil || len(got) != 0 {
		t.Errorf("no log: %v, %v", got, err)
	}
}

func FuzzScan(f *testing.F) {
	f.Add([]byte(`{"start":"2026-11-25T07:30:12+01:00","routine":"upper-back","played_seconds":3,"stretches":[{"id":"a","played_seconds":1,"done":true}]}` + "\n"))
	f.Add([]byte("{}\n\n{\"start\":\"x\"}\n"))
	f.Add([]byte(`{"start":"2026-11-25T07:30:12Z","routine":"r","played_seconds":1e308}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		testtools.AllocBudget(t, 64*uint64(len(data))+256<<10, func() {
			Scan(bytes.NewReader(data), func(e Entry) error {
				if e.Start.IsZero() || e.Routine == "" || !seconds(e.Played) {
					t.Errorf("Scan gave an entry that does not check: %+v", e)
				}
				if _, err := MarshalLine(e); err != nil {
					t.Errorf("an entry read back does not write: %v", err)
				}
				return nil
			})
		})
	})
}
