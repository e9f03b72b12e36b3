package cues

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/limber-audio/limber/audio/decode"
	"github.com/limber-audio/limber/cues/cueid"
	"github.com/limber-audio/limber/internal/input"
	"github.com/limber-audio/limber/internal/shorten"
)

// Limits on what an engine may make of one phrase.
const (
	// MaxPhraseSeconds bounds the audio of one voiced phrase.
	MaxPhraseSeconds = 60
	// maxEngineOutput bounds the file an engine writes, in bytes: a minute
	// of 48 kHz 32-bit stereo, with room to spare.
	maxEngineOutput = 32 << 20
	// DefaultTimeout is how long one phrase may take to voice.
	DefaultTimeout = 30 * time.Second
	// waitDelay is how long an engine's output may stay open after it
	// exits, held by a child that left its process group.
	waitDelay = time.Second
)

// Synth voices a user's words: each phrase without a recording is taken
// from the Cache or, on a miss, spoken by the first available of Engines,
// run through Process and cached. It runs before anything plays.
type Synth struct {
	// Engines are tried in order: the cache is searched under each, and
	// the first Available one voices what is not cached.
	Engines []Engine
	// Cache keeps what was voiced; nil voices every time.
	Cache *Cache
	// BuiltinCues voices the built-in cues too, with the same engine as
	// the user's words, so that one voice speaks everything; a recording
	// (LoadVoiceDir) still wins over it.
	BuiltinCues bool
	// Timeout bounds one phrase's synthesis; 0 means DefaultTimeout.
	Timeout time.Duration
	// Workers is how many phrases are voiced at once, each by an engine
	// process of its own; 0 means one per core (GOMAXPROCS). festival
	// voices on one core, so two at once halve the wait on two cores.
	Workers int
	// Progress, when set, is told when voicing starts (done is 0) and as
	// each phrase is done: done of total phrases, the engine's name and
	// how many are voiced at once. The last call has done == total.
	// Calls never overlap.
	Progress func(done, total int, engine string, workers int)
	// Warn, when set, is told of cache entries found damaged (and voiced
	// again) and of a cache that cannot be used (worked without).
	Warn func(msg string)
}

// DefaultEngines are the engines limber tries when the user names none:
// festival with the built-in pack's voice, then espeak-ng.
func DefaultEngines() []Engine { return []Engine{Festival{}, Espeak{}} }

// NoEngineError reports phrases that have neither a recording nor a
// cached clip while no engine can voice them.
type NoEngineError struct {
	Phrases []cueid.Phrase
	Why     []string // why each engine is unavailable
}

func (e *NoEngineError) Error() string {
	texts := make([]string, 0, 3)
	for i, p := range e.Phrases {
		if i == 3 {
			texts = append(texts, fmt.Sprintf("and %d more", len(e.Phrases)-3))
			break
		}
		texts = append(texts, fmt.Sprintf("%q", shorten.To(p.Text, 40)))
	}
	return fmt.Sprintf("no text-to-speech engine to voice %d %s (%s): %s; install festival festvox-us-slt-hts or espeak-ng, or record them with --voice DIR (limber cues --missing DIR lists them)",
		len(e.Phrases), plural(len(e.Phrases), "phrase", "phrases"), strings.Join(texts, ", "), strings.Join(e.Why, ", "))
}

// PhraseError reports a phrase an engine failed to voice.
type PhraseError struct {
	Text   string
	Engine string
	Err    error
}

func (e *PhraseError) Error() string {
	return fmt.Sprintf("voice %q with %s: %v", shorten.To(e.Text, 60), e.Engine, e.Err)
}

func (e *PhraseError) Unwrap() error { return e.Err }

// Unvoiced returns what Voice would voice among ids: the user's phrases
// with no clip yet and, with BuiltinCues, the built-in cues with none of
// their own.
func (s *Synth) Unvoiced(p *Pack, ids []string) []cueid.Phrase {
	todo := p.Unvoiced(ids)
	if s.BuiltinCues {
		todo = append(todo, p.UnvoicedCues(ids)...)
	}
	return todo
}

// Voice makes sure every phrase among ids that the pack has no clip for
// gets one (and, with BuiltinCues, every built-in cue among them one of
// the engine's). With nothing to voice it touches neither the cache nor
// an engine.
func (s *Synth) Voice(ctx context.Context, p *Pack, ids []string) error {
	todo := s.Unvoiced(p, ids)
	if len(todo) == 0 {
		return nil
	}
	cache := s.Cache
	if cache != nil {
		unlock, err := lockDir(ctx, cache.Dir)
		switch {
		case err == nil:
			defer unlock()
		case ctx.Err() != nil:
			return ctx.Err()
		default:
			s.warn(fmt.Sprintf("%v; voicing your words without the cache", err))
			cache = nil
		}
	}
	miss := s.fromCache(cache, p, todo)
	if len(miss) == 0 {
		return nil
	}
	engine, err := s.engine(miss)
	if err != nil {
		return err
	}
	return s.voiceAll(ctx, p, cache, engine, miss)
}

// voiceAll voices every phrase of miss with engine, Workers at a time,
// caches each clip in cache (nil: none) as it is made and gives it to p.
// The first failure stops the others and is returned; ctx's error when
// ctx is done. A cache that fails to keep a clip is warned about once and
// left alone: the words are voiced all the same.
func (s *Synth) voiceAll(ctx context.Context, p *Pack, cache *Cache, engine Engine, miss []cueid.Phrase) error {
	workers := s.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, len(miss))
	work, stop := context.WithCancel(ctx)
	defer stop()
	var (
		mu    sync.Mutex // guards done, first, cache and the calls to Progress
		done  int
		first error
	)
	progress := func() {
		if s.Progress != nil {
			s.Progress(done, len(miss), engine.Name(), workers)
		}
	}
	fail := func(err error) {
		if first == nil {
			first = err
			stop()
		}
	}
	progress()
	next := make(chan cueid.Phrase)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for ph := range next {
				clip, err := s.synthesize(work, engine, ph.Text)
				if err != nil {
					err = &PhraseError{Text: ph.Text, Engine: engine.Name(), Err: err}
				}
				mu.Lock()
				if err == nil && cache != nil {
					if perr := cache.Put(engine.Key(), ph.Text, clip); perr != nil {
						s.warn(fmt.Sprintf("%v; your words are voiced again next time", perr))
						cache = nil // once is enough: the next would fail alike
					}
				}
				switch {
				case ctx.Err() != nil:
					fail(ctx.Err())
				case work.Err() != nil:
					// stopped by another phrase's failure
				case err != nil:
					fail(err)
				default:
					p.addVoiced(ph.ID, clip)
					done++
					progress()
				}
				mu.Unlock()
			}
		})
	}
feed:
	for _, ph := range miss {
		select {
		case next <- ph:
		case <-work.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	if first == nil && ctx.Err() != nil {
		first = ctx.Err()
	}
	return first
}

// Cached gives the phrases among ids the clips the cache already has,
// and never runs an engine.
func (s *Synth) Cached(p *Pack, ids []string) {
	s.fromCache(s.Cache, p, s.Unvoiced(p, ids))
}

// fromCache gives each phrase of todo its clip in cache (nil: none), and
// returns those the cache does not have.
func (s *Synth) fromCache(cache *Cache, p *Pack, todo []cueid.Phrase) (miss []cueid.Phrase) {
	for _, ph := range todo {
		clip := s.cached(cache, ph.Text)
		if clip == nil {
			miss = append(miss, ph)
			continue
		}
		p.addVoiced(ph.ID, clip)
	}
	return miss
}

// cached looks text up in cache under every engine's key, in order; nil
// when no entry is there or none can be read (said on Warn: the words
// are voiced again).
func (s *Synth) cached(cache *Cache, text string) []int16 {
	if cache == nil {
		return nil
	}
	for _, e := range s.Engines {
		clip, err := cache.Get(e.Key(), text)
		switch {
		case err == nil:
			return clip
		case errors.Is(err, ErrCorrupt):
			s.warn(fmt.Sprintf("%v; voicing %q again", err, shorten.To(text, 40)))
		case !errors.Is(err, fs.ErrNotExist):
			s.warn(fmt.Sprintf("voice cache: %v; voicing %q again", err, shorten.To(text, 40)))
		}
	}
	return nil
}

// warn tells Warn, when set.
func (s *Synth) warn(msg string) {
	if s.Warn != nil {
		s.Warn(msg)
	}
}

// engine returns the first available engine, or a *NoEngineError for the
// phrases that wait for one.
func (s *Synth) engine(miss []cueid.Phrase) (Engine, error) {
	var why []string
	for _, e := range s.Engines {
		err := e.Available()
		if err == nil {
			return e, nil
		}
		why = append(why, err.Error())
	}
	return nil, &NoEngineError{Phrases: miss, Why: why}
}

// synthesize is Render with the Synth's timeout.
func (s *Synth) synthesize(ctx context.Context, e Engine, text string) ([]int16, error) {
	return Render(ctx, e, text, s.Timeout)
}

// Render makes one clip: engine e speaks text within timeout (0 means
// DefaultTimeout), what it wrote is checked (a WAV file of speech, at most
// MaxPhraseSeconds) and put through Process. The engine's file lives in a
// temporary folder that is always removed. cues/generate.sh makes the
// built-in pack with it too.
func Render(ctx context.Context, e Engine, text string, timeout time.Duration) ([]int16, error) {
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	dir, err := os.MkdirTemp("", "limber-tts-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	out := dir + string(os.PathSeparator) + "out.wav"
	if err := e.Synthesize(ctx, text, out); err != nil {
		if errors.Is(err, context.DeadlineExceeded) && ctx.Err() != nil {
			return nil, fmt.Errorf("gave no result within %s", timeout)
		}
		return nil, err
	}
	return readEngineOutput(out)
}

// readEngineOutput decodes the WAV file an engine wrote and puts it
// through the clip pipeline, refusing what is not usable speech.
func readEngineOutput(path string) ([]int16, error) {
	f, err := input.Open(path) // a named pipe in its place is refused, not waited on
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, errors.New("wrote no audio file")
	case err != nil:
		return nil, errors.New("its output is not a regular file")
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.Size() > maxEngineOutput {
		return nil, fmt.Errorf("wrote %d MiB, more than the %d MiB a phrase may take", st.Size()>>20, maxEngineOutput>>20)
	}
	data, err := input.ReadAll(f, maxEngineOutput)
	if err != nil {
		return nil, fmt.Errorf("read its output: %w", err)
	}
	if !bytes.HasPrefix(data, []byte("RIFF")) {
		return nil, errors.New("wrote something that is not a WAV file")
	}
	samples, srcLen, srcRate, err := decodeData(data, ".wav", 0)
	if errors.Is(err, decode.ErrNotFinite) {
		return nil, fmt.Errorf("wrote %w", decode.ErrNotFinite)
	}
	if err != nil {
		return nil, fmt.Errorf("wrote an unreadable WAV file: %w", err)
	}
	if srcLen > MaxPhraseSeconds*srcRate {
		return nil, fmt.Errorf("wrote %d s of audio, more than the %d s a phrase may last", srcLen/srcRate, MaxPhraseSeconds)
	}
	clip, err := Process(samples, srcRate)
	if errors.Is(err, decode.ErrNotFinite) {
		return nil, fmt.Errorf("wrote %w", decode.ErrNotFinite)
	}
	if err != nil {
		return nil, fmt.Errorf("wrote silence (%w)", err)
	}
	return clip, nil
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
