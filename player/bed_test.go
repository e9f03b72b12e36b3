package player

import (
	"math"
	"testing"
)

// sineMusic is an endless sine, a stand-in music bed.
type sineMusic struct {
	freq, amp float64
	rate, pos int
}

func (m *sineMusic) Stream(buf [][2]float64) (int, bool) {
	for i := range buf {
		v := m.amp * math.Sin(2*math.Pi*m.freq*float64(m.pos)/float64(m.rate))
		buf[i] = [2]float64{v, v}
		m.pos++
	}
	return len(buf), true
}

func (m *sineMusic) Err() error       { return nil }
func (m *sineMusic) Seek(p int) error { m.pos = p; return nil }

func rms(s [][2]float64) float64 { return math.Sqrt(energy(s) / 2) }

// musicOnly renders desk-break with silent voice and tones scaled to
// nothing, so the output is the music bed alone.
func musicOnly(t *testing.T) (*Bed, [][2]float64) {
	t.Helper()
	tl, err := Compile(builtin(t), "desk-break", fixedVoice{}, Options{Rate: testRate})
	if err != nil {
		t.Fatal(err)
	}
	// Tones are rendered by the renderer itself; keep only their timing.
	silent := *tl
	silent.Events = nil
	for _, e := range tl.Events {
		if e.Kind == KindTone {
			e.Kind = KindRest // same span, no sound
		}
		silent.Events = append(silent.Events, e)
	}
	r, err := NewRenderer(&silent, sineClips{rate: testRate, amp: 0}, RenderOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// Duck spans come from the real timeline's sounds.
	bed := NewBed(r, &sineMusic{freq: 200, amp: 0.5, rate: testRate}, 1)
	ref := NewBed(mustRenderer(t, tl), &sineMusic{rate: testRate}, 1)
	bed.duck = ref.duck
	return bed, renderAllProgram(t, bed)
}

func mustRenderer(t *testing.T, tl *Timeline) *Renderer {
	t.Helper()
	r, err := NewRenderer(tl, sineClips{rate: tl.Rate, amp: 0}, RenderOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func renderAllProgram(t *testing.T, p Program) [][2]float64 {
	t.Helper()
	out := make([][2]float64, 0, p.Len())
	buf := make([][2]float64, 999)
	for {
		n, ok := p.Stream(buf)
		out = append(out, buf[:n]...)
		if !ok {
			return out
		}
	}
}

func TestBed_DucksUnderEverySound(t *testing.T) {
	bed, out := musicOnly(t)
	if len(out) != bed.Len() {
		t.Fatalf("rendered %d of %d samples", len(out), bed.Len())
	}
	var ducked, open []float64
	margin := testRate / 10
	for i, s := range bed.duck {
		if s.to-s.from > 2*margin && s.from > bed.fadeIn && s.to < bed.Len()-bed.fadeOut {
			ducked = append(ducked, rms(out[s.from+margin:s.to-margin]))
		}
		// The open stretch after this span, away from the ramps and fades.
		from := s.to + bed.release + margin
		to := bed.Len() - bed.fadeOut
		if i+1 < len(bed.duck) {
			to = bed.duck[i+1].from - bed.attack - margin
		}
		if to-from > margin && from > bed.fadeIn {
			open = append(open, rms(out[from:to]))
		}
	}
	if len(ducked) < 5 || len(open) < 3 {
		t.Fatalf("%d ducked and %d open stretches to measure", len(ducked), len(open))
	}
	for _, d := range ducked {
		for _, o := range open {
			if db := 20 * math.Log10(d/o); math.Abs(db-duckDB) > 0.5 {
				t.Fatalf("music under a sound is %.1f dB from the open level, want %.0f", db, duckDB)
			}
		}
	}
}

func TestBed_RampsWithoutClicks(t *testing.T) {
	bed, out := musicOnly(t)
	g := make([]float64, bed.Len())
	bed.gains(0, g)
	// The steepest a raised-cosine ramp gets, over the shorter of attack
	// and the fade-in.
	maxStep := (1 - duckLevel) * math.Pi / 2 / float64(bed.attack) * 1.001
	for i := 1; i < len(g); i++ {
		if d := math.Abs(g[i] - g[i-1]); d > maxStep {
			t.Fatalf("gain jumps by %.5f at sample %d, ramps allow %.5f", d, i, maxStep)
		}
	}
	// And so the music itself moves no faster than the sine plus the ramp.
	sineStep := 0.5 * 2 * math.Pi * 200 / testRate
	for i := 1; i < len(out); i++ {
		if d := math.Abs(out[i][0] - out[i-1][0]); d > sineStep+0.5*maxStep+1e-9 {
			t.Fatalf("music steps by %.4f at sample %d, more than %.4f", d, i, sineStep+0.5*maxStep)
		}
	}
	// Fade in from silence, fade out to silence.
	if math.Abs(out[0][0]) > 1e-9 || rms(out[len(out)-testRate/100:]) > 1e-3 {
		t.Errorf("music does not fade: first %g, last 10 ms rms %g", out[0][0], rms(out[len(out)-testRate/100:]))
	}
}

func TestBed_SeekMovesTheMusicToo(t *testing.T) {
	tl, err := Compile(builtin(t), "neck-tilts", fixedVoice{}, Options{Rate: testRate})
	if err != nil {
		t.Fatal(err)
	}
	m := &sineMusic{freq: 200, amp: 0.5, rate: testRate}
	bed := NewBed(mustRenderer(t, tl), m, 0.5)
	if err := bed.Seek(12345); err != nil {
		t.Fatal(err)
	}
	if bed.Position() != 12345 || m.pos != 12345 {
		t.Errorf("after Seek(12345): program at %d, music at %d", bed.Position(), m.pos)
	}
}

// TestBed_DuckLevel: the ducked gain written out is the -12 dB it stands
// for.
func TestBed_DuckLevel(t *testing.T) {
	if want := math.Pow(10, duckDB/20); math.Abs(duckLevel-want) > 1e-16 {
		t.Errorf("duckLevel %v, 10^(%v/20) is %v", duckLevel, duckDB, want)
	}
}
