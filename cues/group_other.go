//go:build !unix

package cues

import "os/exec"

// ownGroup does nothing where there are no process groups: ctx's end
// kills the engine alone.
func ownGroup(cmd *exec.Cmd) {}

// endGroup does nothing where there are no process groups.
func endGroup(cmd *exec.Cmd) {}
