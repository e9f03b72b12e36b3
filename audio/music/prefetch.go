package music

import (
	"sync"

	"github.com/gopxl/beep/v2"
)

// prefetch streams src from a goroutine of its own, a few windows ahead
// of the reader: decoding and resampling a music bed run on another core
// than the mixing, and never on the thread that feeds the sound card. The
// samples are src's, in order. Stop must be called before src is used
// again by anyone else (seeked, closed); a prefetch that reached src's end
// stops by itself.
type prefetch struct {
	full chan prefetched
	free chan [][2]float64
	stop chan struct{}
	done sync.WaitGroup

	cur  prefetched // being read
	at   int        // next frame of cur
	over bool       // src ended: cur was its last window
	err  error
}

// prefetched is a window of src and how its Stream call ended.
type prefetched struct {
	buf [][2]float64
	n   int
	ok  bool
	err error
}

// prefetchWindows is how many windows of prefetchFrames are read ahead.
const (
	prefetchWindows = 3
	prefetchFrames  = 4096
)

func newPrefetch(src beep.Streamer) *prefetch {
	p := &prefetch{full: make(chan prefetched, prefetchWindows), free: make(chan [][2]float64, prefetchWindows+1),
		stop: make(chan struct{})}
	for range prefetchWindows + 1 {
		p.free <- make([][2]float64, prefetchFrames)
	}
	p.done.Go(func() {
		for {
			var buf [][2]float64
			select {
			case buf = <-p.free:
			case <-p.stop:
				return
			}
			n, ok := src.Stream(buf)
			w := prefetched{buf: buf, n: n, ok: ok && n > 0}
			if !w.ok {
				w.err = src.Err()
			}
			select {
			case p.full <- w:
			case <-p.stop:
				return
			}
			if !w.ok {
				return
			}
		}
	})
	return p
}

// Stream fills samples from the windows read ahead.
func (p *prefetch) Stream(samples [][2]float64) (int, bool) {
	n := 0
	for n < len(samples) {
		if p.at == p.cur.n {
			if p.over {
				break
			}
			if p.cur.buf != nil {
				p.free <- p.cur.buf
			}
			p.cur, p.at = <-p.full, 0
			if !p.cur.ok {
				p.over, p.err = true, p.cur.err
			}
			continue
		}
		k := copy(samples[n:], p.cur.buf[p.at:p.cur.n])
		p.at += k
		n += k
	}
	return n, n > 0 || !p.over
}

// Err returns src's error, once the reader has come to it.
func (p *prefetch) Err() error { return p.err }

// Stop ends the goroutine and waits for it: src is free again.
func (p *prefetch) Stop() {
	select {
	case <-p.stop:
	default:
		close(p.stop)
	}
	p.done.Wait()
}
