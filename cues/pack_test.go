package cues

import (
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/limber-audio/limber/audio"
	"github.com/limber-audio/limber/cues/cueid"
)

// The pack's targets, as the design states them: Process aims for
// TargetRMSdB and PeakCeilingdB, a margin under peakMaxdB.
const (
	clipRate    = ClipRate
	targetRMSdB = TargetRMSdB
	peakMaxdB   = -1.0
)

func TestClips_MatchManifestOneToOne(t *testing.T) {
	files, err := fs.Glob(clipFS, "clips/*")
	if err != nil {
		t.Fatal(err)
	}
	onDisk := map[string]bool{}
	for _, f := range files {
		id := strings.TrimSuffix(filepath.Base(f), ".flac")
		onDisk[id] = true
		if !Builtin().Has(id) {
			t.Errorf("%s has no manifest entry", f)
		}
	}
	for _, c := range Builtin().Cues() {
		if !onDisk[c.ID] {
			t.Errorf("cue %s has no clip (run cues/generate.sh %s)", c.ID, c.ID)
		}
	}
}

func TestClips_AreCleanAndEquallyLoud(t *testing.T) {
	var total int
	for _, c := range Builtin().Cues() {
		data, err := clipFS.ReadFile("clips/" + c.ID + ".flac")
		if err != nil {
			t.Errorf("%s: %v", c.ID, err)
			continue
		}
		total += len(data)
		s, format, err := open(data, ".flac")
		if err != nil {
			t.Errorf("%s: %v", c.ID, err)
			continue
		}
		s.Close()
		if format.SampleRate != clipRate || format.NumChannels != 1 || format.Precision != 2 {
			t.Errorf("%s: %d Hz, %d channels, %d bytes; want %d Hz mono 16-bit", c.ID, format.SampleRate, format.NumChannels, format.Precision, clipRate)
		}
		samples, err := Decode(data, ".flac", clipRate)
		if err != nil {
			t.Errorf("%s: %v", c.ID, err)
			continue
		}
		var sum, peak float64
		for _, v := range samples {
			x := float64(v)
			sum += x * x
			peak = max(peak, math.Abs(x))
		}
		rms := 10 * math.Log10(sum/float64(len(samples)))
		peakdB := 20 * math.Log10(peak)
		if math.Abs(rms-targetRMSdB) > 1 {
			t.Errorf("%s: RMS %.1f dBFS, want %.0f within 1 dB", c.ID, rms, targetRMSdB)
		}
		if peakdB > peakMaxdB {
			t.Errorf("%s: peak %.2f dBFS, above %.0f dBFS", c.ID, peakdB, peakMaxdB)
		}
		if d := float64(len(samples)) / clipRate; d < 0.3 || d > 20 {
			t.Errorf("%s: lasts %.2f s", c.ID, d)
		}
	}
	// About 18 minutes of speech for 48 stretches, 16-bit FLAC at 22050
	// Hz; the README gives the pack's size. The budget catches a clip made
	// at the wrong rate or depth, or a stray long one.
	if total > 28<<20 {
		t.Errorf("clips take %d bytes, over the 28 MiB budget", total)
	}
}

func TestPack_LengthsMatchDecodedClips(t *testing.T) {
	for _, rate := range []int{22050, 44100, 8000} {
		p := NewPack(rate)
		for _, id := range []string{"get-ready", "rep.7", "childs-pose.how"} {
			n, err := p.CueLen(id, rate)
			if err != nil {
				t.Fatal(err)
			}
			c, err := p.Clip(id)
			if err != nil {
				t.Fatal(err)
			}
			if len(c) != n {
				t.Errorf("%s at %d Hz: CueLen %d, decoded %d samples", id, rate, n, len(c))
			}
		}
	}
	if _, err := NewPack(44100).CueLen("no-such-cue", 44100); err == nil {
		t.Error("unknown cue has a length")
	}
}

func TestDecode_EveryFormat(t *testing.T) {
	files, err := filepath.Glob("testdata/formats/*")
	if err != nil || len(files) != 4 {
		t.Fatalf("fixtures: %v %v", files, err)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		got, err := Decode(data, audio.Ext(f), 44100)
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		// 0.4 s of a 440 Hz sine at -6 dBFS (MP3 adds encoder padding).
		if d := float64(len(got)) / 44100; d < 0.39 || d > 0.5 {
			t.Errorf("%s: decoded %.3f s, want about 0.4", f, d)
		}
		var peak float64
		for _, v := range got[len(got)/4 : len(got)/2] {
			peak = max(peak, math.Abs(float64(v)))
		}
		if peak < 0.4 || peak > 0.65 { // lossy formats overshoot a little
			t.Errorf("%s: peak %.2f, want about 0.5", f, peak)
		}
	}
	if _, err := Decode([]byte("not audio at all"), ".wav", 44100); err == nil {
		t.Error("garbage decoded as WAV")
	}
	if _, err := Decode(nil, ".aiff", 44100); err == nil || !strings.Contains(err.Error(), "unsupported audio type") {
		t.Errorf("aiff: %v", err)
	}
}

func TestParseManifest_Rejects(t *testing.T) {
	for name, doc := range map[string]string{
		"syntax":    `{`,
		"version":   `{"version": 2, "cues": []}`,
		"bad id":    `{"version": 1, "cues": [{"id": "../x", "text": "x"}]}`,
		"no text":   `{"version": 1, "cues": [{"id": "x", "text": ""}]}`,
		"duplicate": `{"version": 1, "cues": [{"id": "x", "text": "x"}, {"id": "x", "text": "y"}]}`,
	} {
		if _, err := ParseManifest([]byte(doc)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

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

func FuzzParseManifest(f *testing.F) {
	f.Add(manifestJSON)
	f.Add([]byte(`{"version": 1, "cues": [{"id": "a", "text": "A."}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := ParseManifest(data)
		if err != nil {
			return
		}
		for _, c := range m.Cues() {
			if !cueid.Valid(c.ID) || c.Text == "" || !m.Has(c.ID) {
				t.Fatalf("accepted bad cue %+v", c)
			}
		}
	})
}
