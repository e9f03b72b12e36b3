package main

import (
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gopxl/beep/v2/wav"

	"github.com/limber-audio/limber/cues"
	"github.com/limber-audio/limber/cues/cueid"
	"github.com/limber-audio/limber/internal/testtools"
)

// hamstringDoc is the new user's routine of the README: a new stretch in
// their own words beside a built-in one.
const hamstringDoc = `{
  "version": 1,
  "stretches": {
    "hamstring": {"name": "Hamstring stretch", "how": "Sit with one leg straight and reach toward your toes.",
                  "sides": 2, "steps": [{"say": "Reach forward."}, {"hold": 20}]}
  },
  "routines": {
    "legs": {"name": "Legs", "stretches": ["hamstring", "neck-tilts"], "closing": "Nice work today."}
  }
}
`

// wordsEnv returns the environment of a limber with a cache and config of
// its own.
func wordsEnv(t *testing.T, extra ...string) []string {
	t.Helper()
	dir := t.TempDir()
	return append([]string{"XDG_CACHE_HOME=" + filepath.Join(dir, "cache"), "XDG_CONFIG_HOME=" + filepath.Join(dir, "config")}, extra...)
}

// fakeTTS writes a --tts engine script: it logs each call to a file, waits
// delay, then writes a short tone with sox (or runs body instead). It
// returns the --tts template and the log's path.
func fakeTTS(t *testing.T, delay, body string) (template, calls string) {
	t.Helper()
	sox := testtools.RequireTool(t, "sox")
	dir := t.TempDir()
	calls = filepath.Join(dir, "calls")
	if body == "" {
		body = sox + ` -n -r 16000 -b 16 "$1" synth 0.7 sine 330 gain -8`
	}
	script := filepath.Join(dir, "tts.sh")
	os.WriteFile(script, []byte("#!/bin/sh\necho \"$2\" >> "+calls+"\nsleep "+delay+"\n"+body+"\n"), 0o755)
	return script + " {out} {text}", calls
}

func callCount(t *testing.T, path string) int {
	data, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return 0
	}
	if err != nil {
		t.Fatal(err)
	}
	return strings.Count(string(data), "\n")
}

// TestWords_EndToEndWithFestival is the new user's story with the real
// engine: check, plan and export a routine with their own words and a
// built-in stretch, then listen to the export: every phrase is sound where
// the plan says, as loud as the built-in clips.
func TestWords_EndToEndWithFestival(t *testing.T) {
	testtools.RequireTool(t, "text2wave")
	if err := (cues.Festival{}).Available(); err != nil {
		t.Fatal(err)
	}
	env := wordsEnv(t)
	file := writeFile(t, "my.json", hamstringDoc)
	stdout, stderr, code := limber(t, env, "check", file)
	if code != 0 || !strings.Contains(stdout, "ok: 1 stretch, 1 routine, 4 phrases of your own words") {
		t.Fatalf("check: exit %d\n%s%s", code, stdout, stderr)
	}
	events := planOf(t, env, "legs", "--routines", file).Events
	dir := t.TempDir()
	out, vtt := filepath.Join(dir, "legs.wav"), filepath.Join(dir, "legs.vtt")
	if _, stderr, code := limber(t, env, "export", "legs", "--routines", file, "-o", out, "--captions", vtt); code != 0 {
		t.Fatalf("export: exit %d: %s", code, stderr)
	}
	samples, rate := readMono(t, out)
	captions, _ := os.ReadFile(vtt)
	var phrases, builtin []float64 // RMS of each cue's span, dBFS
	for _, e := range events {
		if e.Kind != "cue" {
			continue
		}
		from, to := int(e.Start*float64(rate)), int((e.Start+e.Duration)*float64(rate))
		level := rmsdB(samples[from:min(to, len(samples))])
		if strings.HasPrefix(e.Cue, cueid.PhrasePrefix) {
			phrases = append(phrases, level)
			if !strings.Contains(string(captions), e.Text) {
				t.Errorf("captions lack %q", e.Text)
			}
		} else if e.Cue != "halfway" { // callouts may be mixed with a tick
			builtin = append(builtin, level)
		}
	}
	if len(phrases) != 5 { // the name, how, "reach forward" on each side, the closing
		t.Errorf("%d phrases spoken, want 5", len(phrases))
	}
	avg := func(xs []float64) float64 {
		var s float64
		for _, x := range xs {
			s += x
		}
		return s / float64(len(xs))
	}
	for _, p := range phrases {
		if p < -40 {
			t.Errorf("a phrase is silent in the export: %.1f dBFS", p)
		}
	}
	if d := avg(phrases) - avg(builtin); math.Abs(d) > 1 {
		t.Errorf("phrases average %.2f dBFS, built-in cues %.2f dBFS: %.2f dB apart, want within 1", avg(phrases), avg(builtin), d)
	}
}

func readMono(t *testing.T, path string) ([]float64, int) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	dec, format, err := wav.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	var out []float64
	buf := make([][2]float64, 4096)
	for {
		n, ok := dec.Stream(buf)
		for _, s := range buf[:n] {
			out = append(out, s[0])
		}
		if !ok {
			break
		}
	}
	return out, int(format.SampleRate)
}

func rmsdB(x []float64) float64 {
	var s float64
	for _, v := range x {
		s += v * v
	}
	return 10 * math.Log10(s/float64(max(len(x), 1))+1e-20)
}

func TestWords_VoicedOnceThenCached(t *testing.T) {
	tts, calls := fakeTTS(t, "0", "")
	env := wordsEnv(t)
	file := writeFile(t, "my.json", hamstringDoc)
	first := planOf(t, env, "legs", "--routines", file, "--tts", tts).Events
	if got := callCount(t, calls); got != 4 {
		t.Errorf("first plan: engine ran %d times, want 4 (each phrase once)", got)
	}
	second := planOf(t, env, "legs", "--routines", file, "--tts", tts).Events
	if got := callCount(t, calls); got != 4 {
		t.Errorf("second plan: engine ran %d times in all, want still 4 (all cached)", got)
	}
	if len(first) != len(second) || first[len(first)-1] != second[len(second)-1] {
		t.Error("the cached plan differs from the first")
	}
	// The ids are shown, and the words.
	var ids []string
	for _, e := range first {
		if strings.HasPrefix(e.Cue, cueid.PhrasePrefix) {
			ids = append(ids, e.Cue+"="+e.Text)
		}
	}
	if len(ids) == 0 || ids[0] != cueid.OfWords("Hamstring stretch")+"=Hamstring stretch" {
		t.Errorf("phrase cues in the plan: %q", ids)
	}
}

func TestWords_CoachTonesNeedsNoEngine(t *testing.T) {
	env := wordsEnv(t, "PATH="+t.TempDir()) // no engine at all
	file := writeFile(t, "my.json", hamstringDoc)
	if _, stderr, code := limber(t, env, "plan", "legs", "--routines", file, "--coach", "tones"); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
}

func TestWords_EngineProblems(t *testing.T) {
	file := writeFile(t, "my.json", hamstringDoc)
	garbage, _ := fakeTTS(t, "0", `echo not audio > "$1"`)
	failing, _ := fakeTTS(t, "0", `echo "voice slt not found" >&2; exit 3`)
	hanging, _ := fakeTTS(t, "30", "")
	tests := []struct {
		name string
		env  []string
		args []string
		code int
		want string
	}{
		{"no engine installed", []string{"PATH=" + t.TempDir()}, nil, 1,
			`limber: no text-to-speech engine to voice 4 phrases ("Hamstring stretch", "Sit with one leg straight and reach towa...", "Reach forward.", and 1 more): festival is not installed, espeak-ng is not installed; install festival festvox-us-slt-hts or espeak-ng, or record them with --voice DIR`},
		// Phrases are voiced several at once: any of them may fail first.
		{"engine fails", nil, []string{"--tts", failing}, 1,
			`with tts.sh: tts.sh: exit status 3: voice slt not found`},
		{"engine hangs", nil, []string{"--tts", hanging, "--tts-timeout", "300ms"}, 1,
			`with tts.sh: gave no result within 300ms`},
		{"engine writes garbage", nil, []string{"--tts", garbage}, 1,
			`with tts.sh: wrote something that is not a WAV file`},
		{"engine not found", nil, []string{"--tts", "no-such-tts {out}"}, 1,
			`--tts: no-such-tts not found`},
		{"template without out", nil, []string{"--tts", "espeak-ng -w x.wav"}, 2,
			`limber: --tts: the command must say where to write the WAV file with {out}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := wordsEnv(t, tt.env...)
			start := time.Now()
			_, stderr, code := limber(t, env, append([]string{"export", "legs", "--routines", file, "-o", filepath.Join(t.TempDir(), "x.wav")}, tt.args...)...)
			if code != tt.code || !strings.Contains(stderr, tt.want) {
				t.Fatalf("exit %d, stderr:\n%s\nwant exit %d and %s", code, stderr, tt.code, tt.want)
			}
			// Off a terminal, the start of the voicing is said first.
			if started, rest, ok := strings.Cut(stderr, "\n"); ok && strings.HasPrefix(started, "limber: voicing 4 new phrases with tts.sh") {
				stderr = rest
			}
			if strings.Count(stderr, "\n") != 1 || !strings.HasPrefix(stderr, "limber: ") {
				t.Errorf("want one line, got:\n%s", stderr)
			}
			if time.Since(start) > 20*time.Second {
				t.Errorf("took %s: the deadline did not stop the engine", time.Since(start))
			}
			cache := filepath.Join(strings.TrimPrefix(env[0], "XDG_CACHE_HOME="), "limber", "phrases")
			if files, _ := filepath.Glob(filepath.Join(cache, "*.wav")); len(files) != 0 {
				t.Errorf("cache holds %v after a failure", files)
			}
		})
	}
}

func TestWords_DamagedCacheIsVoicedAgain(t *testing.T) {
	tts, calls := fakeTTS(t, "0", "")
	env := wordsEnv(t)
	if _, stderr, code := limber(t, env, "say", "Breathe out slowly.", "--tts", tts, "-o", filepath.Join(t.TempDir(), "a.wav")); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	entries, _ := filepath.Glob(filepath.Join(strings.TrimPrefix(env[0], "XDG_CACHE_HOME="), "limber", "phrases", "*.wav"))
	if len(entries) != 1 {
		t.Fatalf("cache entries %v", entries)
	}
	data, _ := os.ReadFile(entries[0])
	os.WriteFile(entries[0], data[:len(data)-100], 0o644)
	_, stderr, code := limber(t, env, "say", "Breathe out slowly.", "--tts", tts, "-o", filepath.Join(t.TempDir(), "b.wav"))
	if code != 0 || !strings.Contains(stderr, "damaged cache entry") {
		t.Errorf("exit %d, stderr %q; want success and a warning", code, stderr)
	}
	if got := callCount(t, calls); got != 2 {
		t.Errorf("engine ran %d times, want 2", got)
	}
}

func TestWords_RecordingOverridesSynthesis(t *testing.T) {
	tts, calls := fakeTTS(t, "0", "")
	voice := t.TempDir()
	id := cueid.OfWords("Breathe out slowly.")
	src, err := os.ReadFile("../../cues/testdata/formats/hold.wav")
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(voice, id+".wav"), src, 0o644)
	env := wordsEnv(t)
	missing, _, _ := limber(t, env, "cues", "--missing", voice)
	if strings.Contains(missing, id) {
		t.Errorf("cues --missing lists the recorded phrase")
	}
	if _, stderr, code := limber(t, env, "say", "Breathe out slowly.", "--voice", voice, "--tts", tts, "-o", filepath.Join(t.TempDir(), "a.wav")); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if got := callCount(t, calls); got != 0 {
		t.Errorf("engine ran %d times for a recorded phrase", got)
	}
}

func TestWords_TwoLimbersAtOnce(t *testing.T) {
	tts, calls := fakeTTS(t, "0.3", "")
	env := wordsEnv(t)
	file := writeFile(t, "my.json", hamstringDoc)
	bin := program(t)
	var wg sync.WaitGroup
	codes := make([]int, 2)
	stderrs := make([]string, 2)
	for i := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cmd := exec.Command(bin, "plan", "legs", "--routines", file, "--tts", tts)
			cmd.Env = append(os.Environ(), env...)
			out, err := cmd.CombinedOutput()
			stderrs[i] = string(out)
			if err != nil {
				codes[i] = 1
			}
		}()
	}
	wg.Wait()
	if codes[0] != 0 || codes[1] != 0 {
		t.Fatalf("exit codes %v:\n%s\n%s", codes, stderrs[0], stderrs[1])
	}
	if got := callCount(t, calls); got != 4 {
		t.Errorf("engine ran %d times for 4 phrases and two limbers, want 4", got)
	}
}

func TestWords_CuesCommand(t *testing.T) {
	tts, calls := fakeTTS(t, "0", "")
	env := wordsEnv(t)
	file := writeFile(t, "my.json", hamstringDoc)
	id := cueid.OfWords("Reach forward.")
	list, _, code := limber(t, env, "cues", "--routines", file)
	if code != 0 || !strings.Contains(list, id) || !strings.Contains(list, "~") {
		t.Errorf("cues: exit %d, want %s with an estimated length:\n%s", code, id, list)
	}
	text, _, _ := limber(t, env, "cues", "--routines", file, "--export-text")
	if !strings.Contains(text, id+"\tReach forward.\n") {
		t.Errorf("--export-text lacks %s", id)
	}
	stdout, stderr, code := limber(t, env, "cues", "--routines", file, "--synth", "--tts", tts)
	if code != 0 || !strings.Contains(stdout, "4 phrases: 0 recorded or cached already, 4 voiced now") {
		t.Errorf("--synth: exit %d\n%s%s", code, stdout, stderr)
	}
	stdout, _, _ = limber(t, env, "cues", "--routines", file, "--synth", "--tts", tts)
	if !strings.Contains(stdout, "4 recorded or cached already, 0 voiced now") || callCount(t, calls) != 4 {
		t.Errorf("second --synth: %s, %d engine runs", stdout, callCount(t, calls))
	}
	list, _, _ = limber(t, env, "cues", "--routines", file, "--tts", tts)
	if strings.Contains(list, "~") {
		t.Errorf("lengths still estimated after --synth:\n%s", list)
	}
}

func TestWords_LayeredLibrary(t *testing.T) {
	env := wordsEnv(t)
	config := strings.TrimPrefix(env[1], "XDG_CONFIG_HOME=")
	user := filepath.Join(config, "limber", "routines.json")
	if stdout, stderr, code := limber(t, env, "init"); code != 0 || !strings.Contains(stdout, "wrote "+user) {
		t.Fatalf("init: exit %d\n%s%s", code, stdout, stderr)
	}
	if _, stderr, code := limber(t, env, "init"); code != 2 || !strings.Contains(stderr, "already exists") {
		t.Errorf("second init: exit %d %s", code, stderr)
	}
	if out, stderr, code := limber(t, env, "check", user); code != 0 || strings.Contains(out, "replaces") {
		t.Errorf("check of the config folder's own file: exit %d\n%s%s", code, out, stderr)
	}
	list, stderr, code := limber(t, env, "list")
	if code != 0 || !strings.Contains(list, "my-morning") || !strings.Contains(list, "["+user+"]") || !strings.Contains(list, "upper-back") {
		t.Fatalf("list with the config file: exit %d\n%s%s", code, list, stderr)
	}
	// A file replacing a built-in stretch, then a second file over it.
	over := writeFile(t, "over.json", `{"version": 1, "stretches": {"neck-tilts": {"name": "Slow neck tilts", "sides": 2, "steps": [{"hold": 30}]}}}`)
	again := writeFile(t, "again.json", `{"version": 1, "stretches": {"neck-tilts": {"name": "Slower neck tilts", "sides": 2, "steps": [{"hold": 40}]}}}`)
	stdout, _, code := limber(t, env, "check", over)
	if code != 0 || !strings.Contains(stdout, "replaces stretch neck-tilts (built-in)") {
		t.Errorf("check: exit %d %s", code, stdout)
	}
	list, _, _ = limber(t, env, "list", "--json", "--routines", over, "--routines", again)
	if !strings.Contains(list, `"name": "Slower neck tilts",`) || !strings.Contains(list, `"file": "`+again+`"`) || strings.Contains(list, "Slow neck tilts") {
		t.Errorf("the later file does not win:\n%s", list)
	}
	// config.json sets the engine.
	tts, calls := fakeTTS(t, "0", "")
	os.WriteFile(filepath.Join(config, "limber", "config.json"), []byte(`{"tts": "`+tts+`"}`), 0o644)
	if _, stderr, code := limber(t, env, "plan", "my-morning"); code != 0 {
		t.Fatalf("plan with config.json: exit %d %s", code, stderr)
	}
	if callCount(t, calls) == 0 {
		t.Error("the engine of config.json did not run")
	}
	os.WriteFile(filepath.Join(config, "limber", "config.json"), []byte(`{"ttss": "x"}`), 0o644)
	if _, stderr, code := limber(t, env, "plan", "my-morning"); code != 2 || !strings.Contains(stderr, `config.json: json: unknown field "ttss"`) {
		t.Errorf("bad config.json: exit %d %s", code, stderr)
	}
}

func TestWords_SayAnySentence(t *testing.T) {
	tts, _ := fakeTTS(t, "0", "")
	env := wordsEnv(t)
	out := filepath.Join(t.TempDir(), "s.wav")
	if _, stderr, code := limber(t, env, "say", "switch-sides", "Then breathe.", "--tts", tts, "-o", out); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	samples, rate := readMono(t, out)
	if sec := float64(len(samples)) / float64(rate); sec < 1.5 || sec > 3 {
		t.Errorf("%.2f s for a cue and a short phrase", sec)
	}
	_, stderr, code := limberProc(t, env, "say", "relax")
	if code != 2 || !strings.Contains(stderr, `no cue named "relax"`) {
		t.Errorf("say relax: exit %d %s", code, stderr)
	}
}

// TestWords_VoicingSaysWhenItStartsAndEnds: off a terminal (a pipe, a
// log), voicing that can take minutes is not silent: one line when it
// starts, one when it ends, and the second run, all cached, says nothing.
func TestWords_VoicingSaysWhenItStartsAndEnds(t *testing.T) {
	tts, _ := fakeTTS(t, "0", "")
	env := wordsEnv(t)
	file := writeFile(t, "my.json", hamstringDoc)
	args := []string{"plan", "legs", "--routines", file, "--tts", tts}
	_, stderr, code := limber(t, env, args...)
	want := regexp.MustCompile(`^limber: voicing 4 new phrases with tts\.sh(, \d+ at a time)?\nlimber: voiced 4 phrases in 0:\d\d\n$`)
	if code != 0 || !want.MatchString(stderr) {
		t.Errorf("exit %d, stderr %q; want it to match %s", code, stderr, want)
	}
	if _, stderr, _ := limber(t, env, args...); stderr != "" {
		t.Errorf("all cached, yet stderr %q", stderr)
	}
}

// TestWords_TTSAllVoicesTheBuiltinCues: with --tts-all the user's engine
// voices every built-in cue too, each once, into the cache; a second run
// voices none; what plays then is the engine's voice throughout, but
// for a recording in --voice, which wins.
func TestWords_TTSAllVoicesTheBuiltinCues(t *testing.T) {
	sox := testtools.RequireTool(t, "sox")
	dir := t.TempDir()
	clip := filepath.Join(dir, "clip.wav") // the engine's voice: 0.7 s of tone
	if out, err := exec.Command(sox, "-n", "-r", "16000", "-b", "16", clip, "synth", "0.7", "sine", "330", "gain", "-8").CombinedOutput(); err != nil {
		t.Fatalf("sox: %v\n%s", err, out)
	}
	tts, calls := fakeTTS(t, "0", `cp `+clip+` "$1"`)
	env := wordsEnv(t)
	cuesIn := len(cues.Builtin().IDs())

	stdout, stderr, code := limber(t, env, "cues", "--synth", "--tts", tts, "--tts-all")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if got := callCount(t, calls); got != cuesIn {
		t.Errorf("the engine ran %d times, want once for each of the %d built-in cues", got, cuesIn)
	}
	if want := fmt.Sprintf("0 phrases and %d built-in cues: 0 recorded or cached already, %d voiced now\n", cuesIn, cuesIn); stdout != want {
		t.Errorf("stdout %q, want %q", stdout, want)
	}
	if _, stderr, code := limber(t, env, "cues", "--synth", "--tts", tts, "--tts-all"); code != 0 || callCount(t, calls) != cuesIn {
		t.Errorf("second run: exit %d (%s), engine ran %d more times; want none", code, stderr, callCount(t, calls)-cuesIn)
	}

	// The plan speaks every cue in the engine's voice (the same length
	// each), but switch-sides, recorded by the user.
	voice := t.TempDir()
	if out, err := exec.Command(sox, "-n", "-r", "22050", "-b", "16", filepath.Join(voice, "switch-sides.wav"), "synth", "1.5", "sine", "440", "gain", "-10").CombinedOutput(); err != nil {
		t.Fatalf("sox: %v\n%s", err, out)
	}
	env = append(env, "XDG_CONFIG_HOME="+writeConfig(t, `{"tts": "`+tts+`", "tts_all": true}`))
	plan := planOf(t, env, "desk-break", "--voice", voice)
	if got := callCount(t, calls); got != cuesIn {
		t.Errorf("planning ran the engine %d more times; all was cached", got-cuesIn)
	}
	var engine, recorded []float64
	for _, e := range plan.Events {
		switch {
		case e.Kind != "cue":
		case e.Cue == "switch-sides":
			recorded = append(recorded, e.Duration)
		default:
			engine = append(engine, e.Duration)
		}
	}
	for _, d := range engine {
		if d != engine[0] || d < 0.6 || d > 0.8 {
			t.Fatalf("cue lengths %v: want every cue the engine's 0.7 s", engine)
		}
	}
	if len(recorded) == 0 || recorded[0] < 1.4 {
		t.Errorf("switch-sides lasts %v, want the 1.5 s recording", recorded)
	}

	// Without an engine of the user's there is nothing to voice them with.
	_, stderr, code = limber(t, wordsEnv(t), "plan", "desk-break", "--tts-all")
	if code != 2 || !strings.Contains(stderr, "--tts-all voices the built-in cues with your engine: name it with --tts COMMAND") {
		t.Errorf("--tts-all alone: exit %d, %q", code, stderr)
	}
}

// writeConfig writes config.json into a configuration folder of its own
// and returns the folder, for XDG_CONFIG_HOME.
func writeConfig(t *testing.T, doc string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "limber"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "limber", "config.json"), []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}
