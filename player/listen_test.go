package player

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/limber-audio/limber/audio/tone"
)

// pullTimed pulls n samples, the clock moving by their length first, as
// a device pulling in real time would.
func pullTimed(out *fakeOutput, clock *fakeClock, n, rate int) [][2]float64 {
	b, _ := out.pull(n)
	clock.now = clock.now.Add(time.Duration(n) * time.Second / time.Duration(rate))
	return b
}

// TestSession_SoundBetween: the session remembers when it handed its own
// sound to the output, from the timeline to the sample: during a cue
// yes, in the silence of a hold no.
func TestSession_SoundBetween(t *testing.T) {
	s, out, clock, tl := newTestSession(t, "neck-tilts", SessionOptions{})
	t0 := clock.now
	var hold Event
	for _, e := range tl.Events {
		if e.Kind == KindHold && e.Len > 5*tl.Rate {
			hold = e
			break
		}
	}
	at := func(sample int) time.Time {
		return t0.Add(time.Duration(sample) * time.Second / time.Duration(tl.Rate))
	}
	for pos := 0; pos < hold.Start+4*tl.Rate; pos += 441 {
		pullTimed(out, clock, 441, tl.Rate)
	}
	first := tl.Events[0] // the first cue
	if first.Kind != KindCue {
		t.Fatalf("first event %v", first.Kind)
	}
	if !s.SoundBetween(at(first.Start+100), at(first.Start+200)) {
		t.Error("no sound remembered during the first cue")
	}
	// The hold's start tone, then silence until the countdown.
	quietFrom, quietTo := at(hold.Start+tl.Rate), at(hold.Start+3*tl.Rate)
	if s.SoundBetween(quietFrom, quietTo) {
		t.Error("sound remembered in the silence of a hold")
	}
	if !s.SoundBetween(at(hold.Start-100), at(hold.Start+100)) {
		t.Error("the tone that starts the hold is not remembered")
	}
	// An acknowledgement is the session's own sound too.
	s.Acknowledge()
	before := clock.now
	pullTimed(out, clock, 441, tl.Rate)
	if !s.SoundBetween(before, clock.now) {
		t.Error("the acknowledgement is not remembered")
	}
}

// TestSession_AcknowledgeMixesTheTone: the acknowledgement tone is mixed
// over the routine, at the session's volume, and then it is gone.
func TestSession_AcknowledgeMixesTheTone(t *testing.T) {
	s, out, clock, tl := newTestSession(t, "neck-tilts", SessionOptions{})
	var hold Event
	for _, e := range tl.Events {
		if e.Kind == KindHold && e.Len > 5*tl.Rate {
			hold = e
			break
		}
	}
	for pos := 0; pos < hold.Start+tl.Rate; pos += 500 {
		pullTimed(out, clock, 500, tl.Rate)
	}
	s.SetVolume(0.5)
	s.Acknowledge()
	ack := tone.Ack.Samples(tl.Rate)
	got := pullTimed(out, clock, len(ack), tl.Rate)
	for i, v := range ack {
		if want := float64(v) * 0.5; abs(got[i][0]-want) > 1e-6 || abs(got[i][1]-want) > 1e-6 {
			t.Fatalf("sample %d: %v, want the tone's %g", i, got[i], want)
		}
	}
	if e := energy(pullTimed(out, clock, 1000, tl.Rate)); e != 0 {
		t.Errorf("after the tone: energy %g, want the hold's silence", e)
	}
}

// TestSession_RepeatSaysTheCueWhileTheRoutineWaits: in a hold, repeat
// plays the cue heard last, and the hold resumes where it was.
func TestSession_RepeatSaysTheCueWhileTheRoutineWaits(t *testing.T) {
	clips := sineClips{rate: testRate, amp: 0.5}
	s, out, clock, tl := newTestSession(t, "neck-tilts", SessionOptions{Clips: clips})
	var hold Event
	for _, e := range tl.Events {
		if e.Kind == KindHold && e.Len > 5*tl.Rate {
			hold = e
			break
		}
	}
	for pos := 0; pos < hold.Start+tl.Rate; pos += 500 {
		pullTimed(out, clock, 500, tl.Rate)
	}
	pos := s.Status().Pos
	if !s.Repeat() {
		t.Fatal("nothing to repeat")
	}
	clip := make([]float32, tl.Rate)
	n, _ := clips.ReadClip("any", 0, clip)
	got := pullTimed(out, clock, n, tl.Rate)
	for i, v := range clip[:n] {
		if abs(got[i][0]-float64(v)) > 1e-6 {
			t.Fatalf("sample %d: %v, want the cue's %g", i, got[i], v)
		}
	}
	if p := s.Status().Pos; p != pos {
		t.Errorf("the routine moved from %d to %d while the cue was said again", pos, p)
	}
	pullTimed(out, clock, 100, tl.Rate)
	if p := s.Status().Pos; p != pos+100 {
		t.Errorf("after it: position %d, want %d", p, pos+100)
	}
	if s2, _, _, _ := newTestSession(t, "neck-tilts", SessionOptions{}); s2.Repeat() {
		t.Error("repeat without a voice said something")
	}
}

// syncWriter is a bytes.Buffer safe for RunLive's writes and the test's
// reads.
type syncWriter struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (w *syncWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

func (w *syncWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.String()
}

// waitFor polls until ok; the deadline only guards against a hang.
func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	for start := time.Now(); !ok(); time.Sleep(5 * time.Millisecond) {
		if time.Since(start) > 10*time.Second {
			t.Fatalf("waiting for %s", what)
		}
	}
}

// TestRunLive_SpokenCommands: each command heard does what its key does,
// is acknowledged and shown; a spoken pause only pauses, a spoken
// continue only resumes; ignored ones do nothing; stop ends the session
// after its acknowledgement.
func TestRunLive_SpokenCommands(t *testing.T) {
	s, _, _, tl := newTestSession(t, "desk-break", SessionOptions{})
	spoken := make(chan Spoken)
	status := &syncWriter{}
	done := make(chan error, 1)
	go func() {
		done <- RunLive(context.Background(), s, LiveOptions{Spoken: spoken, Status: status, Tick: 10 * time.Millisecond})
	}()
	say := func(k Key, phrase string) { spoken <- Spoken{Key: k, Phrase: phrase} }

	say(KeyNext, "limber next")
	waitFor(t, "the first stretch", func() bool { return s.Status().Pos == tl.Sections[0].Start })
	if !strings.Contains(status.String(), "heard: limber next") {
		t.Errorf("status says nothing of it:\n%s", status)
	}
	s.out.Lock()
	acked := len(s.overlay) > 0
	s.out.Unlock()
	if !acked {
		t.Error("no acknowledgement")
	}
	say(KeyLouder, "limber louder")
	waitFor(t, "louder", func() bool { return s.Volume() > 1.05 })
	say(KeyResume, "limber continue") // playing: nothing to do
	say(KeyPause, "limber pause")
	waitFor(t, "paused", func() bool { return s.Status().Paused })
	say(KeyPause, "limber pause") // paused: stays paused
	time.Sleep(AckDuration + ackLatency + 50*time.Millisecond)
	if !s.Status().Paused {
		t.Error("a second pause resumed")
	}
	spoken <- Spoken{Key: KeyResume, Phrase: "limber continue", Ignored: true}
	time.Sleep(50 * time.Millisecond)
	if !s.Status().Paused {
		t.Error("an ignored command was acted on")
	}
	say(KeyResume, "limber continue")
	waitFor(t, "playing", func() bool { return !s.Status().Paused })
	say(KeyQuit, "limber stop")
	if err := <-done; !errors.Is(err, ErrQuit) {
		t.Errorf("RunLive: %v, want ErrQuit", err)
	}
}

// TestRunLive_ListeningStops: when the listener gives up, one line says
// why and the session plays on.
func TestRunLive_ListeningStops(t *testing.T) {
	s, _, _, _ := newTestSession(t, "neck-tilts", SessionOptions{})
	spoken := make(chan Spoken, 1)
	status, errs := &syncWriter{}, &syncWriter{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- RunLive(ctx, s, LiveOptions{Spoken: spoken, Status: status, Errors: errs, Redraw: true, Tick: 10 * time.Millisecond})
	}()
	waitFor(t, "listening in the status", func() bool { return strings.Contains(status.String(), "listening") })
	spoken <- Spoken{Err: errors.New("the microphone gives no sound")}
	waitFor(t, "the line", func() bool { return errs.String() != "" })
	if got := errs.String(); got != "limber: the microphone gives no sound; playing on without listening\n" {
		t.Errorf("line %q", got)
	}
	cancel()
	<-done
}
