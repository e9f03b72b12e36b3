package cues

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/limber-audio/limber/cues/cueid"
	"github.com/limber-audio/limber/internal/testtools"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/")

// fakeEngine stands in for a text-to-speech program in tests of what limber
// does around one; the real engines are tested against festival and
// espeak-ng themselves (TestRender_RealEngines).
type fakeEngine struct {
	name  string
	calls atomic.Int32
	// act writes out for text; nil writes one second of a voice-like tone
	act func(ctx context.Context, text, out string) error
	// missing, when set, is why the engine is not available
	missing string
}

func (f *fakeEngine) Name() string { return f.name }
func (f *fakeEngine) Key() string  { return "fake/" + f.name }
func (f *fakeEngine) Available() error {
	if f.missing != "" {
		return errors.New(f.missing)
	}
	return nil
}

func (f *fakeEngine) Synthesize(ctx context.Context, text, out string) error {
	f.calls.Add(1)
	if f.act != nil {
		return f.act(ctx, text, out)
	}
	return writeTone(out, 16000, 1.0, 0.5)
}

// writeTone writes a WAV file at rate of a tone with a syllable-like
// envelope, sec long at amplitude amp, with a little silence either side.
func writeTone(path string, rate int, sec, amp float64) error {
	n := int(sec * float64(rate))
	pad := rate / 10
	x := make([]int16, n+2*pad)
	for i := range n {
		env := math.Sin(math.Pi * float64(i) / float64(n))
		x[pad+i] = int16(amp * env * 32767 * math.Sin(2*math.Pi*220*float64(i)/float64(rate)))
	}
	var b bytes.Buffer
	WriteClipWAV(&b, x)
	data := b.Bytes()
	// WriteClipWAV writes ClipRate: patch in this file's rate.
	putLE32(data[24:], uint32(rate))
	putLE32(data[28:], uint32(2*rate))
	return os.WriteFile(path, data, 0o644)
}

// writeFloatTone writes a second of a tone at 16 kHz as a 32-bit float
// WAV file, with bad in the middle of it.
func writeFloatTone(path string, bad float32) error {
	const rate = 16000
	x := make([]float32, rate)
	for i := range x {
		x[i] = float32(0.3 * math.Sin(2*math.Pi*220*float64(i)/rate))
	}
	x[rate/2] = bad
	return os.WriteFile(path, testtools.FloatWAV(x, rate), 0o644)
}

func putLE32(b []byte, v uint32) {
	b[0], b[1], b[2], b[3] = byte(v), byte(v>>8), byte(v>>16), byte(v>>24)
}

func loudness(clip []int16) (rmsdB, peakdB float64) {
	var sum, pk float64
	for _, v := range clip {
		x := float64(v) / 32768
		sum += x * x
		pk = max(pk, math.Abs(x))
	}
	return 10 * math.Log10(sum/float64(len(clip))), 20 * math.Log10(pk)
}

func newSynth(t *testing.T, engines ...Engine) *Synth {
	return &Synth{Engines: engines, Cache: &Cache{Dir: t.TempDir()}, Timeout: 5 * time.Second}
}

func phrasePack(texts ...string) (*Pack, []string) {
	p := NewPack(44100)
	var ids []string
	for _, t := range texts {
		ph := cueid.Phrase{ID: cueid.OfWords(t), Text: cueid.Normalize(t)}
		p.AddPhrases([]cueid.Phrase{ph})
		ids = append(ids, ph.ID)
	}
	return p, ids
}

func TestProcess_MeetsThePackTargets(t *testing.T) {
	tests := []struct {
		name string
		amp  float64
		rate int
	}{
		{"quiet at 16 kHz", 0.05, 16000},
		{"loud at 48 kHz", 0.99, 48000},
		{"at the clip rate", 0.3, ClipRate},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := tt.rate
			x := make([]float32, 3*n)
			for i := n; i < 2*n; i++ { // a second of sound between silences
				x[i] = float32(tt.amp * math.Sin(2*math.Pi*300*float64(i)/float64(tt.rate)))
			}
			x[n+n/2] = float32(min(1, tt.amp*3)) // one spike the limiter must take
			clip, err := Process(x, tt.rate)
			if err != nil {
				t.Fatal(err)
			}
			if d := math.Abs(float64(len(clip)) - ClipRate); d > ClipRate/50 {
				t.Errorf("%d samples, want about %d: silence not trimmed", len(clip), ClipRate)
			}
			rms, pk := loudness(clip)
			if math.Abs(rms-TargetRMSdB) > 0.5 || pk > PeakCeilingdB+0.01 {
				t.Errorf("RMS %.2f dBFS, peak %.2f dBFS; want %.0f and under %.1f", rms, pk, TargetRMSdB, PeakCeilingdB)
			}
			if clip[0] != 0 && math.Abs(float64(clip[0])) > 200 {
				t.Errorf("clip starts at %d: no fade in", clip[0])
			}
		})
	}
	if _, err := Process(make([]float32, 1000), 8000); !errors.Is(err, ErrSilent) {
		t.Errorf("silence: %v, want ErrSilent", err)
	}
}

func TestSynth_VoicesOnceThenCaches(t *testing.T) {
	eng := &fakeEngine{name: "fake"}
	syn := newSynth(t, eng)
	for run := range 2 {
		p, ids := phrasePack("Reach forward.", "Breathe out.", "Reach forward.")
		if err := syn.Voice(context.Background(), p, ids); err != nil {
			t.Fatal(err)
		}
		if got := eng.calls.Load(); got != 2 {
			t.Errorf("run %d: engine called %d times, want 2 (each phrase once, ever)", run+1, got)
		}
		n, err := p.CueLen(ids[0], 44100)
		if err != nil || n < 44100*9/10 || n > 44100*11/10 {
			t.Errorf("run %d: length %d, %v; want about a second", run+1, n, err)
		}
	}
}

func TestSynth_NothingToVoiceTouchesNothing(t *testing.T) {
	eng := &fakeEngine{name: "fake", missing: "not here"}
	syn := &Synth{Engines: []Engine{eng}, Cache: &Cache{Dir: filepath.Join(t.TempDir(), "never")}}
	p := NewPack(44100)
	if err := syn.Voice(context.Background(), p, []string{"switch-sides", "get-ready"}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(syn.Cache.Dir); err == nil {
		t.Error("the cache folder was made with nothing to voice")
	}
}

func TestSynth_DamagedCacheEntryIsVoicedAgain(t *testing.T) {
	eng := &fakeEngine{name: "fake"}
	syn := newSynth(t, eng)
	var warned []string
	syn.Warn = func(m string) { warned = append(warned, m) }
	p, ids := phrasePack("Reach forward.")
	if err := syn.Voice(context.Background(), p, ids); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(syn.Cache.Dir, "*.wav"))
	if len(files) != 1 {
		t.Fatalf("cache holds %v", files)
	}
	for _, damage := range []func([]byte) []byte{
		func(b []byte) []byte { b[len(b)/2] ^= 0x40; return b }, // one flipped bit
		func(b []byte) []byte { return b[:len(b)/3] },           // cut short
		func(b []byte) []byte { return []byte("garbage") },      // replaced
	} {
		data, _ := os.ReadFile(files[0])
		os.WriteFile(files[0], damage(data), 0o644)
		p, ids := phrasePack("Reach forward.")
		if err := syn.Voice(context.Background(), p, ids); err != nil {
			t.Fatal(err)
		}
	}
	if got := eng.calls.Load(); got != 4 {
		t.Errorf("engine called %d times, want 4 (once, then once per damaged entry)", got)
	}
	if len(warned) != 3 || !strings.Contains(warned[0], "damaged cache entry") {
		t.Errorf("warnings = %q", warned)
	}
}

func TestSynth_EngineFailures(t *testing.T) {
	tests := []struct {
		name string
		act  func(ctx context.Context, text, out string) error
		want string
	}{
		{"fails", func(context.Context, string, string) error { return errors.New("exit status 3: voice not found") },
			`voice "Reach forward." with fake: exit status 3: voice not found`},
		{"hangs", func(ctx context.Context, _, _ string) error { <-ctx.Done(); return ctx.Err() },
			`voice "Reach forward." with fake: gave no result within 200ms`},
		{"writes nothing", func(context.Context, string, string) error { return nil },
			`wrote no audio file`},
		{"writes text", func(_ context.Context, _, out string) error { return os.WriteFile(out, []byte("hello"), 0o644) },
			`wrote something that is not a WAV file`},
		{"writes a broken WAV", func(_ context.Context, _, out string) error {
			return os.WriteFile(out, []byte("RIFF\x24\x00\x00\x00WAVEfmt junk"), 0o644)
		}, `wrote an unreadable WAV file`},
		{"writes silence", func(_ context.Context, _, out string) error { return writeTone(out, 16000, 1, 0) },
			`wrote silence`},
		{"writes ninety seconds", func(_ context.Context, _, out string) error { return writeTone(out, 8000, 90, 0.5) },
			`wrote 90 s of audio, more than the 60 s a phrase may last`},
		{"writes an hour", func(_ context.Context, _, out string) error { return writeTone(out, 8000, 3600, 0.5) },
			`wrote 54 MiB, more than the 32 MiB a phrase may take`},
		{"writes NaN", func(_ context.Context, _, out string) error { return writeFloatTone(out, float32(math.NaN())) },
			`wrote a sample that is not a number (NaN or infinite)`},
		{"writes infinity", func(_ context.Context, _, out string) error { return writeFloatTone(out, float32(math.Inf(-1))) },
			`wrote a sample that is not a number (NaN or infinite)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			syn := newSynth(t, &fakeEngine{name: "fake", act: tt.act})
			syn.Timeout = 200 * time.Millisecond
			p, ids := phrasePack("Reach forward.")
			err := syn.Voice(context.Background(), p, ids)
			var pe *PhraseError
			if !errors.As(err, &pe) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Voice error = %v\nwant a *PhraseError containing %s", err, tt.want)
			}
			if files, _ := filepath.Glob(filepath.Join(syn.Cache.Dir, "*")); len(files) != 1 { // the lock only
				t.Errorf("cache holds %v after a failure", files)
			}
			if len(p.Unvoiced(ids)) != 1 {
				t.Error("a failed phrase got a clip")
			}
		})
	}
}

func TestSynth_NoEngine(t *testing.T) {
	syn := newSynth(t, &fakeEngine{name: "a", missing: "festival is not installed"}, &fakeEngine{name: "b", missing: "espeak-ng is not installed"})
	p, ids := phrasePack("Reach forward.", "Breathe out.")
	err := syn.Voice(context.Background(), p, ids)
	var ne *NoEngineError
	if !errors.As(err, &ne) {
		t.Fatalf("Voice error = %v, want *NoEngineError", err)
	}
	for _, want := range []string{`2 phrases ("Reach forward.", "Breathe out.")`, "festival is not installed, espeak-ng is not installed",
		"install festival festvox-us-slt-hts or espeak-ng", "--voice DIR"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q\nlacks %q", err, want)
		}
	}
}

func TestSynth_CachedClipNeedsNoEngine(t *testing.T) {
	dir := t.TempDir()
	first := &Synth{Engines: []Engine{&fakeEngine{name: "fest"}}, Cache: &Cache{Dir: dir}}
	p, ids := phrasePack("Reach forward.")
	if err := first.Voice(context.Background(), p, ids); err != nil {
		t.Fatal(err)
	}
	// The engine that made the clip is gone; another is listed after it.
	gone := &fakeEngine{name: "fest", missing: "uninstalled"}
	other := &fakeEngine{name: "other"}
	second := &Synth{Engines: []Engine{gone, other}, Cache: &Cache{Dir: dir}}
	p2, ids2 := phrasePack("Reach forward.")
	if err := second.Voice(context.Background(), p2, ids2); err != nil {
		t.Fatal(err)
	}
	if gone.calls.Load()+other.calls.Load() != 0 {
		t.Error("an engine ran for a cached phrase")
	}
}

func TestSynth_RecordingWinsOverSynthesis(t *testing.T) {
	id := cueid.OfWords("Reach forward.")
	dir := t.TempDir()
	data, err := os.ReadFile("testdata/formats/hold.wav")
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, id+".wav"), data, 0o644)
	p, ids := phrasePack("Reach forward.")
	if _, err := p.LoadVoiceDir(dir); err != nil {
		t.Fatal(err)
	}
	eng := &fakeEngine{name: "fake"}
	if err := newSynth(t, eng).Voice(context.Background(), p, ids); err != nil {
		t.Fatal(err)
	}
	if eng.calls.Load() != 0 {
		t.Error("the engine ran for a phrase with a recording")
	}
}

func TestParseCommand(t *testing.T) {
	tests := []struct {
		template string
		args     string // the words, joined by |
		err      string
	}{
		{`piper --model '/opt/my voice.onnx' --output_file {out}`, `piper|--model|/opt/my voice.onnx|--output_file|{out}`, ""},
		{`say -o {out} "{text}"`, `say|-o|{out}|{text}`, ""},
		{`tts --text="a \"b\"" {out}`, `tts|--text=a "b"|{out}`, ""},
		{`espeak-ng -w out.wav`, ``, "must say where to write the WAV file with {out}"},
		{`  `, ``, "empty command"},
		{`tts 'unclosed {out}`, ``, "unclosed ' quote"},
		{`{text} {out}`, ``, "must start with a program name"},
	}
	for _, tt := range tests {
		c, err := ParseCommand(tt.template)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("ParseCommand(%q) error = %v, want %s", tt.template, err, tt.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseCommand(%q): %v", tt.template, err)
			continue
		}
		if got := strings.Join(c.args, "|"); got != tt.args {
			t.Errorf("ParseCommand(%q) words = %s, want %s", tt.template, got, tt.args)
		}
	}
}

// TestCommand_WordsAreNeverAShell runs a command engine whose words would
// do harm in a shell.
func TestCommand_WordsAreNeverAShell(t *testing.T) {
	testtools.RequireTool(t, "sox")
	dir := t.TempDir()
	c, err := ParseCommand(`sox -n -r 16000 -b 16 {out} synth 0.5 sine 300 gain -6`)
	if err != nil {
		t.Fatal(err)
	}
	text := `"; touch ` + filepath.Join(dir, "pwned") + `; echo "`
	if _, err := Render(context.Background(), c, text, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "pwned")); err == nil {
		t.Error("the words ran as a shell command")
	}
}

// TestRender_RealEngines voices words with festival (the built-in pack's
// voice) and espeak-ng as they are installed, and checks the clips meet the
// pack's targets like the built-in clips do.
func TestRender_RealEngines(t *testing.T) {
	for _, tt := range []struct {
		tool   string
		engine Engine
	}{{"text2wave", Festival{}}, {"espeak-ng", Espeak{}}} {
		t.Run(tt.engine.Name(), func(t *testing.T) {
			testtools.RequireTool(t, tt.tool)
			if err := tt.engine.Available(); err != nil {
				if os.Getenv("CI") != "" {
					t.Fatal(err)
				}
				t.Skip(err)
			}
			clip, err := Render(context.Background(), tt.engine, "Reach toward your toes.", 0)
			if err != nil {
				t.Fatal(err)
			}
			sec := float64(len(clip)) / ClipRate
			if sec < 0.6 || sec > 4 {
				t.Errorf("%.2f s of audio for four words", sec)
			}
			rms, pk := loudness(clip)
			if math.Abs(rms-TargetRMSdB) > 1 || pk > PeakCeilingdB+0.01 {
				t.Errorf("RMS %.2f dBFS, peak %.2f dBFS", rms, pk)
			}
		})
	}
}

func BenchmarkRender_Festival(b *testing.B) {
	if err := (Festival{}).Available(); err != nil {
		b.Skip(err)
	}
	for b.Loop() {
		if _, err := Render(context.Background(), Festival{}, "Reach toward your toes.", 0); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSynth_Cached(b *testing.B) {
	dir := b.TempDir()
	syn := &Synth{Engines: []Engine{&fakeEngine{name: "fake"}}, Cache: &Cache{Dir: dir}}
	texts := []string{"Reach forward.", "Breathe out.", "Sit tall.", "Relax your shoulders."}
	p, ids := phrasePack(texts...)
	if err := syn.Voice(context.Background(), p, ids); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		p, ids := phrasePack(texts...)
		if err := syn.Voice(context.Background(), p, ids); err != nil {
			b.Fatal(err)
		}
	}
}

// TestSynth_VoicesOnEveryWorker: with two workers two engines run at
// once (each waits for the other to start: one at a time would never
// finish), every phrase is voiced once, and Progress is told of each in
// turn, never two calls at once.
func TestSynth_VoicesOnEveryWorker(t *testing.T) {
	var running, most atomic.Int32
	both := make(chan struct{})
	var once sync.Once
	eng := &fakeEngine{name: "fake", act: func(ctx context.Context, text, out string) error {
		n := running.Add(1)
		defer running.Add(-1)
		for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
		}
		if n == 2 {
			once.Do(func() { close(both) })
		}
		select {
		case <-both:
		case <-ctx.Done(): // the Synth's timeout: the test fails below
			return ctx.Err()
		}
		return writeTone(out, 16000, 1.0, 0.5)
	}}
	syn := newSynth(t, eng)
	syn.Workers = 2
	var calls []int
	var inCall atomic.Bool
	syn.Progress = func(done, total int, engine string, workers int) {
		if inCall.Swap(true) {
			t.Error("Progress called while a call was running")
		}
		defer inCall.Store(false)
		if total != 5 || workers != 2 {
			t.Errorf("Progress(%d, %d, %q, %d): want 5 phrases, 2 at a time", done, total, engine, workers)
		}
		calls = append(calls, done)
	}
	p, ids := phrasePack("One.", "Two.", "Three.", "Four.", "Five.")
	if err := syn.Voice(context.Background(), p, ids); err != nil {
		t.Fatal(err)
	}
	if got := eng.calls.Load(); got != 5 {
		t.Errorf("engine called %d times, want 5", got)
	}
	if most.Load() != 2 {
		t.Errorf("at most %d engines ran at once, want 2", most.Load())
	}
	if want := []int{0, 1, 2, 3, 4, 5}; !slices.Equal(calls, want) {
		t.Errorf("Progress told %v, want %v", calls, want)
	}
	if len(p.Unvoiced(ids)) != 0 {
		t.Errorf("unvoiced after Voice: %v", p.Unvoiced(ids))
	}
}

// TestSynth_FirstFailureStopsTheOthers: when one phrase fails the others
// are stopped, nothing of theirs is cached, and the failure is what
// Voice returns.
func TestSynth_FirstFailureStopsTheOthers(t *testing.T) {
	eng := &fakeEngine{name: "fake", act: func(ctx context.Context, text, out string) error {
		if text == "Bad." {
			return errors.New("no voice for that")
		}
		<-ctx.Done() // the others wait until stopped
		return ctx.Err()
	}}
	syn := newSynth(t, eng)
	syn.Workers = 3
	p, ids := phrasePack("One.", "Bad.", "Three.")
	err := syn.Voice(context.Background(), p, ids)
	var pe *PhraseError
	if !errors.As(err, &pe) || pe.Text != "Bad." {
		t.Fatalf("Voice = %v, want the failure of \"Bad.\"", err)
	}
	if files, _ := filepath.Glob(filepath.Join(syn.Cache.Dir, "*.wav")); len(files) != 0 {
		t.Errorf("cached %v after a failure", files)
	}
}

// BenchmarkSynth_Festival voices eight new phrases with festival, one
// at a time and then on every core: what a routine's new words cost.
func BenchmarkSynth_Festival(b *testing.B) {
	if err := (Festival{}).Available(); err != nil {
		b.Skip(err)
	}
	texts := []string{"Reach toward your toes.", "Breathe out slowly.", "Sit up tall.", "Relax your shoulders.",
		"Let your arms hang.", "Look over your shoulder.", "Press your palms together.", "Lift your chest."}
	for _, workers := range []int{1, 2} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			for b.Loop() {
				syn := &Synth{Engines: []Engine{Festival{}}, Workers: workers} // no cache: voiced every time
				p, ids := phrasePack(texts...)
				if err := syn.Voice(context.Background(), p, ids); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
