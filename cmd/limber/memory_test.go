//go:build linux

package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// exportBudgetMB is the most an export may hold at its peak once the clip
// cache is filled: sox's 15 MB on the same mix, and a little for the
// machine (README, "Speed and memory").
const exportBudgetMB = 16

// TestExport_MemoryIsFlat: with the clip cache filled, exporting a
// 9-minute routine and a 4-hour one takes about the same memory, under
// the budget, to WAV; the voice is streamed from the cache, not held.
func TestExport_MemoryIsFlat(t *testing.T) {
	slow(t)
	dir := t.TempDir()
	stretches := []string{"childs-pose", "neck-rotations", "neck-tilts", "butterfly-wings", "chair-rotation", "arm-slides"}
	var long []string
	for range 26 { // 26 times upper-back: 3 h 58 min
		long = append(long, stretches...)
	}
	doc, _ := json.Marshal(map[string]any{"version": 1, "routines": map[string]any{
		"marathon": map[string]any{"name": "Marathon", "lead_in": 5, "rest": 10, "stretches": long}}})
	routines := filepath.Join(dir, "marathon.json")
	if err := os.WriteFile(routines, doc, 0o644); err != nil {
		t.Fatal(err)
	}
	env := []string{"XDG_CACHE_HOME=" + filepath.Join(dir, "cache"), "XDG_CONFIG_HOME=" + filepath.Join(dir, "config")}
	out := filepath.Join(dir, "out.wav")
	runs := [][]string{
		{"export", "upper-back", "-o", out, "--force"},
		{"export", "--routines", routines, "marathon", "-o", out, "--force"},
	}
	for _, args := range runs { // fill the cache
		if code, stderr, _ := hostileRun(t, env, args...); code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, stderr)
		}
	}
	var peaks []int64
	for _, args := range runs {
		code, stderr, mb := hostileRun(t, env, args...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, stderr)
		}
		if mb > exportBudgetMB {
			t.Errorf("%v: peak memory %d MB, budget %d MB", args, mb, exportBudgetMB)
		}
		peaks = append(peaks, mb)
	}
	if st, err := os.Stat(out); err != nil || st.Size() < 1<<30 {
		t.Fatalf("the 4-hour export is not there: %v", err)
	}
	if peaks[1] > peaks[0]+3 {
		t.Errorf("peak memory grows with the routine: %d MB for 9 minutes, %d MB for 4 hours", peaks[0], peaks[1])
	}
}
