package player

import (
	"fmt"
	"math"
	"sort"

	"github.com/limber-audio/limber/audio/tone"
)

// Clips supplies the voice clips a Renderer plays, mono at the timeline's
// rate. *cues.Pack implements it.
type Clips interface {
	// Prepare readies the clips ids name for ReadClip, decoding them if
	// need be, and reports every one that cannot be played.
	Prepare(ids []string) error
	// ReadClip copies clip id's samples from sample off on into dst and
	// returns how many it copied: fewer than len(dst) only at the clip's
	// end. It may be called from several goroutines at a time.
	ReadClip(id string, off int, dst []float32) (int, error)
}

// RenderOptions tune a Renderer. The zero value is plain mono-compatible
// sound.
type RenderOptions struct {
	// Lean pans the cues and tones of a left or right side toward that ear.
	// Only useful for stereo output.
	Lean bool
}

// leanGain is the level of the far ear for a sound leaning to one side.
const leanGain = 0.5

// sound is one cue or tone placed on the timeline.
type sound struct {
	start, len  int
	cue         string    // a cue's clip, read from Clips as it plays
	data        []float32 // a tone's samples
	left, right float32   // channel gains
}

// Renderer streams a Timeline as sound, sample-accurately: a sound that
// starts at sample n of the timeline is heard from sample n of the stream.
// It implements beep.StreamSeeker at the timeline's rate and may be
// seeked anywhere. Clips are read from Clips as they play, a window at a
// time, so its memory does not grow with the routine's length or with the
// clips it speaks. A Renderer is not safe for concurrent use.
type Renderer struct {
	tl      *Timeline
	clips   Clips
	sounds  []sound // sorted by start
	maxLen  int     // longest sound, in samples
	pos     int
	lean    bool         // sides lean: the channels differ
	scratch []float32    // a window of a clip
	stereo  [][2]float64 // RenderMono's stereo window, when sides lean
	err     error
}

// NewRenderer prepares tl for playing: it readies every clip the
// timeline uses (Clips.Prepare) and renders the tones.
func NewRenderer(tl *Timeline, clips Clips, opts RenderOptions) (*Renderer, error) {
	if err := clips.Prepare(tl.CueIDs()); err != nil {
		return nil, fmt.Errorf("load voice: %w", err)
	}
	tones := map[tone.Tone][]float32{}
	r := &Renderer{tl: tl, clips: clips, lean: opts.Lean}
	for _, e := range tl.Events {
		s := sound{start: e.Start, len: e.Len, left: 1, right: 1}
		switch e.Kind {
		case KindCue:
			s.cue = e.Cue
		case KindTone:
			if tones[e.Tone] == nil {
				tones[e.Tone] = e.Tone.Samples(tl.Rate)
			}
			s.data = tones[e.Tone]
			s.len = min(s.len, len(s.data)) // the timeline decides how long a sound lasts
		default:
			continue
		}
		if opts.Lean {
			switch e.Side {
			case SideLeft:
				s.right = leanGain
			case SideRight:
				s.left = leanGain
			}
		}
		r.sounds = append(r.sounds, s)
		r.maxLen = max(r.maxLen, s.len)
	}
	sort.SliceStable(r.sounds, func(i, j int) bool { return r.sounds[i].start < r.sounds[j].start })
	return r, nil
}

// Timeline returns the timeline being rendered.
func (r *Renderer) Timeline() *Timeline { return r.tl }

// Stream fills samples with the next stretch of the routine.
func (r *Renderer) Stream(samples [][2]float64) (n int, ok bool) {
	from, n, ok := r.next(len(samples))
	if ok {
		r.Render(from, samples[:n])
	}
	return n, ok
}

// next moves the stream past its next n samples, at most want, and
// returns where they start; ok is false at the end or after an error.
func (r *Renderer) next(want int) (from, n int, ok bool) {
	if r.pos >= r.tl.Len || r.err != nil {
		return 0, 0, false
	}
	from, n = r.pos, min(want, r.tl.Len-r.pos)
	r.pos += n
	return from, n, true
}

// Render mixes the sounds of the window starting at sample from into out,
// without moving the stream's position. Overlapping sounds are summed and
// soft-limited, so they never clip. A clip that cannot be read is silent,
// and its error is kept for Err.
func (r *Renderer) Render(from int, out [][2]float64) {
	clear(out)
	overlaps := r.mix(from, from+len(out), func(at int, src []float32, s *sound) {
		dst := out[at:]
		l, rt := float64(s.left), float64(s.right)
		for k, v := range src {
			x := float64(v)
			dst[k][0] += float64(x * l) // rounded before the sum: see package audio
			dst[k][1] += float64(x * rt)
		}
	})
	if overlaps > 1 {
		for k := range out {
			out[k][0] = limit(out[k][0])
			out[k][1] = limit(out[k][1])
		}
	}
}

// RenderMono is Render mixed down to one channel, the average of the two:
// without leaning sides both channels are the same, so only one is mixed.
func (r *Renderer) RenderMono(from int, out []float64) {
	if r.lean {
		if len(r.stereo) < len(out) {
			r.stereo = make([][2]float64, len(out))
		}
		st := r.stereo[:len(out)]
		r.Render(from, st)
		for k, v := range st {
			out[k] = (v[0] + v[1]) / 2
		}
		return
	}
	clear(out)
	overlaps := r.mix(from, from+len(out), func(at int, src []float32, s *sound) {
		dst := out[at:]
		for k, v := range src {
			dst[k] += float64(v)
		}
	})
	if overlaps > 1 {
		for k := range out {
			out[k] = limit(out[k])
		}
	}
}

// StreamMono is Stream mixed down to one channel, as RenderMono. It
// implements audio.MonoStreamer.
func (r *Renderer) StreamMono(samples []float64) (n int, ok bool) {
	from, n, ok := r.next(len(samples))
	if ok {
		r.RenderMono(from, samples[:n])
	}
	return n, ok
}

// mix calls add for each sound heard in the samples [from, end), with
// where its samples start in that window, and returns how many there were.
func (r *Renderer) mix(from, end int, add func(at int, src []float32, s *sound)) int {
	// Sounds starting before end, walked back while they may still reach from.
	hi := sort.Search(len(r.sounds), func(i int) bool { return r.sounds[i].start >= end })
	heard := 0
	for i := hi - 1; i >= 0 && r.sounds[i].start+r.maxLen > from; i-- {
		s := &r.sounds[i]
		lo := max(from, s.start)
		stop := min(end, s.start+s.len)
		if lo >= stop {
			continue
		}
		src := r.window(s, lo-s.start, stop-lo)
		if len(src) == 0 {
			continue
		}
		heard++
		add(lo-from, src, s)
	}
	return heard
}

// window returns n samples of sound s from sample off on, or fewer where
// its clip ends. A cue's window is read into the renderer's scratch
// buffer, valid until the next call.
func (r *Renderer) window(s *sound, off, n int) []float32 {
	if s.data != nil {
		return s.data[off : off+n]
	}
	if cap(r.scratch) < n {
		r.scratch = make([]float32, n)
	}
	got, err := r.clips.ReadClip(s.cue, off, r.scratch[:n])
	if err != nil && r.err == nil {
		r.err = fmt.Errorf("play cue %s: %w", s.cue, err)
	}
	return r.scratch[:got]
}

// limitKnee is where the soft limiter starts bending the signal.
const limitKnee = 0.9

// limit passes x below the knee and bends anything above it smoothly
// toward, never past, full scale. The pass is small enough to be inlined
// where every sample goes through it.
func limit(x float64) float64 {
	if x <= limitKnee && x >= -limitKnee {
		return x
	}
	return bend(x)
}

// bend is limit above the knee.
func bend(x float64) float64 {
	a := math.Abs(x)
	y := limitKnee + float64((1-limitKnee)*math.Tanh((a-limitKnee)/(1-limitKnee)))
	return math.Copysign(y, x)
}

// Err returns the error of a clip that could not be read, which ends the
// stream.
func (r *Renderer) Err() error { return r.err }

// Len returns the routine's length in samples.
func (r *Renderer) Len() int { return r.tl.Len }

// Position returns the next sample Stream will produce.
func (r *Renderer) Position() int { return r.pos }

// Seek moves the stream to sample p, 0 <= p <= Len.
func (r *Renderer) Seek(p int) error {
	if p < 0 || p > r.tl.Len {
		return fmt.Errorf("seek to sample %d outside [0, %d]", p, r.tl.Len)
	}
	r.pos = p
	return nil
}

// SkipSilence moves the stream past the silence ahead of it, at most n
// frames, and returns how many frames it skipped: none while a sound
// plays. It implements audio.SilenceSkipper.
func (r *Renderer) SkipSilence(n int) int {
	if r.err != nil {
		return 0
	}
	n = min(n, r.tl.Len-r.pos)
	// The first sound starting after pos bounds the silence; one that
	// started before and still plays leaves none.
	next := sort.Search(len(r.sounds), func(i int) bool { return r.sounds[i].start > r.pos })
	if next < len(r.sounds) {
		n = min(n, r.sounds[next].start-r.pos)
	}
	for i := next - 1; i >= 0 && r.sounds[i].start+r.maxLen > r.pos; i-- {
		if s := &r.sounds[i]; s.start+s.len > r.pos {
			return 0
		}
	}
	n = max(n, 0)
	r.pos += n
	return n
}
