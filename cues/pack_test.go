package cues

import "testing"

func BenchmarkDecodeAll(b *testing.B) {
	for b.Loop() {
		p := NewPack(44100)
		for _, c := range p.Manifest().Cues() {
			if _, err := p.Clip(c.ID); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func BenchmarkLengths(b *testing.B) {
	for b.Loop() {
		p := NewPack(44100)
		for _, c := range p.Manifest().Cues() {
			if _, err := p.CueLen(c.ID, 44100); err != nil {
				b.Fatal(err)
			}
		}
	}
}
