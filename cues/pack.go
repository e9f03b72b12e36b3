package cues

import (
	"embed"
	"fmt"
	"io"
	"sync"

	"github.com/limber-audio/limber/audio"
)

//go:embed clips/*.flac
var clipFS embed.FS

// Pack is a voice: the clip for every cue of a manifest, at one sample
// rate. Clips are decoded and resampled on first use and kept; lengths are
// read from file headers without decoding. A Pack is safe for concurrent
// use.
type Pack struct {
	manifest *Manifest
	rate     int

	mu      sync.Mutex
	phrases map[string]string  // the user's words by phrase id
	order   []string           // phrase ids in the order added
	own     map[string]ownClip // recordings and voiced phrases, by cue id
	clips   map[string]*clip
	cache   *ClipCache // nil: decode every time
}

// clip is one decoded clip, decoded at most once even when asked for by
// several goroutines at a time.
type clip struct {
	once    sync.Once
	samples []float32
	err     error
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
func (p *Pack) AddPhrases(phrases []Phrase) {
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
func (p *Pack) Phrases() []Phrase {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]Phrase, len(p.order))
	for i, id := range p.order {
		out[i] = Phrase{ID: id, Text: p.phrases[id]}
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
func (p *Pack) Unvoiced(ids []string) []Phrase {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []Phrase
	seen := map[string]bool{}
	for _, id := range ids {
		text, ok := p.phrases[id]
		if _, voiced := p.own[id]; !ok || voiced || seen[id] {
			continue
		}
		seen[id] = true
		out = append(out, Phrase{ID: id, Text: text})
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
		x = audio.Resample(x, ClipRate, p.rate)
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
// clip's own length and rate: the built-in clips' FLAC headers are read,
// never their audio.
func (p *Pack) CueLen(id string, rate int) (int, error) {
	p.mu.Lock()
	c, ok := p.own[id]
	_, phrase := p.phrases[id]
	p.mu.Unlock()
	if ok {
		return scaleLen(c.srcLen, c.srcRate, rate), nil
	}
	if phrase {
		return 0, &UnvoicedError{ID: id}
	}
	if !p.manifest.Has(id) {
		return 0, fmt.Errorf("unknown cue %q", id)
	}
	name := clipName(id)
	f, err := clipFS.Open(name)
	if err != nil {
		return 0, fmt.Errorf("built-in clip for cue %s: %w", id, err)
	}
	defer f.Close()
	head := make([]byte, flacHeaderLen)
	if _, err := io.ReadFull(f, head); err != nil {
		return 0, fmt.Errorf("%s: %w", name, err)
	}
	n, srcRate, err := flacInfo(head)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", name, err)
	}
	return scaleLen(n, srcRate, rate), nil
}

// Clip returns cue id's samples, mono at the pack's rate. The returned
// slice is shared: the caller must not modify it. Different clips decode
// in parallel when asked for from several goroutines.
func (p *Pack) Clip(id string) ([]float32, error) {
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
		name := clipName(id)
		data, err := clipFS.ReadFile(name)
		if err != nil {
			c.err = fmt.Errorf("built-in clip for cue %s: %w", id, err)
			return
		}
		sum, signed := flacMD5(data)
		if p.cache != nil && signed {
			if c.samples = p.cache.get(id, sum, p.rate); c.samples != nil {
				return
			}
		}
		if c.samples, err = Decode(data, ".flac", p.rate); err != nil {
			c.err = fmt.Errorf("%s: %w", name, err)
			return
		}
		if p.cache != nil && signed {
			p.cache.put(id, sum, p.rate, c.samples)
		}
	})
	return c.samples, c.err
}

// UseClipCache makes the pack keep the built-in clips it decodes in c, and
// read them from there when they are: call it before the pack is used.
func (p *Pack) UseClipCache(c *ClipCache) { p.cache = c }

// UnvoicedError reports a phrase asked for before it had a clip: neither
// a recording nor Synth.Voice gave it one.
type UnvoicedError struct{ ID string }

func (e *UnvoicedError) Error() string { return fmt.Sprintf("phrase %s has not been voiced", e.ID) }
