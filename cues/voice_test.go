package cues

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// voiceDir copies the format fixtures into a new folder (named by cue id:
// hold, rest, switch-sides, get-ready) and returns it.
func voiceDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files, _ := filepath.Glob("testdata/formats/*")
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(f)), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestLoadVoiceDir_UsesRecordingsAndFallsBack(t *testing.T) {
	dir := voiceDir(t)
	os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("x"), 0o644)
	os.WriteFile(filepath.Join(dir, "unknown-cue.wav"), []byte("x"), 0o644)
	os.Mkdir(filepath.Join(dir, "sub"), 0o755)
	p := NewPack(44100)
	v, err := p.LoadVoiceDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(v.Missing), len(Builtin().Cues())-4; got != want {
		t.Errorf("%d missing, want %d", got, want)
	}
	if strings.Join(v.Ignored, " ") != "notes.txt sub/ unknown-cue.wav" {
		t.Errorf("ignored %v", v.Ignored)
	}
	// A recording replaces the built-in clip: 0.4 s of sine, not speech.
	n, err := p.CueLen("hold", 44100)
	if err != nil || n != 17640 {
		t.Errorf("hold: %d samples (%v), want the recording's 17640", n, err)
	}
	c, err := p.Clip("rest")
	if err != nil || len(c) != 17640 {
		t.Errorf("rest: %d samples (%v), want 17640", len(c), err)
	}
	// A missing one keeps the built-in clip.
	builtinLen, _ := NewPack(44100).CueLen("last-one", 44100)
	if n, _ := p.CueLen("last-one", 44100); n != builtinLen {
		t.Errorf("last-one: %d samples, built-in has %d", n, builtinLen)
	}
	missing, err := MissingRecordings(dir, Builtin())
	if err != nil || len(missing) != len(v.Missing) {
		t.Errorf("MissingRecordings = %d (%v), LoadVoiceDir said %d", len(missing), err, len(v.Missing))
	}
}

func TestLoadVoiceDir_BadFileIsAnError(t *testing.T) {
	dir := voiceDir(t)
	bad := filepath.Join(dir, "last-one.wav")
	os.WriteFile(bad, []byte("RIFF but not really"), 0o644)
	_, err := NewPack(44100).LoadVoiceDir(dir)
	if err == nil || !strings.Contains(err.Error(), bad) {
		t.Errorf("err = %v, want one naming %s", err, bad)
	}
}

func TestLoadVoiceDir_RefusesSymlinksOut(t *testing.T) {
	dir := voiceDir(t)
	outside := filepath.Join(t.TempDir(), "secret.wav")
	data, _ := os.ReadFile(filepath.Join(dir, "hold.wav"))
	os.WriteFile(outside, data, 0o644)
	if err := os.Symlink(outside, filepath.Join(dir, "last-one.wav")); err != nil {
		t.Fatal(err)
	}
	_, err := NewPack(44100).LoadVoiceDir(dir)
	if err == nil || !strings.Contains(err.Error(), "outside the voice folder") {
		t.Errorf("err = %v, want a refusal", err)
	}
	// A link that stays inside the folder is fine.
	os.Remove(filepath.Join(dir, "last-one.wav"))
	if err := os.Symlink("hold.wav", filepath.Join(dir, "last-one.wav")); err != nil {
		t.Fatal(err)
	}
	if _, err := NewPack(44100).LoadVoiceDir(dir); err != nil {
		t.Errorf("link inside the folder: %v", err)
	}
}

func TestLoadVoiceDir_TwoRecordingsForOneCue(t *testing.T) {
	dir := voiceDir(t)
	data, _ := os.ReadFile(filepath.Join(dir, "hold.wav"))
	os.WriteFile(filepath.Join(dir, "rest.wav"), data, 0o644) // rest.flac is there too
	_, err := NewPack(44100).LoadVoiceDir(dir)
	if err == nil || !strings.Contains(err.Error(), "two recordings for cue rest") {
		t.Errorf("err = %v", err)
	}
}

func TestLoadVoiceDir_MissingFolder(t *testing.T) {
	_, err := NewPack(44100).LoadVoiceDir(filepath.Join(t.TempDir(), "nope"))
	if err == nil || !strings.Contains(err.Error(), "voice folder") {
		t.Errorf("err = %v", err)
	}
}

func TestLoadVoiceDir_AbsoluteLinkInsideIsFollowed(t *testing.T) {
	dir := voiceDir(t)
	os.Rename(filepath.Join(dir, "hold.wav"), filepath.Join(dir, "takes.wav"))
	if err := os.Symlink(filepath.Join(dir, "takes.wav"), filepath.Join(dir, "hold.wav")); err != nil {
		t.Fatal(err)
	}
	p := NewPack(44100)
	if _, err := p.LoadVoiceDir(dir); err != nil {
		t.Fatalf("an absolute link to a file in the folder: %v", err)
	}
	if _, err := p.Clip("hold"); err != nil {
		t.Fatal(err)
	}
}
