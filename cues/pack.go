package cues

import (
	"embed"
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/limber-audio/limber/audio"
	"github.com/limber-audio/limber/audio/decode"
	"github.com/limber-audio/limber/audio/resample"
	"github.com/limber-audio/limber/cues/cueid"
)

//go:embed clips/*.flac
var clipFS embed.FS

// Pack is a voice: the clip for every cue of a manifest, at one sample
// rate. Clips are decoded and resampled on first use; with a clip cache
// (UseClipCache) the built-in ones are then read from the cache as they
// play, so memory does not grow with the clips a routine uses, and without
// one they are kept. Lengths are read from file headers without decoding.
// A Pack is safe for concurrent use; Close releases its cache files.
type Pack struct {
	manifest *Manifest
	rate     int

	mu      sync.Mutex
	phrases map[string]string  // the user's words by phrase id
	order   []string           // phrase ids in the order added
	own     map[string]ownClip // recordings and voiced phrases, by cue id
	clips   map[string]*clip
	cache   *ClipCache // nil: decode every time
	hold    bool       // keep clips in memory even with a cache
}

// clip is one decoded clip, decoded at most once even when asked for by
// several goroutines at a time. Its samples are either in memory or in
// the clip cache's entry f.
type clip struct {
	once    sync.Once
	samples []float32
	entry   *cacheEntry // the clip cache's entry, when samples is nil
	err     error
}

// read copies the clip's samples from off on into dst.
func (c *clip) read(off int, dst []float32) (int, error) {
	if c.entry == nil {
		if off >= len(c.samples) {
			return 0, nil
		}
		return copy(dst, c.samples[off:]), nil
	}
	return c.entry.read(off, dst)
}

// clipName is the embedded file of cue id's built-in clip.
func clipName(id string) string { return "clips/" + id + ".flac" }

// NewPack returns the built-in voice, resampled to rate on use.
func NewPack(rate int) *Pack {
	return &Pack{manifest: Builtin(), rate: rate, phrases: map[string]string{}, own: map[string]ownClip{}, clips: map[string]*clip{}}
}

// AddPhrases makes the pack know a user's words: Has, Text and IDs include
// them from now on. They can be spoken once they have a clip, from a
// recording (LoadVoiceDir) or from an engine (Synth.Voice).
func (p *Pack) AddPhrases(phrases []cueid.Phrase) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, ph := range phrases {
		if _, ok := p.phrases[ph.ID]; !ok && !p.manifest.Has(ph.ID) {
			p.phrases[ph.ID] = ph.Text
			p.order = append(p.order, ph.ID)
		}
	}
}

// Phrases returns the user's words the pack knows, in the order added.
func (p *Pack) Phrases() []cueid.Phrase {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]cueid.Phrase, len(p.order))
	for i, id := range p.order {
		out[i] = cueid.Phrase{ID: id, Text: p.phrases[id]}
	}
	return out
}

// Has reports whether id is a cue of the voice pack or a phrase added
// with AddPhrases.
func (p *Pack) Has(id string) bool {
	if p.manifest.Has(id) {
		return true
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	_, ok := p.phrases[id]
	return ok
}

// IDs returns every cue id of the voice pack, then every phrase id.
func (p *Pack) IDs() []string {
	ids := p.manifest.IDs()
	p.mu.Lock()
	defer p.mu.Unlock()
	return append(ids, p.order...)
}

// Unvoiced returns the phrases among ids that have no clip yet, once
// each, in the order of ids.
func (p *Pack) Unvoiced(ids []string) []cueid.Phrase {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []cueid.Phrase
	seen := map[string]bool{}
	for _, id := range ids {
		text, ok := p.phrases[id]
		if _, voiced := p.own[id]; !ok || voiced || seen[id] {
			continue
		}
		seen[id] = true
		out = append(out, cueid.Phrase{ID: id, Text: text})
	}
	return out
}

// UnvoicedCues returns the built-in cues among ids that have no clip of
// their own (no recording, nothing voiced for them), once each, in the
// order of ids, as phrases to voice: each with its cue id and the words
// to give an engine (the manifest's respelling where it has one).
func (p *Pack) UnvoicedCues(ids []string) []cueid.Phrase {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []cueid.Phrase
	seen := map[string]bool{}
	for _, id := range ids {
		c, ok := p.manifest.Lookup(id)
		if _, own := p.own[id]; !ok || own || seen[id] {
			continue
		}
		seen[id] = true
		text := c.Text
		if c.Speak != "" {
			text = c.Speak
		}
		out = append(out, cueid.Phrase{ID: id, Text: text})
	}
	return out
}

// addVoiced gives phrase id the clip an engine made (16-bit at ClipRate).
func (p *Pack) addVoiced(id string, clip16 []int16) {
	x := make([]float32, len(clip16))
	for i, v := range clip16 {
		x[i] = float32(v) / 32768
	}
	if p.rate != ClipRate {
		x = resample.Samples(x, ClipRate, p.rate)
	}
	p.setOwn(id, ownClip{srcLen: len(clip16), srcRate: ClipRate}, x)
}

// setOwn makes samples (at the pack's rate) cue id's clip; nil samples
// for a recording are read when first asked for.
func (p *Pack) setOwn(id string, c ownClip, samples []float32) {
	cl := &clip{samples: samples}
	if samples != nil {
		cl.once.Do(func() {}) // decoded already: Clip must not decode again
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.own[id] = c
	p.clips[id] = cl
}

// Rate returns the sample rate of the pack's clips.
func (p *Pack) Rate() int { return p.rate }

// Manifest returns the cues the pack speaks.
func (p *Pack) Manifest() *Manifest { return p.manifest }

// Text returns what cue or phrase id says, or "" for an unknown id.
func (p *Pack) Text(id string) string {
	if t := p.manifest.Text(id); t != "" {
		return t
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.phrases[id]
}

// CueLen returns the length of cue id's clip in samples at rate, from the
// clip's own length and rate: for the built-in clips, from the clip index,
// never from their audio.
func (p *Pack) CueLen(id string, rate int) (int, error) {
	p.mu.Lock()
	c, ok := p.own[id]
	_, phrase := p.phrases[id]
	p.mu.Unlock()
	if ok {
		return audio.Scale(c.srcLen, c.srcRate, rate), nil
	}
	if phrase {
		return 0, &UnvoicedError{ID: id}
	}
	if !p.manifest.Has(id) {
		return 0, fmt.Errorf("unknown cue %q", id)
	}
	info, err := builtinInfo(id)
	if err != nil {
		return 0, err
	}
	return audio.Scale(info.samples, info.rate, rate), nil
}

// Prepare decodes the clips ids name, two at a time, each once, so that
// ReadClip can play them; with a clip cache they go to the cache and are
// not kept in memory. It reports every clip that cannot be played.
func (p *Pack) Prepare(ids []string) error {
	errs := make([]error, len(ids))
	var wg sync.WaitGroup
	next := make(chan int)
	for range 2 {
		wg.Go(func() {
			for i := range next {
				errs[i] = p.load(ids[i]).err
			}
		})
	}
	for i := range ids {
		next <- i
	}
	close(next)
	wg.Wait()
	return errors.Join(errs...)
}

// ReadClip copies cue id's samples, mono at the pack's rate, from sample
// off on into dst, and returns how many it copied: fewer than len(dst)
// only at the clip's end. It decodes the clip first if Prepare has not.
func (p *Pack) ReadClip(id string, off int, dst []float32) (int, error) {
	c := p.load(id)
	if c.err != nil {
		return 0, c.err
	}
	n, err := c.read(off, dst)
	if err != nil {
		return n, fmt.Errorf("clip %s: %w", id, err)
	}
	return n, nil
}

// Clip returns cue id's samples, mono at the pack's rate. The returned
// slice may be shared: the caller must not modify it.
func (p *Pack) Clip(id string) ([]float32, error) {
	c := p.load(id)
	if c.err != nil || c.entry == nil {
		return c.samples, c.err
	}
	out := make([]float32, c.entry.n)
	if _, err := c.read(0, out); err != nil {
		return nil, fmt.Errorf("clip %s: %w", id, err)
	}
	return out, nil
}

// load returns cue id's clip, decoded (or found in the cache) on first
// use. Different clips decode in parallel when asked for from several
// goroutines.
func (p *Pack) load(id string) *clip {
	p.mu.Lock()
	c, ok := p.clips[id]
	if !ok {
		c = &clip{}
		p.clips[id] = c
	}
	p.mu.Unlock()
	c.once.Do(func() { // voiced phrases are decoded already
		p.mu.Lock()
		own, isOwn := p.own[id]
		p.mu.Unlock()
		if isOwn {
			c.samples, c.err = readRecording(own, p.rate)
			return
		}
		if p.Has(id) && !p.manifest.Has(id) {
			c.err = &UnvoicedError{ID: id}
			return
		}
		if !p.manifest.Has(id) {
			c.err = fmt.Errorf("unknown cue %q", id)
			return
		}
		p.loadBuiltin(id, c)
	})
	return c
}

// loadBuiltin fills c with built-in clip id: from the clip cache when it
// has the clip, else decoded (and then put in the cache, and read from
// there).
func (p *Pack) loadBuiltin(id string, c *clip) {
	info, err := builtinInfo(id)
	if err != nil {
		c.err = err
		return
	}
	sum := info.md5
	if p.cache != nil && sum != [16]byte{} {
		fromCache := func() bool {
			var ok bool
			c.entry, c.samples, ok = p.cache.open(id, sum, p.rate, p.hold)
			return ok
		}
		if fromCache() {
			return
		}
		// Decoded and resampled straight into the cache, a piece at a time.
		if p.cache.putStream(id, sum, p.rate, func(emit func([]float32) error) error {
			return streamBuiltin(id, info, p.rate, emit)
		}) && fromCache() {
			return
		}
	}
	// No cache to keep it in: the clip is held.
	samples := make([]float32, 0, audio.Scale(info.samples, info.rate, p.rate))
	if err := streamBuiltin(id, info, p.rate, func(piece []float32) error {
		samples = append(samples, piece...)
		return nil
	}); err != nil {
		c.err = fmt.Errorf("%s: %w", clipName(id), err)
		return
	}
	c.samples = samples
}

// streamBuiltin decodes built-in clip id and resamples it to rate, giving
// emit the samples a piece at a time: what Decode gives, without holding
// the clip.
func streamBuiltin(id string, info clipInfo, rate int, emit func([]float32) error) error {
	f, err := clipFS.Open(clipName(id))
	if err != nil {
		return err
	}
	defer f.Close()
	s, format, err := decode.Open(f.(io.ReadSeeker), ".flac")
	if err != nil {
		return err
	}
	defer s.Close()
	if int(format.SampleRate) != info.rate || s.Len() != info.samples {
		return fmt.Errorf("%s: not what the clip index says", clipName(id))
	}
	var buf [][2]float64
	read := func(dst []float32) int {
		if cap(buf) < len(dst) {
			buf = make([][2]float64, len(dst))
		}
		n, _ := s.Stream(buf[:len(dst)])
		for i, v := range buf[:n] {
			dst[i] = float32((v[0] + v[1]) / 2) // as decodeMono mixes
		}
		return n
	}
	if err := resample.Chunks(info.samples, info.rate, rate, read, emit); err != nil {
		return err
	}
	return s.Err()
}

// Close closes the clip cache's files the pack reads from; the pack must
// not be used after.
func (p *Pack) Close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	var errs []error
	for _, c := range p.clips {
		if c.entry != nil {
			errs = append(errs, c.entry.close())
		}
	}
	return errors.Join(errs...)
}

// HoldClips makes the pack keep every clip it readies in memory, even with
// a clip cache: for live play, where a file read while the sound card
// waits could make the sound stutter. Call it before any clip is readied.
func (p *Pack) HoldClips() { p.hold = true }

// UseClipCache makes the pack keep the built-in clips it decodes in c, and
// read them from there when they are: call it before the pack is used.
func (p *Pack) UseClipCache(c *ClipCache) { p.cache = c }

// UnvoicedError reports a phrase asked for before it had a clip: neither
// a recording nor Synth.Voice gave it one.
type UnvoicedError struct{ ID string }

func (e *UnvoicedError) Error() string { return fmt.Sprintf("phrase %s has not been voiced", e.ID) }
