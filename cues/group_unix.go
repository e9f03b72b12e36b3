//go:build unix

package cues

import (
	"os/exec"
	"syscall"
)

// ownGroup makes cmd start a process group of its own, and ctx's end
// kill the whole group, not the engine alone.
func ownGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
}

// endGroup kills what is left of cmd's process group once cmd has
// exited: the children it started and left running.
func endGroup(cmd *exec.Cmd) {
	syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
}
