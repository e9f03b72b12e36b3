//go:build linux

package listen

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/limber-audio/limber/internal/speechtest"
	"github.com/limber-audio/limber/kws"
	"github.com/limber-audio/limber/mic"
	"github.com/limber-audio/limber/player"
)

// The corpus the thresholds are tuned and measured on: every command
// spoken by festival and espeak-ng voices at several speeds and pitches,
// between pauses and now and then after a word of lead-in, clean and
// with noise at 20 and 10 dB SNR; and speech that holds no command:
// licence texts read aloud (nine of them in loud noise) and the voice
// pack, all of it in turn and every eighth clip. The tests make it
// themselves and keep what they voiced in speechtest's cache, so it is
// voiced once a machine. go test runs a small part of it; -corpus (make
// bench-listen) the whole.
var fullCorpus = flag.Bool("corpus", false, "use the whole listening corpus, not the quick part (make bench-listen)")

// placed is a command in a stream of audio, in samples.
type placed struct {
	phrase     string
	key        player.Key
	start, end int64
}

// stream is audio fed to the spotter as a microphone would.
type stream struct {
	name     string
	audio    []int16
	commands []placed // nil for speech without commands
}

func (s stream) seconds() float64 { return speechtest.Seconds(len(s.audio)) }

// condition is the noise a stream is heard in.
type condition struct {
	noise speechtest.Noise
	snr   float64 // dB; 0 means clean
}

func (c condition) String() string {
	if c.snr == 0 {
		return "clean"
	}
	return fmt.Sprintf("%s %g dB", c.noise, c.snr)
}

var (
	festivalVoices = func() []speechtest.Voice {
		var vs []speechtest.Voice
		for _, speed := range []float64{0.85, 1, 1.2} {
			for _, pitch := range []float64{-3, 0, 3} {
				vs = append(vs, speechtest.Voice{Engine: "festival", Speed: speed, Pitch: pitch})
			}
		}
		return vs
	}()
	// espeak-ng's own formant voices are not heard as speech by
	// pocketsphinx's US English model at any threshold (measured: none of
	// 24 commands in 12 default and variant voices was spotted); its
	// Klatt voices, closer to a human voice, are.
	espeakVoices = func() []speechtest.Voice {
		var vs []speechtest.Voice
		for _, name := range []string{"en-us+klatt", "en-gb+klatt2", "en-us+klatt6"} {
			for _, sp := range [][2]float64{{0.9, -2}, {1, 0}, {1.15, 3}} {
				vs = append(vs, speechtest.Voice{Engine: "espeak-ng", Name: name, Speed: sp[0], Pitch: sp[1]})
			}
		}
		return vs
	}()
	conditions = []condition{{}, {speechtest.Pink, 20}, {speechtest.Pink, 10}, {speechtest.Brown, 20}, {speechtest.Brown, 10}}
	leadIns    = []string{"okay", "right then", "hmm"}
)

// commandStream speaks every command in v's voice, each after a pause
// (every third after a lead-in word), with noise c under it all. Clean,
// one pause lasts half a minute, as in a long hold: the decoder must
// hear the command after it as well as after a short one.
func commandStream(tb testing.TB, v speechtest.Voice, c condition, seed uint64) stream {
	tb.Helper()
	s := stream{name: v.String() + ", " + c.String()}
	audio := speechtest.Silence(1)
	for i, cmd := range Commands {
		if i == 5 && c.snr == 0 {
			audio = append(audio, speechtest.Silence(30)...)
		}
		if i%3 == 1 {
			audio = append(audio, speechtest.Say(tb, v, leadIns[i%len(leadIns)])...)
			audio = append(audio, speechtest.Silence(0.35)...)
		}
		said := speechtest.Say(tb, v, cmd.Phrase)
		s.commands = append(s.commands, placed{cmd.Phrase, cmd.Key, int64(len(audio)), int64(len(audio) + len(said))})
		audio = append(audio, said...)
		audio = append(audio, speechtest.Silence(2+0.25*float64(i%4))...)
	}
	if c.snr != 0 {
		audio = speechtest.AddNoise(audio, c.noise, c.snr, seed)
	}
	s.audio = audio
	return s
}

// sentences splits text into pieces of at most about max bytes, at
// sentence ends where it can, for an engine to read one at a time.
func sentences(text string, max int) []string {
	text = regexp.MustCompile(`\s+`).ReplaceAllString(text, " ")
	var out []string
	for len(text) > 0 {
		if len(text) <= max {
			out = append(out, strings.TrimSpace(text))
			break
		}
		cut := strings.LastIndex(text[:max], ". ")
		if cut < max/3 {
			cut = strings.LastIndex(text[:max], " ")
		}
		if cut <= 0 {
			cut = max
		}
		out = append(out, strings.TrimSpace(text[:cut+1]))
		text = text[cut+1:]
	}
	return out
}

// reading is text read aloud by v, a pause between its pieces, with
// noise c under it; at most minutes long (0: all of it).
func reading(tb testing.TB, name, file string, v speechtest.Voice, c condition, minutes float64) stream {
	tb.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		tb.Skipf("no text to read: %v", err)
	}
	var audio []int16
	for i, piece := range sentences(string(data), 400) {
		if strings.Contains(strings.ToLower(piece), WakeWord) {
			tb.Fatalf("%s holds the wake word", file)
		}
		audio = append(audio, speechtest.Say(tb, v, piece)...)
		audio = append(audio, speechtest.Silence(0.4+0.1*float64(i%5))...)
		if minutes > 0 && speechtest.Seconds(len(audio)) > minutes*60 {
			break
		}
	}
	if c.snr != 0 {
		audio = speechtest.AddNoise(audio, c.noise, c.snr, 7)
	}
	return stream{name: name + " (" + v.String() + ", " + c.String() + ")", audio: audio}
}

// voicePack is limber's own voice: every every-th clip of the built-in
// pack (1: all of them, about 22 minutes with the pauses), in turn.
func voicePack(tb testing.TB, every int) stream {
	tb.Helper()
	clips, err := filepath.Glob("../../cues/clips/*.flac")
	if err != nil || len(clips) == 0 {
		tb.Fatalf("no clips in cues/clips: %v", err)
	}
	sort.Strings(clips)
	var audio []int16
	for i, c := range clips {
		if i%every != 0 {
			continue
		}
		audio = append(audio, speechtest.Load(tb, c)...)
		audio = append(audio, speechtest.Silence(0.5)...)
	}
	name := "the voice pack"
	if every > 1 {
		name = fmt.Sprintf("the voice pack, one clip in %d", every)
	}
	return stream{name: name, audio: audio}
}

// corpus makes the streams: the whole corpus, or its quick part.
func corpus(tb testing.TB, full bool) (commands, other []stream) {
	tb.Helper()
	voices := append(append([]speechtest.Voice{}, festivalVoices...), espeakVoices...)
	conds := conditions
	if !full {
		voices = []speechtest.Voice{festivalVoices[4], festivalVoices[8], espeakVoices[1]}
		conds = []condition{{}, {speechtest.Pink, 20}}
	}
	for i, v := range voices {
		for j, c := range conds {
			commands = append(commands, commandStream(tb, v, c, uint64(100*i+j)))
		}
	}
	minutes := 2.0
	if full {
		minutes = 0
	}
	other = append(other, reading(tb, "GPL-3", "/usr/share/common-licenses/GPL-3", festivalVoices[4], condition{}, minutes))
	if full {
		other = append(other,
			reading(tb, "GFDL-1.3", "/usr/share/common-licenses/GFDL-1.3", speechtest.Voice{Engine: "festival", Speed: 1.1, Pitch: -2}, condition{speechtest.Brown, 20}, 0),
			reading(tb, "Apache-2.0", "/usr/share/common-licenses/Apache-2.0", espeakVoices[1], condition{speechtest.Pink, 20}, 0),
			// In loud noise, where the decoder hears denoised audio.
			reading(tb, "LGPL-3", "/usr/share/common-licenses/LGPL-3", espeakVoices[7], condition{speechtest.Pink, 10}, 0),
			reading(tb, "GPL-1", "/usr/share/common-licenses/GPL-1", festivalVoices[5], condition{speechtest.Brown, 10}, 0),
			reading(tb, "MPL-1.1", "/usr/share/common-licenses/MPL-1.1", espeakVoices[5], condition{speechtest.Pink, 10}, 0),
			reading(tb, "GFDL-1.2", "/usr/share/common-licenses/GFDL-1.2", espeakVoices[0], condition{speechtest.Pink, 10}, 0),
			reading(tb, "LGPL-2", "/usr/share/common-licenses/LGPL-2", festivalVoices[7], condition{speechtest.Pink, 10}, 0),
			// More in loud noise, in other voices: with the 90 minutes
			// above alone, TestTune lowered "limber continue"'s loud
			// threshold to -1500, and the held-out corpus gave two
			// false commands of it at that, in pink and brown noise.
			reading(tb, "GPL-3", "/usr/share/common-licenses/GPL-3", festivalVoices[0], condition{speechtest.Brown, 10}, 0),
			reading(tb, "MPL-1.1", "/usr/share/common-licenses/MPL-1.1", festivalVoices[2], condition{speechtest.Pink, 10}, 0),
			reading(tb, "GFDL-1.3", "/usr/share/common-licenses/GFDL-1.3", espeakVoices[8], condition{speechtest.Brown, 10}, 0),
			reading(tb, "Apache-2.0", "/usr/share/common-licenses/Apache-2.0", espeakVoices[3], condition{speechtest.Brown, 10}, 0),
			reading(tb, "LGPL-2", "/usr/share/common-licenses/LGPL-2", espeakVoices[4], condition{speechtest.Pink, 10}, 0),
			// The whole pack, in turn: its clips meet otherwise than
			// in the quick part.
			voicePack(tb, 1))
	}
	// The quick part's: under 3 minutes of it.
	other = append(other, voicePack(tb, 8))
	return commands, other
}

// heldOut asks BenchmarkListen for the held-out corpus.
var heldOut = flag.Bool("heldout", false, "measure on the held-out corpus: voices, speeds, pitches and texts the thresholds were not tuned on (make bench-listen)")

// heldOutCorpus is speech the thresholds were not tuned on (TestTune
// searches the other corpus): festival at speeds and pitches between
// and beyond the tuned ones, two Klatt voices of espeak-ng left out of
// it, clean and in pink noise at 20 dB and brown at 10, and other
// licence texts read aloud, two of them in loud noise.
func heldOutCorpus(tb testing.TB) (commands, other []stream) {
	tb.Helper()
	var voices []speechtest.Voice
	for _, sp := range [][2]float64{{0.92, -1.5}, {0.92, 1.5}, {1.1, -1.5}, {1.1, 1.5}} {
		voices = append(voices, speechtest.Voice{Engine: "festival", Speed: sp[0], Pitch: sp[1]})
	}
	for _, name := range []string{"en-us+klatt3", "en-gb+klatt4"} {
		for _, sp := range [][2]float64{{1, 0}, {1.1, 2}} {
			voices = append(voices, speechtest.Voice{Engine: "espeak-ng", Name: name, Speed: sp[0], Pitch: sp[1]})
		}
	}
	conds := []condition{{}, {speechtest.Pink, 20}, {speechtest.Brown, 10}}
	for i, v := range voices {
		for j, c := range conds {
			commands = append(commands, commandStream(tb, v, c, uint64(1000+100*i+j)))
		}
	}
	other = append(other,
		reading(tb, "MPL-2.0", "/usr/share/common-licenses/MPL-2.0", speechtest.Voice{Engine: "festival", Speed: 1.05, Pitch: 1}, condition{speechtest.Pink, 20}, 0),
		reading(tb, "Artistic", "/usr/share/common-licenses/Artistic", speechtest.Voice{Engine: "espeak-ng", Name: "en-us+klatt3"}, condition{}, 0),
		// Speech in loud noise, where the decoder hears denoised audio.
		reading(tb, "GPL-2", "/usr/share/common-licenses/GPL-2", speechtest.Voice{Engine: "espeak-ng", Name: "en-gb+klatt4", Speed: 1.1}, condition{speechtest.Pink, 10}, 0),
		reading(tb, "LGPL-2.1", "/usr/share/common-licenses/LGPL-2.1", speechtest.Voice{Engine: "festival", Speed: 0.95, Pitch: -1}, condition{speechtest.Brown, 10}, 0))
	return commands, other
}

// requireDecoder skips where this build has no pocketsphinx, and where
// the model is missing (failing in CI, which installs it).
func requireDecoder(tb testing.TB) {
	tb.Helper()
	if err := kws.Available(); err != nil {
		tb.Skip(err)
	}
	d, err := kws.New(Config(Commands, WakeScores))
	if err != nil {
		if os.Getenv("CI") != "" {
			tb.Fatalf("%v (scripts/deps.sh installs pocketsphinx-en-us)", err)
		}
		tb.Skip(err)
	}
	d.Close()
}

// decision is a command the spotter decided on, and how far into its
// stream, in samples.
type decision struct {
	Heard
	at int64
	// as is the decoder's detection the spotter acted on, as near as
	// spotWith can tell: the last of the phrase, or of one of its
	// Accents, before the decision.
	as kws.Detection
}

// said returns, for the tests, the phrase of Commands that phrase, as heard, stands for.
func said(phrase string) string {
	for _, a := range Accents {
		if a.As == phrase {
			return a.Phrase
		}
	}
	return phrase
}

// remembering is a Recognizer that keeps what rec detected.
type remembering struct {
	rec  Recognizer
	seen []kws.Detection
}

func (r *remembering) Process(samples []int16) ([]kws.Detection, error) {
	dets, err := r.rec.Process(samples)
	r.seen = append(r.seen, dets...)
	return dets, err
}

// last returns the last detection of phrase, or of an accent of it.
func (r *remembering) last(phrase string) kws.Detection {
	for i := len(r.seen) - 1; i >= 0; i-- {
		if said(r.seen[i].Phrase) == phrase {
			return r.seen[i]
		}
	}
	return kws.Detection{}
}

// spot feeds s to a spotter over rec a microphone's 20 ms at a time and
// returns what it decided.
func spot(tb testing.TB, rec Recognizer, s stream) []decision {
	return spotWith(tb, rec, s, Options{Commands: Commands})
}

// spotWith is spot with other options.
func spotWith(tb testing.TB, rec Recognizer, s stream, opts Options) []decision {
	tb.Helper()
	mem := &remembering{rec: rec}
	sp := NewSpotter(mem, opts)
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var out []decision
	const chunk = kws.SampleRate / 50
	for i := 0; i < len(s.audio); i += chunk {
		end := min(i+chunk, len(s.audio))
		heard, err := sp.Feed(mic.Chunk{Samples: s.audio[i:end], At: t0.Add(time.Duration(end) * time.Second / kws.SampleRate)})
		if err != nil {
			tb.Error(err) // not Fatal: TestTune runs it on other goroutines
			return out
		}
		for _, h := range heard {
			out = append(out, decision{h, int64(end), mem.last(h.Phrase)})
		}
	}
	return out
}

// within is how soon after the end of a command it must be acted on.
const within = 1.5 * kws.SampleRate

// score is how a set of thresholds fared on the corpus.
type score struct {
	commands, actedOn int     // commands said; acted on in time, as said
	wrong             int     // commands acted on that were not said (in the command streams)
	falses            int     // commands heard in speech without any
	otherHours        float64 // hours of that speech
	delay             []float64
	by                map[string][2]int // acted on and said, by voice engine and by noise
}

func (s score) recall() float64       { return float64(s.actedOn) / float64(s.commands) }
func (s score) falsePerHour() float64 { return float64(s.falses) / s.otherHours }

func (s score) String() string {
	sort.Float64s(s.delay)
	med := 0.0
	if len(s.delay) > 0 {
		med = s.delay[len(s.delay)/2]
	}
	var parts []string
	for k, v := range s.by {
		parts = append(parts, fmt.Sprintf("%s %d/%d", k, v[0], v[1]))
	}
	sort.Strings(parts)
	return fmt.Sprintf("%d of %d commands acted on within 1.5 s (%.1f%%), median %.2f s after the phrase ended; %d wrong ones among them; %d false commands in %.2f h of other speech (%.2f an hour); %s",
		s.actedOn, s.commands, 100*s.recall(), med, s.wrong, s.falses, s.otherHours, s.falsePerHour(), strings.Join(parts, ", "))
}

// judge scores what the spotter decided on each stream.
func judge(commands, other []stream, decided func(stream) []decision) score {
	sc := score{by: map[string][2]int{}}
	for _, s := range commands {
		got := decided(s)
		used := make([]bool, len(got))
		engine, cond, _ := strings.Cut(s.name, ", ")
		engine, _, _ = strings.Cut(engine, "/")
		engine, _, _ = strings.Cut(engine, " ")
		for _, c := range s.commands {
			sc.commands++
			for _, k := range []string{engine, cond, `"` + c.phrase + `"`} {
				v := sc.by[k]
				v[1]++
				sc.by[k] = v
			}
			for i, d := range got {
				if !used[i] && d.Key == c.key && d.at >= c.start && d.at <= c.end+within {
					used[i] = true
					sc.actedOn++
					for _, k := range []string{engine, cond, `"` + c.phrase + `"`} {
						v := sc.by[k]
						v[0]++
						sc.by[k] = v
					}
					sc.delay = append(sc.delay, float64(d.at-c.end)/kws.SampleRate)
					break
				}
			}
		}
		for i := range got {
			if !used[i] {
				sc.wrong++
			}
		}
	}
	for _, s := range other {
		sc.falses += len(decided(s))
		sc.otherHours += s.seconds() / 3600
	}
	return sc
}

// cpuTime returns the CPU time the process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// TestCorpus guards the quick part of the corpus (three voices, clean
// and at 20 dB SNR, five minutes of other speech) against a change that
// makes listening worse: at least 90% of the commands acted on within
// 1.5 s (98.3% when the thresholds were tuned, 100% with Accents), and
// no false command in the other speech (none when they were tuned). The goals
// of the issue (90%, at most one false command an hour) are measured on
// the whole corpus by BenchmarkListen, and the README says how far they
// are met.
func TestCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("decodes minutes of speech: go test without -short (make test) runs it")
	}
	requireDecoder(t)
	commands, other := corpus(t, false)
	sc := judge(commands, other, func(s stream) []decision {
		d, err := kws.New(Config(Commands, WakeScores))
		if err != nil {
			t.Fatal(err)
		}
		defer d.Close()
		got := spot(t, d, s)
		if s.commands == nil {
			for _, g := range got {
				t.Logf("false command in %s: %q at %.1f s", s.name, g.Phrase, float64(g.at)/kws.SampleRate)
			}
		}
		return got
	})
	t.Log(sc)
	if sc.recall() < 0.90 {
		t.Errorf("recall %.1f%%, want at least 90%%", 100*sc.recall())
	}
	if sc.falses > 0 {
		t.Errorf("%d false commands in %.1f minutes of other speech", sc.falses, sc.otherHours*60)
	}
}

// TestSpotter_AfterLongQuiet: a command said after a long quiet (a hold
// of half a minute, a silent headset) is acted on as one said after a
// short pause. Fed to the decoder whole, the quiet lowered the scores
// of what came after it by 500 to 1500: after 18 s, "limber pause",
// "limber louder" and "limber next" were not heard at all. With the
// spotter settling for 300 ms, in festival's own voice after 1.5 s of
// quiet or more, "limber resume" was taken for "limber louder" and
// "limber quieter" for "limber go on": a shorter phrase was decided
// before the one said was reported (see Options.Settle).
func TestSpotter_AfterLongQuiet(t *testing.T) {
	requireDecoder(t)
	v := speechtest.Voice{Engine: "festival"}
	for _, phrase := range []string{"limber pause", "limber continue", "limber resume", "limber go on", "limber louder", "limber quieter", "limber next", "limber back", "limber stop", "limber repeat"} {
		for _, quiet := range []float64{1, 18, 40} {
			said := speechtest.Say(t, v, phrase)
			audio := append(speechtest.Silence(quiet), said...)
			audio = append(audio, speechtest.Silence(1.5)...)
			d, err := kws.New(Config(Commands, WakeScores))
			if err != nil {
				t.Fatal(err)
			}
			got := spot(t, d, stream{name: phrase, audio: audio})
			d.Close()
			if len(got) != 1 || got[0].Phrase != phrase {
				t.Errorf("%q after %g s of quiet: decided %+v", phrase, quiet, got)
			}
		}
	}
}

// TestSpotter_AfterReading: "limber continue", said after a minute of
// reading aloud and a pause, is acted on as "limber continue". The
// decoder reports "limber stop" in "limber con-" about 480 ms before it
// reports "continue"; settling for 300 ms, the spotter stopped the
// session (the end-to-end test of --listen caught it).
func TestSpotter_AfterReading(t *testing.T) {
	requireDecoder(t)
	if testing.Short() {
		t.Skip("voices a minute of speech: go test without -short runs it")
	}
	v := speechtest.Voice{Engine: "festival"}
	text := reading(t, "GPL-3", "/usr/share/common-licenses/GPL-3", v, condition{}, 1)
	for _, quiet := range []float64{0.5, 2, 5} {
		audio := append(append([]int16{}, text.audio...), speechtest.Silence(quiet)...)
		audio = append(audio, speechtest.Say(t, v, "limber continue")...)
		audio = append(audio, speechtest.Silence(1.5)...)
		d, err := kws.New(Config(Commands, WakeScores))
		if err != nil {
			t.Fatal(err)
		}
		got := spot(t, d, stream{name: "reading", audio: audio})
		d.Close()
		if len(got) != 1 || got[0].Phrase != "limber continue" {
			t.Errorf("after the reading and %g s of quiet: decided %+v, want limber continue", quiet, got)
		}
	}
}

// BenchmarkListen measures listening on the corpus (-corpus for the
// whole of it, as make bench-listen runs): commands acted on within
// 1.5 s, false commands an hour of other speech, and the CPU it takes,
// as a share of one core.
func BenchmarkListen(b *testing.B) {
	requireDecoder(b)
	commands, other := corpus(b, *fullCorpus)
	if *heldOut {
		commands, other = heldOutCorpus(b)
	}
	var audio float64
	for _, s := range append(append([]stream{}, commands...), other...) {
		audio += s.seconds()
	}
	b.ResetTimer()
	var sc score
	var cpu time.Duration
	var falses []string
	for range b.N {
		falses = falses[:0]
		start := cpuTime()
		sc = judge(commands, other, func(s stream) []decision {
			d, err := kws.New(Config(Commands, WakeScores))
			if err != nil {
				b.Fatal(err)
			}
			defer d.Close()
			got := spot(b, d, s)
			if s.commands == nil {
				for _, g := range got {
					falses = append(falses, fmt.Sprintf("false command in %s: %q at %.1f s (heard as %q, score %d, denoised %v)", s.name, g.Phrase, float64(g.at)/kws.SampleRate, g.as.Phrase, g.as.Score, g.as.Denoised))
				}
			}
			return got
		})
		cpu += cpuTime() - start
	}
	b.ReportMetric(100*sc.recall(), "%recall")
	b.ReportMetric(sc.falsePerHour(), "false/h")
	b.ReportMetric(100*cpu.Seconds()/float64(b.N)/audio, "%core")
	b.ReportMetric(audio/60, "audio-min")
	// The score first: go test keeps only the first lines a benchmark
	// logs.
	b.Log(sc)
	for _, f := range falses {
		b.Log(f)
	}
}
