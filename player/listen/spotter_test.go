package listen

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/limber-audio/limber/kws"
	"github.com/limber-audio/limber/mic"
	"github.com/limber-audio/limber/player"
)

// script is a fake Recognizer: it reports each detection once the audio
// fed reaches its at, in samples. Before each command it reports the
// wake word alone over the command's first third, as surely as the
// command, unless noWake.
type script []struct {
	at int64
	d  kws.Detection
}

type scripted struct {
	s      script
	fed    int64
	noWake bool
}

func (r *scripted) Process(samples []int16) ([]kws.Detection, error) {
	r.fed += int64(len(samples))
	var out []kws.Detection
	for len(r.s) > 0 && r.s[0].at <= r.fed {
		d := r.s[0].d
		if d.Phrase != WakeWord && !r.noWake {
			out = append(out, kws.Detection{Phrase: WakeWord, Start: d.Start, End: d.Start + (d.End-d.Start)/3, Score: d.Score, Denoised: d.Denoised})
		}
		out = append(out, d)
		r.s = r.s[1:]
	}
	return out, nil
}

// sec is n seconds in samples.
func sec(n float64) int64 { return int64(n * kws.SampleRate) }

func det(phrase string, start, end float64, score int) kws.Detection {
	return kws.Detection{Phrase: phrase, Start: sec(start), End: sec(end), Score: score}
}

// loud is d heard denoised, in a loud noise.
func loud(d kws.Detection) kws.Detection {
	d.Denoised = true
	return d
}

// echoAt is an Echo that made sound in the spans given, in seconds of
// the audio from t0.
type echoAt struct {
	t0    time.Time
	spans [][2]float64
}

func (e echoAt) SoundBetween(from, to time.Time) bool {
	for _, s := range e.spans {
		a := e.t0.Add(time.Duration(s[0] * float64(time.Second)))
		b := e.t0.Add(time.Duration(s[1] * float64(time.Second)))
		if a.Before(to) && b.After(from) {
			return true
		}
	}
	return false
}

// heardAt is a command decided, and how far into the audio, in seconds.
type heardAt struct {
	phrase  string
	at      float64
	ignored bool
}

// testCommands are Commands with a score every test detection reaches
// but "limber stop", which asks for -1500, or -2000 heard denoised.
var testCommands = func() []Command {
	cmds := append([]Command{}, Commands...)
	for i := range cmds {
		cmds[i].MinScore, cmds[i].LoudMinScore = -2500, -2500
		if cmds[i].Phrase == "limber stop" {
			cmds[i].MinScore, cmds[i].LoudMinScore = -1500, -2000
		}
	}
	return cmds
}()

// testWake asks no more of the wake word alone than testCommands of
// the phrases.
var testWake = &Wake{MinScore: -2500, LoudMinScore: -2500}

// testSettle is the settling time the scripted tests decide with, a
// round one: when a decision comes follows from it.
const testSettle = 300 * time.Millisecond

// TestSpotter_LongerPhraseReportedLater: the decoder reports a phrase
// about 450 ms after its end. Festival's "limber continue", said after
// a pause, was reported as "limber stop" (in "limber con-") 480 ms
// before "continue" itself; with the default settling time the spotter
// waits for it, and acts on "continue", the surer.
func TestSpotter_LongerPhraseReportedLater(t *testing.T) {
	s := script{
		{sec(3.02), det("limber stop", 2.0, 2.51, -992)},
		{sec(3.02), det("limber pause", 2.0, 2.52, -531)},
		{sec(3.50), det("limber continue", 2.0, 3.0, 1773)},
	}
	got := runSpotter(t, NewSpotter(&scripted{s: s}, Options{Commands: testCommands, Wake: testWake, Quiet: -1, Pause: -1}), time.Date(2026, 12, 2, 8, 0, 0, 0, time.UTC))
	if len(got) != 1 || got[0].phrase != "limber continue" {
		t.Errorf("decided %+v, want limber continue alone", got)
	}
}

// run feeds 10 s of audio in 20 ms chunks, the capture clock starting at
// t0, and returns what was decided when.
func run(t *testing.T, s script, echo Echo, t0 time.Time) []heardAt {
	t.Helper()
	return runSpotter(t, NewSpotter(&scripted{s: s}, Options{Echo: echo, Commands: testCommands, Wake: testWake, Quiet: -1, Pause: -1, Settle: testSettle}), t0)
}

// runSpotter is run with a spotter of its own.
func runSpotter(t *testing.T, sp *Spotter, t0 time.Time) []heardAt {
	t.Helper()
	var got []heardAt
	chunk := make([]int16, kws.SampleRate/50)
	for fed := int64(0); fed < sec(10); fed += int64(len(chunk)) {
		at := t0.Add(time.Duration(float64(fed+int64(len(chunk))) / kws.SampleRate * float64(time.Second)))
		heard, err := sp.Feed(mic.Chunk{Samples: chunk, At: at})
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range heard {
			got = append(got, heardAt{h.Phrase, float64(fed+int64(len(chunk))) / kws.SampleRate, h.Ignored})
		}
	}
	return got
}

func TestSpotter(t *testing.T) {
	t0 := time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name string
		s    script
		echo [][2]float64
		want []heardAt
	}{
		{
			name: "one phrase, decided once it has not changed for the settling time",
			s:    script{{sec(2.1), det("limber next", 1, 2, -1800)}},
			want: []heardAt{{"limber next", 2.4, false}},
		},
		{
			name: "the surest of overlapping phrases wins",
			s: script{
				{sec(2.1), det("limber back", 1, 2, -1900)},
				{sec(2.2), det("limber pause", 1, 2.1, -1700)},
				{sec(2.3), det("limber stop", 1.1, 2.1, -2000)},
			},
			want: []heardAt{{"limber pause", 2.6, false}},
		},
		{
			name: "the surest is not sure enough for its phrase: nothing, not the next best",
			s: script{
				{sec(2.1), det("limber stop", 1, 2, -1700)},
				{sec(2.2), det("limber pause", 1, 2.1, -1900)},
			},
		},
		{
			name: "a better look at the same phrase replaces the first",
			s: script{
				{sec(2.0), det("limber back", 1, 1.8, -2100)},
				{sec(2.1), det("limber pause", 1, 1.9, -2000)},
				{sec(2.3), det("limber back", 1, 2.1, -1600)},
			},
			want: []heardAt{{"limber back", 2.6, false}},
		},
		{
			name: "detections that keep changing are decided 900 ms after the first",
			s: script{
				{sec(2.0), det("limber back", 1, 1.8, -2100)},
				{sec(2.2), det("limber back", 1, 1.9, -2000)},
				{sec(2.4), det("limber back", 1, 2.0, -1900)},
				{sec(2.6), det("limber back", 1, 2.1, -1800)},
				{sec(2.8), det("limber back", 1, 2.2, -1700)},
			},
			want: []heardAt{{"limber back", 2.9, false}},
		},
		{
			name: "a look at a phrase already decided is not a second command",
			s: script{
				{sec(2.1), det("limber next", 1, 2, -1800)},
				{sec(2.6), det("limber next", 1, 2.2, -1500)},
			},
			want: []heardAt{{"limber next", 2.4, false}},
		},
		{
			name: "two phrases apart are two commands",
			s: script{
				{sec(2.1), det("limber next", 1, 2, -1800)},
				{sec(5.1), det("limber louder", 4, 5, -1800)},
			},
			want: []heardAt{{"limber next", 2.4, false}, {"limber louder", 5.4, false}},
		},
		{
			name: "a phrase that does not overlap decides the one before at once",
			s: script{
				{sec(2.1), det("limber next", 1, 2, -1800)},
				{sec(2.2), det("limber louder", 2.05, 2.2, -1800)},
			},
			want: []heardAt{{"limber next", 2.2, false}, {"limber louder", 2.5, false}},
		},
		{
			name: "said while limber spoke: ignored",
			s:    script{{sec(2.1), det("limber next", 1, 2, -1800)}},
			echo: [][2]float64{{0.5, 1.5}},
			want: []heardAt{{"limber next", 2.4, true}},
		},
		{
			name: "limber's sound ended well before: acted on",
			s:    script{{sec(3.1), det("limber next", 2, 3, -1800)}},
			echo: [][2]float64{{0.5, 1.5}},
			want: []heardAt{{"limber next", 3.4, false}},
		},
		{
			name: "limber's sound ended just before: the room may still ring",
			s:    script{{sec(3.1), det("limber next", 2, 3, -1800)}},
			echo: [][2]float64{{0.5, 1.7}},
			want: []heardAt{{"limber next", 3.4, true}},
		},
		{
			name: "limber's sound began just after",
			s:    script{{sec(3.1), det("limber next", 2, 3, -1800)}},
			echo: [][2]float64{{3.1, 4}},
			want: []heardAt{{"limber next", 3.4, true}},
		},
		{
			name: "in a loud noise, heard denoised: its own threshold",
			s:    script{{sec(2.1), loud(det("limber stop", 1, 2, -1700))}},
			want: []heardAt{{"limber stop", 2.4, false}},
		},
		{
			name: "in a loud noise, below even its own threshold",
			s:    script{{sec(2.1), loud(det("limber stop", 1, 2, -2100))}},
		},
		{
			name: "not a command",
			s:    script{{sec(2.1), det("limber nonsense", 1, 2, -1500)}},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var echo Echo
			if tc.echo != nil {
				echo = echoAt{t0, tc.echo}
			}
			got := run(t, tc.s, echo, t0)
			if len(got) != len(tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
			for i := range got {
				if got[i].phrase != tc.want[i].phrase || got[i].ignored != tc.want[i].ignored || abs(got[i].at-tc.want[i].at) > 0.011 {
					t.Errorf("got %v, want %v", got[i], tc.want[i])
				}
			}
		})
	}
}

func abs(x float64) float64 { return max(x, -x) }

// TestSpotter_Wake: a command is acted on only where the wake word was
// heard alone at its start, as surely as Wake asks (as heard, or
// denoised).
func TestSpotter_Wake(t *testing.T) {
	t0 := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	wake := &Wake{MinScore: -1000, LoudMinScore: -1500}
	next := det("limber next", 1, 2, -500)
	acted := []heardAt{{"limber next", 2.4, false}}
	for _, tc := range []struct {
		name string
		s    script
		want []heardAt
	}{
		{"wake word as sure as asked", script{{sec(1.5), det("limber", 1, 1.4, -1000)}, {sec(2.1), next}}, acted},
		{"no wake word heard", script{{sec(2.1), next}}, nil},
		{"wake word less sure than asked", script{{sec(1.5), det("limber", 1, 1.4, -1050)}, {sec(2.1), next}}, nil},
		{"a later, surer look at it", script{{sec(1.4), det("limber", 1, 1.3, -1050)}, {sec(1.5), det("limber", 1, 1.4, -900)}, {sec(2.1), next}}, acted},
		{"starting 200 ms before the command", script{{sec(1.5), det("limber", 0.8, 1.3, -900)}, {sec(2.1), next}}, acted},
		{"ending before the command starts", script{{sec(1), det("limber", 0.5, 0.95, -900)}, {sec(2.1), next}}, nil},
		{"starting past the command's first 40 %", script{{sec(1.8), det("limber", 1.45, 1.8, -900)}, {sec(2.1), next}}, nil},
		{"heard long before, far from the command", script{{sec(0.5), det("limber", 0.1, 0.5, -100)}, {sec(2.1), next}}, nil},
		{"denoised: the loud score", script{{sec(1.5), loud(det("limber", 1, 1.4, -1400))}, {sec(2.1), loud(next)}}, acted},
		{"as heard: the plain score", script{{sec(1.5), det("limber", 1, 1.4, -1400)}, {sec(2.1), next}}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sp := NewSpotter(&scripted{s: tc.s, noWake: true}, Options{Commands: testCommands, Wake: wake, Quiet: -1, Pause: -1, Settle: testSettle})
			got := runSpotter(t, sp, t0)
			if len(got) != len(tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
			for i := range got {
				if got[i].phrase != tc.want[i].phrase || abs(got[i].at-tc.want[i].at) > 0.03 {
					t.Errorf("got %v, want %v", got[i], tc.want[i])
				}
			}
		})
	}
}

// TestSpotter_HeardTimes: a command carries the capture time of the
// audio it was heard in.
func TestSpotter_HeardTimes(t *testing.T) {
	t0 := time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC)
	sp := NewSpotter(&scripted{s: script{{sec(1.3), det("limber stop", 0.5, 1.2, -1400)}}}, Options{Commands: testCommands, Wake: testWake, Quiet: -1, Pause: -1})
	var heard []Heard
	for fed := int64(0); fed < sec(3); fed += 800 {
		h, _ := sp.Feed(mic.Chunk{Samples: make([]int16, 800), At: t0.Add(time.Duration(fed+800) * time.Second / kws.SampleRate)})
		heard = append(heard, h...)
	}
	if len(heard) != 1 || heard[0].Key != player.KeyQuit {
		t.Fatalf("heard %+v", heard)
	}
	if got := heard[0].Start.Sub(t0); got != 500*time.Millisecond {
		t.Errorf("start %v into the audio, want 500ms", got)
	}
	if got := heard[0].End.Sub(t0); got != 1200*time.Millisecond {
		t.Errorf("end %v into the audio, want 1.2s", got)
	}
}

// TestSpotter_BurstsKeepTheClock: a busy sound system hands chunks over
// late and in bursts; a command's times are those of its capture, which
// the earliest handed chunks tell.
func TestSpotter_BurstsKeepTheClock(t *testing.T) {
	t0 := time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC)
	sp := NewSpotter(&scripted{s: script{{sec(3.1), det("limber stop", 2.0, 2.8, -500)}}}, Options{Commands: testCommands, Wake: testWake, Quiet: -1, Pause: -1})
	var heard []Heard
	const chunk = 320 // 20 ms
	for fed := int64(0); fed < sec(5); fed += chunk {
		end := fed + chunk
		at := t0.Add(samplesDuration(end))
		if end > sec(1) && end <= sec(4) {
			// Held back, then handed over at once at 4 s: the command is
			// decided in the middle of the burst.
			at = t0.Add(4 * time.Second)
		}
		h, _ := sp.Feed(mic.Chunk{Samples: make([]int16, chunk), At: at})
		heard = append(heard, h...)
	}
	if len(heard) != 1 {
		t.Fatalf("heard %+v", heard)
	}
	// Within the drift the clock allows, 500 ppm.
	if got := heard[0].Start.Sub(t0); got < 2*time.Second || got > 2*time.Second+5*time.Millisecond {
		t.Errorf("start %v into the audio, want 2s", got)
	}
}

// TestSpotter_Run reads chunks and sends each command, and says so when
// the microphone goes away.
func TestSpotter_Run(t *testing.T) {
	sp := NewSpotter(&scripted{s: script{{sec(1.3), det("limber pause", 0.5, 1.2, -300)}}}, Options{Quiet: -1, Pause: -1})
	chunks := make(chan mic.Chunk, 200)
	for range 150 {
		chunks <- mic.Chunk{Samples: make([]int16, 320), At: time.Now()}
	}
	close(chunks)
	out := make(chan player.Spoken, 2)
	sp.Run(context.Background(), chunks, out)
	if h := <-out; h.Key != player.KeyPause || h.Phrase != "limber pause" {
		t.Errorf("heard %+v", h)
	}
	if h := <-out; h.Err == nil {
		t.Errorf("then %+v, want the microphone gone", h)
	}
}

// TestSpotter_RunNoSound: a microphone that gives nothing is given up
// on, with one error.
func TestSpotter_RunNoSound(t *testing.T) {
	sp := NewSpotter(&scripted{}, Options{Silence: 50 * time.Millisecond, Quiet: -1, Pause: -1})
	out := make(chan player.Spoken, 1)
	sp.Run(context.Background(), make(chan mic.Chunk), out)
	if h := <-out; !errors.Is(h.Err, ErrNoSound) {
		t.Errorf("got %+v, want ErrNoSound", h)
	}
}

// one is a detection on its own.
func one(d kws.Detection) []kws.Detection { return []kws.Detection{d} }

// TestSpotter_Accents: a command said another way is heard as the
// command, with its key, at the accent's own thresholds.
func TestSpotter_Accents(t *testing.T) {
	t0 := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	var cmds []Command
	for _, c := range testCommands {
		if c.Phrase == "limber quieter" {
			c.MinScore, c.LoudMinScore = -1000, -1500
		}
		if c.Phrase != "limber louder" {
			cmds = append(cmds, c)
		}
	}
	accents := []Accent{
		{"limber quieter'gb", "limber quieter", -800, -1200},
		{"limber go on'gb", "limber go on", -2000, -2000},
		{"limber louder'gb", "limber louder", -100, -100}, // its command is not listened for
	}
	for _, tc := range []struct {
		name string
		dets []kws.Detection // reported at 2.1 s
		want []Heard
	}{
		{"as sure as the accent asks", one(det("limber quieter'gb", 1, 2, -800)), []Heard{{Key: player.KeySofter, Phrase: "limber quieter"}}},
		{"as sure as its command asks, not the accent", one(det("limber quieter'gb", 1, 2, -1000)), nil},
		{"the command itself, at its own", one(det("limber quieter", 1, 2, -1000)), []Heard{{Key: player.KeySofter, Phrase: "limber quieter"}}},
		{"denoised: the accent's loud threshold", one(loud(det("limber quieter'gb", 1, 2, -1200))), []Heard{{Key: player.KeySofter, Phrase: "limber quieter"}}},
		{"denoised, less sure", one(loud(det("limber quieter'gb", 1, 2, -1250))), nil},
		{"another command's", one(det("limber go on'gb", 1, 2, -2000)), []Heard{{Key: player.KeyResume, Phrase: "limber go on"}}},
		{"the accent under its threshold, its command over its own", []kws.Detection{det("limber quieter'gb", 1, 2, -850), det("limber quieter", 1, 2, -1000)}, []Heard{{Key: player.KeySofter, Phrase: "limber quieter"}}},
		{"denoised, the accent under its threshold, its command over its own", []kws.Detection{loud(det("limber quieter'gb", 1, 2, -1300)), loud(det("limber quieter", 1, 2.05, -1400))}, []Heard{{Key: player.KeySofter, Phrase: "limber quieter"}}},
		{"both under", []kws.Detection{det("limber quieter'gb", 1, 2, -850), det("limber quieter", 1, 2, -1050)}, nil},
		{"of a command not listened for", one(det("limber louder'gb", 1, 2, 0)), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sc := make(script, len(tc.dets))
			for i, d := range tc.dets {
				sc[i].at, sc[i].d = sec(2.1), d
			}
			sp := NewSpotter(&scripted{s: sc}, Options{Commands: cmds, Accents: accents, Wake: testWake, Quiet: -1, Pause: -1})
			var got []Heard
			chunk := make([]int16, kws.SampleRate/50)
			for fed := int64(0); fed < sec(4); fed += int64(len(chunk)) {
				heard, err := sp.Feed(mic.Chunk{Samples: chunk, At: t0.Add(samplesDuration(fed))})
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, heard...)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("heard %+v, want %+v", got, tc.want)
			}
			for i := range got {
				if got[i].Key != tc.want[i].Key || got[i].Phrase != tc.want[i].Phrase {
					t.Errorf("heard %+v, want %+v", got[i], tc.want[i])
				}
			}
		})
	}
}

// TestConfig_Accents: the decoder listens for each accent of the
// commands given, at the accent's threshold, with its words.
func TestConfig_Accents(t *testing.T) {
	cfg := Config(Commands[:1], WakeScores) // "limber pause": none
	if len(cfg.Phrases) != 2 || cfg.Words != nil {
		t.Errorf("Config(pause) = %+v, want the phrase and the wake word, no words", cfg)
	}
	var quieter Command
	for _, c := range Commands {
		if c.Phrase == "limber quieter" {
			quieter = c
		}
	}
	accent := accentsOf(Accents, quieter.Phrase)[0]
	cfg = Config([]Command{quieter}, WakeScores)
	want := kws.Phrase{Text: accent.As, Threshold: kws.ThresholdOf(min(accent.MinScore, accent.LoudMinScore))}
	if len(cfg.Phrases) != 3 || cfg.Phrases[1] != want || cfg.Words["quieter'gb"] == "" {
		t.Errorf("Config(quieter) = %+v, want its accent %+v second, with its words", cfg, want)
	}
}
