//go:build linux

package main

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/limber-audio/limber/internal/oggcrc"
	"github.com/limber-audio/limber/internal/testtools"
)

// hostileRun runs limber and returns its exit code, stderr and peak
// memory (maximum resident set). The peak is taken by GNU time, which
// starts limber from a small process of its own: the kernel carries a
// process's peak across exec, so limber started straight from this test
// would report the test's own memory.
func hostileRun(t *testing.T, env []string, args ...string) (code int, stderr string, rssMB int64) {
	t.Helper()
	timeBin := testtools.RequireTool(t, "/usr/bin/time")
	peak := filepath.Join(t.TempDir(), "peak")
	cmd := exec.Command(timeBin, append([]string{"-f", "%M", "-o", peak, program(t)}, args...)...)
	cmd.Env = append(os.Environ(), env...)
	var errOut bytes.Buffer
	cmd.Stderr = &errOut
	done := make(chan error, 1)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { done <- cmd.Wait() }()
	var err error
	select {
	case err = <-done:
	case <-time.After(2 * time.Minute): // a guard against a hang, not a timing test
		cmd.Process.Kill()
		t.Fatalf("%v hangs", args)
	}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	stderr = errOut.String()
	// GNU time adds a line when the command exits non-zero.
	if i := strings.Index(stderr, "Command exited with non-zero status"); i >= 0 {
		stderr = stderr[:i]
	}
	data, err := os.ReadFile(peak)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Fields(string(data))
	kb, err := strconv.ParseInt(lines[len(lines)-1], 10, 64)
	if err != nil {
		t.Fatalf("peak memory: %q", data)
	}
	return code, stderr, kb / 1024
}

// memoryBudgetMB is what limber may use on any hostile input.
const memoryBudgetMB = 200

// TestHostile_RoutineFiles: routine files built to cost much: each is
// refused with exit 2 and a message on its first line, in memory well
// under the budget.
func TestHostile_RoutineFiles(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(content), 0o644)
		return p
	}
	manyHolds := `{"version": 1, "stretches": {"s": {"name": "S", "name_cue": "neck-tilts", "repeats": 100, "sides": 2, "steps": [` +
		strings.Repeat(`{"hold": 600}, `, 10000) + `{"hold": 600}]}}}`
	manySays := `{"version": 1, "stretches": {"s": {"name": "S", "name_cue": "neck-tilts", "repeats": 100, "sides": 2, "steps": [` +
		strings.Repeat(`{"say": "neck-tilts.how"}, `, 60) + `{"hold": 1}]}}}`
	threeHours := `{"version": 1, "stretches": {"s": {"name": "S", "name_cue": "neck-tilts", "repeats": 9, "sides": 2, "steps": [{"hold": 600}]}}}`
	var refs strings.Builder
	for i := range 20000 {
		fmt.Fprintf(&refs, `"unknown-stretch-%d", `, i)
	}
	unknownRefs := `{"version": 1, "routines": {"r": {"name": "R", "stretches": [` + refs.String() + `"neck-tilts"]}}}`
	zeros := strings.Repeat("\x00", 8<<20)
	stretches := func(n int) string {
		var b strings.Builder
		b.WriteString(`{"version": 1, "stretches": {`)
		for i := range n {
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, `"s%d": {"name": "S", "steps": [{"hold": 5}]}`, i)
		}
		b.WriteString("}}")
		return b.String()
	}
	sources := func(n int) string {
		var b strings.Builder
		b.WriteString(`{"version": 1, "stretches": {"s": {"name": "S", "steps": [{"hold": 5}], "sources": [`)
		for i := range n {
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, `"https://example.org/%d"`, i)
		}
		b.WriteString("]}}}")
		return b.String()
	}
	tests := []struct {
		name string
		args []string
		code int
		want string // in the first line of stderr
	}{
		{"10,000 holds, 100 repeats", []string{"check", write("holds.json", manyHolds)}, 2, "stretches.s: lasts at least"},
		{"cues make it long", []string{"check", write("says.json", manySays)}, 2, "s lasts more than 4 hours, the longest a routine may play"},
		{"pace 2 doubles it past the limit", []string{"plan", "s", "--routines", write("three.json", threeHours), "--pace", "2"}, 2,
			"s lasts more than 4 hours at pace 2, the longest a routine may play"},
		{"20,000 unknown stretches", []string{"check", write("refs.json", unknownRefs)}, 2, `unknown stretch "unknown-stretch-0"`},
		{"8 MiB of zero bytes", []string{"check", write("zeros.json", zeros)}, 2, "zeros.json:1:1: expected a value"},
		{"a name with an escape", []string{"check", write("esc.json", `{"version": 1, "stretches": {"s": {"name": "S\u001b[2J", "steps": [{"hold": 5}]}}}`)}, 2,
			"stretches.s.name: must be one line of text"},
		{"a hold of 1e-7 s", []string{"check", write("tiny.json", `{"version": 1, "stretches": {"s": {"name": "S", "steps": [{"hold": 1e-7}]}}}`)}, 2,
			"must be between 1 and 600 seconds, got 1e-7"},
		// Size in proportion: these took minutes (lookups through every
		// stretch for every stretch) or hundreds of megabytes (a tree of
		// 45 times the file).
		{"check of 100,000 stretches", []string{"check", write("many.json", stretches(100_000))}, 0, ""},
		{"plan over 145,000 stretches", []string{"plan", "upper-back", "--routines", write("more.json", stretches(145_000))}, 0, ""},
		{"2,000,000 zeros in an unknown field", []string{"check", write("zeros2.json", `{"version": 1, "x": [`+strings.Repeat("0,", 2_000_000)+`0]}`)}, 2,
			"zeros2.json:1:16: x: unknown field"},
		{"30,000 sources", []string{"check", write("sources.json", sources(30_000))}, 0, ""},
		{"a lone surrogate", []string{"check", write("half.json", `{"version": 1, "stretches": {"s": {"name": "S\ud800", "steps": [{"hold": 5}]}}}`)}, 2,
			`half.json:1:46: invalid text: \ud800 is half of a UTF-16 surrogate pair, not a character`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stderr, rss := hostileRun(t, nil, tt.args...)
			first, _, _ := strings.Cut(stderr, "\n")
			if code != tt.code || !strings.Contains(first, tt.want) {
				t.Errorf("exit %d, first line %q; want exit %d and %q", code, first, tt.code, tt.want)
			}
			if len(first) > 300 {
				t.Errorf("first line is %d bytes long", len(first))
			}
			if rss > memoryBudgetMB {
				t.Errorf("peak memory %d MB, over %d MB", rss, memoryBudgetMB)
			}
			t.Logf("peak memory %d MB", rss)
		})
	}
}

// hostileAudio makes the malformed audio files of the corpus from
// the format fixtures: headers that lie about their sizes and rates.
func hostileAudio(t *testing.T, dir string) map[string]string {
	t.Helper()
	read := func(name string) []byte {
		data, err := os.ReadFile(filepath.Join("..", "..", "cues", "testdata", "formats", name))
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	files := map[string][]byte{}
	// FLAC whose STREAMINFO claims 2^36-1 samples.
	flac := read("rest.flac")
	v := binary.BigEndian.Uint64(flac[18:26])
	binary.BigEndian.PutUint64(flac[18:26], v|(1<<36-1))
	files["billions.flac"] = flac
	// WAV at 1 Hz.
	wav := read("hold.wav")
	slow := append([]byte(nil), wav...)
	binary.LittleEndian.PutUint32(slow[24:], 1)
	binary.LittleEndian.PutUint32(slow[28:], 2)
	files["one-hertz.wav"] = slow
	// WAV whose data chunk claims 4 GB.
	huge := append([]byte(nil), wav[:1024]...)
	binary.LittleEndian.PutUint32(huge[40:], 0xfffffff0)
	binary.LittleEndian.PutUint32(huge[4:], 0xfffffff8)
	files["four-gigabytes.wav"] = huge
	// Ogg whose last page claims a huge granule position (CRC fixed up).
	files["huge-granule.ogg"] = oggHugeGranule(t, read("get-ready.ogg"))
	// Ogg whose comment header claims 2³¹−1 comments in a few bytes (the
	// decoder allocated them all: out of memory), and one with a comment
	// of 90 MB (285 MB of memory).
	for name, comments := range map[string][]byte{
		"comment-count.ogg": testtools.VorbisComments("", 1<<31-1),
		"big-comment.ogg":   testtools.VorbisComments("", 1, "TITLE="+strings.Repeat("a", 90<<20)),
	} {
		ogg, err := testtools.OggWithComments(read("get-ready.ogg"), comments)
		if err != nil {
			t.Fatal(err)
		}
		files[name] = ogg
	}
	out := map[string]string{}
	for name, data := range files {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		out[name] = p
	}
	return out
}

// oggHugeGranule sets the granule position of the last Ogg page to a huge
// value and recomputes the page's checksum.
func oggHugeGranule(t *testing.T, ogg []byte) []byte {
	ogg = append([]byte(nil), ogg...)
	last := bytes.LastIndex(ogg, []byte("OggS"))
	if last < 0 {
		t.Fatal("no Ogg page")
	}
	binary.LittleEndian.PutUint64(ogg[last+6:], 1<<62)
	binary.LittleEndian.PutUint32(ogg[last+22:], 0)
	binary.LittleEndian.PutUint32(ogg[last+22:], oggcrc.Update(0, ogg[last:]))
	return ogg
}

// TestHostile_AudioFiles puts each malformed file in a voice folder (as
// the recording of a cue) and uses it as a music bed: each gives a result
// or a one-line error, never a crash, in memory under the budget.
func TestHostile_AudioFiles(t *testing.T) {
	files := hostileAudio(t, t.TempDir())
	for name, path := range files {
		t.Run(name, func(t *testing.T) {
			voice := t.TempDir()
			data, _ := os.ReadFile(path)
			os.WriteFile(filepath.Join(voice, "get-ready"+filepath.Ext(name)), data, 0o644)
			for _, args := range [][]string{
				{"plan", "neck-tilts", "--voice", voice},
				{"export", "neck-tilts", "-o", filepath.Join(t.TempDir(), "x.wav"), "--voice", voice},
				{"export", "neck-tilts", "-o", filepath.Join(t.TempDir(), "y.wav"), "--music", path},
			} {
				code, stderr, rss := hostileRun(t, nil, args...)
				if code != 0 && (code != 2 || strings.Count(stderr, "\n") != 1 || !strings.HasPrefix(stderr, "limber: ")) {
					t.Errorf("%v: exit %d, stderr:\n%s", args[:2], code, stderr)
				}
				if strings.Contains(stderr, "panic") || strings.Contains(stderr, "goroutine") {
					t.Errorf("%v: crashed:\n%s", args[:2], stderr)
				}
				if rss > memoryBudgetMB {
					t.Errorf("%v: peak memory %d MB, over %d MB", args[:2], rss, memoryBudgetMB)
				}
				t.Logf("%v: exit %d, %d MB: %s", args[:2], code, rss, strings.TrimSpace(stderr))
			}
		})
	}
}

// TestHostile_BigRecordings: a voice folder of long recordings is read
// one at a time and only its lengths kept: plan stays small; recordings
// longer than two minutes are refused by name.
func TestHostile_BigRecordings(t *testing.T) {
	sox := testtools.RequireTool(t, "sox")
	voice := t.TempDir()
	for _, id := range []string{"get-ready", "neck-tilts", "neck-tilts.how"} {
		if out, err := exec.Command(sox, "-n", "-r", "44100", "-c", "2", "-b", "16", filepath.Join(voice, id+".wav"), "synth", "110", "sine", "300", "gain", "-10").CombinedOutput(); err != nil {
			t.Fatalf("sox: %v\n%s", err, out)
		}
	}
	code, stderr, rss := hostileRun(t, nil, "plan", "neck-tilts", "--voice", voice)
	if code != 0 {
		t.Fatalf("plan: exit %d: %s", code, stderr)
	}
	if rss > 100 {
		t.Errorf("plan with three 19 MB recordings: peak memory %d MB, want under 100", rss)
	}
	t.Logf("plan: %d MB", rss)
	long := filepath.Join(voice, "switch-sides.wav")
	if out, err := exec.Command(sox, "-n", "-r", "44100", "-c", "2", "-b", "16", long, "synth", "170", "sine", "300", "gain", "-10").CombinedOutput(); err != nil {
		t.Fatalf("sox: %v\n%s", err, out)
	}
	code, stderr, _ = hostileRun(t, nil, "plan", "neck-tilts", "--voice", voice)
	if code != 2 || !strings.Contains(stderr, "switch-sides.wav: longer than 2 minutes, the most one recording may last") {
		t.Errorf("a three-minute recording: exit %d, %s", code, stderr)
	}
}

// TestHostile_NotFiles: a named pipe as a routine file, a recording, a
// music bed or config is refused at once; one as -o with no reader waits,
// but stops at SIGTERM.
func TestHostile_NotFiles(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "pipe.json")
	syscall.Mkfifo(fifo, 0o600)
	music := filepath.Join(dir, "pipe.flac")
	syscall.Mkfifo(music, 0o600)
	voice := t.TempDir()
	syscall.Mkfifo(filepath.Join(voice, "get-ready.wav"), 0o600)
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"check", fifo}, "pipe.json: not a regular file"},
		{[]string{"plan", "neck-tilts", "--routines", fifo}, "pipe.json: not a regular file"},
		{[]string{"export", "neck-tilts", "-o", filepath.Join(dir, "x.wav"), "--music", music}, "pipe.flac: not a regular file"},
		{[]string{"plan", "neck-tilts", "--voice", voice}, "get-ready.wav: not a regular file"},
		{[]string{"export", "neck-tilts", "-o", filepath.Join(dir, "y.wav"), "--music", dir}, "is a folder, not a file"},
	}
	for _, tt := range tests {
		_, stderr, code := limber(t, nil, tt.args...)
		if code != 2 || !strings.Contains(stderr, tt.want) || strings.Count(stderr, "\n") != 1 {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 and %q", tt.args, code, stderr, tt.want)
		}
	}
	// -o a pipe nobody reads: limber waits for a reader, and a signal
	// ends the wait. The captions, a regular file, are made first, into a
	// temporary file kept open until the pipe is written: once that file
	// is there, limber is at the pipe.
	out := filepath.Join(dir, "out.wav")
	syscall.Mkfifo(out, 0o600)
	cmd := exec.Command(program(t), "export", "neck-tilts", "-o", out, "--captions", filepath.Join(dir, "out.vtt"))
	var stderr syncBuffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	waitForOpenFile(t, cmd, dir, 0)
	cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != 143 {
			t.Errorf("-o a pipe, SIGTERM: %v, want exit 143; stderr %q", err, stderr.String())
		}
	case <-time.After(30 * time.Second): // a guard against a hang
		cmd.Process.Kill()
		t.Fatal("-o a pipe nobody reads: SIGTERM did not stop limber")
	}
	if _, err := os.Stat(filepath.Join(dir, "out.vtt")); err == nil {
		t.Error("the captions were left without the audio")
	}
}

// TestOutputs_NeverClobber: outputs that are the same file as each other
// or as an input, and outputs that cannot be written, are refused with
// exit 2 before any work, and nothing is touched.
func TestOutputs_NeverClobber(t *testing.T) {
	dir := t.TempDir()
	in := func(name, content string) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(content), 0o644)
		return p
	}
	x := in("x.wav", "keep")
	routines := in("r.json", tinyRoutine)
	music := filepath.Join("..", "..", "cues", "testdata", "formats", "rest.flac")
	musicCopy := in("bed.flac", "")
	data, _ := os.ReadFile(music)
	os.WriteFile(musicCopy, data, 0o644)
	voice := t.TempDir()
	// Links, dangling until an output is written: each pair is one file.
	link := func(name, to string) string {
		p := filepath.Join(dir, name)
		if err := os.Symlink(to, p); err != nil {
			t.Fatal(err)
		}
		return p
	}
	labelsToCaptions := link("lab.txt", "cap.vtt")
	outToCaptions := link("o.wav", "cap2.vtt")
	chain := link("chain.txt", "lab.txt") // to a link to cap.vtt
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"-o and --captions", []string{"-o", x, "--captions", x, "--force"}, "-o and --captions are the same file"},
		{"--labels a dangling link to --captions", []string{"-o", filepath.Join(dir, "a.wav"), "--captions", filepath.Join(dir, "cap.vtt"), "--labels", labelsToCaptions},
			"--captions and --labels are the same file"},
		{"the same with --force", []string{"-o", filepath.Join(dir, "a.wav"), "--captions", filepath.Join(dir, "cap.vtt"), "--labels", labelsToCaptions, "--force"},
			"--captions and --labels are the same file"},
		{"-o a dangling link to --captions", []string{"-o", outToCaptions, "--captions", filepath.Join(dir, "cap2.vtt")}, "-o and --captions are the same file"},
		{"a chain of links", []string{"-o", filepath.Join(dir, "b.wav"), "--labels", chain, "--captions", filepath.Join(dir, "cap.vtt")}, "--captions and --labels are the same file"},
		{"--captions and --labels", []string{"-o", filepath.Join(dir, "n.wav"), "--captions", filepath.Join(dir, "c.txt"), "--labels", filepath.Join(dir, "sub", "..", "c.txt")}, "--captions and --labels are the same file"},
		{"-o is the routine file", []string{"-o", routines, "--force", "--routines", routines}, "would overwrite --routines"},
		{"-o is the music", []string{"-o", musicCopy, "--force", "--music", musicCopy}, "would overwrite --music"},
		{"-o in the voice folder", []string{"-o", filepath.Join(voice, "hold.wav"), "--voice", voice}, "would overwrite --voice"},
		{"captions in a folder that cannot be written", []string{"-o", filepath.Join(dir, "a.wav"), "--captions", "/proc/x.vtt"}, "/proc"},
		{"labels exist", []string{"-o", filepath.Join(dir, "b.wav"), "--labels", x}, "x.wav already exists; use --force"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			os.MkdirAll(filepath.Join(dir, "sub"), 0o755)
			before := testtools.DirNames(t, dir)
			args := append([]string{"export", "tiny", "--routines", routines}, tt.args...)
			_, stderr, code := limber(t, nil, args...)
			if code != 2 || !strings.Contains(stderr, tt.want) || strings.Count(stderr, "\n") != 1 {
				t.Errorf("exit %d, stderr %q; want exit 2 and %q", code, stderr, tt.want)
			}
			if got, _ := os.ReadFile(x); string(got) != "keep" {
				t.Errorf("x.wav changed")
			}
			if after := testtools.DirNames(t, dir); len(after) != len(before) {
				t.Errorf("folder was %v, now %v", before, after)
			}
		})
	}
}

// TestOutputs_AllOrNone: when one output fails (captions to a full
// device), none is left, and the export fails with exit 1.
func TestOutputs_AllOrNone(t *testing.T) {
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full")
	}
	dir := t.TempDir()
	_, stderr, code := limber(t, nil, "export", "desk-break", "-o", filepath.Join(dir, "d.wav"), "--captions", "/dev/full")
	if code != 1 || !strings.Contains(stderr, "/dev/full: no space left on device") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	if names := testtools.DirNames(t, dir); len(names) != 0 {
		t.Errorf("left %v", names)
	}
}

// TestOutputs_UmaskLinksAndLongNames: a new file gets the umask's mode, a
// link is written through, and a 250-byte name works.
func TestOutputs_UmaskLinksAndLongNames(t *testing.T) {
	dir := t.TempDir()
	long := filepath.Join(dir, strings.Repeat("n", 246)+".wav")
	cmd := exec.Command("sh", "-c", "umask 077 && exec "+program(t)+" export neck-tilts -o "+long)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if st, err := os.Stat(long); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("umask 077: %v, mode %v; want 0600", err, st.Mode().Perm())
	}
	link := filepath.Join(dir, "link.wav")
	os.Symlink(filepath.Base(long), link)
	if code, stderr, _ := hostileRun(t, nil, "export", "desk-break", "-o", link, "--force"); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if st, err := os.Lstat(link); err != nil || st.Mode()&os.ModeSymlink == 0 {
		t.Error("--force replaced the link instead of writing through it")
	}
}

// floatWAV writes three seconds of a tone as a 32-bit float WAV file at
// 44.1 kHz, with a thousand samples of bad in the middle.
func floatWAV(t *testing.T, path string, bad float32) {
	t.Helper()
	const rate = 44100
	x := make([]float32, 3*rate)
	for i := range x {
		x[i] = float32(0.2 * math.Sin(2*math.Pi*330*float64(i)/rate))
	}
	for i := range 1000 {
		x[len(x)/2+i] = bad
	}
	if err := os.WriteFile(path, testtools.FloatWAV(x, rate), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestHostile_SamplesThatAreNotNumbers: float audio holding NaN or
// infinite samples is refused by name, as a music bed (it used to add a
// constant offset to the export) and as a recording, never mixed in.
func TestHostile_SamplesThatAreNotNumbers(t *testing.T) {
	for name, bad := range map[string]float32{"NaN": float32(math.NaN()), "+Inf": float32(math.Inf(1))} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			bed := filepath.Join(dir, "bed.wav")
			floatWAV(t, bed, bad)
			out := filepath.Join(dir, "out.wav")
			_, stderr, code := limber(t, nil, "export", "neck-tilts", "-o", out, "--music", bed)
			if code != 1 || !strings.Contains(stderr, "bed.wav: decode wav: a sample that is not a number (NaN or infinite)") {
				t.Errorf("music: exit %d, %q", code, stderr)
			}
			if _, err := os.Stat(out); err == nil {
				t.Error("music: an export was left")
			}
			voice := t.TempDir()
			floatWAV(t, filepath.Join(voice, "get-ready.wav"), bad)
			_, stderr, code = limber(t, nil, "plan", "neck-tilts", "--voice", voice)
			if code != 2 || !strings.Contains(stderr, "get-ready.wav") || !strings.Contains(stderr, "not a number") {
				t.Errorf("recording: exit %d, %q", code, stderr)
			}
		})
	}
}

// TestHostile_EngineOutput: a --tts engine that prints hundreds of
// megabytes costs limber only the end of it (it used to keep it all), and
// its last line still ends the message.
func TestHostile_EngineOutput(t *testing.T) {
	slow(t)
	file := writeFile(t, "my.json", hamstringDoc)
	loud, _ := fakeTTS(t, "0", `head -c 300000000 /dev/zero | tr '\0' '\n'; echo "the real error" >&2; exit 3`)
	code, stderr, rss := hostileRun(t, wordsEnv(t), "export", "legs", "--routines", file, "-o", filepath.Join(t.TempDir(), "x.wav"), "--tts", loud)
	if code != 1 || !strings.HasSuffix(strings.TrimSpace(stderr), "exit status 3: the real error") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	if rss > 100 {
		t.Errorf("peak memory %d MB for 300 MB of engine output", rss)
	}
	t.Logf("peak memory %d MB", rss)
}

// TestHostile_EngineChildren: what an engine starts and leaves running
// is ended with it: the engine runs in a process group of its own, which
// limber ends when the engine exits, or fails, or is given up on.
func TestHostile_EngineChildren(t *testing.T) {
	slow(t)
	file := writeFile(t, "my.json", hamstringDoc)
	dir := t.TempDir()
	tests := []struct {
		name, body string
		args       []string
		code       int
	}{
		{"voices", `sleep 300 & echo $! >> ` + dir + `/pids; ` + testtools.RequireTool(t, "sox") + ` -n -r 16000 -b 16 "$1" synth 0.7 sine 330 gain -8`, nil, 0},
		{"fails", `sleep 300 & echo $! >> ` + dir + `/pids; exit 3`, nil, 1},
		{"hangs", `sleep 300 & echo $! >> ` + dir + `/pids; sleep 300`, []string{"--tts-timeout", "500ms"}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			os.Remove(filepath.Join(dir, "pids"))
			tts, _ := fakeTTS(t, "0", tt.body)
			args := append([]string{"export", "legs", "--routines", file, "-o", filepath.Join(t.TempDir(), "x.wav"), "--tts", tts}, tt.args...)
			if code, stderr, _ := hostileRun(t, wordsEnv(t), args...); code != tt.code {
				t.Fatalf("exit %d, want %d: %s", code, tt.code, stderr)
			}
			data, _ := os.ReadFile(filepath.Join(dir, "pids"))
			pids := strings.Fields(string(data))
			if len(pids) == 0 {
				t.Fatal("the engine never ran")
			}
			for _, pid := range pids {
				eventually(t, "the engine's child "+pid+" to end", func() bool { return !running(pid) })
			}
		})
	}
}

// running reports whether process pid runs (exists, and is not a
// zombie waiting to be reaped).
func running(pid string) bool {
	stat, err := os.ReadFile("/proc/" + pid + "/stat")
	if err != nil {
		return false
	}
	_, rest, _ := strings.Cut(string(stat), ") ")
	return !strings.HasPrefix(rest, "Z")
}

// TestHostile_ConfigThatCannotBeRead: a config.json or routines.json
// that is there but cannot be read (a loop of links, a device, a pipe, a
// folder, a file where the config folder goes) is an error naming it,
// with exit 2; it used to be taken for no file at all, or reported
// without its name.
func TestHostile_ConfigThatCannotBeRead(t *testing.T) {
	tests := []struct {
		name  string
		setup func(t *testing.T, dir string) // dir: limber's config folder, made
		want  string                         // besides the file's name
	}{
		{"routines.json, a loop of links", func(t *testing.T, dir string) {
			os.Symlink("loop.json", filepath.Join(dir, "routines.json"))
			os.Symlink("routines.json", filepath.Join(dir, "loop.json"))
		}, "routines.json: too many levels of symbolic links"},
		{"config.json is /dev/zero", func(t *testing.T, dir string) {
			os.Symlink("/dev/zero", filepath.Join(dir, "config.json"))
		}, "config.json: not a regular file"},
		{"config.json is a pipe", func(t *testing.T, dir string) {
			syscall.Mkfifo(filepath.Join(dir, "config.json"), 0o600)
		}, "config.json: not a regular file"},
		{"config.json is a folder", func(t *testing.T, dir string) {
			os.Mkdir(filepath.Join(dir, "config.json"), 0o755)
		}, "config.json: is a folder, not a file"},
		{"the config folder is a file", func(t *testing.T, dir string) {
			os.Remove(dir)
			os.WriteFile(dir, []byte("x"), 0o644)
		}, "routines.json: not a directory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			home := t.TempDir()
			dir := filepath.Join(home, "limber")
			os.MkdirAll(dir, 0o755)
			tt.setup(t, dir)
			commands := [][]string{{"plan", "desk-break"}, {"check", writeFile(t, "r.json", tinyRoutine)}, {"plan", "--minutes", "5"}}
			if strings.HasPrefix(tt.name, "config.json") { // read by what takes settings from it
				commands = [][]string{{"plan", "--minutes", "5"}, {"say", "Words of my own.", "-o", filepath.Join(t.TempDir(), "w.wav")}}
			}
			for _, args := range commands {
				_, stderr, code := limber(t, []string{"XDG_CONFIG_HOME=" + home}, args...)
				if code != 2 || !strings.Contains(stderr, tt.want) || strings.Count(stderr, "\n") != 1 {
					t.Errorf("%v: exit %d, %q; want exit 2 and %q", args, code, stderr, tt.want)
				}
			}
		})
	}
}

// TestHostile_SayWords: limber say holds words to a routine file's limits
// (100 KB of words used to run the engine into its timeout), with the
// same messages, before any engine runs.
func TestHostile_SayWords(t *testing.T) {
	tts, calls := fakeTTS(t, "0", "")
	tests := []struct {
		words, want string
	}{
		{strings.Repeat("Stretch the words. ", 5000), "is longer than 200 bytes"},
		{"Line one.\nLine two.", "must be one line of text, without tabs or control characters"},
		{"Tab\there.", "must be one line of text, without tabs or control characters"},
	}
	for _, tt := range tests {
		_, stderr, code := limber(t, wordsEnv(t), "say", tt.words, "--tts", tts, "-o", filepath.Join(t.TempDir(), "x.wav"))
		if code != 2 || !strings.HasPrefix(stderr, "limber: say: words ") || !strings.Contains(stderr, tt.want) || len(stderr) > 200 {
			t.Errorf("%.30q: exit %d, %q; want exit 2 and %q", tt.words, code, stderr, tt.want)
		}
	}
	if n := callCount(t, calls); n != 0 {
		t.Errorf("the engine ran %d times", n)
	}
}

// TestHostile_OddPaths: a routine file that is not there is exit 2, as
// every input the user must fix; init refuses a FILE that is empty or
// names a folder before making anything, writes the starter to stdout
// for -, and leaves no folder behind when the file cannot be written.
func TestHostile_OddPaths(t *testing.T) {
	dir := t.TempDir()
	long := strings.Repeat("n", 300) + ".json"
	tests := []struct {
		name string
		args []string
		code int
		want string // in stderr, or in stdout for exit 0
	}{
		{"check a missing file", []string{"check", filepath.Join(dir, "nonexistent.json")}, 2, "nonexistent.json: no such file or directory"},
		{"plan with a missing file", []string{"plan", "desk-break", "--routines", filepath.Join(dir, "nonexistent.json")}, 2, "no such file or directory"},
		{"init a path ending in /", []string{"init", filepath.Join(dir, "x", "new.json") + "/"}, 2, "new.json/ names a folder; name a file in it"},
		{"init an existing folder", []string{"init", dir}, 2, "is a folder; name a file in it"},
		{"init an empty name", []string{"init", ""}, 2, "init: the FILE name is empty"},
		{"init -", []string{"init", "-"}, 0, `"version": 1`},
		{"init a name too long", []string{"init", filepath.Join(dir, "a", "b", long)}, 1, "file name too long"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stdout, stderr, code := limber(t, nil, tt.args...)
			got := stderr
			if tt.code == 0 {
				got = stdout
			}
			if code != tt.code || !strings.Contains(got, tt.want) {
				t.Errorf("exit %d, stdout %.60q, stderr %q; want exit %d and %q", code, stdout, stderr, tt.code, tt.want)
			}
			if names := testtools.DirNames(t, dir); len(names) != 0 {
				t.Errorf("left %v", names)
			}
		})
	}
	if _, err := os.Lstat("-"); err == nil {
		os.Remove("-")
		t.Error("init - wrote a file named -")
	}
}

// TestHostile_LongAvoid: an "avoid" of config.json as long as the file
// may be, against a library of 20,000 stretches, is refused at once in a
// short line: looking for the nearest stretch id used to measure it
// against every one of them.
func TestHostile_LongAvoid(t *testing.T) {
	config := t.TempDir()
	os.MkdirAll(filepath.Join(config, "limber"), 0o755)
	os.WriteFile(filepath.Join(config, "limber", "config.json"), []byte(`{"avoid": ["`+strings.Repeat("x", 60<<10)+`"]}`), 0o644)
	var b strings.Builder
	b.WriteString(`{"version": 1, "stretches": {`)
	for i := range 20_000 {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, `"s%d": {"name": "S", "steps": [{"hold": 5}]}`, i)
	}
	b.WriteString("}}")
	many := writeFile(t, "many.json", b.String())
	code, stderr, _ := hostileRun(t, []string{"XDG_CONFIG_HOME=" + config}, "plan", "--minutes", "5", "--routines", many)
	if code != 2 || !strings.Contains(stderr, "is neither an area nor a stretch") || len(stderr) > 200 {
		t.Errorf("exit %d, %d bytes: %.200q", code, len(stderr), stderr)
	}
}
