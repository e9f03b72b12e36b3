package main

import (
	"context"
	"strings"
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

// FuzzPercentFlag: a volume in per cent is read without a panic, kept in
// its range, and the gain stored is the per cent over 100.
func FuzzPercentFlag(f *testing.F) {
	for _, s := range []string{"80", "80%", " 150 % ", "0.8", "1", "1%", "-1", "1e400", "NaN", "Inf", "%", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > 64 {
			return
		}
		var gain float64
		flag := &percentFlag{p: &gain, hi: 150}
		testtools.AllocBudget(t, 16<<10, func() { // fmt's first error message takes a few KiB
			if flag.Set(s) == nil && !(gain >= 0 && gain <= 1.5) {
				t.Errorf("%q gives gain %g, out of 0 to 1.5", s, gain)
			}
		})
	})
}

// FuzzComplete: whatever words are typed, completion answers without a
// panic and with only the names limber knows, never more than the
// library holds.
func FuzzComplete(f *testing.F) {
	f.Add("play\x00--focus\x00hips,lo")
	f.Add("play\x00--focus\x00=\x00")
	f.Add("log\x00add\x00--da")
	f.Add("export\x00-o")
	f.Fuzz(func(t *testing.T, typed string) {
		if len(typed) > 256 {
			return
		}
		words := strings.Split(typed, "\x00")
		if len(words) > 2 && words[0] != "list" && words[0] != "say" {
			words[0] = "play" // reach the flags more often than unknown commands
		}
		if got := complete(context.Background(), words); len(got) > 1000 {
			t.Errorf("%q: %d candidates", words, len(got))
		}
	})
}
