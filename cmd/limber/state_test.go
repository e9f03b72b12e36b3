package main

import (
	"path/filepath"
	"runtime"
	"testing"
)

// TestHistoryPath_PerOS: the practice log lives in the state folder of
// each system, from the environment variables it uses. Each row runs on
// its own system.
func TestHistoryPath_PerOS(t *testing.T) {
	home := t.TempDir()
	tests := []struct {
		goos string
		env  map[string]string
		want string
	}{
		{"linux", map[string]string{"HOME": home, "XDG_STATE_HOME": ""}, filepath.Join(home, ".local", "state", "limber", "history.jsonl")},
		{"linux", map[string]string{"HOME": home, "XDG_STATE_HOME": "/x/state"}, "/x/state/limber/history.jsonl"},
		// The XDG spec has relative paths ignored.
		{"linux", map[string]string{"HOME": home, "XDG_STATE_HOME": "x/state"}, filepath.Join(home, ".local", "state", "limber", "history.jsonl")},
		{"darwin", map[string]string{"HOME": home}, filepath.Join(home, "Library", "Application Support", "limber", "history.jsonl")},
		{"windows", map[string]string{"LocalAppData": `C:\Users\me\AppData\Local`}, `C:\Users\me\AppData\Local\limber\history.jsonl`},
	}
	ran := 0
	for _, tt := range tests {
		if tt.goos != runtime.GOOS {
			continue
		}
		ran++
		for k, v := range tt.env {
			t.Setenv(k, v)
		}
		if got, err := historyPath(); err != nil || got != tt.want {
			t.Errorf("%v: %s (%v), want %s", tt.env, got, err, tt.want)
		}
	}
	if ran == 0 {
		t.Skipf("no rows for %s", runtime.GOOS)
	}
}
