package player

import (
	"math"
	"testing"

	"github.com/limber-audio/limber/audio/tone"
)

// pullAll plays the session to its end in device-sized pieces.
func pullAll(out *fakeOutput) {
	for {
		if _, ok := out.pull(512); !ok {
			return
		}
	}
}

func TestSessionReport_FinishedPlaysEverything(t *testing.T) {
	s, out, _, tl := newTestSession(t, "desk-break", SessionOptions{})
	pullAll(out)
	r := s.Report()
	if !r.Finished {
		t.Error("not finished after playing to the end")
	}
	if want := tl.Seconds(tl.Len); math.Abs(r.Played-want) > 1e-9 {
		t.Errorf("played %g s, the routine lasts %g s", r.Played, want)
	}
	if len(r.Stretches) != len(tl.Sections) {
		t.Fatalf("%d stretches reported, the routine has %d", len(r.Stretches), len(tl.Sections))
	}
	sum := 0.0
	for i, st := range r.Stretches {
		if st.ID != tl.Sections[i].Stretch || !st.Done || st.Played <= 0 {
			t.Errorf("stretch %d: %+v, want %s done", i, st, tl.Sections[i].Stretch)
		}
		sum += st.Played
	}
	if sum >= r.Played {
		t.Errorf("the stretches' spans add up to %g s, more than the %g s played (lead-in, rests and closing belong to none)", sum, r.Played)
	}
}

func TestSessionReport_StoppedAndSkipped(t *testing.T) {
	tests := []struct {
		name string
		play func(s *Session, out *fakeOutput, tl *Timeline)
		// want lists the stretches reported, with done or not
		want     []bool
		finished bool
		played   func(tl *Timeline) float64 // seconds
	}{
		{
			name: "stopped in the lead-in",
			play: func(s *Session, out *fakeOutput, tl *Timeline) { out.pull(testRate); s.Stop() },
			want: nil, played: func(*Timeline) float64 { return 1 },
		},
		{
			name: "first skipped at once, second played, stopped in the third",
			play: func(s *Session, out *fakeOutput, tl *Timeline) {
				s.Next() // to the first stretch
				out.pull(testRate / 2)
				s.Next() // to the second, after half a second of the first
				for s.Status().Pos < tl.Sections[2].Start+testRate {
					out.pull(512)
				}
				s.Stop()
			},
			want: []bool{false, true, false},
			played: func(tl *Timeline) float64 {
				return 0.5 + tl.Seconds(tl.Sections[2].Start+testRate-tl.Sections[1].Start)
			},
		},
		{
			name: "paused time is not played",
			play: func(s *Session, out *fakeOutput, tl *Timeline) {
				out.pull(testRate)
				s.TogglePause()
				out.pull(5 * testRate)
				s.TogglePause()
				out.pull(testRate + len(tone.Resume(testRate))) // the resume sound, then a second
				s.Stop()
			},
			want: nil, played: func(*Timeline) float64 { return 2 },
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, out, _, tl := newTestSession(t, "desk-break", SessionOptions{})
			tt.play(s, out, tl)
			r := s.Report()
			if r.Finished != tt.finished {
				t.Errorf("finished %v, want %v", r.Finished, tt.finished)
			}
			// A pull may overshoot a position by one device buffer.
			if want := tt.played(tl); math.Abs(r.Played-want) > 512.0/testRate {
				t.Errorf("played %g s, want %g", r.Played, want)
			}
			if len(r.Stretches) != len(tt.want) {
				t.Fatalf("stretches %+v, want %d", r.Stretches, len(tt.want))
			}
			for i, st := range r.Stretches {
				if st.ID != tl.Sections[i].Stretch || st.Done != tt.want[i] {
					t.Errorf("stretch %d: %+v, want %s done=%v", i, st, tl.Sections[i].Stretch, tt.want[i])
				}
			}
		})
	}
}

// TestSessionReport_BackCountsAgain: going back replays, and what is
// replayed is played time too; a stretch heard in two halves is done.
func TestSessionReport_BackCountsAgain(t *testing.T) {
	s, out, clock, tl := newTestSession(t, "neck-tilts", SessionOptions{})
	for s.Status().Pos < tl.Sections[0].Start+3*testRate {
		out.pull(512)
	}
	before := s.Report().Played
	clock.now = clock.now.Add(10e9)
	s.Back() // to the stretch's start, 3 s back
	pullAll(out)
	r := s.Report()
	if want := before + tl.Seconds(tl.Len-tl.Sections[0].Start); math.Abs(r.Played-want) > 1e-9 {
		t.Errorf("played %g s, want the whole routine and the 3 s heard twice: %g", r.Played, want)
	}
	if !r.Finished || len(r.Stretches) != 1 || !r.Stretches[0].Done {
		t.Errorf("report %+v", r)
	}
}

// BenchmarkSession_Progress is the cost of counting what plays, on the
// output's goroutine: it must stay small and allocate nothing.
func BenchmarkSession_Progress(b *testing.B) {
	tl, err := Compile(builtin(b), "upper-back", fixedVoice{}, Options{Rate: testRate})
	if err != nil {
		b.Fatal(err)
	}
	p := newProgress(tl)
	b.ReportAllocs()
	pos := 0
	for b.Loop() {
		p.add(pos, 512)
		pos = (pos + 512) % tl.Len
	}
}
