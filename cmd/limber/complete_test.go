package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/limber-audio/limber/internal/testtools"
)

// TestComplete_WhatMayComeNext: what limber __complete offers after the
// words typed so far, the last one being completed.
func TestComplete_WhatMayComeNext(t *testing.T) {
	config := t.TempDir()
	os.MkdirAll(filepath.Join(config, "limber"), 0o755)
	os.WriteFile(filepath.Join(config, "limber", "routines.json"), []byte(`{"version": 1,
	  "stretches": {"upward-reach": {"name": "Upward reach", "steps": [{"hold": 10}]}},
	  "routines": {"my-morning": {"name": "My morning", "stretches": ["upward-reach", "neck-tilts"]}}}`), 0o644)
	t.Setenv("XDG_CONFIG_HOME", config)
	more := writeFile(t, "more.json", `{"version": 1, "routines": {"upstairs": {"name": "Upstairs", "stretches": ["neck-tilts"]}}}`)
	for _, tc := range []struct {
		words []string
		want  []string // exactly these values, in this order
	}{
		{[]string{"pl"}, []string{"play", "plan"}},
		{[]string{"comp"}, []string{"completion"}},
		{[]string{"play", "up"}, []string{"upper-back", "upward-reach"}}, // the user's stretch too
		{[]string{"play", "--routines", more, "up"}, []string{"upper-back", "upstairs", "upward-reach"}},
		{[]string{"play", "my-morning", "--from", ""}, []string{"upward-reach", "neck-tilts"}},
		{[]string{"play", "--coach", ""}, []string{"full", "brief", "tones"}},
		{[]string{"export", "--coach=b"}, []string{"--coach=brief"}},
		{[]string{"plan", "--minutes", "10", "--focus", "hips,lo"}, []string{"hips,lower-back"}},
		{[]string{"list", "--area", "neck,sh"}, []string{"neck,shoulders"}},
		{[]string{"play", "--position", "standing,"}, []string{"standing,chair", "standing,floor"}},
		{[]string{"play", "--avoid", "wal"}, []string{"wall-calf"}},
		{[]string{"play", "--avoid", "wall-calf,wr"}, []string{"wall-calf,wrists"}}, // stretch ids and areas
		{[]string{"play", "--focus", "=", "ne"}, []string{"neck"}},                  // bash splits at "="
		{[]string{"play", "--gen"}, []string{"--gentle"}},
		{[]string{"play", "--sa"}, []string{"--save"}},
		{[]string{"play", "--mi"}, []string{"--mic", "--minutes"}},
		{[]string{"play", "--lis"}, []string{"--listen"}},
		{[]string{"mi"}, []string{"mics"}},
		{[]string{"export", "upper-back", "-o", ""}, []string{":files"}},
		{[]string{"play", "--voice", ""}, []string{":dirs"}},
		{[]string{"check", ""}, []string{":files"}},
		{[]string{"log", ""}, []string{"add"}},
		{[]string{"log", "add", "desk-b"}, []string{"desk-break"}},
		{[]string{"log", "add", "--da"}, []string{"--date"}},
		{[]string{"say", "switch-s"}, []string{"switch-sides"}},
		{[]string{"completion", ""}, []string{"bash", "zsh", "fish"}},
		{[]string{"play", "upper-back", ""}, nil}, // one NAME only
		{[]string{"bogus", ""}, nil},
	} {
		var got []string
		for _, c := range complete(context.Background(), tc.words) {
			got = append(got, c.value)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("limber %s<TAB>: %q, want %q", strings.Join(tc.words, " "), got, tc.want)
		}
	}
}

// TestCompletion_ScriptsParse: every script passes its shell's syntax
// check (bash -n, zsh -n, fish --no-execute).
func TestCompletion_ScriptsParse(t *testing.T) {
	for shell, check := range map[string][]string{"bash": {"-n"}, "zsh": {"-n"}, "fish": {"--no-execute"}} {
		bin := testtools.RequireTool(t, shell)
		stdout, stderr, code := limber(t, nil, "completion", shell)
		if code != 0 {
			t.Fatalf("completion %s: exit %d: %s", shell, code, stderr)
		}
		script := writeFile(t, "limber."+shell, stdout)
		if out, err := exec.Command(bin, append(check, script)...).CombinedOutput(); err != nil {
			t.Errorf("%s %v: %v\n%s", shell, check, err, out)
		}
	}
	if _, stderr, code := limber(t, nil, "completion", "tcsh"); code != 2 || !strings.Contains(stderr, "bash, zsh and fish") {
		t.Errorf("completion tcsh: exit %d, %q", code, stderr)
	}
}
