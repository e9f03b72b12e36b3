//go:build linux

package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
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

func newTmux(t *testing.T) *tmux { return newTmuxSized(t, 200, 10) }

// newTmuxSized starts a terminal of width columns and height rows.
func newTmuxSized(t *testing.T, width, height int) *tmux {
	t.Helper()
	tm := &tmux{t: t, bin: requireTool(t, "tmux"), sock: filepath.Join(t.TempDir(), "tmux.sock")}
	tm.run("new-session", "-d", "-x", strconv.Itoa(width), "-y", strconv.Itoa(height), "sh")
	tm.run("set-option", "-g", "window-size", "manual")
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

// inRealTime is slow for a test that plays a session in real time in a
// terminal and mostly waits on the clock, with a sound card, terminal
// and session of its own: such tests run in parallel with each other,
// after every other test of the package (t.Parallel), never beside the
// tests that count dropouts, which want the cores to themselves.
func inRealTime(t *testing.T) {
	t.Helper()
	slow(t)
	t.Parallel()
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
	inRealTime(t)
	card := newSoundCard(t, true)
	tm := newTmux(t)
	start := "HOME=" + card.home + " " + program(t) + " play desk-break; echo exit=$?"
	tm.send(start, "Enter")
	tm.waitFor("the status line", func(s string) bool { return statusLine(s) != "" })

	tm.send("n")
	tm.waitFor("the first stretch", func(s string) bool { return strings.Contains(statusLine(s), "Neck tilts") })
	tm.send("s") // the other side of neck tilts; n then skips what is left of it
	tm.waitFor("the right side", func(s string) bool { return strings.Contains(statusLine(s), "Neck tilts, right side") })
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

	// Back twice quickly: the stretch before this one, however long this
	// one has run on a busy machine. The left arrow works as p does.
	tm.send("Left", "Left")
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
	tm.waitText("exit=130")
	tm.checkTerminalRestored("after-ctrl-c")
}

func clock(sec float64) string {
	s := int(sec)
	return string([]byte{byte('0' + s/600), byte('0' + s/60%10), ':', byte('0' + s%60/10), byte('0' + s%10)})
}

// statusAny matches a status line of any width: it starts with the
// position, then two spaces or the end.
var statusAny = regexp.MustCompile(`(?m)^\d\d:\d\d( / \d\d:\d\d)?(  .*)?\s*$`)

// TestPlay_StatusFitsInTmux plays in ordinary terminals, 80 and 40
// columns wide, changes the volume and pauses (a longer line), and
// narrows the 80-column one mid-play: at every look there is at most one
// status line, never wrapped, and none is left after q.
func TestPlay_StatusFitsInTmux(t *testing.T) {
	inRealTime(t)
	for _, width := range []int{80, 40} {
		t.Run(strconv.Itoa(width), func(t *testing.T) {
			card := newSoundCard(t, true)
			tm := newTmuxSized(t, width, 24)
			tm.send("clear; HOME="+card.home+" "+program(t)+" play arm-slides; echo exit=$?", "Enter")
			tm.waitFor("the status line", func(s string) bool { return statusAny.MatchString(s) })
			look := func(when string) {
				s := tm.screen()
				if n := len(statusAny.FindAllString(s, -1)); n > 1 {
					t.Fatalf("%s: %d status lines on the screen:\n%s", when, n, s)
				}
				for _, line := range strings.Split(s, "\n") {
					if len([]rune(line)) >= width {
						t.Fatalf("%s: a line fills the terminal's width: %q", when, line)
					}
				}
			}
			for i := range 15 {
				look("playing")
				switch i {
				case 3, 4, 5:
					tm.send("+")
				case 8:
					tm.send("Space")
				}
				time.Sleep(150 * time.Millisecond)
			}
			if width == 80 {
				tm.run("resize-window", "-t", "0", "-x", "40", "-y", "24")
				width = 40
				for range 10 {
					look("after narrowing to 40 columns")
					time.Sleep(150 * time.Millisecond)
				}
			}
			tm.send("q")
			s := tm.waitText("exit=0")
			if n := len(statusAny.FindAllString(s, -1)); n > 0 {
				t.Errorf("status line left after q:\n%s", s)
			}
			// A line of output may wrap in a narrow terminal: join the rows.
			if !regexp.MustCompile(`stopped in (the lead-in|standing arm slides) at \d+:\d\d of 3:00`).MatchString(strings.ReplaceAll(s, "\n", "")) {
				t.Errorf("no closing line after q:\n%s", s)
			}
		})
	}
}

// TestPlay_NoKeyHelpWithoutKeys: with stdin not a terminal the keys do not
// work, so the status line does not offer them.
func TestPlay_NoKeyHelpWithoutKeys(t *testing.T) {
	slow(t)
	card := newSoundCard(t, true)
	tm := newTmux(t)
	tm.send("clear; HOME="+card.home+" "+program(t)+" play desk-break < /dev/null; echo exit=$?", "Enter")
	s := tm.waitFor("the status line", func(s string) bool { return statusAny.MatchString(s) })
	if strings.Contains(s, "space") || strings.Contains(s, "keys") {
		t.Errorf("key help shown without keys:\n%s", s)
	}
	tm.send("C-c") // not raw: the terminal sends SIGINT
	s = tm.waitText("exit=130")
	if !strings.Contains(s, "stopped in") {
		t.Errorf("no closing line:\n%s", s)
	}
}

// TestPlay_CtrlZSuspends: Ctrl-Z stops limber like any terminal program,
// with the terminal restored and the sound paused, and fg carries on.
func TestPlay_CtrlZSuspends(t *testing.T) {
	slow(t)
	card := newSoundCard(t, true)
	tm := newTmux(t)
	tm.send("clear; HOME="+card.home+" "+program(t)+" play desk-break; echo exit=$?", "Enter")
	tm.waitFor("the status line", func(s string) bool { return statusLine(s) != "" })
	tm.send("C-z")
	s := tm.waitFor("the shell's prompt back", func(s string) bool { return strings.Contains(strings.ToLower(s), "stopped") })
	if statusAny.MatchString(s) {
		t.Errorf("status line left on screen while suspended:\n%s", s)
	}
	tm.checkTerminalRestored("suspended")
	tm.send("clear; fg", "Enter")
	s = tm.waitFor("the status line again", func(s string) bool { return statusLine(s) != "" })
	if strings.Contains(statusLine(s), "PAUSED") {
		t.Errorf("still paused after fg: %q", statusLine(s))
	}
	tm.send("q")
	tm.waitText("stopped ") // the shell ran the echo when the job stopped
	tm.checkTerminalRestored("after-fg-q")
}

// TestPlay_PipedLinesStartAtTheMargin: with the keys on (stdin a
// terminal in raw mode) and stderr piped, as 2>&1 | tee session.log or a
// screen reader's logger does, every line reaches the terminal starting
// at its first column, not where the line before it ended.
func TestPlay_PipedLinesStartAtTheMargin(t *testing.T) {
	inRealTime(t)
	card := newSoundCard(t, true)
	routines := writeFile(t, "two.json", `{"version": 1,
	  "stretches": {"tilt": {"name": "Tilt", "name_cue": "neck-tilts", "steps": [{"hold": 1}]},
	                "turn": {"name": "Turn", "name_cue": "neck-rotations", "steps": [{"hold": 1}]}},
	  "routines": {"two": {"name": "Two", "lead_in": 0, "rest": 1, "stretches": ["tilt", "turn"]}}}`)
	tm := newTmuxSized(t, 80, 24)
	tm.send("clear; HOME="+card.home+" "+program(t)+" play two --coach brief --routines "+routines+" 2>&1 | cat; echo exit=$?", "Enter")
	s := tm.waitText("exit=0")
	var lines []string
	for _, line := range strings.Split(s, "\n") {
		if strings.Contains(line, "Tilt") || strings.Contains(line, "Turn") || strings.Contains(line, "done") || strings.Contains(line, "exit=") {
			lines = append(lines, line)
		}
	}
	want := []*regexp.Regexp{
		regexp.MustCompile(`^00:00  Tilt$`),
		regexp.MustCompile(`^00:\d\d  Turn$`),
		regexp.MustCompile(`^two done, 0:\d\d$`),
		regexp.MustCompile(`^exit=0$`),
	}
	if len(lines) != len(want) {
		t.Fatalf("lines %q, want %d of them; screen:\n%s", lines, len(want), s)
	}
	for i, re := range want {
		if !re.MatchString(strings.TrimRight(lines[i], " ")) {
			t.Errorf("line %d is %q, want it at the margin matching %s; screen:\n%s", i+1, lines[i], re, s)
		}
	}
	tm.checkTerminalRestored("after-pipe")
}

// pipe copies everything the program in the pane writes, escape
// sequences and all, into a file until the returned function stops it
// and returns what was written.
func (tm *tmux) pipe() (stop func() string) {
	tm.t.Helper()
	path := filepath.Join(tm.t.TempDir(), "pane.raw")
	tm.run("pipe-pane", "-o", "-t", "0", "cat >> "+path)
	return func() string {
		tm.t.Helper()
		tm.run("pipe-pane", "-t", "0") // no command: stop piping
		data, _ := os.ReadFile(path)
		return string(data)
	}
}

// TestPlay_StatusRedrawsOnlyWhenItChanges counts what a terminal
// receives while a session is paused for five seconds: the line shows
// the same thing all the while, so it is not drawn again (it was drawn
// 25 times). Playing, it is drawn about once a second.
func TestPlay_StatusRedrawsOnlyWhenItChanges(t *testing.T) {
	inRealTime(t)
	card := newSoundCard(t, true)
	tm := newTmuxSized(t, 80, 10)
	tm.send("clear; HOME="+card.home+" "+program(t)+" play desk-break; echo exit=$?", "Enter")
	tm.waitFor("the status line", statusTime.MatchString)
	stop := tm.pipe()
	time.Sleep(5 * time.Second)
	playing := strings.Count(stop(), "\x1b[K")
	tm.send("Space")
	tm.waitText("PAUSED")
	stop = tm.pipe()
	time.Sleep(5 * time.Second)
	paused := strings.Count(stop(), "\x1b[K")
	t.Logf("status redraws in 5 s: %d playing, %d paused", playing, paused)
	if paused > 5 {
		t.Errorf("%d redraws in 5 s while paused, want at most one a second", paused)
	}
	if playing < 4 || playing > 12 {
		t.Errorf("%d redraws in 5 s while playing, want about one a second (twice when a hold's seconds tick apart from the clock's)", playing)
	}
	tm.send("q")
	tm.waitText("exit=0")
}

// TestPlay_DumbTerminalGetsPlainLines: a terminal with TERM=dumb takes
// no escape sequences, so it gets the plain lines a pipe gets (with the
// keys still on), each at the margin.
func TestPlay_DumbTerminalGetsPlainLines(t *testing.T) {
	inRealTime(t)
	card := newSoundCard(t, true)
	routines := writeFile(t, "tiny.json", tinyRoutine)
	tm := newTmuxSized(t, 80, 10)
	stop := tm.pipe()
	tm.send("TERM=dumb HOME="+card.home+" "+program(t)+" play tiny --routines "+routines+"; echo exit=$?", "Enter")
	tm.waitText("00:00  Tilt")
	tm.send("Space")
	tm.waitText("paused")
	tm.send("Space")
	s := tm.waitText("exit=0")
	raw := stop()
	if _, after, ok := strings.Cut(raw, "exit=$?\r\n"); ok {
		raw = after // the command as typed is not limber's
	}
	if strings.Contains(raw, "\x1b") {
		t.Errorf("escape sequences sent to a dumb terminal: %q", raw)
	}
	for _, want := range []string{"00:00  Tilt\n", "  paused\n", "  playing\n", "tiny done, 0:"} {
		if !strings.Contains(s+"\n", want) {
			t.Errorf("screen lacks %q:\n%s", want, s)
		}
	}
	for _, line := range strings.Split(s, "\n") {
		if strings.HasPrefix(line, " ") {
			t.Errorf("line %q does not start at the margin", line)
		}
	}
}

// TestExport_SaysWhatItWroteOnATerminal: on a terminal a finished export
// says what it wrote, in one line, the progress bar gone; in a pipe it
// says nothing at all.
func TestExport_SaysWhatItWroteOnATerminal(t *testing.T) {
	slow(t)
	dir := t.TempDir()
	tm := newTmuxSized(t, 80, 10)
	tm.send("clear; cd "+dir+"; "+program(t)+" export upper-back -o upper-back.flac --captions upper-back.vtt; echo exit=$?", "Enter")
	s := tm.waitText("exit=0")
	want := regexp.MustCompile(`(?m)^wrote upper-back\.flac: 9:10, 7\.\d MB, 20 chapters; and upper-back\.vtt\s*$`)
	if !want.MatchString(s) {
		t.Errorf("no summary matching %s:\n%s", want, s)
	}
	if strings.Contains(s, "[") || strings.Contains(s, "%") {
		t.Errorf("progress bar left on the screen:\n%s", s)
	}
	_, stderr, code := limber(t, nil, "export", "desk-break", "-o", filepath.Join(dir, "d.wav"))
	if code != 0 || stderr != "" {
		t.Errorf("in a pipe: exit %d, stderr %q; want 0 and nothing", code, stderr)
	}
}

// TestWords_CtrlCWhileVoicingEndsTheLine: on a terminal the voicing
// shows a progress line; Ctrl-C clears it before the message, which
// starts at the margin on a line of its own.
func TestWords_CtrlCWhileVoicingEndsTheLine(t *testing.T) {
	slow(t)
	tts, calls := fakeTTS(t, "30", "")
	file := writeFile(t, "my.json", hamstringDoc)
	dir := t.TempDir()
	tm := newTmuxSized(t, 120, 10)
	tm.send("clear; XDG_CACHE_HOME="+dir+" "+program(t)+" plan legs --routines "+file+" --tts '"+tts+"'; echo exit=$?", "Enter")
	tm.waitText("(0/4)")
	eventually(t, "the engine running", func() bool { return callCount(t, calls) > 0 })
	tm.send("C-c")
	s := tm.waitText("exit=130")
	if !regexp.MustCompile(`(?m)^limber: interrupted while voicing your words; nothing was cached half-done\s*$`).MatchString(s) {
		t.Errorf("the message is not on a line of its own:\n%s", s)
	}
	if strings.Contains(s, "(0/4)") {
		t.Errorf("the progress line was left:\n%s", s)
	}
}

// TestCompletion_InRealShells types "limber play up" and a tab in bash,
// zsh and fish, each with limber's script loaded as its README section
// says, and expects "upper-back" on the line.
func TestCompletion_InRealShells(t *testing.T) {
	slow(t)
	bin := filepath.Dir(program(t))
	for _, tc := range []struct {
		shell string
		start []string // to start the shell and load the script
	}{
		{"bash", []string{"exec bash --norc --noprofile", "source <(limber completion bash)"}},
		{"zsh", []string{"exec zsh -f", "autoload -Uz compinit && compinit -u -d $ZDOTDIR/dump", "source <(limber completion zsh)"}},
		{"fish", []string{"exec fish --no-config", "limber completion fish | source"}},
	} {
		t.Run(tc.shell, func(t *testing.T) {
			requireTool(t, tc.shell)
			tm := newTmuxSized(t, 80, 10)
			home := t.TempDir()
			tm.send("export PATH="+bin+":$PATH HOME="+home+" ZDOTDIR="+home+" XDG_DATA_HOME="+home, "Enter")
			for _, line := range tc.start {
				tm.send(line, "Enter")
			}
			tm.send("clear", "Enter")
			tm.send("limber play up")
			tm.send("Tab")
			tm.waitText("limber play upper-back")
			tm.send("C-c")
		})
	}
}
