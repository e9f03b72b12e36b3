package player

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"sync"

	"github.com/limber-audio/limber/audio"
)

// Clips supplies the decoded voice clips a Renderer plays. *cues.Pack
// implements it.
type Clips interface {
	// Clip returns cue id as mono samples at the timeline's rate. The
	// renderer never modifies them.
	Clip(id string) ([]float32, error)
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
	start       int
	data        []float32
	left, right float32 // channel gains
}

// Renderer streams a Timeline as sound, sample-accurately: a sound that
// starts at sample n of the timeline is heard from sample n of the stream.
// It implements beep.StreamSeeker at the timeline's rate, keeps no buffer
// that grows with the routine's length, and may be seeked anywhere.
// A Renderer is not safe for concurrent use.
type Renderer struct {
	tl     *Timeline
	sounds []sound // sorted by start
	maxLen int     // longest sound, in samples
	pos    int
}

// NewRenderer prepares tl for playing: it decodes every clip the timeline
// uses (in parallel, each once) and renders the tones.
func NewRenderer(tl *Timeline, clips Clips, opts RenderOptions) (*Renderer, error) {
	data, err := fetchClips(tl, clips)
	if err != nil {
		return nil, err
	}
	tones := map[audio.Tone][]float32{}
	r := &Renderer{tl: tl}
	for _, e := range tl.Events {
		var s sound
		switch e.Kind {
		case KindCue:
			s.data = data[e.Cue]
		case KindTone:
			if tones[e.Tone] == nil {
				tones[e.Tone] = e.Tone.Samples(tl.Rate)
			}
			s.data = tones[e.Tone]
		default:
			continue
		}
		if len(s.data) > e.Len {
			s.data = s.data[:e.Len] // the timeline decides how long a sound lasts
		}
		s.start, s.left, s.right = e.Start, 1, 1
		if opts.Lean {
			switch e.Side {
			case SideLeft:
				s.right = leanGain
			case SideRight:
				s.left = leanGain
			}
		}
		r.sounds = append(r.sounds, s)
		r.maxLen = max(r.maxLen, len(s.data))
	}
	sort.SliceStable(r.sounds, func(i, j int) bool { return r.sounds[i].start < r.sounds[j].start })
	return r, nil
}

// fetchClips decodes the distinct clips tl uses, two at a time.
func fetchClips(tl *Timeline, clips Clips) (map[string][]float32, error) {
	ids := tl.CueIDs()
	out := make([][]float32, len(ids))
	errs := make([]error, len(ids))
	var wg sync.WaitGroup
	next := make(chan int)
	for range 2 {
		wg.Go(func() {
			for i := range next {
				out[i], errs[i] = clips.Clip(ids[i])
			}
		})
	}
	for i := range ids {
		next <- i
	}
	close(next)
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("load voice: %w", err)
	}
	m := make(map[string][]float32, len(ids))
	for i, id := range ids {
		m[id] = out[i]
	}
	return m, nil
}

// Timeline returns the timeline being rendered.
func (r *Renderer) Timeline() *Timeline { return r.tl }

// Stream fills samples with the next stretch of the routine.
func (r *Renderer) Stream(samples [][2]float64) (n int, ok bool) {
	if r.pos >= r.tl.Len {
		return 0, false
	}
	n = min(len(samples), r.tl.Len-r.pos)
	r.Render(r.pos, samples[:n])
	r.pos += n
	return n, true
}

// Render mixes the sounds of the window starting at sample from into out,
// without moving the stream's position. Overlapping sounds are summed and
// soft-limited, so they never clip.
func (r *Renderer) Render(from int, out [][2]float64) {
	clear(out)
	end := from + len(out)
	// Sounds starting before end, walked back while they may still reach from.
	hi := sort.Search(len(r.sounds), func(i int) bool { return r.sounds[i].start >= end })
	overlaps := 0
	for i := hi - 1; i >= 0 && r.sounds[i].start+r.maxLen > from; i-- {
		s := &r.sounds[i]
		lo := max(from, s.start)
		stop := min(end, s.start+len(s.data))
		if lo >= stop {
			continue
		}
		overlaps++
		src := s.data[lo-s.start : stop-s.start]
		dst := out[lo-from : stop-from]
		l, rt := float64(s.left), float64(s.right)
		for k, v := range src {
			x := float64(v)
			dst[k][0] += x * l
			dst[k][1] += x * rt
		}
	}
	if overlaps > 1 {
		for k := range out {
			out[k][0] = limit(out[k][0])
			out[k][1] = limit(out[k][1])
		}
	}
}

// limitKnee is where the soft limiter starts bending the signal.
const limitKnee = 0.9

// limit passes x below the knee and bends anything above it smoothly
// toward, never past, full scale.
func limit(x float64) float64 {
	if x <= limitKnee && x >= -limitKnee {
		return x
	}
	a := math.Abs(x)
	y := limitKnee + (1-limitKnee)*math.Tanh((a-limitKnee)/(1-limitKnee))
	return math.Copysign(y, x)
}

// Err always returns nil: rendering cannot fail once the clips are loaded.
func (r *Renderer) Err() error { return nil }

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
