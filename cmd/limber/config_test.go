package main

import (
	"testing"

	"github.com/limber-audio/limber/internal/testtools"
)

func FuzzParseConfig(f *testing.F) {
	f.Add([]byte(`{"tts": "piper --output_file {out}"}`))
	f.Add([]byte(`{"tts": 1}`))
	f.Add([]byte(`{} {}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > maxConfigSize {
			return
		}
		testtools.AllocBudget(t, 64*uint64(len(data))+64<<10, func() {
			var c config
			parseConfig(data, &c)
		})
	})
}
