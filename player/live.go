package player

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"
)

// Key is one control of a live session.
type Key int

// The controls.
const (
	KeyNone Key = iota
	KeyPause
	KeyNext
	KeyBack
	KeyLouder
	KeySofter
	KeyQuit
)

// KeyHelp is the one-line summary of the controls.
const KeyHelp = "space pause  n/→ next  p/← back  +/- volume  q quit"

// ParseKeys reads terminal input (raw mode) from r and sends each control
// pressed on keys until r ends; other bytes are ignored. Arrows arrive as
// the escape sequences ESC [ C and ESC [ D (ESC O C and ESC O D in a
// terminal's application mode); Ctrl-C and Ctrl-D quit.
func ParseKeys(r io.Reader, keys chan<- Key) {
	defer close(keys)
	buf := make([]byte, 64)
	var esc []byte
	for {
		n, err := r.Read(buf)
		for _, b := range buf[:n] {
			if b == 0x1b || len(esc) > 0 && (len(esc) > 1 || b == '[' || b == 'O') {
				esc = append(esc, b)
				if len(esc) == 3 {
					switch esc[2] {
					case 'C':
						keys <- KeyNext
					case 'D':
						keys <- KeyBack
					}
					esc = nil
				}
				continue
			}
			esc = nil // a lone Esc: the byte after it is a key of its own
			if k := keyOf(b); k != KeyNone {
				keys <- k
			}
		}
		if err != nil {
			return
		}
	}
}

func keyOf(b byte) Key {
	switch b {
	case ' ':
		return KeyPause
	case 'n', 'N':
		return KeyNext
	case 'p', 'P':
		return KeyBack
	case '+', '=':
		return KeyLouder
	case '-', '_':
		return KeySofter
	case 'q', 'Q', 3, 4: // Ctrl-C and Ctrl-D in raw mode
		return KeyQuit
	}
	return KeyNone
}

// LiveOptions tune RunLive.
type LiveOptions struct {
	// Keys delivers the controls pressed; nil means no controls.
	Keys <-chan Key
	// Status receives the status: with Redraw, one line redrawn in place
	// (a terminal); without, a plain line each time a stretch begins.
	// nil means no status.
	Status io.Writer
	Redraw bool
	// Tick is how often the status is refreshed; 0 means 200 ms.
	Tick time.Duration
}

// ErrQuit is returned by RunLive when the user quit before the end.
var ErrQuit = errors.New("quit")

// RunLive drives a started session until it ends, the user quits
// (ErrQuit) or ctx is cancelled (ctx's error): it applies the controls
// and keeps the status up to date. On every way out the status line is
// cleared and the session stopped; at the natural end the output is
// drained so the last cue is heard in full.
func RunLive(ctx context.Context, s *Session, opts LiveOptions) (err error) {
	tick := opts.Tick
	if tick == 0 {
		tick = 200 * time.Millisecond
	}
	t := time.NewTicker(tick)
	defer t.Stop()
	lastName := ""
	draw := func() {
		if opts.Status == nil {
			return
		}
		st := s.Status()
		if opts.Redraw {
			fmt.Fprintf(opts.Status, "\r\033[K%s  vol %d%%  %s", st, int(st.Volume*100+0.5), KeyHelp)
			return
		}
		if st.Name != "" && st.Name != lastName {
			lastName = st.Name
			fmt.Fprintf(opts.Status, "%s  %s\n", clockSeconds(st.Pos, st.Rate), st.Name)
		}
	}
	defer func() {
		if opts.Status != nil && opts.Redraw {
			fmt.Fprint(opts.Status, "\r\033[K")
		}
	}()
	keys := opts.Keys
	draw()
	for {
		select {
		case <-s.Done():
			draw()
			s.Wait()
			return nil
		case <-ctx.Done():
			s.Stop()
			return ctx.Err()
		case k, ok := <-keys:
			if !ok {
				keys = nil // input closed: play on without controls
				continue
			}
			switch k {
			case KeyQuit:
				s.Stop()
				return ErrQuit
			case KeyPause:
				if err := s.TogglePause(); err != nil {
					s.Stop()
					return fmt.Errorf("pause: %w", err)
				}
			case KeyNext:
				s.Next()
			case KeyBack:
				s.Back()
			case KeyLouder:
				s.ChangeVolume(VolumeStep)
			case KeySofter:
				s.ChangeVolume(-VolumeStep)
			}
			draw()
		case <-t.C:
			draw()
		}
	}
}
