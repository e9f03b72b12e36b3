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
	// Echo says when limber made sound; nil means never.
	Echo Echo
	// Settle is how much audio after a phrase is first heard the
	// spotter waits for a surer reading of it before acting: 0 means
	// 300 ms.
	Settle time.Duration
	// Before and After widen each of limber's own sounds for Echo: how
	// much earlier and later than it was handed to the sound card it
	// might still reach the microphone (output latency, the room's
	// echo). 0 means 150 ms and 450 ms.
	Before, After time.Duration
	// Silence is how long Run waits for sound from the microphone before
	// it gives up: 0 means 3 s.
	Silence time.Duration
}

// Spotter turns what a Recognizer hears into commands. It is not safe
// for concurrent use.
type Spotter struct {
	rec      Recognizer
	keys     map[string]player.Key
	wake     bool // the wake word is listened for on its own too
	echo     Echo
	settle   int64 // samples
	before   time.Duration
	after    time.Duration
	silence  time.Duration
	fed      int64     // samples fed
	lastAt   time.Time // when the last sample fed was captured
	group    []kws.Detection
	firstAt  int64           // fed when the group's first detection came
	actedEnd int64           // end of the last phrase decided, in samples
	wakes    []kws.Detection // the wake word heard lately, latest look at each
}

// wakeNear is how close to the start of a command the wake word must be
// heard on its own, in samples.
const wakeNear = kws.SampleRate / 4

// keepWakes is how many lately heard wake words the spotter remembers.
const keepWakes = 8

// NewSpotter returns a spotter of rec's detections.
func NewSpotter(rec Recognizer, opts Options) *Spotter {
	sp := &Spotter{rec: rec, keys: map[string]player.Key{}, echo: opts.Echo, before: opts.Before, after: opts.After}
	cmds := opts.Commands
	if cmds == nil {
		cmds = Commands
	}
	for _, c := range cmds {
		if c.Phrase == WakeWord {
			sp.wake = true
			continue
		}
		sp.keys[c.Phrase] = c.Key
	}
	settle := opts.Settle
	if settle == 0 {
		settle = 300 * time.Millisecond
	}
	sp.settle = int64(settle.Seconds() * kws.SampleRate)
	if sp.before == 0 {
		sp.before = 150 * time.Millisecond
	}
	if sp.after == 0 {
		sp.after = 450 * time.Millisecond
	}
	sp.silence = opts.Silence
	if sp.silence == 0 {
		sp.silence = 3 * time.Second
	}
	return sp
}

// Feed hands the spotter the next piece of audio, captured at c.At, and
// returns the commands decided on by then.
func (sp *Spotter) Feed(c mic.Chunk) ([]Heard, error) {
	dets, err := sp.rec.Process(c.Samples)
	sp.fed += int64(len(c.Samples))
	sp.lastAt = c.At
	if err != nil {
		return nil, err
	}
	var out []Heard
	for _, d := range dets {
		if d.Phrase == WakeWord {
			sp.addWake(d)
			continue
		}
		if _, ok := sp.keys[d.Phrase]; !ok {
			continue // a word that only sounds like a command
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
	}
	if len(sp.group) > 0 && sp.fed-sp.firstAt >= sp.settle {
		out = sp.decide(out)
	}
	return out, nil
}

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

// addWake remembers a look at the wake word on its own.
func (sp *Spotter) addWake(d kws.Detection) {
	for i, w := range sp.wakes {
		if w.Start == d.Start {
			sp.wakes[i] = d
			return
		}
	}
	if len(sp.wakes) == keepWakes {
		sp.wakes = append(sp.wakes[:0], sp.wakes[1:]...)
	}
	sp.wakes = append(sp.wakes, d)
}

// woken reports whether the wake word was heard on its own where d
// starts.
func (sp *Spotter) woken(d kws.Detection) bool {
	for _, w := range sp.wakes {
		if w.Start > d.Start-wakeNear && w.Start < d.Start+wakeNear {
			return true
		}
	}
	return false
}

// decide picks the surest detection of the group, appends it to out as
// a command and empties the group. With the wake word among the
// recognizer's phrases, a command counts only where the wake word was
// also heard on its own.
func (sp *Spotter) decide(out []Heard) []Heard {
	best := sp.group[0]
	for _, g := range sp.group[1:] {
		if g.Score > best.Score {
			best = g
		}
	}
	for _, g := range sp.group {
		sp.actedEnd = max(sp.actedEnd, g.End)
	}
	sp.group = sp.group[:0]
	key, ok := sp.keys[best.Phrase]
	if !ok || sp.wake && !sp.woken(best) {
		return out
	}
	h := Heard{Key: key, Phrase: best.Phrase, Start: sp.timeOf(best.Start), End: sp.timeOf(best.End)}
	h.Ignored = sp.echo != nil && sp.echo.SoundBetween(h.Start.Add(-sp.after), h.End.Add(sp.before))
	return append(out, h)
}

// timeOf returns when sample n was captured, counting back from the last
// sample fed.
func (sp *Spotter) timeOf(n int64) time.Time {
	return sp.lastAt.Add(-time.Duration(float64(sp.fed-n) / kws.SampleRate * float64(time.Second)))
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
