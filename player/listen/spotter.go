package listen

import (
	"context"
	"errors"
	"time"

	"github.com/limber-audio/limber/kws"
	"github.com/limber-audio/limber/mic"
	"github.com/limber-audio/limber/player"
)

// Recognizer spots phrases in 16-bit mono audio at kws.SampleRate fed
// in order. *kws.Decoder implements it.
type Recognizer interface {
	Process(samples []int16) ([]kws.Detection, error)
}

// Echo tells whether limber made sound of its own (a cue, a tone, an
// acknowledgement; not the music bed) at any moment between from and to.
// *player.Session implements it.
type Echo interface {
	SoundBetween(from, to time.Time) bool
}

// Heard is a command the spotter is sure of.
type Heard struct {
	// Key is the control it stands for.
	Key player.Key
	// Phrase is what was said.
	Phrase string
	// Start and End are when it was said.
	Start, End time.Time
	// Ignored is set when limber was making sound of its own then: the
	// phrase may be limber's own voice, and is not acted on.
	Ignored bool
}

// Options tune a Spotter. The zero value means the defaults.
type Options struct {
	// Commands are the phrases to act on; nil means Commands.
	Commands []Command
	// Accents are the other ways of saying them; nil means Accents.
	// Those of phrases not among Commands are not acted on.
	Accents []Accent
	// Wake is how sure of the wake word alone the recognizer must be at
	// the start of a command; nil means WakeScores.
	Wake *Wake
	// Echo says when limber made sound; nil means never.
	Echo Echo
	// Settle is how much audio the spotter waits, once the detections
	// over a stretch stop changing, for a surer reading before acting
	// (and at most 900 ms from the first): 0 means 550 ms. The decoder
	// reports a phrase about 450 ms after it ends, so a longer phrase
	// that starts as a shorter one comes that much after it: festival's
	// "limber continue", said after a pause, was taken for "limber
	// stop" (heard in "limber con-", with the t's closure after it for a
	// pause) 300 ms after that, before "continue" was reported, 480 ms
	// after it.
	Settle time.Duration
	// Before and After widen each of limber's own sounds for Echo: how
	// much earlier and later than it was handed to the sound card it
	// might still reach the microphone (output latency, the room's
	// echo). 0 means 150 ms and 450 ms.
	Before, After time.Duration
	// Silence is how long Run waits for sound from the microphone before
	// it gives up: 0 means 3 s.
	Silence time.Duration
	// Quiet is the level (RMS of 16-bit samples over 10 ms) below which
	// the microphone is quiet; after 1.5 s of it the spotter holds the
	// quiet back from the recognizer until sound comes again (see gate).
	// 0 means 100, about -50 dBFS; below 0, everything is passed on.
	Quiet float64
	// Pause is how far, in dB, the loudest moments of the quarter second
	// after a phrase (from 50 ms after its end) must fall below the
	// phrase's, as captured or tilted, for the spotter to act on it:
	// people stop after a command, text read aloud mostly goes on (see
	// pause.go). 0 means 6 dB; below 0, no pause is waited for.
	Pause float64
}

// Spotter turns what a Recognizer hears into commands. It is not safe
// for concurrent use.
type Spotter struct {
	rec      Recognizer
	keys     map[string]player.Key // by the phrase as heard
	said     map[string]string     // the command's phrase, by the phrase as heard
	minScore map[minScoreKey]int
	wake     Wake
	wakes    []kws.Detection // the wake word heard alone, lately
	echo     Echo
	settle   int64 // samples
	before   time.Duration
	after    time.Duration
	silence  time.Duration
	gate     *gate     // nil: every sample goes to rec
	fed      int64     // samples fed
	t0       time.Time // when sample 0 was captured, by the earliest chunk yet (see Feed)
	t0At     time.Time // when t0 was last set
	group    []kws.Detection
	firstAt  int64   // fed when the group's first detection came
	lastAt   int64   // fed when the group last grew or changed
	actedEnd int64   // end of the last phrase decided, in samples
	pause    float64 // dB; below 0, none is waited for
	levels   levels  // of the audio captured, for the pause
}

// minScoreKey picks a phrase's MinScore, or its LoudMinScore for a
// detection heard denoised: the phrase as heard, a command's or an
// accent's.
type minScoreKey struct {
	phrase   string
	denoised bool
}

// NewSpotter returns a spotter of rec's detections.
func NewSpotter(rec Recognizer, opts Options) *Spotter {
	sp := &Spotter{rec: rec, keys: map[string]player.Key{}, said: map[string]string{}, minScore: map[minScoreKey]int{}, echo: opts.Echo, before: opts.Before, after: opts.After}
	cmds := opts.Commands
	if cmds == nil {
		cmds = Commands
	}
	accents := opts.Accents
	if accents == nil {
		accents = Accents
	}
	sp.wake = WakeScores
	if opts.Wake != nil {
		sp.wake = *opts.Wake
	}
	for _, c := range cmds {
		ways := append([]Accent{{c.Phrase, c.Phrase, c.MinScore, c.LoudMinScore}}, accentsOf(accents, c.Phrase)...)
		for _, a := range ways {
			sp.keys[a.As] = c.Key
			sp.said[a.As] = c.Phrase
			sp.minScore[minScoreKey{a.As, false}] = a.MinScore
			sp.minScore[minScoreKey{a.As, true}] = a.LoudMinScore
		}
	}
	settle := opts.Settle
	if settle == 0 {
		settle = 550 * time.Millisecond
	}
	sp.settle = int64(settle.Seconds() * kws.SampleRate)
	if sp.before == 0 {
		sp.before = 150 * time.Millisecond
	}
	if sp.after == 0 {
		sp.after = 450 * time.Millisecond
	}
	sp.pause = opts.Pause
	if sp.pause == 0 {
		sp.pause = 6
	}
	sp.silence = opts.Silence
	if sp.silence == 0 {
		sp.silence = 3 * time.Second
	}
	switch {
	case opts.Quiet == 0:
		sp.gate = newGate(100)
	case opts.Quiet > 0:
		sp.gate = newGate(opts.Quiet)
	}
	return sp
}

// Feed hands the spotter the next piece of audio, captured at c.At, and
// returns the commands decided on by then.
func (sp *Spotter) Feed(c mic.Chunk) ([]Heard, error) {
	dets, err := sp.recognize(c.Samples)
	sp.fed += int64(len(c.Samples))
	if sp.pause >= 0 {
		sp.levels.add(c.Samples)
	}
	sp.align(c.At)
	if err != nil {
		return nil, err
	}
	var out []Heard
	for _, d := range dets {
		if d.Phrase == WakeWord {
			sp.addWake(d)
			continue
		}
		if d.Start < sp.actedEnd {
			continue // a later look at a phrase already decided
		}
		if len(sp.group) > 0 && !sp.overlaps(d) {
			out = sp.decide(out)
		}
		if len(sp.group) == 0 {
			sp.firstAt = sp.fed
		}
		sp.add(d)
		sp.lastAt = sp.fed
	}
	if len(sp.group) > 0 && (sp.fed-sp.lastAt >= sp.settle || sp.fed-sp.firstAt >= maxSettle) && sp.heardAfter() {
		out = sp.decide(out)
	}
	return out, nil
}

// heardAfter reports whether the audio after every detection of the
// group, where the pause would be, has been measured (or no pause is
// waited for).
func (sp *Spotter) heardAfter() bool {
	if sp.pause < 0 {
		return true
	}
	var end int64
	for _, g := range sp.group {
		end = max(end, g.End)
	}
	return sp.levels.measured() >= end+pauseGap+pauseLen
}

// recognize feeds samples to the recognizer, through the gate if there
// is one, and returns what it heard, placed in the audio as captured.
func (sp *Spotter) recognize(samples []int16) ([]kws.Detection, error) {
	if sp.gate == nil {
		return sp.rec.Process(samples)
	}
	var dets []kws.Detection
	for _, p := range sp.gate.pieces(samples) {
		d, err := sp.rec.Process(p)
		if err != nil {
			return dets, err
		}
		for i := range d {
			d[i].Start, d[i].End = sp.gate.place(d[i].Start), sp.gate.place(d[i].End)
		}
		dets = append(dets, d...)
	}
	return dets, nil
}

// sureOf reports whether d is a phrase listened for, as sure as its
// threshold asks: as heard, or denoised (the decoder reports each phrase
// at the lower of its two, Config).
func (sp *Spotter) sureOf(d kws.Detection) bool {
	least, ok := sp.minScore[minScoreKey{d.Phrase, d.Denoised}]
	return ok && d.Score >= least
}

// sureOfCommand reports whether one of dets that says the command d
// says, as its phrase or an accent of it, is sure enough. An accent's
// spelling scores the same words otherwise than the phrase's, against
// thresholds of its own: one that falls short is no rival of the other
// that does not (festival's "limber stop" was lost to a "limber
// stop'gb" heard with it, higher but under its own threshold).
func (sp *Spotter) sureOfCommand(dets []kws.Detection, d kws.Detection) bool {
	for _, o := range dets {
		if sp.said[o.Phrase] == sp.said[d.Phrase] && sp.sureOf(o) {
			return true
		}
	}
	return false
}

// maxSettle is the longest the spotter waits, in samples, from the first
// detection of a stretch to its decision, however long the detections
// keep changing.
const maxSettle = kws.SampleRate * 9 / 10

// overlaps reports whether d shares audio with the group.
func (sp *Spotter) overlaps(d kws.Detection) bool {
	for _, g := range sp.group {
		if d.Start < g.End && d.End > g.Start {
			return true
		}
	}
	return false
}

// add puts d in the group, replacing an earlier look at the same one.
func (sp *Spotter) add(d kws.Detection) {
	for i, g := range sp.group {
		if g.Phrase == d.Phrase && g.Start == d.Start {
			sp.group[i] = d
			return
		}
	}
	sp.group = append(sp.group, d)
}

// keepWakes is how long, in samples, the spotter remembers the wake word
// heard alone: more than the longest wait for a decision and the pause.
const keepWakes = 5 * kws.SampleRate

// addWake remembers d, the wake word heard alone, replacing an earlier
// look at the same one, and forgets what is too old to matter.
func (sp *Spotter) addWake(d kws.Detection) {
	kept := sp.wakes[:0]
	for _, w := range sp.wakes {
		if w.Start != d.Start && w.End > sp.fed-keepWakes {
			kept = append(kept, w)
		}
	}
	sp.wakes = append(kept, d)
}

// wokeFor reports whether the wake word was heard alone at the start of
// d as surely as Wake asks (see Wake).
func (sp *Spotter) wokeFor(d kws.Detection) bool {
	least := sp.wake.MinScore
	if d.Denoised {
		least = sp.wake.LoudMinScore
	}
	for _, w := range sp.wakes {
		if w.Score >= least && w.Start >= d.Start-wakeEarly && w.Start < d.Start+(d.End-d.Start)*4/10 && w.End > d.Start && w.End < d.End {
			return true
		}
	}
	return false
}

// wakeEarly is how much earlier than a command, in samples, the wake word
// heard alone may start: 200 ms.
const wakeEarly = kws.SampleRate / 5

// decide empties the group and appends to out the command it holds,
// if any: of the detections the speaker paused after, the one with the
// highest score, when that is high enough for its phrase (a decoder with
// the commands' thresholds reports no other); one that is not gives way
// to another way of saying its command that is. A detection with more
// sound right after it is not a phrase said but the start of a longer
// one, or of other words: when there is no other, the group's audio
// stays open to a later, longer detection over it.
func (sp *Spotter) decide(out []Heard) []Heard {
	var cands []kws.Detection
	for _, g := range sp.group {
		if sp.pause >= 0 && !sp.levels.pauseAfter(g.Start, g.End, sp.pause) {
			continue
		}
		if sp.wokeFor(g) {
			cands = append(cands, g)
		}
	}
	var best kws.Detection
	found := false
	for _, g := range cands {
		if !sp.sureOf(g) && sp.sureOfCommand(cands, g) {
			continue // another way of saying its command is sure enough
		}
		if !found || g.Score > best.Score {
			best, found = g, true
		}
	}
	if found {
		for _, g := range sp.group {
			sp.actedEnd = max(sp.actedEnd, g.End)
		}
	}
	sp.group = sp.group[:0]
	if !found || !sp.sureOf(best) {
		return out
	}
	h := Heard{Key: sp.keys[best.Phrase], Phrase: sp.said[best.Phrase], Start: sp.timeOf(best.Start), End: sp.timeOf(best.End)}
	h.Ignored = sp.echo != nil && sp.echo.SoundBetween(h.Start.Add(-sp.after), h.End.Add(sp.before))
	return append(out, h)
}

// drift is how fast the capture clock may run slow against the system
// clock: 500 parts in a million, more than sound cards stray.
const drift = 0.0005

// align learns when the first sample was captured from a chunk handed
// over at at, after which sp.fed samples have been fed. A chunk reaches
// the spotter after it was captured, by as little as the sound system
// allows or much later when it is busy (the sound comes in bursts then),
// never before: the earliest start any chunk implies is the truest. It
// is let slip later by drift, so a capture clock running slow is
// followed.
func (sp *Spotter) align(at time.Time) {
	start := at.Add(-samplesDuration(sp.fed))
	if sp.t0.IsZero() {
		sp.t0, sp.t0At = start, at
		return
	}
	slipped := sp.t0.Add(time.Duration(float64(at.Sub(sp.t0At)) * drift))
	if start.Before(slipped) {
		sp.t0 = start
	} else {
		sp.t0 = slipped
	}
	sp.t0At = at
}

// timeOf returns when sample n was captured.
func (sp *Spotter) timeOf(n int64) time.Time { return sp.t0.Add(samplesDuration(n)) }

func samplesDuration(n int64) time.Duration {
	return time.Duration(float64(n) / kws.SampleRate * float64(time.Second))
}

// ErrNoSound is what Run says when the microphone gives no sound at all
// for Options.Silence.
var ErrNoSound = errors.New("the microphone gives no sound")

// Run feeds the spotter from chunks until they end or ctx is done and
// sends what it heard on out (each send gives up when ctx is done). When
// no chunk comes for the Silence of Options, at the start or later, it
// sends a Spoken with ErrNoSound and returns; likewise with the
// recognizer's error.
func (sp *Spotter) Run(ctx context.Context, chunks <-chan mic.Chunk, out chan<- player.Spoken) {
	send := func(s player.Spoken) bool {
		select {
		case out <- s:
			return true
		case <-ctx.Done():
			return false
		}
	}
	quiet := time.NewTimer(sp.silence)
	defer quiet.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-quiet.C:
			send(player.Spoken{Err: ErrNoSound})
			return
		case c, ok := <-chunks:
			if !ok {
				send(player.Spoken{Err: errors.New("the microphone went away")})
				return
			}
			quiet.Reset(sp.silence)
			heard, err := sp.Feed(c)
			if err != nil {
				send(player.Spoken{Err: err})
				return
			}
			for _, h := range heard {
				if !send(player.Spoken{Key: h.Key, Phrase: h.Phrase, Ignored: h.Ignored}) {
					return
				}
			}
		}
	}
}
