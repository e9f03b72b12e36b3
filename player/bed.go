package player

import (
	"math"
	"sort"

	"github.com/gopxl/beep/v2"
)

// Program is a routine made sound: a seekable stream that knows the
// timeline it plays. *Renderer and *Bed are Programs.
type Program interface {
	beep.StreamSeeker
	Timeline() *Timeline
}

// Music is a music bed a Bed can play under a routine: an endless stream
// at the timeline's rate that can be seeked. *music.Loop implements it.
type Music interface {
	beep.Streamer
	Seek(p int) error
}

// Ducking and fades of the music bed.
const (
	duckDB      = -12.0 // music level while a cue or tone plays
	duckAttack  = 0.08  // seconds the music takes to go down, ending as the sound starts
	duckRelease = 0.35  // seconds it takes to come back after the sound
	duckMinOpen = 0.60  // a shorter gap between sounds keeps the music down (no pumping)
	fadeIn      = 1.0   // seconds of fade-in at the start
	fadeOut     = 3.0   // seconds of fade-out to silence at the end
)

// DefaultMusicVolume is the music bed's level when none is given.
const DefaultMusicVolume = 0.3

// span is a stretch of samples [from, to).
type span struct{ from, to int }

// Bed plays a music bed under a rendered routine: looped to the routine's
// length, faded in and out, and ducked smoothly by about 12 dB while a
// cue or tone plays (it knows the timeline, so the music is already down
// when a sound starts). It is a Program.
type Bed struct {
	r       *Renderer
	music   Music
	volume  float64
	duck    []span // merged spans where sounds play, sorted
	attack  int    // samples
	release int
	fadeIn  int
	fadeOut int
	mbuf    [][2]float64 // music scratch
	gbuf    []float64    // gain scratch
	err     error
}

// NewBed mixes music at volume (0..1) under r.
func NewBed(r *Renderer, music Music, volume float64) *Bed {
	tl := r.Timeline()
	b := &Bed{r: r, music: music, volume: volume,
		attack: tl.Samples(duckAttack), release: tl.Samples(duckRelease),
		fadeIn: tl.Samples(fadeIn), fadeOut: tl.Samples(fadeOut)}
	minGap := b.attack + b.release + tl.Samples(duckMinOpen)
	for _, e := range tl.Events {
		if e.Kind != KindCue && e.Kind != KindTone {
			continue
		}
		if n := len(b.duck); n > 0 && e.Start-b.duck[n-1].to < minGap {
			b.duck[n-1].to = max(b.duck[n-1].to, e.End())
			continue
		}
		b.duck = append(b.duck, span{e.Start, e.End()})
	}
	return b
}

// duckLevel is the music's gain while ducked: 10^(duckDB/20), written
// out so that no CPU's math.Pow can round it otherwise
// (TestBed_DuckLevel checks it).
const duckLevel = 0.25118864315095807

// gains fills g with the music's gain from sample from on: ducking
// times the fades, times the volume. It finds its place in the duck spans
// once and walks forward; stretches of constant gain (ducked, or open) are
// filled without per-sample work.
func (b *Bed) gains(from int, g []float64) {
	// The first span that has not finished releasing at from.
	i := sort.Search(len(b.duck), func(i int) bool { return b.duck[i].to+b.release > from })
	for k := 0; k < len(g); {
		p := from + k
		for i < len(b.duck) && b.duck[i].to+b.release <= p {
			i++
		}
		// The gain's shape holds from p until end.
		var v float64
		end := from + len(g)
		switch {
		case i == len(b.duck):
			v = 1
		case p < b.duck[i].from-b.attack:
			v, end = 1, min(end, b.duck[i].from-b.attack)
		case p < b.duck[i].from:
			s := b.duck[i]
			v = 1 - float64((1-duckLevel)*rise(float64(p-(s.from-b.attack))/float64(b.attack)))
			end = p + 1
		case p < b.duck[i].to:
			v, end = duckLevel, min(end, b.duck[i].to)
		default:
			v = duckLevel + float64((1-duckLevel)*rise(float64(p-b.duck[i].to)/float64(b.release)))
			end = p + 1
		}
		v *= b.volume
		for ; k < end-from; k++ {
			g[k] = v
		}
	}
	// The fades, where the window meets them.
	for p := from; p < min(from+len(g), b.fadeIn); p++ {
		g[p-from] *= rise(float64(p) / float64(b.fadeIn))
	}
	n := b.r.Len()
	for p := max(from, n-b.fadeOut); p < from+len(g); p++ {
		g[p-from] *= 1 - rise(float64(p-(n-b.fadeOut))/float64(b.fadeOut))
	}
}

// rise is a raised-cosine ramp from 0 at x=0 to 1 at x=1.
func rise(x float64) float64 {
	x = min(max(x, 0), 1)
	return 0.5 - float64(0.5*math.Cos(math.Pi*x))
}

// Stream fills samples with the routine and the music under it.
func (b *Bed) Stream(samples [][2]float64) (int, bool) {
	pos := b.r.Position()
	n, ok := b.r.Stream(samples)
	if n == 0 {
		return n, ok
	}
	if len(b.mbuf) < n {
		b.mbuf = make([][2]float64, n)
		b.gbuf = make([]float64, n)
	}
	m, g := b.mbuf[:n], b.gbuf[:n]
	got := 0
	if b.err == nil {
		got, _ = b.music.Stream(m)
		if got < n {
			b.err = b.music.Err()
		}
	}
	clear(m[got:])
	b.gains(pos, g)
	for i := range samples[:n] {
		samples[i][0] = limit(samples[i][0] + float64(m[i][0]*g[i]))
		samples[i][1] = limit(samples[i][1] + float64(m[i][1]*g[i]))
	}
	return n, ok
}

// Err returns an error that stopped the music.
func (b *Bed) Err() error { return b.err }

// Len returns the routine's length in samples.
func (b *Bed) Len() int { return b.r.Len() }

// Position returns the next sample Stream will produce.
func (b *Bed) Position() int { return b.r.Position() }

// Seek moves the routine and the music to sample p.
func (b *Bed) Seek(p int) error {
	if err := b.r.Seek(p); err != nil {
		return err
	}
	return b.music.Seek(p)
}

// Timeline returns the timeline being played.
func (b *Bed) Timeline() *Timeline { return b.r.Timeline() }
