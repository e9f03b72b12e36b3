package main

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gopxl/beep/v2/wav"

	"github.com/limber-audio/limber/cues"
	"github.com/limber-audio/limber/internal/testtools"
	"github.com/limber-audio/limber/player"
	"github.com/limber-audio/limber/player/routine"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/")

func requireTool(t *testing.T, name string) string { t.Helper(); return testtools.RequireTool(t, name) }

func planOf(t *testing.T, env []string, args ...string) player.PlanJSON {
	t.Helper()
	stdout, stderr, code := limber(t, env, append([]string{"plan", "--json"}, args...)...)
	if code != 0 {
		t.Fatalf("plan: exit %d: %s", code, stderr)
	}
	var p player.PlanJSON
	if err := json.Unmarshal([]byte(stdout), &p); err != nil {
		t.Fatal(err)
	}
	return p
}

func export(t *testing.T, args ...string) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "out.wav")
	_, stderr, code := limber(t, nil, append([]string{"export", "-o", out}, args...)...)
	if code != 0 {
		t.Fatalf("export: exit %d: %s", code, stderr)
	}
	if stderr != "" {
		t.Errorf("export wrote to stderr though it is not a terminal: %q", stderr)
	}
	return out
}

func TestExport_SoxReadsFormatAndLength(t *testing.T) {
	soxi := requireTool(t, "soxi")
	for _, tc := range []struct {
		rate, channels int
	}{{44100, 1}, {22050, 2}, {8000, 1}} {
		t.Run(fmt.Sprintf("%d-%d", tc.rate, tc.channels), func(t *testing.T) {
			out := export(t, "desk-break", "--rate", strconv.Itoa(tc.rate), "--channels", strconv.Itoa(tc.channels))
			info := func(flag string) string {
				b, err := exec.Command(soxi, flag, out).Output()
				if err != nil {
					t.Fatalf("soxi %s: %v", flag, err)
				}
				return strings.TrimSpace(string(b))
			}
			if got := info("-r"); got != strconv.Itoa(tc.rate) {
				t.Errorf("rate %s, want %d", got, tc.rate)
			}
			if got := info("-c"); got != strconv.Itoa(tc.channels) {
				t.Errorf("channels %s, want %d", got, tc.channels)
			}
			p := planOf(t, nil, "desk-break")
			// The export lasts as long as the plan to within a sample.
			samples, _ := strconv.Atoi(info("-s"))
			if got, want := float64(samples)/float64(tc.rate), p.Duration; math.Abs(got-want) > 0.5/float64(tc.rate)+1e-9 {
				t.Errorf("duration %.6f s, plan says %.6f s", got, want)
			}
		})
	}
}

var sndfileCue = regexp.MustCompile(`Cue ID :\s*(\d+)\s+Pos :\s*(\d+)`)
var sndfileLabel = regexp.MustCompile(`labl :\s*(\d+) : (.*)`)

func TestExport_SndfileListsMarkers(t *testing.T) {
	info := requireTool(t, "sndfile-info")
	out := export(t, "neck-tilts")
	b, err := exec.Command(info, out).CombinedOutput()
	if err != nil {
		t.Fatalf("sndfile-info: %v\n%s", err, b)
	}
	p := planOf(t, nil, "neck-tilts")
	pos := map[int]int{}
	for _, m := range sndfileCue.FindAllStringSubmatch(string(b), -1) {
		id, _ := strconv.Atoi(m[1])
		pos[id], _ = strconv.Atoi(m[2])
	}
	labels := map[int]string{}
	for _, m := range sndfileLabel.FindAllStringSubmatch(string(b), -1) {
		id, _ := strconv.Atoi(m[1])
		labels[id] = m[2]
	}
	if len(p.Marks) == 0 || len(pos) != len(p.Marks) || len(labels) != len(p.Marks) {
		t.Fatalf("sndfile-info lists %d cues and %d labels, the plan %d marks:\n%s", len(pos), len(labels), len(p.Marks), b)
	}
	for i, m := range p.Marks {
		if pos[i+1] != m.StartSample || labels[i+1] != m.Label {
			t.Errorf("marker %d: %d %q, want %d %q", i+1, pos[i+1], labels[i+1], m.StartSample, m.Label)
		}
	}
}

// TestExport_DecodesToTheRenderedSamples reads an export back through
// beep's WAV decoder and compares it with the renderer's output.
func TestExport_DecodesToTheRenderedSamples(t *testing.T) {
	out := export(t, "childs-pose", "--channels", "2")
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	dec, format, err := wav.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	lib, err := routine.LoadBuiltin(cues.Builtin())
	if err != nil {
		t.Fatal(err)
	}
	tl, err := player.Compile(lib, "childs-pose", cues.NewPack(player.DefaultRate), player.Options{})
	if err != nil {
		t.Fatal(err)
	}
	r, err := player.NewRenderer(tl, cues.NewPack(player.DefaultRate), player.RenderOptions{Lean: true})
	if err != nil {
		t.Fatal(err)
	}
	if int(format.SampleRate) != tl.Rate || dec.Len() != tl.Len || format.NumChannels != 2 {
		t.Fatalf("decoded %v, %d frames; want %d Hz, %d frames, 2 channels", format, dec.Len(), tl.Rate, tl.Len)
	}
	a := make([][2]float64, 4096)
	b := make([][2]float64, 4096)
	for pos := 0; pos < tl.Len; {
		n, _ := dec.Stream(a)
		m, _ := r.Stream(b[:n])
		if n == 0 || m != n {
			t.Fatalf("at %d: decoded %d, rendered %d", pos, n, m)
		}
		for i := range n {
			for c := range 2 {
				if math.Abs(a[i][c]-b[i][c]) > 2.0/32768 { // 16-bit rounding, both ways
					t.Fatalf("frame %d channel %d: file %.6f, renderer %.6f", pos+i, c, a[i][c], b[i][c])
				}
			}
		}
		pos += n
	}
}

// TestExport_IsDeterministic pins the bytes of a short export (go test
// -update rewrites the checksum) and checks stdout gives the same bytes.
func TestExport_IsDeterministic(t *testing.T) {
	out := export(t, "neck-tilts", "--rate", "16000")
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	got := hex.EncodeToString(sum[:]) + "  neck-tilts --rate 16000\n"
	golden := filepath.Join("testdata", "export.sha256")
	if *update {
		os.MkdirAll("testdata", 0o755)
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (go test -update creates it)", err)
	}
	if got != string(want) {
		t.Errorf("export checksum changed (go test -update if intended):\n got %s\nwant %s", got, want)
	}
	stdout, stderr, code := limber(t, nil, "export", "neck-tilts", "--rate", "16000", "-o", "-")
	if code != 0 || !bytes.Equal([]byte(stdout), data) {
		t.Errorf("-o - gave %d bytes (exit %d, %s), the file %d", len(stdout), code, stderr, len(data))
	}
}

var vttCue = regexp.MustCompile(`(\d\d):(\d\d):(\d\d)\.(\d\d\d) --> (\d\d):(\d\d):(\d\d)\.(\d\d\d)`)

func vttSeconds(m []string) float64 {
	h, _ := strconv.Atoi(m[0])
	mi, _ := strconv.Atoi(m[1])
	s, _ := strconv.Atoi(m[2])
	ms, _ := strconv.Atoi(m[3])
	return float64(h*3600+mi*60+s) + float64(ms)/1000
}

func TestExport_CaptionsMatchThePlan(t *testing.T) {
	dir := t.TempDir()
	vtt := filepath.Join(dir, "out.vtt")
	labels := filepath.Join(dir, "out.txt")
	export(t, "desk-break", "--captions", vtt, "--labels", labels)
	f, err := os.Open(vtt)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	type caption struct {
		start, end float64
		text       string
	}
	var caps []caption
	sc := bufio.NewScanner(f)
	sc.Scan()
	if !strings.HasPrefix(sc.Text(), "WEBVTT - ") {
		t.Fatalf("first line %q, want WEBVTT - and the routine's name", sc.Text())
	}
	for sc.Scan() {
		if m := vttCue.FindStringSubmatch(sc.Text()); m != nil {
			sc.Scan()
			caps = append(caps, caption{vttSeconds(m[1:5]), vttSeconds(m[5:9]), sc.Text()})
		}
	}
	var said []player.EventJSON
	for _, e := range planOf(t, nil, "desk-break").Events {
		if e.Kind == "cue" {
			said = append(said, e)
		}
	}
	if len(caps) != len(said) {
		t.Fatalf("%d captions, %d cues in the plan", len(caps), len(said))
	}
	for i, e := range said {
		c := caps[i]
		if c.text != e.Text || math.Abs(c.start-e.Start) > 0.0006 || math.Abs(c.end-(e.Start+e.Duration)) > 0.0006 {
			t.Errorf("caption %d: %.3f-%.3f %q, plan %.3f-%.3f %q", i, c.start, c.end, c.text, e.Start, e.Start+e.Duration, e.Text)
		}
	}
	lb, err := os.ReadFile(labels)
	if err != nil {
		t.Fatal(err)
	}
	if lines := strings.Split(strings.TrimSpace(string(lb)), "\n"); len(lines) < 3 || len(strings.Split(lines[0], "\t")) != 3 {
		t.Errorf("label track:\n%s", lb)
	}
}

func TestExport_Faults(t *testing.T) {
	dir := t.TempDir()
	existing := filepath.Join(dir, "existing.wav")
	if err := os.WriteFile(existing, []byte("keep me"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"dev full", []string{"-o", "/dev/full"}, 1, "limber: export /dev/full: no space left on device"},
		{"missing folder", []string{"-o", filepath.Join(dir, "nope", "x.wav")}, 2, "folder " + filepath.Join(dir, "nope") + " does not exist"},
		{"unwritable folder", []string{"-o", "/proc/x.wav"}, 2, "limber: cannot write in /proc"},
		{"existing", []string{"-o", existing}, 2, "existing.wav already exists; use --force to replace it"},
		{"existing captions", []string{"-o", filepath.Join(dir, "new.wav"), "--captions", existing}, 2, "already exists; use --force"},
		{"no output", nil, 2, "limber: export: missing -o FILE.wav"},
		{"bad rate", []string{"-o", "x.wav", "--rate", "4000"}, 2, "limber: --rate must be between 8000 and 192000 Hz, got 4000"},
		{"bad channels", []string{"-o", "x.wav", "--channels", "6"}, 2, "limber: --channels must be 1 or 2, got 6"},
		{"directory target", []string{"-o", dir}, 2, "is a directory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, stderr, code := limber(t, nil, append([]string{"export", "neck-tilts"}, tt.args...)...)
			if code != tt.code || !strings.Contains(stderr, tt.stderr) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, stderr, tt.code, tt.stderr)
			}
			if strings.Count(strings.TrimSpace(stderr), "\n") > 0 {
				t.Errorf("error spans several lines: %q", stderr)
			}
		})
	}
	if got, _ := os.ReadFile(existing); string(got) != "keep me" {
		t.Errorf("existing file changed to %q", got)
	}
	if names := dirNames(t, dir); len(names) != 1 {
		t.Errorf("folder holds %v, want only existing.wav", names)
	}
}

func dirNames(t *testing.T, dir string) []string { t.Helper(); return testtools.DirNames(t, dir) }

// longRoutine is a routine file lasting close to four hours, so an export
// of it runs long enough to be interrupted.
const longRoutine = `{
  "version": 1,
  "stretches": {"long": {"name": "Long", "name_cue": "hold", "repeats": 23, "steps": [{"hold": 600}]}},
  "routines": {"marathon": {"name": "Marathon", "stretches": ["long"]}}
}`

func TestExport_InterruptLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	routines := filepath.Join(dir, "long.json")
	if err := os.WriteFile(routines, []byte(longRoutine), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out.wav")
	cmd := exec.Command(program(t), "export", "marathon", "--routines", routines, "--rate", "96000", "-o", out)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	waitForTempData(t, cmd, dir)
	cmd.Process.Signal(syscall.SIGINT)
	err := cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 130 {
		t.Fatalf("interrupted export: %v, want exit 130", err)
	}
	if !strings.Contains(stderr.String(), "limber: export interrupted; nothing written") {
		t.Errorf("stderr %q", stderr.String())
	}
	if names := dirNames(t, dir); len(names) != 1 {
		t.Errorf("folder holds %v after the interrupt, want only long.json", names)
	}
}

// TestExport_KilledLeavesNothing: even SIGKILL, which limber cannot
// catch, leaves no temporary file behind: it is an unnamed one.
func TestExport_KilledLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	routines := filepath.Join(dir, "long.json")
	os.WriteFile(routines, []byte(longRoutine), 0o644)
	cmd := exec.Command(program(t), "export", "marathon", "--routines", routines, "--rate", "96000", "-o", filepath.Join(dir, "out.wav"))
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	waitForTempData(t, cmd, dir)
	cmd.Process.Kill()
	cmd.Wait()
	if names := dirNames(t, dir); len(names) != 1 {
		t.Errorf("folder holds %v after SIGKILL, want only long.json", names)
	}
}

// waitForTempData waits until the export cmd runs has written more than a
// MiB into a temporary file in dir.
func waitForTempData(t *testing.T, cmd *exec.Cmd, dir string) {
	t.Helper()
	waitForOpenFile(t, cmd, dir, 1<<20)
}

// waitForOpenFile waits until the process cmd runs holds open a file in
// dir (not a routine file) of more than size bytes: a temporary file,
// which may have no name at all.
func waitForOpenFile(t *testing.T, cmd *exec.Cmd, dir string, size int64) {
	t.Helper()
	fds := fmt.Sprintf("/proc/%d/fd", cmd.Process.Pid)
	for start := time.Now(); ; time.Sleep(10 * time.Millisecond) {
		entries, _ := os.ReadDir(fds)
		for _, e := range entries {
			target, err := os.Readlink(filepath.Join(fds, e.Name()))
			if err != nil || !strings.HasPrefix(target, dir) || strings.HasSuffix(target, ".json") {
				continue
			}
			if st, err := os.Stat(filepath.Join(fds, e.Name())); err == nil && st.Size() > size {
				return
			}
		}
		if time.Since(start) > time.Minute { // a guard, not a timing test
			cmd.Process.Kill()
			t.Fatalf("no temporary file appeared: %v", dirNames(t, dir))
		}
	}
}

func TestExport_WithMusic(t *testing.T) {
	music := filepath.Join("..", "..", "cues", "testdata", "formats", "rest.flac") // 0.4 s at 48 kHz: loops
	a := export(t, "neck-tilts", "--music", music, "--music-volume", "50")
	b := export(t, "neck-tilts", "--music", music, "--music-volume", "50%")
	plain := export(t, "neck-tilts")
	da, _ := os.ReadFile(a)
	db, _ := os.ReadFile(b)
	dp, _ := os.ReadFile(plain)
	if !bytes.Equal(da, db) {
		t.Error("two exports with the same music differ")
	}
	if len(da) != len(dp) || bytes.Equal(da, dp) {
		t.Errorf("music export: %d bytes, plain %d; want the same length, other samples", len(da), len(dp))
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--music", "nope.mp3"}, "limber: music: open nope.mp3: no such file or directory"},
		{[]string{"--music", filepath.Join("..", "..", "player", "routine", "routines.json")}, `unsupported audio type ".json"`},
		{[]string{"--music", music, "--music-volume", "150"}, `limber: export: invalid argument "150" for "--music-volume" flag: must be between 0 and 100 per cent`},
	} {
		out := filepath.Join(t.TempDir(), "x.wav")
		_, stderr, code := limber(t, nil, append([]string{"export", "neck-tilts", "-o", out}, tc.args...)...)
		if code != 2 || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d, %q; want 2 and %q", tc.args, code, stderr, tc.want)
		}
		if _, err := os.Stat(out); err == nil {
			t.Errorf("%v: output written despite the error", tc.args)
		}
	}
}

func TestExport_CoachLevelsFollowThrough(t *testing.T) {
	dir := t.TempDir()
	vtt := filepath.Join(dir, "tones.vtt")
	export(t, "desk-break", "--coach", "tones", "--captions", vtt)
	data, err := os.ReadFile(vtt)
	if err != nil {
		t.Fatal(err)
	}
	if strings.TrimSpace(string(data)) != "WEBVTT - Desk break" {
		t.Errorf("captions of a tones-only export:\n%s", data)
	}
	full := planOf(t, nil, "desk-break")
	brief := planOf(t, nil, "desk-break", "--coach", "brief")
	if full.Duration <= brief.Duration {
		t.Errorf("brief (%g s) is not shorter than full (%g s)", brief.Duration, full.Duration)
	}
	_, stderr, code := limber(t, nil, "plan", "desk-break", "--coach", "chatty")
	if code != 2 || !strings.Contains(stderr, `limber: --coach must be full, brief or tones, got "chatty"`) {
		t.Errorf("bad --coach: exit %d, %q", code, stderr)
	}
}

// TestExport_FullDisk exports onto a 1 MiB tmpfs (root only, where
// mounting is allowed): a one-line error, no file left, and an existing
// file kept as it was even with --force.
func TestExport_FullDisk(t *testing.T) {
	if os.Getuid() != 0 {
		t.Skip("mounting a tmpfs needs root")
	}
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs here: %v %s", err, out)
	}
	defer exec.Command("umount", dir).Run()
	existing := filepath.Join(dir, "u.wav")
	if err := os.WriteFile(existing, []byte("keep me"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, stderr, code := limber(t, nil, "export", "upper-back", "-o", existing, "--force")
	if code != 1 || stderr != "limber: export "+existing+": no space left on device\n" {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	if got, _ := os.ReadFile(existing); string(got) != "keep me" {
		t.Errorf("existing file changed to %q", got)
	}
	if names := dirNames(t, dir); len(names) != 1 {
		t.Errorf("tmpfs holds %v, want only u.wav", names)
	}
}
