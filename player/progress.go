package player

import "sort"

// DoneShare is the part of a stretch's hold time a live session must
// have played for the stretch to count as done. A stretch without holds
// counts by its whole span instead.
const DoneShare = 0.8

// Report is what a live session played, for the practice log.
type Report struct {
	// Played is the seconds of the routine that were played: what the
	// output pulled while not paused. A part skipped with Next is not
	// counted; a part gone back to with Back is counted again.
	Played float64
	// Finished is true when the routine played to its end, false when
	// the session was stopped before.
	Finished bool
	// Stretches lists every stretch of the routine the session reached
	// or passed, in the routine's order (a stretch the routine has twice
	// is listed twice). Stretches after the furthest point played are
	// left out.
	Stretches []StretchReport
}

// StretchReport is one stretch of a Report.
type StretchReport struct {
	ID string
	// Played is the seconds of the stretch's span (from its name to its
	// last sound) that were played.
	Played float64
	// Done is true when at least DoneShare of its holds were played;
	// a stretch reached but not done was skipped or stopped in.
	Done bool
}

// progress counts what a session plays, section by section. add runs on
// the output's goroutine with its lock held, so it neither allocates nor
// takes time that grows with the routine beyond a binary search.
type progress struct {
	rate     int
	spans    []stretchSpan // one per section, in order
	holds    []hold        // every hold, in order
	played   int           // samples
	furthest int           // the sample after the furthest one played
	ended    bool          // played to the end
}

// stretchSpan is a section's stretch from its first sound to its last, with
// what was played of it.
type stretchSpan struct {
	id                 string
	start, end         int
	holdLen            int // samples of hold in the span
	played, heldPlayed int
}

type hold struct {
	start, end int
	span       int // index into spans
}

func newProgress(tl *Timeline) progress {
	p := progress{rate: tl.Rate, spans: make([]stretchSpan, len(tl.Sections))}
	for i, sec := range tl.Sections {
		next := tl.Len
		if i+1 < len(tl.Sections) {
			next = tl.Sections[i+1].Start
		}
		p.spans[i] = stretchSpan{id: sec.Stretch, start: sec.Start, end: sec.Start}
		for _, e := range tl.Events {
			if e.Start < sec.Start || e.Start >= next || e.Stretch != sec.Stretch {
				continue
			}
			p.spans[i].end = max(p.spans[i].end, e.End())
			if e.Kind == KindHold {
				p.spans[i].holdLen += e.Len
				p.holds = append(p.holds, hold{start: e.Start, end: e.End(), span: i})
			}
		}
	}
	return p
}

// add counts the n samples played from pos on.
func (p *progress) add(pos, n int) {
	if n <= 0 {
		return
	}
	end := pos + n
	p.played += n
	p.furthest = max(p.furthest, end)
	i := sort.Search(len(p.spans), func(i int) bool { return p.spans[i].end > pos })
	for ; i < len(p.spans) && p.spans[i].start < end; i++ {
		p.spans[i].played += overlap(pos, end, p.spans[i].start, p.spans[i].end)
	}
	j := sort.Search(len(p.holds), func(j int) bool { return p.holds[j].end > pos })
	for ; j < len(p.holds) && p.holds[j].start < end; j++ {
		h := p.holds[j]
		p.spans[h.span].heldPlayed += overlap(pos, end, h.start, h.end)
	}
}

func overlap(a0, a1, b0, b1 int) int {
	return max(0, min(a1, b1)-max(a0, b0))
}

func (p *progress) report() Report {
	sec := func(n int) float64 { return float64(n) / float64(p.rate) }
	r := Report{Played: sec(p.played), Finished: p.ended}
	for _, s := range p.spans {
		if s.start >= p.furthest {
			break
		}
		done := float64(s.heldPlayed) >= DoneShare*float64(s.holdLen)
		if s.holdLen == 0 {
			done = float64(s.played) >= DoneShare*float64(s.end-s.start)
		}
		r.Stretches = append(r.Stretches, StretchReport{ID: s.id, Played: sec(s.played), Done: done})
	}
	return r
}

// Report says what the session has played so far: seconds in all, and
// which stretches were done. It is safe to call while the session plays;
// once the session is done it is final.
func (s *Session) Report() Report {
	s.out.Lock()
	defer s.out.Unlock()
	return s.progress.report()
}
