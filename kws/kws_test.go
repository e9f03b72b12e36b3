package kws

import (
	"errors"
	"fmt"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/limber-audio/limber/internal/speechtest"
	"github.com/limber-audio/limber/internal/testtools"
)

// requireDecoder skips a test that needs pocketsphinx where this build
// has none, and where the model is not installed (failing in CI, which
// installs it).
func requireDecoder(tb testing.TB) {
	tb.Helper()
	if err := Available(); err != nil {
		tb.Skip(err)
	}
	if _, _, err := findModel(Config{}); err != nil {
		if os.Getenv("CI") != "" {
			tb.Fatalf("%v (scripts/deps.sh installs it)", err)
		}
		tb.Skip(err)
	}
}

var testPhrases = []Phrase{
	{Text: "limber pause", Threshold: 1e-30},
	{Text: "limber next", Threshold: 1e-30},
	{Text: "limber go on", Threshold: 1e-30},
}

// span is where a phrase was put in the test's audio, in samples.
type span struct {
	phrase     string
	start, end int64
}

// TestDecoder_HearsEachPhraseWhereItWasSaid speaks the phrases between
// other words and pauses, feeds the audio a microphone's 20 ms at a
// time, and checks that the best-scoring detection over each phrase is
// that phrase, found where it was said and reported soon after it ended,
// and that nothing is heard in the other words; and each phrase in a
// loud noise, denoised (whose frames hold back up to 20 ms of audio:
// the times must not shift).
func TestDecoder_HearsEachPhraseWhereItWasSaid(t *testing.T) {
	requireDecoder(t)
	for _, tc := range []struct {
		v       speechtest.Voice
		snr     float64 // of pink noise under it all; 0: none
		denoise float64
	}{
		{v: speechtest.Voice{Engine: "festival"}},
		{v: speechtest.Voice{Engine: "espeak-ng", Name: "en-us+klatt"}},
		// A loud fan: the noise suppressor takes it out.
		{v: speechtest.Voice{Engine: "festival"}, snr: 10, denoise: 15},
		// No noise: the suppressor stands by, the decoder hears the
		// audio as it is.
		{v: speechtest.Voice{Engine: "festival"}, denoise: 15},
	} {
		v := tc.v
		name := v.Engine
		if tc.snr != 0 {
			name = fmt.Sprintf("%s in pink noise at %g dB, denoised", v.Engine, tc.snr)
		} else if tc.denoise != 0 {
			name += " with the suppressor standing by"
		}
		t.Run(name, func(t *testing.T) {
			var audio []int16
			var want []span
			add := func(text string, phrase bool) {
				s := speechtest.Say(t, v, text)
				if phrase {
					want = append(want, span{text, int64(len(audio)), int64(len(audio) + len(s))})
				}
				audio = append(audio, s...)
				audio = append(audio, speechtest.Silence(1)...)
			}
			audio = speechtest.Silence(1)
			add("Sit up tall and let your shoulders drop.", false)
			add("limber pause", true)
			add("Breathe out slowly and hold the stretch.", false)
			add("limber next", true)
			add("limber go on", true)
			if tc.snr != 0 {
				audio = speechtest.AddNoise(audio, speechtest.Pink, tc.snr, 3)
			}
			d, err := New(Config{Phrases: testPhrases, PhoneLoop: 1e-10, Denoise: tc.denoise})
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			type heard struct {
				Detection
				at int64 // samples fed when it was first reported
			}
			var got []heard
			const chunk = SampleRate / 50
			for i := 0; i < len(audio); i += chunk {
				ds, err := d.Process(audio[i:min(i+chunk, len(audio))])
				if err != nil {
					t.Fatal(err)
				}
			next:
				for _, det := range ds {
					for j := range got {
						if got[j].Phrase == det.Phrase && got[j].Start == det.Start {
							got[j].Detection = det // a better look at the same one
							continue next
						}
					}
					got = append(got, heard{det, int64(min(i+chunk, len(audio)))})
				}
			}
			for _, w := range want {
				var best *heard
				for i, g := range got {
					if g.Start < w.end && g.End > w.start && (best == nil || g.Score > best.Score) {
						best = &got[i]
					}
				}
				if best == nil {
					t.Errorf("%q not heard (heard %v)", w.phrase, got)
					continue
				}
				if best.Phrase != w.phrase {
					t.Errorf("said %q, best heard %q (heard %v)", w.phrase, best.Phrase, got)
				}
				if want := tc.snr != 0 && tc.denoise != 0; best.Denoised != want {
					t.Errorf("%q heard denoised: %v, want %v", w.phrase, best.Denoised, want)
				}
				if d := secs(best.Start - w.start); math.Abs(d) > 0.25 {
					t.Errorf("%q starts %.2f s off (at %.2f s)", w.phrase, d, secs(best.Start))
				}
				if d := secs(best.End - w.end); math.Abs(d) > 0.3 {
					t.Errorf("%q ends %.2f s off (at %.2f s)", w.phrase, d, secs(best.End))
				}
				if late := secs(best.at - w.end); late > 0.5 {
					t.Errorf("%q first reported %.2f s after it ended", w.phrase, late)
				}
			}
			if tc.snr != 0 {
				return // at these loose thresholds, noisy words pass for phrases too: the spotter's own thresholds and pause judge them
			}
			for _, g := range got {
				inside := false
				for _, w := range want {
					inside = inside || g.Start < w.end && g.End > w.start
				}
				if !inside {
					t.Errorf("heard %q at %.2f-%.2f s, where no phrase was said", g.Phrase, secs(g.Start), secs(g.End))
				}
			}
		})
	}
}

func secs(n int64) float64 { return float64(n) / SampleRate }

// TestDecoder_CloseWhileProcessing closes a decoder while another
// goroutine feeds it, as a session that ends closes its listener: Close
// waits for the Process under way, and every Process after it says
// ErrClosed (before, the decoder was freed under a running Process and
// the program crashed).
func TestDecoder_CloseWhileProcessing(t *testing.T) {
	requireDecoder(t)
	d, err := New(Config{Phrases: testPhrases, NoiseFloor: 30})
	if err != nil {
		t.Fatal(err)
	}
	started, done := make(chan struct{}), make(chan error)
	go func() {
		chunk := make([]int16, SampleRate/50)
		for i := 0; ; i++ {
			if i == 10 {
				close(started)
			}
			if _, err := d.Process(chunk); err != nil {
				done <- err
				return
			}
		}
	}()
	<-started
	d.Close()
	if err := <-done; !errors.Is(err, ErrClosed) {
		t.Errorf("Process after Close: %v, want ErrClosed", err)
	}
}

// TestNew_RefusesBadConfig: every mistake in a configuration is an
// error that says what is wrong, never a crash (pocketsphinx ends the
// process on some of them, so they are caught before it sees them).
func TestNew_RefusesBadConfig(t *testing.T) {
	ok := []Phrase{{Text: "limber next", Threshold: 1e-20}}
	for _, tc := range []struct {
		name  string
		cfg   Config
		want  string
		model bool // the error comes from the model or dictionary: needs a decoder
	}{
		{"no phrases", Config{}, "no keyphrases", false},
		{"zero threshold", Config{Phrases: []Phrase{{"limber next", 0}}}, "threshold must be above 0", false},
		{"huge threshold", Config{Phrases: []Phrase{{"limber next", 1e200}}}, "threshold must be above 0", false},
		{"NaN threshold", Config{Phrases: []Phrase{{"limber next", math.NaN()}}}, "threshold must be above 0", false},
		{"upper case", Config{Phrases: []Phrase{{"Limber next", 1e-20}}}, "lower-case words", false},
		{"double space", Config{Phrases: []Phrase{{"limber  next", 1e-20}}}, "lower-case words", false},
		{"phone loop", Config{Phrases: ok, PhoneLoop: 1.5}, "phone loop probability", false},
		{"negative denoise", Config{Phrases: ok, Denoise: -3}, "denoise must be between 0 and 60 dB", false},
		{"NaN denoise", Config{Phrases: ok, Denoise: math.NaN()}, "denoise must be between 0 and 60 dB", false},
		{"twice", Config{Phrases: []Phrase{{"limber next", 1e-20}, {"limber next", 1e-10}}}, "given twice", false},
		{"unknown word", Config{Phrases: []Phrase{{"limber zzxqv", 1e-20}}}, "no pronunciation for zzxqv", true},
		{"bad pronunciation", Config{Phrases: ok, Words: map[string]string{"limber": "l ih m"}}, "want upper-case phones", true},
		{"no model", Config{Phrases: ok, Model: t.TempDir()}, "acoustic model", true},
		{"no dictionary", Config{Phrases: ok, Dict: "/nonexistent/dict"}, "dictionary", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.model {
				requireDecoder(t)
			}
			d, err := New(tc.cfg)
			if err == nil {
				d.Close()
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not say %q", err, tc.want)
			}
		})
	}
}

// TestNew_OwnPronunciation: a word the dictionary lacks can be given its
// phones.
func TestNew_OwnPronunciation(t *testing.T) {
	requireDecoder(t)
	d, err := New(Config{Phrases: []Phrase{{"limber zzxqv", 1e-20}}, Words: map[string]string{"zzxqv": "Z IH K S"}})
	if err != nil {
		t.Fatal(err)
	}
	d.Close()
	d.Close() // twice is fine
	if _, err := d.Process(make([]int16, 10)); !errors.Is(err, ErrClosed) {
		t.Errorf("Process after Close: %v", err)
	}
}

// TestScoreOf: a threshold in the units of a detection's score.
func TestScoreOf(t *testing.T) {
	for _, tc := range []struct {
		threshold float64
		want      int
	}{{1, -1500}, {1e-30, -2175}, {1e-20, -1950}, {1e-40, -2400}} {
		if got := ScoreOf(tc.threshold); got != tc.want {
			t.Errorf("ScoreOf(%g) = %d, want %d", tc.threshold, got, tc.want)
		}
	}
	for _, score := range []int{-2400, -1500, -650, 0, 100} {
		if got := ScoreOf(ThresholdOf(score)); got != score {
			t.Errorf("ScoreOf(ThresholdOf(%d)) = %d", score, got)
		}
	}
}

// TestLookup reads pronunciations, variants included, in the
// dictionary's format.
func TestLookup(t *testing.T) {
	dict := "back B AE K\nback's B AE K S\nnext N EH K S T\nnext(2) N EH K S\nnext(x) N\nlimber L IH M B ER\n"
	got, err := lookup(strings.NewReader(dict), []string{"back", "limber", "next"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := "back B AE K|limber L IH M B ER|next N EH K S T|next(2) N EH K S"
	if strings.Join(got, "|") != want {
		t.Errorf("got %q, want %q", strings.Join(got, "|"), want)
	}
	if _, err := lookup(strings.NewReader(dict), []string{"stop"}, nil); err == nil || !strings.Contains(err.Error(), "stop") {
		t.Errorf("a missing word: %v", err)
	}
	got, err = lookup(strings.NewReader(""), []string{"stop"}, map[string]string{"stop": "S T AA P"})
	if err != nil || strings.Join(got, "|") != "stop S T AA P" {
		t.Errorf("own pronunciation: %q, %v", got, err)
	}
}

// FuzzLookup feeds the dictionary reader arbitrary files: it never
// panics, and allocates in proportion to what it reads.
func FuzzLookup(f *testing.F) {
	f.Add("limber L IH M B ER\nnext N EH K S T\nnext(2) N EH K S\n", "limber next")
	f.Add("a(1000000000000) A\n\x00\xff (2) \n", "a")
	f.Add(strings.Repeat("next ", 1000), "next")
	f.Fuzz(func(t *testing.T, dict, words string) {
		want := strings.Fields(words)
		if len(want) > 20 {
			return
		}
		testtools.AllocBudget(t, 64*1024+uint64(len(dict))*4, func() {
			lines, err := lookup(strings.NewReader(dict), want, nil)
			if err == nil && len(lines) < len(want) {
				t.Fatalf("%d lines for %d words", len(lines), len(want))
			}
		})
	})
}
