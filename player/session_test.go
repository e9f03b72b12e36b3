package player

import (
	"errors"
	"math"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gopxl/beep/v2"

	"github.com/limber-audio/limber/audio/tone"
)

// fakeOutput stands in for the speaker: the test pulls samples by hand.
type fakeOutput struct {
	mu sync.Mutex // the output's lock
	s  beep.Streamer

	state     sync.Mutex // guards what follows
	suspended bool
	drained   bool
}

func (o *fakeOutput) Play(s beep.Streamer) { o.s = s }
func (o *fakeOutput) Lock()                { o.mu.Lock() }
func (o *fakeOutput) Unlock()              { o.mu.Unlock() }
func (o *fakeOutput) Suspend() error       { o.set(&o.suspended, true); return nil }
func (o *fakeOutput) Resume() error        { o.set(&o.suspended, false); return nil }
func (o *fakeOutput) Drain()               { o.set(&o.drained, true) }

func (o *fakeOutput) set(field *bool, v bool) {
	o.state.Lock()
	defer o.state.Unlock()
	*field = v
}

func (o *fakeOutput) get(field *bool) bool {
	o.state.Lock()
	defer o.state.Unlock()
	return *field
}

// waitSuspended waits until the session has suspended the output; the
// deadline only guards against a hang.
func (o *fakeOutput) waitSuspended(t *testing.T) {
	t.Helper()
	for start := time.Now(); !o.get(&o.suspended); time.Sleep(time.Millisecond) {
		if time.Since(start) > 10*time.Second {
			t.Fatal("the output was never suspended")
		}
	}
}

// pull takes n samples as the device would, with the lock held.
func (o *fakeOutput) pull(n int) ([][2]float64, bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	buf := make([][2]float64, n)
	got, ok := o.s.Stream(buf)
	return buf[:got], ok
}

// fakeClock moves only when told to.
type fakeClock struct{ now time.Time }

func (c *fakeClock) Now() time.Time { return c.now }

func newTestSession(t *testing.T, name string, opts SessionOptions) (*Session, *fakeOutput, *fakeClock, *Timeline) {
	t.Helper()
	tl, err := Compile(builtin(t), name, fixedVoice{}, Options{Rate: testRate})
	if err != nil {
		t.Fatal(err)
	}
	r, err := NewRenderer(tl, sineClips{rate: testRate, amp: 0.5}, RenderOptions{})
	if err != nil {
		t.Fatal(err)
	}
	out := &fakeOutput{}
	clock := &fakeClock{now: time.Unix(0, 0)}
	opts.Clock = clock
	if opts.Volume == 0 {
		opts.Volume = 1
	}
	s := NewSession(r, out, opts)
	if err := s.Start(0); err != nil {
		t.Fatal(err)
	}
	return s, out, clock, tl
}

func TestSession_PlaysTheRenderedSamplesToTheEnd(t *testing.T) {
	s, out, _, tl := newTestSession(t, "neck-tilts", SessionOptions{})
	r, _ := NewRenderer(tl, sineClips{rate: testRate, amp: 0.5}, RenderOptions{})
	want := renderAll(t, r)
	var got [][2]float64
	for {
		b, ok := out.pull(1000)
		got = append(got, b...)
		if !ok {
			break
		}
	}
	if len(got) != len(want) {
		t.Fatalf("played %d samples, rendered %d", len(got), len(want))
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("sample %d differs", i)
		}
	}
	select {
	case <-s.Done():
	default:
		t.Fatal("Done not closed at the end")
	}
	s.Wait()
	if !out.get(&out.drained) {
		t.Error("Wait did not drain the output")
	}
}

// TestSession_PauseIsHeardAndHoldsPosition: pausing plays the pause
// sound, then silence, with the position held, and suspends the output
// once the sound is out; resuming plays the resume sound, then the
// routine from where it stood.
func TestSession_PauseIsHeardAndHoldsPosition(t *testing.T) {
	s, out, _, _ := newTestSession(t, "neck-tilts", SessionOptions{})
	out.pull(5000)
	if err := s.TogglePause(); err != nil {
		t.Fatal(err)
	}
	if !s.Status().Paused {
		t.Fatal("not paused")
	}
	pos := s.Status().Pos
	pause := tone.Pause(testRate)
	b, ok := out.pull(len(pause) + 3000)
	if !ok || !sameSound(b[:len(pause)], pause) {
		t.Error("pausing did not play the pause sound")
	}
	if energy(b[len(pause):]) != 0 || s.Status().Pos != pos {
		t.Errorf("paused: energy %g after the pause sound, position %d -> %d", energy(b[len(pause):]), pos, s.Status().Pos)
	}
	out.waitSuspended(t)
	if err := s.TogglePause(); err != nil {
		t.Fatal(err)
	}
	if out.get(&out.suspended) {
		t.Error("resuming did not resume the output")
	}
	resume := tone.Resume(testRate)
	b, _ = out.pull(len(resume) + 1000)
	if !sameSound(b[:len(resume)], resume) {
		t.Error("resuming did not play the resume sound")
	}
	if s.Status().Pos != pos+1000 {
		t.Errorf("after resume: position %d, want %d", s.Status().Pos, pos+1000)
	}
}

// TestSession_QuickResumeCutsThePauseSound: space pressed twice quickly
// cuts the pause sound short for the resume sound, and the output is not
// left suspended.
func TestSession_QuickResumeCutsThePauseSound(t *testing.T) {
	s, out, _, _ := newTestSession(t, "neck-tilts", SessionOptions{})
	out.pull(5000)
	s.TogglePause()
	out.pull(100)
	s.TogglePause()
	resume := tone.Resume(testRate)
	if b, _ := out.pull(len(resume)); !sameSound(b, resume) {
		t.Error("the resume sound did not follow at once")
	}
	if s.Status().Paused || out.get(&out.suspended) {
		t.Errorf("paused %v, output suspended %v after resuming", s.Status().Paused, out.get(&out.suspended))
	}
}

// sameSound reports whether frames hold mono sound x in both channels.
func sameSound(frames [][2]float64, x []float32) bool {
	if len(frames) != len(x) {
		return false
	}
	for i, f := range frames {
		if f[0] != float64(x[i]) || f[1] != float64(x[i]) {
			return false
		}
	}
	return true
}

func TestSession_NextAndBack(t *testing.T) {
	s, out, clock, tl := newTestSession(t, "desk-break", SessionOptions{})
	sec := tl.Sections
	if len(sec) != 3 {
		t.Fatalf("%d sections", len(sec))
	}
	pos := func() int { return s.Status().Pos }

	s.Next() // from the lead-in to the first stretch
	if pos() != sec[0].Start {
		t.Fatalf("Next from the lead-in: at %d, want %d", pos(), sec[0].Start)
	}
	s.Next()
	if pos() != sec[1].Start {
		t.Fatalf("Next: at %d, want %d", pos(), sec[1].Start)
	}
	out.pull(10 * testRate) // 10 s into the second stretch
	clock.now = clock.now.Add(10 * time.Second)
	s.Back()
	if pos() != sec[1].Start {
		t.Errorf("Back after 10 s: at %d, want this stretch's start %d", pos(), sec[1].Start)
	}
	clock.now = clock.now.Add(time.Second)
	s.Back() // again, quickly: one further
	if pos() != sec[0].Start {
		t.Errorf("Back twice: at %d, want the previous stretch %d", pos(), sec[0].Start)
	}
	clock.now = clock.now.Add(5 * time.Second)
	s.Next()
	s.Next()
	s.Next() // past the last stretch: the closing
	if want := tl.closingStart(); pos() != want {
		t.Errorf("Next on the last stretch: at %d, want the closing at %d", pos(), want)
	}
	s.Next()
	if pos() != tl.Len {
		t.Errorf("Next in the closing: at %d, want the end %d", pos(), tl.Len)
	}
	if b, ok := out.pull(100); ok || len(b) != 0 {
		t.Error("the session plays on after skipping past the closing")
	}
}

func TestSession_VolumeScalesWithoutClipping(t *testing.T) {
	s, out, _, _ := newTestSession(t, "neck-tilts", SessionOptions{})
	for range 20 {
		s.ChangeVolume(VolumeStep)
	}
	if v := s.Status().Volume; v != MaxVolume {
		t.Errorf("volume after 20 steps up = %g, want %g", v, MaxVolume)
	}
	for {
		b, ok := out.pull(4096)
		for _, v := range b {
			if math.Abs(v[0]) > 1 || math.Abs(v[1]) > 1 {
				t.Fatalf("sample %v clips at volume %g", v, MaxVolume)
			}
		}
		if !ok {
			break
		}
	}
	for range 30 {
		s.ChangeVolume(-VolumeStep)
	}
	if v := s.Status().Volume; v != 0 {
		t.Errorf("volume after 30 steps down = %g, want 0", v)
	}
}

// TestSession_SetVolumeCapsHugeValues: a volume too large to round (an
// MPRIS client's 1e308, +Inf) is the loudest, not silence; -Inf is
// silence; NaN changes nothing.
func TestSession_SetVolumeCapsHugeValues(t *testing.T) {
	s, _, _, _ := newTestSession(t, "neck-tilts", SessionOptions{})
	tests := []struct{ set, want float64 }{
		{1e308, MaxVolume},
		{math.Inf(1), MaxVolume},
		{1e19, MaxVolume},
		{0.5, 0.5},
		{math.NaN(), 0.5},
		{math.Inf(-1), MinVolume},
		{-1e308, MinVolume},
	}
	for _, tt := range tests {
		s.SetVolume(tt.set)
		if got := s.Status().Volume; got != tt.want {
			t.Errorf("SetVolume(%g): volume %g, want %g", tt.set, got, tt.want)
		}
	}
}

func TestSession_StatusNamesTheHold(t *testing.T) {
	s, out, _, tl := newTestSession(t, "neck-tilts", SessionOptions{})
	var hold Event
	for _, e := range tl.Events {
		if e.Kind == KindHold && e.Side == SideRight {
			hold = e
			break
		}
	}
	out.pull(hold.Start + testRate) // one second into the right-side hold
	st := s.Status()
	if st.Stretch != "neck-tilts" || st.Side != SideRight || st.Name != "Neck tilts" {
		t.Errorf("status %+v", st)
	}
	if want := time.Duration(hold.Len-testRate) * time.Second / testRate; st.HoldLeft != want {
		t.Errorf("hold left %v, want %v", st.HoldLeft, want)
	}
	if got := st.String(); got != "00:"+twoDigits(st.Pos/testRate)+" / 00:"+twoDigits(tl.Len/testRate)+"  Neck tilts, right side  hold 14s  vol 100%" {
		t.Errorf("status line %q", got)
	}
	s.Stop()
	if b, ok := out.pull(100); ok || len(b) != 0 {
		t.Error("stream goes on after Stop")
	}
}

func twoDigits(n int) string { return string(rune('0'+n/10)) + string(rune('0'+n%10)) }

// TestSession_StatusNearTheEndOfALongHold pins a bug: the running hold was
// looked for among the last eight events only, and a ten-minute hold has
// more (start tone, callouts, ticks) by its last seconds.
func TestSession_StatusNearTheEndOfALongHold(t *testing.T) {
	tl, err := Compile(holdRoutine(t, 600, 60), "r", fixedVoice{}, Options{Rate: testRate})
	if err != nil {
		t.Fatal(err)
	}
	r, err := NewRenderer(tl, sineClips{rate: testRate}, RenderOptions{})
	if err != nil {
		t.Fatal(err)
	}
	out := &fakeOutput{}
	s := NewSession(r, out, SessionOptions{Clock: &fakeClock{now: time.Unix(0, 0)}})
	var hold Event
	for _, e := range tl.Events {
		if e.Kind == KindHold {
			hold = e
		}
	}
	if err := s.Start(hold.End() - testRate/2); err != nil {
		t.Fatal(err)
	}
	if got := s.Status().HoldLeft; got != 500*time.Millisecond {
		t.Errorf("half a second before the end of a 600 s hold, hold left = %v", got)
	}
}

// failingMusic plays a few frames, then fails, as a music file that
// turns out damaged halfway; its seeks fail once it has.
type failingMusic struct{ left int }

var errMusic = errors.New("music bed.flac: decode flac: damaged audio 2.00 s in")

func (m *failingMusic) Stream(buf [][2]float64) (int, bool) {
	n := min(len(buf), m.left)
	clear(buf[:n])
	m.left -= n
	return n, n > 0
}

func (m *failingMusic) Err() error {
	if m.left == 0 {
		return errMusic
	}
	return nil
}

func (m *failingMusic) Seek(p int) error {
	if m.left == 0 {
		return errMusic
	}
	return nil
}

// TestSession_ErrSaysWhatFailedWhilePlaying: music that fails mid-session
// lets the routine play to its end without it, and Err says why; a skip
// whose seek fails is kept for Err too, not dropped.
func TestSession_ErrSaysWhatFailedWhilePlaying(t *testing.T) {
	tl, err := Compile(builtin(t), "neck-tilts", fixedVoice{}, Options{Rate: testRate})
	if err != nil {
		t.Fatal(err)
	}
	out := &fakeOutput{}
	s := NewSession(NewBed(mustRenderer(t, tl), &failingMusic{left: 3 * testRate}, 0.3), out, SessionOptions{})
	if err := s.Start(0); err != nil {
		t.Fatal(err)
	}
	played := 0
	for {
		b, ok := out.pull(1000)
		if played += len(b); !ok {
			break
		}
	}
	if played != tl.Len || !errors.Is(s.Err(), errMusic) {
		t.Fatalf("played %d of %d samples, Err() = %v; want all of them and the music's error", played, tl.Len, s.Err())
	}

	s = NewSession(NewBed(mustRenderer(t, tl), &failingMusic{}, 0.3), out, SessionOptions{})
	s.Next()
	if err := s.Err(); !errors.Is(err, errMusic) || !strings.HasPrefix(err.Error(), "skip: ") {
		t.Errorf("after a skip that failed, Err() = %v", err)
	}
}

// TestSession_NextPart: s moves to the next side or repetition of the
// stretch playing, and where there is none left, to the next stretch as
// n does.
func TestSession_NextPart(t *testing.T) {
	s, _, _, tl := newTestSession(t, "desk-break", SessionOptions{})
	pos := func() int { return s.Status().Pos }
	mark := func(label string) int {
		for _, m := range tl.Marks {
			if m.Label == label {
				return m.Pos
			}
		}
		t.Fatalf("no mark %q in %v", label, tl.Marks)
		return 0
	}
	steps := []struct {
		want int
		what string
	}{
		{tl.Sections[0].Start, "from the lead-in: the first stretch"},
		{mark("Neck tilts, right side"), "the right side"},
		{tl.Sections[1].Start, "no part left: the next stretch"},
	}
	for _, st := range steps {
		s.NextPart()
		if pos() != st.want {
			t.Fatalf("%s: at %d, want %d", st.what, pos(), st.want)
		}
	}
	if st := s.Status(); st.Name != "Chair rotation" {
		t.Errorf("at chair rotation's start: %+v", st)
	}
	s.Next() // butterfly wings, repeated
	s.NextPart()
	if st := s.Status(); st.Rep != 2 || st.Name != tl.Sections[2].Name {
		t.Errorf("after s in a repeated stretch: %s, rep %d; want its second repetition", st.Name, st.Rep)
	}
}
