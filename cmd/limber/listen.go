package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"

	"github.com/limber-audio/limber/kws"
	"github.com/limber-audio/limber/mic"
	"github.com/limber-audio/limber/player"
	"github.com/limber-audio/limber/player/listen"
	"github.com/spf13/pflag"
)

// listenFlags are play's flags for spoken commands.
type listenFlags struct {
	on  bool
	mic string
}

func (l *listenFlags) addFlags(fs *pflag.FlagSet) {
	fs.BoolVar(&l.on, "listen", false, `act on spoken commands: "limber pause", "limber next", ... (default: "listen" in config.json)`)
	fs.StringVar(&l.mic, "mic", "", "listen with the microphone `NAME` (see limber mics; implies --listen)")
}

// wanted reports whether the session listens: --listen, --mic, or
// config.json's "listen" unless --listen=false was given; asked says it
// was asked for on the command line.
func (l *listenFlags) wanted(fs *pflag.FlagSet) (on, asked bool, err error) {
	if l.mic != "" {
		if fs.Changed("listen") && !l.on {
			return false, true, usagef("--mic and --listen=false contradict each other")
		}
		return true, true, nil
	}
	if fs.Changed("listen") {
		return l.on, true, nil
	}
	cfg, err := loadConfig()
	if err != nil {
		return false, false, err
	}
	return cfg.Listen, false, nil
}

// listening is the spotter's decoder being loaded while the routine
// compiles, and then the microphone.
type listening struct {
	done  chan struct{}
	dec   *kws.Decoder
	err   error
	asked bool // on the command line, not by config.json
}

// startListening checks that this build can listen (a usage error when
// not: exit 2) and starts loading the decoder.
func startListening() (*listening, error) {
	if err := kws.Available(); err != nil {
		return nil, &usageError{fmt.Errorf("--listen: %w", err)}
	}
	if _, err := mic.Devices(); errors.Is(err, mic.ErrUnavailable) {
		return nil, &usageError{fmt.Errorf("--listen: %w", err)}
	}
	l := &listening{done: make(chan struct{})}
	go func() {
		defer close(l.done)
		l.dec, l.err = kws.New(listen.Config(listen.Commands, listen.WakeScores))
	}()
	return l, nil
}

// decoder waits for the decoder. Without a model (pocketsphinx-en-us not
// installed) listening cannot work at all: a usage error.
func (l *listening) decoder() (*kws.Decoder, error) {
	<-l.done
	if errors.Is(l.err, kws.ErrNoModel) || errors.Is(l.err, fs.ErrNotExist) {
		return nil, &usageError{fmt.Errorf("--listen: %w", l.err)}
	}
	if l.err != nil {
		return nil, fmt.Errorf("--listen: %w", l.err)
	}
	return l.dec, nil
}

// ears are the decoder and the open microphone of a session that
// listens.
type ears struct {
	dec *kws.Decoder
	mic *mic.Stream
}

// open waits for the decoder and opens the microphone; nil, nil when
// not listening or when there is no microphone to listen with (then one
// line has said so).
func (l *listening) open(s *stdio, name string) (*ears, error) {
	if l == nil {
		return nil, nil
	}
	dec, err := l.decoder()
	var ue *usageError
	if errors.As(err, &ue) && !l.asked {
		fmt.Fprintf(s.errOut, "limber: warning: config.json: %v; playing without listening\n", err)
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	st, err := openMic(s, name)
	if err != nil || st == nil {
		dec.Close()
		return nil, err
	}
	return &ears{dec: dec, mic: st}, nil
}

func (e *ears) close() {
	e.mic.Close()
	e.dec.Close()
}

// openMic opens the microphone name (the default one for ""). A name
// that matches no device, or several, is a usage error; no microphone at
// all, or one that will not open, is one line on s.errOut and nil: the
// session plays on without listening.
func openMic(s *stdio, name string) (*mic.Stream, error) {
	st, err := mic.Open(mic.Options{Device: name, Rate: kws.SampleRate})
	var nf *mic.NotFoundError
	var amb *mic.AmbiguousError
	switch {
	case errors.As(err, &nf), errors.As(err, &amb):
		return nil, &usageError{fmt.Errorf("--mic: %w", err)}
	case err != nil:
		fmt.Fprintf(s.errOut, "limber: %v; playing without listening\n", err)
		return nil, nil
	}
	return st, nil
}

// listenTo runs a spotter of the microphone for the session until ctx
// ends; what it hears arrives on the channel returned.
func listenTo(ctx context.Context, st *mic.Stream, dec *kws.Decoder, session *player.Session) <-chan player.Spoken {
	out := make(chan player.Spoken, 4)
	sp := listen.NewSpotter(dec, listen.Options{Echo: session})
	go sp.Run(ctx, st.Chunks(), out)
	return out
}
