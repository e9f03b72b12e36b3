package cues

import (
	"embed"
	"fmt"
	"io"
	"sync"
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
	own      map[string]ownClip // the user's recordings, by cue id

	mu    sync.Mutex
	clips map[string]*clip
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
	return &Pack{manifest: Builtin(), rate: rate, clips: map[string]*clip{}}
}

// Rate returns the sample rate of the pack's clips.
func (p *Pack) Rate() int { return p.rate }

// Manifest returns the cues the pack speaks.
func (p *Pack) Manifest() *Manifest { return p.manifest }

// Text returns what cue id says, or "" for an unknown id.
func (p *Pack) Text(id string) string { return p.manifest.Text(id) }

// CueLen returns the length of cue id's clip in samples at rate, from the
// clip's own length and rate: the built-in clips' FLAC headers are read,
// never their audio.
func (p *Pack) CueLen(id string, rate int) (int, error) {
	if c, ok := p.own[id]; ok {
		return scaleLen(c.srcLen, c.srcRate, rate), nil
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
	c.once.Do(func() { // the user's recordings are decoded already
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
		if c.samples, err = Decode(data, ".flac", p.rate); err != nil {
			c.err = fmt.Errorf("%s: %w", name, err)
		}
	})
	return c.samples, c.err
}
