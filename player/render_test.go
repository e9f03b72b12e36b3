package player

import (
	"bytes"
	"context"
	"math"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/limber-audio/limber/audio/encode"
	"github.com/limber-audio/limber/audio/tone"
)

// sineClips gives every cue one second of a 300 Hz sine at amplitude amp,
// matching fixedVoice's lengths.
type sineClips struct {
	rate int
	amp  float64
}

func (c sineClips) Prepare(ids []string) error { return nil }

// sineTables holds each sineClips' second of sine, made once.
var sineTables sync.Map

func (c sineClips) ReadClip(id string, off int, dst []float32) (int, error) {
	t, ok := sineTables.Load(c)
	if !ok {
		x := make([]float32, c.rate)
		for i := range x {
			x[i] = float32(c.amp * math.Sin(2*math.Pi*300*float64(i)/float64(c.rate)))
		}
		t, _ = sineTables.LoadOrStore(c, x)
	}
	x := t.([]float32)
	if off >= len(x) {
		return 0, nil
	}
	return copy(dst, x[off:]), nil
}

const testRate = 8000

func renderAll(t *testing.T, r *Renderer) [][2]float64 {
	t.Helper()
	out := make([][2]float64, r.Len())
	buf := make([][2]float64, 1000)
	for pos := 0; ; {
		n, ok := r.Stream(buf)
		copy(out[pos:], buf[:n])
		pos += n
		if !ok {
			if pos != r.Len() {
				t.Fatalf("stream ended at %d of %d", pos, r.Len())
			}
			return out
		}
	}
}

func energy(s [][2]float64) float64 {
	var e float64
	for _, v := range s {
		e += v[0]*v[0] + v[1]*v[1]
	}
	return e / float64(max(len(s), 1))
}

func TestRenderer_SoundsStartOnTheirSample(t *testing.T) {
	lib := builtin(t)
	tl, err := Compile(lib, "desk-break", fixedVoice{}, Options{Rate: testRate})
	if err != nil {
		t.Fatal(err)
	}
	r, err := NewRenderer(tl, sineClips{rate: testRate, amp: 0.5}, RenderOptions{})
	if err != nil {
		t.Fatal(err)
	}
	out := renderAll(t, r)
	audible := make([]bool, tl.Len) // where some sound plays
	for _, e := range tl.Events {
		if e.Kind == KindCue || e.Kind == KindTone {
			for i := e.Start; i < e.End(); i++ {
				audible[i] = true
			}
		}
	}
	const window = 64
	for _, e := range tl.Events {
		if e.Kind != KindCue && e.Kind != KindTone {
			continue
		}
		if e.Kind == KindTone && e.Len < window {
			continue
		}
		after := out[e.Start : e.Start+window]
		if energy(after) < 1e-4 {
			t.Errorf("%s %s%s at %d: silent from its start", e.Kind, e.Cue, e.Tone, e.Start)
		}
		if e.Start >= 1 && !audible[e.Start-1] && out[e.Start-1] != [2]float64{} {
			t.Errorf("%s at %d: sound in the sample before it starts", e.Kind, e.Start)
		}
	}
	for i, v := range out {
		if !audible[i] && v != [2]float64{} {
			t.Fatalf("sample %d is not silent (%v) though no sound plays there", i, v)
		}
	}
}

func TestRenderer_SeekGivesTheSameSamples(t *testing.T) {
	lib := builtin(t)
	tl, err := Compile(lib, "neck-tilts", fixedVoice{}, Options{Rate: testRate})
	if err != nil {
		t.Fatal(err)
	}
	r, err := NewRenderer(tl, sineClips{rate: testRate, amp: 0.5}, RenderOptions{Lean: true})
	if err != nil {
		t.Fatal(err)
	}
	whole := renderAll(t, r)
	rng := rand.New(rand.NewPCG(1, 2))
	buf := make([][2]float64, 777)
	for range 200 {
		p := rng.IntN(tl.Len)
		if err := r.Seek(p); err != nil {
			t.Fatal(err)
		}
		n, _ := r.Stream(buf)
		for i := range n {
			if buf[i] != whole[p+i] {
				t.Fatalf("after Seek(%d), sample %d = %v, playing from the start gave %v", p, p+i, buf[i], whole[p+i])
			}
		}
		if r.Position() != p+n {
			t.Fatalf("Position = %d after streaming %d from %d", r.Position(), n, p)
		}
	}
	if err := r.Seek(tl.Len + 1); err == nil {
		t.Error("seek past the end accepted")
	}
}

func TestRenderer_LeansSidesInStereo(t *testing.T) {
	tl, err := Compile(builtin(t), "neck-tilts", fixedVoice{}, Options{Rate: testRate})
	if err != nil {
		t.Fatal(err)
	}
	r, err := NewRenderer(tl, sineClips{rate: testRate, amp: 0.5}, RenderOptions{Lean: true})
	if err != nil {
		t.Fatal(err)
	}
	out := renderAll(t, r)
	for _, e := range tl.Events {
		if e.Kind != KindCue || e.Side == SideNone {
			continue
		}
		var l, rt float64
		for _, v := range out[e.Start+100 : e.Start+400] {
			l += v[0] * v[0]
			rt += v[1] * v[1]
		}
		if (e.Side == SideLeft) != (l > rt) {
			t.Errorf("%s cue at %d: left energy %.1f, right %.1f", e.Side, e.Start, l, rt)
		}
	}
}

func TestRenderer_OverlapsDoNotClip(t *testing.T) {
	tl := &Timeline{Rate: testRate, Len: 2 * testRate, Events: []Event{
		{Start: 0, Len: testRate, Kind: KindCue, Cue: "hold"},
		{Start: 100, Len: testRate, Kind: KindCue, Cue: "rest"},
		{Start: 200, Len: tone.End.Len(testRate), Kind: KindTone, Tone: tone.End},
	}}
	r, err := NewRenderer(tl, sineClips{rate: testRate, amp: 0.8}, RenderOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range renderAll(t, r) {
		if math.Abs(v[0]) > 1 || math.Abs(v[1]) > 1 {
			t.Fatalf("sample %d = %v clips", i, v)
		}
	}
}

func BenchmarkRender(b *testing.B) {
	tl, err := Compile(builtin(b), "upper-back", fixedVoice{}, Options{Rate: DefaultRate})
	if err != nil {
		b.Fatal(err)
	}
	r, err := NewRenderer(tl, sineClips{rate: DefaultRate, amp: 0.5}, RenderOptions{})
	if err != nil {
		b.Fatal(err)
	}
	buf := make([][2]float64, 8192)
	b.SetBytes(int64(tl.Len) * 2)
	for b.Loop() {
		r.Seek(0)
		for {
			if _, ok := r.Stream(buf); !ok {
				break
			}
		}
	}
}

// plainProgram hides a Renderer's shortcuts (SkipSilence, StreamMono), so
// a writer must stream every sample in stereo.
type plainProgram struct{ r *Renderer }

func (p plainProgram) Stream(s [][2]float64) (int, bool) { return p.r.Stream(s) }
func (p plainProgram) Err() error                        { return p.r.Err() }
func (p plainProgram) Len() int                          { return p.r.Len() }
func (p plainProgram) Position() int                     { return p.r.Position() }
func (p plainProgram) Seek(n int) error                  { return p.r.Seek(n) }
func (p plainProgram) Timeline() *Timeline               { return p.r.Timeline() }

// TestRenderer_SkipSilenceSkipsOnlySilence: skipping silence where the
// renderer allows it and streaming the rest gives the samples streaming
// everything gives, and writers that skip silence and take the mono mix
// write the bytes of writers that stream every sample in stereo.
func TestRenderer_SkipSilenceSkipsOnlySilence(t *testing.T) {
	tl, err := Compile(builtin(t), "desk-break", fixedVoice{}, Options{Rate: testRate})
	if err != nil {
		t.Fatal(err)
	}
	r, err := NewRenderer(tl, sineClips{rate: testRate, amp: 0.5}, RenderOptions{})
	if err != nil {
		t.Fatal(err)
	}
	whole := renderAll(t, r)
	r.Seek(0)
	buf := make([][2]float64, 500)
	skipped := 0
	for r.Position() < r.Len() {
		p := r.Position()
		if k := r.SkipSilence(len(buf)); k > 0 {
			for i := p; i < p+k; i++ {
				if whole[i] != [2]float64{} {
					t.Fatalf("skipped sample %d, which is %v", i, whole[i])
				}
			}
			skipped += k
			continue
		}
		n, _ := r.Stream(buf[:1])
		if n != 1 || buf[0] != whole[p] {
			t.Fatalf("sample %d after skipping: %v, want %v", p, buf[0], whole[p])
		}
	}
	if skipped < tl.Len/4 {
		t.Errorf("skipped %d of %d samples; desk-break is mostly silence", skipped, tl.Len)
	}

	for _, name := range encode.Names() {
		format, err := encode.Lookup(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, channels := range []int{1, 2} {
			opts := ExportOptions{Format: format, Channels: channels}
			var fast, slow bytes.Buffer
			if err := Export(context.Background(), &fast, tl, sineClips{rate: testRate, amp: 0.5}, opts); err != nil {
				t.Fatal(err)
			}
			r, err := NewRenderer(tl, sineClips{rate: testRate, amp: 0.5}, RenderOptions{Lean: channels == 2})
			if err != nil {
				t.Fatal(err)
			}
			if err := exportProgram(context.Background(), &slow, tl, plainProgram{r}, opts); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(fast.Bytes(), slow.Bytes()) {
				t.Errorf("%s, %d channels: the shortcuts changed the bytes", name, channels)
			}
		}
	}
}

// TestRenderer_MonoIsTheAverage: the mono mix is the average of the two
// channels, with and without leaning sides, overlaps included.
func TestRenderer_MonoIsTheAverage(t *testing.T) {
	tl, err := Compile(builtin(t), "neck-tilts", fixedVoice{}, Options{Rate: testRate})
	if err != nil {
		t.Fatal(err)
	}
	for _, lean := range []bool{false, true} {
		r, err := NewRenderer(tl, sineClips{rate: testRate, amp: 0.7}, RenderOptions{Lean: lean})
		if err != nil {
			t.Fatal(err)
		}
		whole := renderAll(t, r)
		r.Seek(0)
		mono := make([]float64, 333)
		for pos := 0; ; {
			n, ok := r.StreamMono(mono)
			for i, v := range mono[:n] {
				if want := (whole[pos+i][0] + whole[pos+i][1]) / 2; v != want {
					t.Fatalf("lean %v: mono sample %d = %v, want %v", lean, pos+i, v, want)
				}
			}
			if pos += n; !ok {
				break
			}
		}
	}
}
