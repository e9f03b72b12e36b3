package cues

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"sync"

	"github.com/limber-audio/limber/cues/cueid"
)

//go:embed cues.json
var manifestJSON []byte

// Cue is one entry of the manifest: a cue id and the words it speaks.
type Cue struct {
	// ID names the cue; it is also the clip's file name without extension.
	ID string `json:"id"`
	// Text is what the clip says, as shown in plans and captions.
	Text string `json:"text"`
	// Speak, when set, is a respelling of Text fed to the speech
	// synthesizer where it mispronounces the written words.
	Speak string `json:"speak,omitempty"`
}

// Manifest is an ordered, read-only set of cues. It is safe for concurrent
// use.
type Manifest struct {
	cues []Cue
	byID map[string]int
}

// ParseManifest reads a manifest in the cues.json format and checks that
// every id is valid and unique and every text is non-empty.
func ParseManifest(data []byte) (*Manifest, error) {
	var doc struct {
		Version int   `json:"version"`
		Cues    []Cue `json:"cues"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("parse cue manifest: %w", err)
	}
	if doc.Version != 1 {
		return nil, fmt.Errorf("parse cue manifest: unsupported version %d", doc.Version)
	}
	m := &Manifest{cues: doc.Cues, byID: make(map[string]int, len(doc.Cues))}
	for i, c := range doc.Cues {
		if !cueid.Valid(c.ID) {
			return nil, fmt.Errorf("parse cue manifest: cue %d: invalid id %q", i, c.ID)
		}
		if c.Text == "" {
			return nil, fmt.Errorf("parse cue manifest: cue %s: empty text", c.ID)
		}
		if _, dup := m.byID[c.ID]; dup {
			return nil, fmt.Errorf("parse cue manifest: duplicate cue id %s", c.ID)
		}
		m.byID[c.ID] = i
	}
	return m, nil
}

var builtin = sync.OnceValue(func() *Manifest {
	m, err := ParseManifest(manifestJSON)
	if err != nil {
		// The manifest is embedded and checked by the tests; failing here
		// means the binary was built from a broken tree.
		panic(err)
	}
	return m
})

// Builtin returns the manifest embedded in the binary.
func Builtin() *Manifest { return builtin() }

// Has reports whether the manifest defines id.
func (m *Manifest) Has(id string) bool {
	_, ok := m.byID[id]
	return ok
}

// Lookup returns the cue with the given id.
func (m *Manifest) Lookup(id string) (Cue, bool) {
	i, ok := m.byID[id]
	if !ok {
		return Cue{}, false
	}
	return m.cues[i], true
}

// Text returns the words of cue id, or "" if there is no such cue.
func (m *Manifest) Text(id string) string {
	c, _ := m.Lookup(id)
	return c.Text
}

// Cues returns every cue in manifest order. The caller must not modify the
// returned slice.
func (m *Manifest) Cues() []Cue { return m.cues }

// IDs returns every cue id in manifest order.
func (m *Manifest) IDs() []string {
	ids := make([]string, len(m.cues))
	for i, c := range m.cues {
		ids[i] = c.ID
	}
	return ids
}
