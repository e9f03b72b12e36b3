package player

import (
	"bytes"
	"context"
	"sync"
	"testing"
	"time"
)

func TestParseKeys(t *testing.T) {
	keys := make(chan Key, 32)
	ParseKeys(bytes.NewReader([]byte(" nNpP+=-_x\x1b[C\x1b[D\x1b[A\x1bOC\x1bq\x03\x04\x1asS")), keys)
	var got []Key
	for k := range keys {
		got = append(got, k)
	}
	want := []Key{KeyPause, KeyNext, KeyNext, KeyBack, KeyBack, KeyLouder, KeyLouder, KeySofter, KeySofter,
		KeyNext, KeyBack, KeyNext, KeyQuit, KeyInterrupt, KeyQuit, KeySuspend, KeyNextPart, KeyNextPart}
	if len(got) != len(want) {
		t.Fatalf("keys %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("keys %v, want %v", got, want)
		}
	}
}

func FuzzParseKeys(f *testing.F) {
	f.Add([]byte(" np+-q\x1b[C\x1b[D"))
	f.Fuzz(func(t *testing.T, data []byte) {
		keys := make(chan Key, len(data)+1)
		ParseKeys(bytes.NewReader(data), keys)
		n := 0
		for k := range keys {
			if k <= KeyNone || k > KeyNextPart {
				t.Fatalf("key %d out of range", k)
			}
			n++
		}
		if n > len(data) {
			t.Fatalf("%d keys from %d bytes", n, len(data))
		}
	})
}

// countingWriter counts the writes made to it.
type countingWriter struct {
	mu sync.Mutex
	n  int
}

func (w *countingWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.n++
	return len(p), nil
}

func (w *countingWriter) count() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.n
}

// TestRunLive_NoRedrawWhilePaused: the status line is redrawn when what
// it shows changes, not at every look: 25 looks while paused draw
// nothing (it redrew 25 times in 5 s before), and sound played after
// resuming draws again.
func TestRunLive_NoRedrawWhilePaused(t *testing.T) {
	s, out, _, _ := newTestSession(t, "neck-tilts", SessionOptions{})
	keys := make(chan Key)
	ticks := make(chan time.Time)
	w := &countingWriter{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- RunLive(ctx, s, LiveOptions{Keys: keys, Status: w, Redraw: true, ticks: ticks}) }()
	// look makes the loop look n times; a send returns when the loop
	// takes it, so one more look makes sure the last has been handled.
	look := func(n int) {
		for range n + 1 {
			ticks <- time.Time{}
		}
	}
	keys <- KeyPause
	look(0)
	paused := w.count()
	look(25)
	if n := w.count() - paused; n != 0 {
		t.Errorf("%d redraws while paused, want none", n)
	}
	keys <- KeyPause
	look(0)
	resumed := w.count()
	if resumed == paused {
		t.Error("no redraw after resuming")
	}
	look(3)
	if n := w.count() - resumed; n != 0 {
		t.Errorf("%d redraws with nothing played, want none", n)
	}
	out.pull(2 * testRate)
	look(1)
	if w.count() == resumed {
		t.Error("no redraw after two seconds played")
	}
	cancel()
	<-done
}
