package cues

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// TestClipCache_SameSamplesFromTheCache: a pack with a clip cache gives the
// very samples a pack without one decodes, first from decoding, then from
// the cache; a damaged entry is decoded again.
func TestClipCache_SameSamplesFromTheCache(t *testing.T) {
	want, err := NewPack(48000).Clip("neck-tilts.how")
	if err != nil {
		t.Fatal(err)
	}
	cache := &ClipCache{Dir: t.TempDir()}
	for run := range 3 {
		p := NewPack(48000)
		p.UseClipCache(cache)
		got, err := p.Clip("neck-tilts.how")
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, want) {
			t.Fatalf("run %d: the cache gives other samples", run)
		}
		entries, _ := filepath.Glob(filepath.Join(cache.Dir, "neck-tilts.how.*.48000.v*.f32"))
		if len(entries) != 1 {
			t.Fatalf("run %d: cache holds %v", run, entries)
		}
		if run == 1 { // damage it: the next run must not use it
			data, _ := os.ReadFile(entries[0])
			data[100] ^= 0x10
			os.WriteFile(entries[0], data, 0o644)
		}
	}
}

func BenchmarkClip_Cached(b *testing.B) {
	cache := &ClipCache{Dir: b.TempDir()}
	p := NewPack(44100)
	p.UseClipCache(cache)
	p.Clip("childs-pose.how")
	for b.Loop() {
		p := NewPack(44100)
		p.UseClipCache(cache)
		if _, err := p.Clip("childs-pose.how"); err != nil {
			b.Fatal(err)
		}
	}
}
