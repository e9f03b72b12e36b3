package player

import (
	"fmt"
	"math"
	"sort"
	"sync"
	"time"

	"github.com/gopxl/beep/v2"

	"github.com/limber-audio/limber/audio/tone"
	"github.com/limber-audio/limber/internal/timefmt"
)

// Output is where a live Session sends its sound. *speaker.Device
// implements it; tests use an in-memory fake.
type Output interface {
	// Play starts pulling samples from s on the output's own goroutine,
	// holding the output's lock while it does.
	Play(s beep.Streamer)
	Lock()
	Unlock()
	// Suspend and Resume pause and restart the device.
	Suspend() error
	Resume() error
	// Drain waits until what was handed to the device has been heard.
	Drain()
}

// Clock tells the time; tests pass a fake one.
type Clock interface {
	Now() time.Time
}

type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

// Volume limits and step for a Session.
const (
	MinVolume  = 0.0
	MaxVolume  = 1.5
	VolumeStep = 0.1
)

// Timing of the Back control.
const (
	// backGrace: pressing back this soon after a stretch started goes to
	// the stretch before it rather than restarting this one.
	backGrace = 2 * time.Second
	// doubleBack: two presses of back this close together go one stretch
	// further back.
	doubleBack = 1500 * time.Millisecond
)

// SessionOptions tune a Session. The zero value means the defaults.
type SessionOptions struct {
	// Volume is the starting gain, 0..1.5; 0 means 1. To start silent, set
	// it with SetVolume.
	Volume float64
	// Clock is the session's time source; nil means the real clock.
	Clock Clock
	// Clips are the voice the timeline speaks, at its rate, for Repeat;
	// nil means Repeat says nothing.
	Clips Clips
}

// Session plays a Renderer live on an Output and takes the controls of a
// guided session: pause, skip to the next stretch, back to the start of
// this one (or the previous one), volume and stop. Its methods are safe
// for concurrent use with the output pulling sound.
type Session struct {
	r      Program
	out    Output
	clock  Clock
	clips  Clips
	sounds [][2]int // where the timeline sounds (cues, tones), merged, in samples
	ack    []float32
	done   chan struct{}
	once   sync.Once

	// The sounds of pausing and resuming, at the timeline's rate.
	pauseSound, resumeSound []float32

	// device serialises suspending and resuming the output; suspended
	// says the session suspended it. Guarded by device.
	device    sync.Mutex
	suspended bool

	// guarded by out.Lock
	volume   float64
	paused   bool
	toggles  int // pauses and resumes so far
	finished bool
	lastBack time.Time
	overlay  []float32 // what is left of an acknowledgement, mixed over the routine
	insert   []float32 // what is left of a cue said again, played while the routine waits
	echo     echoLog
	progress progress // what was played, for Report
	err      error    // the first seek (or suspend) that failed
	sound    own      // a sound of the session's own, playing
}

// own is a sound of the session's own, not of the routine (the pause
// and resume sounds): it plays before the routine goes on, and done is
// closed once the output has taken all of it.
type own struct {
	samples []float32 // nil: none playing
	off     int
	done    chan struct{}
}

// play starts sound x, cutting short the one playing; the caller holds
// the lock. It returns what is closed once the output has taken it all.
func (s *Session) play(x []float32) <-chan struct{} {
	if s.sound.done != nil {
		close(s.sound.done)
	}
	s.sound = own{samples: x, done: make(chan struct{})}
	return s.sound.done
}

// streamOwn streams what is left of the session's own sound into buf,
// at the session's volume, and returns how many frames it filled.
func (s *Session) streamOwn(buf [][2]float64) int {
	n := min(len(buf), len(s.sound.samples)-s.sound.off)
	for i := range n {
		v := limit(float64(s.sound.samples[s.sound.off+i]) * s.volume)
		buf[i] = [2]float64{v, v}
	}
	s.sound.off += n
	if s.sound.off == len(s.sound.samples) {
		close(s.sound.done)
		s.sound = own{}
	}
	return n
}

// NewSession prepares a session of r (a *Renderer, or a *Bed for music
// under it); Start begins it.
func NewSession(r Program, out Output, opts SessionOptions) *Session {
	tl := r.Timeline()
	s := &Session{r: r, out: out, clock: opts.Clock, clips: opts.Clips, volume: opts.Volume,
		sounds: soundSpans(tl), ack: tone.Ack.Samples(tl.Rate), done: make(chan struct{}), progress: newProgress(tl),
		pauseSound: tone.Pause(tl.Rate), resumeSound: tone.Resume(tl.Rate)}
	if s.clock == nil {
		s.clock = realClock{}
	}
	if s.volume == 0 {
		s.volume = 1
	}
	s.volume = clampVolume(s.volume, 1)
	return s
}

// Start plays the session from sample pos.
func (s *Session) Start(pos int) error {
	if err := s.r.Seek(pos); err != nil {
		return err
	}
	s.out.Play(sessionStreamer{s})
	return nil
}

// Timeline returns the timeline the session plays.
func (s *Session) Timeline() *Timeline { return s.r.Timeline() }

// Volume returns the session's volume.
func (s *Session) Volume() float64 {
	s.out.Lock()
	defer s.out.Unlock()
	return s.volume
}

// Done is closed when the routine has played to its end or Stop was
// called.
func (s *Session) Done() <-chan struct{} { return s.done }

// Err returns what went wrong while the session played, if anything: a
// clip that could not be read (which ends the session), music that
// stopped (the routine plays on without it), or a skip that failed. Call
// it when the session is done.
func (s *Session) Err() error {
	s.out.Lock()
	defer s.out.Unlock()
	if s.err != nil {
		return s.err
	}
	return s.r.Err()
}

// Wait blocks until the session is done and the output has played out
// what it holds.
func (s *Session) Wait() {
	<-s.done
	s.out.Drain()
}

func (s *Session) finish() {
	s.finished = true
	s.once.Do(func() { close(s.done) })
}

// Stop ends the session at once.
func (s *Session) Stop() {
	s.out.Lock()
	s.finish()
	s.out.Unlock()
}

// sessionStreamer is the beep.Streamer the output pulls from; it is
// called with the output's lock held.
type sessionStreamer struct{ s *Session }

func (st sessionStreamer) Stream(buf [][2]float64) (int, bool) {
	s := st.s
	if s.finished {
		return 0, false
	}
	if s.sound.samples != nil {
		// The session's own sound first, then the routine, or silence
		// while paused.
		now := s.clock.Now()
		n := s.streamOwn(buf)
		s.sounded(now, n)
		if n < len(buf) {
			m, ok := st.Stream(buf[n:])
			return n + m, ok || n > 0
		}
		return n, true
	}
	if s.paused {
		clear(buf)
		return len(buf), true
	}
	now := s.clock.Now()
	pos := s.r.Position()
	own := false
	n, k := 0, 0
	// A cue said again plays where the routine is silent; the routine
	// waits meanwhile.
	if len(s.insert) > 0 && !s.soundIn(pos, pos+1) {
		k = min(len(buf), len(s.insert))
		for i, v := range s.insert[:k] {
			buf[i] = [2]float64{float64(v), float64(v)}
		}
		s.insert = s.insert[k:]
		own = true
	}
	ok := true
	if k < len(buf) {
		n, ok = s.r.Stream(buf[k:])
		s.progress.add(pos, n)
		own = own || s.soundIn(pos, pos+n)
	}
	n += k
	if len(s.overlay) > 0 {
		m := min(n, len(s.overlay))
		for i, v := range s.overlay[:m] {
			buf[i][0] = limit(buf[i][0] + float64(v))
			buf[i][1] = limit(buf[i][1] + float64(v))
		}
		s.overlay = s.overlay[m:]
		own = true
	}
	if s.volume != 1 {
		for i := range buf[:n] {
			buf[i][0] = limit(buf[i][0] * s.volume)
			buf[i][1] = limit(buf[i][1] * s.volume)
		}
	}
	if own {
		s.sounded(now, n)
	}
	if (!ok || s.r.Position() >= s.r.Len()) && len(s.insert) == 0 {
		s.progress.ended = true
		s.finish()
	}
	return n, n > 0
}

func (st sessionStreamer) Err() error { return nil }

// sounded notes in the echo log that the session handed n frames of its
// own sound to the output at now.
func (s *Session) sounded(now time.Time, n int) {
	rate := s.r.Timeline().Rate
	s.echo.add(now, now.Add(time.Duration(float64(n)/float64(rate)*float64(time.Second))))
}

// TogglePause pauses or resumes. Each is heard: pausing plays a soft
// falling sound, resuming a rising one before the routine goes on (see
// tone.Pause). The device is suspended once the pause sound has been
// heard, and resumed at once; TogglePause does not wait for either
// sound.
func (s *Session) TogglePause() error {
	s.device.Lock()
	defer s.device.Unlock()
	s.out.Lock()
	s.paused = !s.paused
	s.toggles++
	paused, toggle := s.paused, s.toggles
	var heard <-chan struct{}
	if paused {
		heard = s.play(s.pauseSound)
	} else {
		s.play(s.resumeSound)
	}
	s.out.Unlock()
	if paused {
		go s.suspendAfter(heard, toggle)
		return nil
	}
	if !s.suspended {
		return nil // resumed before the pause sound was over
	}
	s.suspended = false
	return s.out.Resume()
}

// suspendAfter suspends the output once the pause sound is out of it,
// if the session is still in the pause that played it.
func (s *Session) suspendAfter(heard <-chan struct{}, toggle int) {
	select {
	case <-heard:
	case <-s.done:
		return
	}
	s.out.Drain()
	s.device.Lock()
	defer s.device.Unlock()
	s.out.Lock()
	still := s.toggles == toggle && !s.finished
	s.out.Unlock()
	if !still {
		return
	}
	if err := s.out.Suspend(); err != nil {
		s.out.Lock()
		if s.err == nil {
			s.err = fmt.Errorf("pause: %w", err)
		}
		s.out.Unlock()
		return
	}
	s.suspended = true
}

// Next skips to the start of the next stretch, from the last one to the
// closing, and from the closing to the end.
func (s *Session) Next() {
	s.out.Lock()
	defer s.out.Unlock()
	tl := s.r.Timeline()
	pos := s.r.Position()
	i := tl.SectionAt(pos)
	switch closing := tl.closingStart(); {
	case i+1 < len(tl.Sections):
		s.seek(tl.Sections[i+1].Start)
	case pos < closing:
		s.seek(closing)
	default:
		s.seek(tl.Len) // already in the closing: the end
	}
}

// NextPart skips to the next side or repetition of this stretch (the
// next mark of the timeline: the switch of sides, a repetition's count);
// where the stretch has no part left, it does what Next does.
func (s *Session) NextPart() {
	s.out.Lock()
	tl := s.r.Timeline()
	pos := s.r.Position()
	i := tl.SectionAt(pos)
	end := tl.closingStart() // the next section's start, or the closing
	if i+1 < len(tl.Sections) {
		end = tl.Sections[i+1].Start
	}
	for _, m := range tl.Marks {
		if m.Pos > pos && m.Pos < end && i >= 0 {
			s.seek(m.Pos)
			s.out.Unlock()
			return
		}
	}
	s.out.Unlock()
	s.Next()
}

// Back goes to the start of the current stretch; pressed again quickly,
// or right after the stretch began, to the start of the one before.
func (s *Session) Back() {
	s.out.Lock()
	defer s.out.Unlock()
	tl := s.r.Timeline()
	now := s.clock.Now()
	again := !s.lastBack.IsZero() && now.Sub(s.lastBack) < doubleBack
	s.lastBack = now
	pos := s.r.Position()
	i := tl.SectionAt(pos)
	if i < 0 {
		s.seek(0)
		return
	}
	sinceStart := time.Duration(float64(pos-tl.Sections[i].Start) / float64(tl.Rate) * float64(time.Second))
	if (again || sinceStart < backGrace) && i > 0 {
		i--
	}
	s.seek(tl.Sections[i].Start)
}

// seek moves playback; the caller holds the lock. A seek that fails is
// kept for Err.
func (s *Session) seek(pos int) {
	if err := s.r.Seek(min(max(pos, 0), s.r.Len())); err != nil && s.err == nil {
		s.err = fmt.Errorf("skip: %w", err)
	}
}

// ChangeVolume adds delta to the volume, within MinVolume..MaxVolume,
// and returns the new volume.
func (s *Session) ChangeVolume(delta float64) float64 {
	s.out.Lock()
	defer s.out.Unlock()
	s.volume = clampVolume(s.volume+delta, s.volume)
	return s.volume
}

// SetVolume sets the volume, within MinVolume..MaxVolume: a larger one,
// infinity too, is MaxVolume. NaN is no volume and changes nothing.
func (s *Session) SetVolume(v float64) {
	s.out.Lock()
	s.volume = clampVolume(v, s.volume)
	s.out.Unlock()
}

// Acknowledge plays the acknowledgement tone over whatever plays now:
// a spoken command was heard. It is meant for a playing session; while
// paused, nothing is heard.
func (s *Session) Acknowledge() {
	s.out.Lock()
	s.overlay = s.ack
	s.out.Unlock()
}

// AckDuration is how long the acknowledgement tone lasts.
var AckDuration = time.Duration(tone.Ack.Seconds() * float64(time.Second))

// Repeat says the current instruction again: the cue last begun (in the
// lead-in, the first one), as soon as no sound of the routine plays, the
// routine waiting while it is said. It reports whether there was a cue
// to say.
func (s *Session) Repeat() bool {
	if s.clips == nil {
		return false
	}
	s.out.Lock()
	pos := s.r.Position()
	s.out.Unlock()
	tl := s.r.Timeline()
	var cue *Event
	for i := range tl.Events {
		e := &tl.Events[i]
		if e.Kind != KindCue {
			continue
		}
		if e.Start > pos && cue != nil {
			break
		}
		cue = e
	}
	if cue == nil {
		return false
	}
	clip := make([]float32, cue.Len)
	n, err := s.clips.ReadClip(cue.Cue, 0, clip)
	if err != nil || n == 0 {
		return false
	}
	s.out.Lock()
	s.insert = clip[:n]
	s.out.Unlock()
	return true
}

// SoundBetween reports whether the session handed sound of its own to
// the output (a cue, a tone, an acknowledgement; not the music bed) at
// any moment between from and to. It remembers the last minute. A
// listener uses it to tell the person from the player.
func (s *Session) SoundBetween(from, to time.Time) bool {
	s.out.Lock()
	defer s.out.Unlock()
	return s.echo.between(from, to)
}

// soundIn reports whether the timeline sounds anywhere in the samples
// [from, to).
func (s *Session) soundIn(from, to int) bool {
	i := sort.Search(len(s.sounds), func(i int) bool { return s.sounds[i][1] > from })
	return i < len(s.sounds) && s.sounds[i][0] < to
}

// soundSpans returns where tl's cues and tones sound, merged into
// non-overlapping spans in order.
func soundSpans(tl *Timeline) [][2]int {
	var spans [][2]int
	for _, e := range tl.Events {
		if e.Kind == KindCue || e.Kind == KindTone {
			spans = append(spans, [2]int{e.Start, e.End()})
		}
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i][0] < spans[j][0] })
	out := spans[:0]
	for _, sp := range spans {
		if n := len(out); n > 0 && sp[0] <= out[n-1][1] {
			out[n-1][1] = max(out[n-1][1], sp[1])
			continue
		}
		out = append(out, sp)
	}
	return out
}

// echoLog remembers when a session made sound of its own, as spans of
// wall-clock time, merged where they touch.
type echoLog struct {
	spans [][2]time.Time // oldest first
}

// echoKeep is how long the log remembers.
const echoKeep = time.Minute

// echoJoin is the gap under which two spans of sound are one.
const echoJoin = 20 * time.Millisecond

func (l *echoLog) add(from, to time.Time) {
	if n := len(l.spans); n > 0 && !from.After(l.spans[n-1][1].Add(echoJoin)) {
		if to.After(l.spans[n-1][1]) {
			l.spans[n-1][1] = to
		}
		return
	}
	drop := 0
	for drop < len(l.spans) && l.spans[drop][1].Before(from.Add(-echoKeep)) {
		drop++
	}
	l.spans = append(l.spans[drop:], [2]time.Time{from, to})
}

func (l *echoLog) between(from, to time.Time) bool {
	for i := len(l.spans) - 1; i >= 0; i-- {
		sp := l.spans[i]
		if sp[1].Before(from) {
			return false
		}
		if sp[0].Before(to) {
			return true
		}
	}
	return false
}

// clampVolume brings v within MinVolume..MaxVolume, first, so that no
// value is too large to round, then rounds it to a thousandth of
// VolumeStep, so repeated +/- land on clean values; NaN gives was.
func clampVolume(v, was float64) float64 {
	if math.IsNaN(v) {
		return was
	}
	v = min(max(v, MinVolume), MaxVolume)
	return float64(int(float64(v/VolumeStep*1000)+0.5)) / 1000 * VolumeStep
}

// Part is the part of a routine a session is in.
type Part int

// The parts of a routine.
const (
	PartStretch Part = iota // a stretch is playing
	PartLeadIn              // before the first stretch: "get ready"
	PartRest                // between two stretches
	PartClosing             // after the last stretch
)

// Status is a snapshot of a session for the status line.
type Status struct {
	Pos, Len int // samples
	Rate     int
	Stretch  string // id, "" in the lead-in, rests and closing
	Name     string // the stretch's name
	Side     Side
	Rep      int
	// HoldLeft is the time left in the hold being played, or 0 outside
	// holds.
	HoldLeft time.Duration
	// Part says where in the routine the session is, and in a rest Next
	// names the stretch that follows it.
	Part Part
	Next string
	// Routine is the routine's name ("Hips and lower back, 10
	// minutes"), which the lead-in shows.
	Routine string
	// Left is the time until the next stretch begins, in the lead-in
	// and the rests; 0 elsewhere.
	Left   time.Duration
	Paused bool
	Volume float64
	Done   bool
	// Listen says what listening for spoken commands is doing:
	// "listening", "heard: limber next", or "" when not listening.
	// RunLive sets it; Session.Status leaves it empty.
	Listen string
}

// Between says what happens outside the stretches, as the status line
// shows it: "get ready", "rest, next: Chair rotation" or "closing"; ""
// inside a stretch.
func (st Status) Between() string {
	switch st.Part {
	case PartLeadIn:
		return "get ready"
	case PartRest:
		return "rest, next: " + st.Next
	case PartClosing:
		return "closing"
	}
	return ""
}

// Status returns where the session is.
func (s *Session) Status() Status {
	s.out.Lock()
	st := Status{Pos: s.r.Position(), Len: s.r.Len(), Rate: s.r.Timeline().Rate, Paused: s.paused, Volume: s.volume, Done: s.finished}
	s.out.Unlock()
	tl := s.r.Timeline()
	// The last event that started at or before pos carries the labels.
	i := sort.Search(len(tl.Events), func(i int) bool { return tl.Events[i].Start > st.Pos }) - 1
	if i >= 0 {
		e := tl.Events[i]
		st.Stretch, st.Side, st.Rep = e.Stretch, e.Side, e.Rep
	}
	j := tl.SectionAt(st.Pos)
	left := func(until int) time.Duration {
		return time.Duration(float64(until-st.Pos) / float64(tl.Rate) * float64(time.Second))
	}
	switch {
	case j >= 0 && st.Stretch != "":
		st.Name = tl.Sections[j].Name
	case j < 0:
		st.Part, st.Routine = PartLeadIn, tl.Name
		if len(tl.Sections) > 0 {
			st.Left = left(tl.Sections[0].Start)
		}
	case st.Pos >= tl.closingStart() || j+1 >= len(tl.Sections):
		st.Part = PartClosing
	default:
		st.Part, st.Next = PartRest, tl.Sections[j+1].Name
		st.Left = left(tl.Sections[j+1].Start)
	}
	// Holds never overlap, so only the last hold to start can be running;
	// the events since it (tones, callouts) are few.
	for k := i; k >= 0; k-- {
		if e := tl.Events[k]; e.Kind == KindHold {
			if st.Pos < e.End() {
				st.HoldLeft = left(e.End())
			}
			break
		}
	}
	return st
}

// clockSeconds formats n samples at rate as the status line's mm:ss.
func clockSeconds(n, rate int) string { return timefmt.Clock(n / rate) }

// closingStart returns where the closing begins: the first sound after
// the last stretch's section that belongs to no stretch, else the end.
func (t *Timeline) closingStart() int {
	if len(t.Sections) == 0 {
		return 0
	}
	last := t.Sections[len(t.Sections)-1].Start
	for _, e := range t.Events {
		if e.Start > last && e.Stretch == "" {
			return e.Start
		}
	}
	return t.Len
}
