package cues

import (
	"testing"

	"github.com/limber-audio/limber/internal/testtools"
)

func FuzzParseCommand(f *testing.F) {
	f.Add(`piper --model '/opt/my voice.onnx' --output_file {out}`)
	f.Add(`say -o {out} "{text}"`)
	f.Add(`tts --text="a \"b\"" {out} 'x`)
	f.Fuzz(func(t *testing.T, template string) {
		testtools.AllocBudget(t, 64*uint64(len(template))+64<<10, func() {
			c, err := ParseCommand(template)
			if err != nil {
				return
			}
			if len(c.args) == 0 || c.Name() == "" {
				t.Fatalf("accepted %q with no program", template)
			}
		})
	})
}

func FuzzCacheEntry(f *testing.F) {
	f.Add(entry([]int16{0, 100, -100, 32767, -32768}))
	f.Add([]byte("RIFF"))
	f.Fuzz(func(t *testing.T, data []byte) {
		testtools.AllocBudget(t, 8*uint64(len(data))+64<<10, func() {
			samples, err := parseEntry(data)
			if err != nil {
				return
			}
			if string(entry(samples)) != string(data) {
				t.Fatal("accepted an entry that entry() would not write")
			}
		})
	})
}

func FuzzPhraseID(f *testing.F) {
	f.Add("Reach forward.")
	f.Add("Дышите глубоко.")
	f.Fuzz(func(t *testing.T, text string) {
		testtools.AllocBudget(t, 64*uint64(len(text))+64<<10, func() {
			id := PhraseID(text)
			if !IsPhraseID(id) {
				t.Fatalf("PhraseID(%q) = %q, not a valid phrase id", text, id)
			}
			if PhraseID(NormalizeText(text)) != id {
				t.Fatalf("normalizing %q changes its id", text)
			}
		})
	})
}
