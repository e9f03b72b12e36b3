package player

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"
	"unicode/utf8"
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
	KeyInterrupt // Ctrl-C, which raw mode delivers as a key
	KeySuspend   // Ctrl-Z, likewise
	KeyResume    // resume if paused, else nothing ("limber continue")
	KeyRepeat    // say the current instruction again
	KeyNextPart  // the next side or repetition of this stretch
)

// ParseKeys reads terminal input (raw mode) from r and sends each control
// pressed on keys until r ends; other bytes are ignored. Arrows arrive as
// the escape sequences ESC [ C and ESC [ D (ESC O C and ESC O D in a
// terminal's application mode); s skips to the next side or repetition;
// Ctrl-D quits like q, Ctrl-C interrupts and Ctrl-Z suspends.
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
	case 's', 'S':
		return KeyNextPart
	case 'p', 'P':
		return KeyBack
	case '+', '=':
		return KeyLouder
	case '-', '_':
		return KeySofter
	case 'r', 'R':
		return KeyRepeat
	case 'q', 'Q', 4: // 4 is Ctrl-D in raw mode
		return KeyQuit
	case 3: // Ctrl-C
		return KeyInterrupt
	case 0x1a: // Ctrl-Z
		return KeySuspend
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
	// Width returns the terminal's width in columns, so the redrawn line
	// never wraps; nil or a result of 0 means no limit.
	Width func() int
	// Resized delivers a value each time the terminal changes size; the
	// line is then redrawn at once.
	Resized <-chan struct{}
	// KeyHelp shows the keys in the status line; set it only when Keys
	// is set.
	KeyHelp bool
	// Suspend, when set, is called on Ctrl-Z with the session paused and
	// the status line cleared; it returns when the program is resumed.
	Suspend func()
	// Tick is how often the status is looked at while playing; 0 means
	// 200 ms. The line is redrawn only when what it shows has changed,
	// and looked at once a second while paused.
	Tick time.Duration
	// Spoken delivers the commands a listener heard (package listen);
	// nil means no listening. Each is acknowledged with a tone and shown
	// in the status.
	Spoken <-chan Spoken
	// Errors receives the one line said when listening stops for good
	// (the microphone went away); nil means Status.
	Errors io.Writer
	// ShowIgnored prints a line for each command heard while limber was
	// sounding, and so ignored, where there is no redrawn status (which
	// always shows them).
	ShowIgnored bool

	// ticks, when set, replaces the ticker (tests).
	ticks <-chan time.Time
}

// Spoken is a command heard by a listener.
type Spoken struct {
	// Key is the control it stands for. A spoken KeyPause only pauses,
	// KeyResume only resumes.
	Key Key
	// Phrase is what was said.
	Phrase string
	// Ignored is set when limber was sounding then: it is not acted on.
	Ignored bool
	// Err, when set, says why the listener stopped; it sends nothing
	// more.
	Err error
}

// heardFor is how long the status shows what was heard.
const heardFor = 3 * time.Second

// ackLatency is about how long the acknowledgement takes to reach the
// ears after it is handed to the output: a command that ends the sound
// (pause, stop) waits that long after the tone.
const ackLatency = 250 * time.Millisecond

// pausedTick is how often the status is looked at while paused.
const pausedTick = time.Second

// ErrQuit is returned by RunLive when the user quit before the end.
var ErrQuit = errors.New("quit")

// ErrInterrupt is returned by RunLive when the user pressed Ctrl-C.
var ErrInterrupt = errors.New("interrupted")

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
	ticks := opts.ticks
	if ticks == nil {
		ticks = t.C
	}
	paused := false // as the ticker was last set
	lastName := ""
	lastPaused := false
	width := func() int {
		if opts.Width == nil {
			return 0
		}
		return opts.Width()
	}
	lastLine, lastLen := "", 0 // the line on screen, and its runes
	// eraser returns what erases the line on screen. After a resize a
	// terminal that rewraps lines may have spread it over several rows;
	// the cursor is on the last of them.
	eraser := func(resized bool) string {
		if w := width(); resized && w > 0 && lastLen > w {
			return fmt.Sprintf("\r\033[%dA\033[J", (lastLen-1)/w)
		}
		return "\r\033[K"
	}
	listening := opts.Spoken != nil
	heard, heardAt := "", time.Time{}
	draw := func(resized bool) {
		if opts.Status == nil {
			return
		}
		st := s.Status()
		switch {
		case heard != "" && time.Since(heardAt) < heardFor:
			st.Listen = "heard: " + heard
		case listening:
			st.Listen = "listening"
		}
		if st.Paused != paused { // look less often while nothing moves
			paused = st.Paused
			if paused {
				t.Reset(pausedTick)
			} else {
				t.Reset(tick)
			}
		}
		if opts.Redraw {
			line := st.Line(width(), opts.KeyHelp)
			if line == lastLine && !resized {
				return
			}
			fmt.Fprint(opts.Status, eraser(resized)+line)
			lastLine, lastLen = line, utf8.RuneCountInString(line)
			return
		}
		// Plain lines: one when a stretch begins, one when the session
		// pauses and when it goes on.
		at := clockSeconds(st.Pos, st.Rate)
		if st.Paused != lastPaused && !st.Done {
			lastPaused = st.Paused
			state := "paused"
			if !st.Paused {
				state = "playing"
			}
			fmt.Fprintf(opts.Status, "%s  %s\n", at, state)
		}
		if st.Name != "" && st.Name != lastName {
			lastName = st.Name
			fmt.Fprintf(opts.Status, "%s  %s\n", at, st.Name)
		}
	}
	erase := func() {
		if opts.Status != nil && opts.Redraw {
			fmt.Fprint(opts.Status, eraser(false))
			lastLine, lastLen = "", 0
		}
	}
	defer erase()
	keys := opts.Keys
	spoken := opts.Spoken
	errOut := opts.Errors
	if errOut == nil {
		errOut = opts.Status
	}
	// A spoken pause or stop waits for its acknowledgement to be heard.
	var pauseAt, quitAt <-chan time.Time
	draw(false)
	for {
		select {
		case <-pauseAt:
			pauseAt = nil
			if err := setPaused(s, true); err != nil {
				return err
			}
			draw(false)
		case <-quitAt:
			s.Stop()
			return ErrQuit
		case sp, ok := <-spoken:
			if !ok {
				spoken, listening = nil, false
				draw(false)
				continue
			}
			if sp.Err != nil {
				spoken, listening = nil, false
				erase()
				if errOut != nil {
					fmt.Fprintf(errOut, "limber: %v; playing on without listening\n", sp.Err)
				}
				draw(false)
				continue
			}
			if sp.Ignored {
				heard, heardAt = sp.Phrase+" (ignored: limber was sounding)", time.Now()
				if opts.Status != nil && !opts.Redraw && opts.ShowIgnored {
					st := s.Status()
					fmt.Fprintf(opts.Status, "%s  ignored: %s (limber was sounding)\n", clockSeconds(st.Pos, st.Rate), sp.Phrase)
				}
				draw(false)
				continue
			}
			heard, heardAt = sp.Phrase, time.Now()
			if opts.Status != nil && !opts.Redraw {
				st := s.Status()
				fmt.Fprintf(opts.Status, "%s  heard: %s\n", clockSeconds(st.Pos, st.Rate), sp.Phrase)
			}
			paused := s.Status().Paused
			switch sp.Key {
			case KeyPause:
				if !paused && pauseAt == nil {
					s.Acknowledge()
					pauseAt = time.After(AckDuration + ackLatency)
				}
			case KeyResume:
				if paused {
					if err := setPaused(s, false); err != nil {
						return err
					}
					s.Acknowledge()
				}
			case KeyQuit:
				if paused {
					s.Stop()
					return ErrQuit
				}
				s.Acknowledge()
				quitAt = time.After(AckDuration + ackLatency)
			case KeyNext, KeyBack, KeyLouder, KeySofter, KeyRepeat:
				if !paused {
					s.Acknowledge()
				}
				apply(s, sp.Key)
			}
			draw(false)
		case <-s.Done():
			draw(false)
			s.Wait()
			return nil
		case <-opts.Resized:
			draw(true)
			continue
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
			case KeyInterrupt:
				s.Stop()
				return ErrInterrupt
			case KeySuspend:
				if opts.Suspend == nil {
					continue
				}
				wasPaused := s.Status().Paused
				if err := setPaused(s, true); err != nil {
					return err
				}
				erase()
				opts.Suspend()
				if err := setPaused(s, wasPaused); err != nil {
					return err
				}
			case KeyPause:
				if err := s.TogglePause(); err != nil {
					s.Stop()
					return fmt.Errorf("pause: %w", err)
				}
			case KeyResume:
				if err := setPaused(s, false); err != nil {
					return err
				}
			default:
				apply(s, k)
			}
			draw(false)
		case <-ticks:
			draw(false)
		}
	}
}

// setPaused pauses or resumes s, unless it is so already; a failure
// stops the session and is returned.
func setPaused(s *Session, paused bool) error {
	if s.Status().Paused == paused {
		return nil
	}
	if err := s.TogglePause(); err != nil {
		s.Stop()
		if paused {
			return fmt.Errorf("pause: %w", err)
		}
		return fmt.Errorf("resume: %w", err)
	}
	return nil
}

// apply does what one of the keys that neither pause nor end the
// session does.
func apply(s *Session, k Key) {
	switch k {
	case KeyNext:
		s.Next()
	case KeyNextPart:
		s.NextPart()
	case KeyBack:
		s.Back()
	case KeyLouder:
		s.ChangeVolume(VolumeStep)
	case KeySofter:
		s.ChangeVolume(-VolumeStep)
	case KeyRepeat:
		s.Repeat()
	}
}
