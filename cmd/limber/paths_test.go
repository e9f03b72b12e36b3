package main

import (
	"path/filepath"
	"runtime"
	"testing"
)

// TestPaths_PerOS: the user's routines file and the voice cache live
// where each system keeps them, from the environment variables it uses.
// Each row runs on its own system.
func TestPaths_PerOS(t *testing.T) {
	home := t.TempDir()
	tests := []struct {
		goos            string
		env             map[string]string
		routines, cache string
	}{
		{"linux", map[string]string{"HOME": home, "XDG_CONFIG_HOME": "", "XDG_CACHE_HOME": ""},
			filepath.Join(home, ".config", "limber", "routines.json"), filepath.Join(home, ".cache", "limber", "phrases")},
		{"linux", map[string]string{"HOME": home, "XDG_CONFIG_HOME": "/x/config", "XDG_CACHE_HOME": "/x/cache"},
			"/x/config/limber/routines.json", "/x/cache/limber/phrases"},
		{"darwin", map[string]string{"HOME": home},
			filepath.Join(home, "Library", "Application Support", "limber", "routines.json"), filepath.Join(home, "Library", "Caches", "limber", "phrases")},
		{"windows", map[string]string{"AppData": `C:\Users\me\AppData\Roaming`, "LocalAppData": `C:\Users\me\AppData\Local`},
			`C:\Users\me\AppData\Roaming\limber\routines.json`, `C:\Users\me\AppData\Local\limber\phrases`},
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
		if got := userRoutines(); got != tt.routines {
			t.Errorf("%v: routines file %s, want %s", tt.env, got, tt.routines)
		}
		if got, err := cacheDir("phrases"); err != nil || got != tt.cache {
			t.Errorf("%v: cache %s (%v), want %s", tt.env, got, err, tt.cache)
		}
	}
	if ran == 0 {
		t.Skipf("no rows for %s", runtime.GOOS)
	}
}
