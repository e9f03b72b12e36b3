//go:build linux

package listen

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/gob"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/limber-audio/limber/internal/speechtest"
	"github.com/limber-audio/limber/kws"
)

// TestTune searches for the thresholds of Commands (go test -run TestTune
// -timeout 2h ./player/listen -tune -corpus): it decodes the corpus once
// for each phone loop probability with every phrase at a low threshold,
// keeps every detection with its score, then tries thresholds on those
// records (a higher threshold only drops the weaker detections), phrase
// by phrase, for the most commands acted on in time with at most one
// false command an hour of the other speech, even at thresholds
// tuneMargin lower, and prints the best. The spotter asks for the wake
// word alone as WakeScores does throughout.
var tune = flag.Bool("tune", false, "search for the commands' thresholds on the corpus (slow)")

// tuneAccents has TestTune search the Accents' thresholds alone, the
// phrases' held at Commands'.
var tuneAccents = flag.Bool("tune-accents", false, "with -tune: search the accents' thresholds alone, holding the commands' as they are")

// logged is a detection and how much audio had been fed when it was
// reported, in samples.
type logged struct {
	at int64
	d  kws.Detection
}

// replay is a Recognizer that plays back a record of detections, those
// of the commands a decoder with the thresholds of cutoff would have
// reported (the phrase's or accent's own, or its loud one where it was
// heard denoised), and every one of the wake word alone (the spotter holds
// those to its own thresholds).
type replay struct {
	log    []logged
	fed    int64
	cutoff map[minScoreKey]int
}

func (r *replay) Process(samples []int16) ([]kws.Detection, error) {
	r.fed += int64(len(samples))
	var out []kws.Detection
	for len(r.log) > 0 && r.log[0].at <= r.fed {
		if d := r.log[0].d; d.Phrase == WakeWord || d.Score >= r.cutoff[minScoreKey{d.Phrase, d.Denoised}] {
			out = append(out, d)
		}
		r.log = r.log[1:]
	}
	return out, nil
}

// recordWake is the least score of the wake word alone that a record
// keeps: below WakeScores and any worth trying instead.
const recordWake = -2100

// record decodes s with every phrase at the loosest threshold, and the
// wake word alone from recordWake.
func record(tb testing.TB, s stream, plp float64) []logged {
	tb.Helper()
	cfg := Config(Commands, Wake{recordWake, recordWake})
	for i := range cfg.Phrases {
		if cfg.Phrases[i].Text != WakeWord {
			cfg.Phrases[i].Threshold = 1e-50
		}
	}
	cfg.PhoneLoop = plp
	d, err := kws.New(cfg)
	if err != nil {
		tb.Error(err) // not Fatal: recordAll runs it on other goroutines
		return nil
	}
	defer d.Close()
	var out []logged
	const chunk = kws.SampleRate / 50
	for i := 0; i < len(s.audio); i += chunk {
		end := min(i+chunk, len(s.audio))
		dets, err := d.Process(s.audio[i:end])
		if err != nil {
			tb.Error(err)
			return out
		}
		for _, det := range dets {
			out = append(out, logged{int64(end), det})
		}
	}
	return out
}

func TestTune(t *testing.T) {
	if !*tune {
		t.Skip("run with -tune")
	}
	requireDecoder(t)
	commands, other := corpus(t, *fullCorpus)
	for _, plp := range tunePLP {
		logs := recordAll(t, append(append([]stream{}, commands...), other...), plp)
		if *analyze {
			analyzeLogs(t, commands, other, logs)
		}
		spotAll := func(streams []stream, cutoff map[minScoreKey]int) map[string][]decision {
			cmds := append([]Command{}, Commands...)
			for i := range cmds {
				cmds[i].MinScore = cutoff[minScoreKey{cmds[i].Phrase, false}]
				cmds[i].LoudMinScore = cutoff[minScoreKey{cmds[i].Phrase, true}]
			}
			accents := append([]Accent{}, Accents...)
			for i := range accents {
				accents[i].MinScore = cutoff[minScoreKey{accents[i].As, false}]
				accents[i].LoudMinScore = cutoff[minScoreKey{accents[i].As, true}]
			}
			// The records were made of every sample, without the
			// spotter's gate: the search runs without it too.
			return eachStream(streams, func(s stream) []decision {
				return spotWith(t, &replay{log: logs[s.name], cutoff: cutoff}, s, Options{Commands: cmds, Accents: accents, Quiet: -1})
			})
		}
		// Commands are judged at the thresholds tried; other speech at
		// thresholds tuneMargin lower, so that none is chosen just above
		// a phrase other speech came near. The wake word's are
		// WakeScores throughout, the spotter's default.
		eval := func(cutoff map[minScoreKey]int) score {
			lowered := map[minScoreKey]int{}
			for k, v := range cutoff {
				lowered[k] = v - tuneMargin
			}
			decided := spotAll(commands, cutoff)
			for k, v := range spotAll(other, lowered) {
				decided[k] = v
			}
			return judge(commands, other, func(s stream) []decision { return decided[s.name] })
		}
		allowed := int(math.Floor(otherHours(other))) // at most one an hour
		// No phrase is given up on for the others: a phrase heard less
		// than 3 times in 4 counts its commands short of that twice.
		objective := func(sc score) int {
			o := 4*sc.actedOn - 2*sc.wrong - 100*max(0, sc.falses-allowed)
			for _, c := range Commands {
				v := sc.by[`"`+c.Phrase+`"`]
				o -= 4 * max(0, 3*v[1]/4-v[0])
			}
			return o
		}
		// Each phrase and accent has two thresholds, for audio heard as
		// it is and for audio heard denoised (in a loud noise). Those
		// searched start strict: hardly anything passes.
		cutoff := map[minScoreKey]int{}
		var keys []minScoreKey
		for _, c := range Commands {
			cutoff[minScoreKey{c.Phrase, false}] = c.MinScore
			cutoff[minScoreKey{c.Phrase, true}] = c.LoudMinScore
		}
		for _, a := range Accents {
			cutoff[minScoreKey{a.As, false}] = a.MinScore
			cutoff[minScoreKey{a.As, true}] = a.LoudMinScore
		}
		for k := range cutoff {
			if *tuneAccents && said(k.phrase) == k.phrase {
				continue // a command's, held
			}
			cutoff[k] = 1000
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool {
			if keys[i].phrase != keys[j].phrase {
				return keys[i].phrase < keys[j].phrase
			}
			return !keys[i].denoised
		})
		best := objective(eval(cutoff))
		for round := 0; round < 4; round++ {
			changed := false
			for _, k := range keys {
				keep := cutoff[k]
				for v := -2000; v <= 1000; v += 50 {
					cutoff[k] = v
					if o := objective(eval(cutoff)); o > best {
						best, keep, changed = o, v, true
					}
				}
				cutoff[k] = keep
			}
			if !changed {
				break
			}
		}
		sc := eval(cutoff)
		var lines []string
		for _, c := range Commands {
			lines = append(lines, fmt.Sprintf("{%q, ..., %d, %d},", c.Phrase, cutoff[minScoreKey{c.Phrase, false}], cutoff[minScoreKey{c.Phrase, true}]))
		}
		for _, a := range Accents {
			lines = append(lines, fmt.Sprintf("{%q, %q, %d, %d},", a.As, a.Phrase, cutoff[minScoreKey{a.As, false}], cutoff[minScoreKey{a.As, true}]))
		}
		sort.Strings(lines)
		t.Logf("phone loop %g: %s\n%s", plp, sc, strings.Join(lines, "\n"))
	}
}

// eachStream runs do on every stream, on every core, and returns its
// results by the stream's name. do runs on other goroutines than the
// test's: it may report with Error, never with Fatal.
func eachStream[T any](streams []stream, do func(stream) T) map[string]T {
	out := make([]T, len(streams))
	next := make(chan int)
	var wg sync.WaitGroup
	for range runtime.NumCPU() {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				out[i] = do(streams[i])
			}
		}()
	}
	for i := range streams {
		next <- i
	}
	close(next)
	wg.Wait()
	m := make(map[string]T, len(streams))
	for i, s := range streams {
		m[s.name] = out[i]
	}
	return m
}

// recordAll records every stream, or reads its record from the test
// cache where a run before made it from the same audio: one file a
// stream, so that a stream added to the corpus is the only one
// recorded.
func recordAll(tb testing.TB, streams []stream, plp float64) map[string][]logged {
	path := func(s stream) string {
		h := sha256.New()
		// The decoder's settings and the version of its front end:
		// bump it when kws changes what the decoder hears.
		fmt.Fprintf(h, "records/14accents %g %g %g\n%s %d\n", plp, float64(NoiseFloor), float64(Denoise), s.name, len(s.audio))
		binary.Write(h, binary.LittleEndian, s.audio)
		return filepath.Join(speechtest.CacheDir(tb), fmt.Sprintf("record-%x.gob", h.Sum(nil)[:8]))
	}
	logs := map[string][]logged{}
	var todo []stream
	for _, s := range streams {
		var saved []savedLog
		f, err := os.Open(path(s))
		if err == nil {
			err = gob.NewDecoder(f).Decode(&saved)
			f.Close()
		}
		if err != nil {
			todo = append(todo, s)
			continue
		}
		logs[s.name] = []logged{} // recorded, if nothing was heard
		for _, l := range saved {
			logs[s.name] = append(logs[s.name], logged{l.At, l.D})
		}
	}
	for name, log := range eachStream(todo, func(s stream) []logged { return record(tb, s, plp) }) {
		logs[name] = log
	}
	if tb.Failed() {
		return logs // not kept: a record may have stopped short
	}
	for _, s := range todo {
		saved := []savedLog{}
		for _, l := range logs[s.name] {
			saved = append(saved, savedLog{l.at, l.d})
		}
		var buf bytes.Buffer
		if err := gob.NewEncoder(&buf).Encode(saved); err == nil {
			os.WriteFile(path(s), buf.Bytes(), 0o644)
		}
	}
	return logs
}

// savedLog is a logged detection as the record file keeps it.
type savedLog struct {
	At int64
	D  kws.Detection
}

var analyze = flag.Bool("analyze", false, "with -tune: print the detections' scores and lengths, true against false")

// analyzeLogs prints, for every phrase, the final look at each detection:
// whether it was the phrase said there, its score and its length.
func analyzeLogs(t *testing.T, commands, other []stream, logs map[string][]logged) {
	for _, s := range append(append([]stream{}, commands...), other...) {
		final := map[[2]int64]kws.Detection{}
		for _, l := range logs[s.name] {
			final[[2]int64{int64(len(l.d.Phrase)), l.d.Start}] = l.d
		}
		for _, d := range final {
			label := "false"
			for _, c := range s.commands {
				if d.Start < c.end && d.End > c.start {
					label = "other"
					if c.phrase == d.Phrase {
						label = "true"
					}
				}
			}
			fmt.Printf("ANALYZE\t%s\t%s\t%d\t%.2f\t%s\t%.1f\n", label, d.Phrase, d.Score, float64(d.End-d.Start)/kws.SampleRate, s.name, float64(d.Start)/kws.SampleRate)
		}
	}
}

func otherHours(other []stream) float64 {
	var h float64
	for _, s := range other {
		h += s.seconds() / 3600
	}
	return h
}

// tuneMargin is how far below each threshold TestTune looks for false
// commands in other speech. Chosen just above the highest false
// detection of each phrase, thresholds let through what other speech
// comes a little nearer: tuned without a margin, the corpus gave 0.66
// false commands an hour and the held-out one 13.3.
const tuneMargin = 200

// tunePLP are the phone loop probabilities TestTune tries.
var tunePLP = []float64{1e-10}
