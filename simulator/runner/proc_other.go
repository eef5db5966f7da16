//go:build !linux

package runner

import (
	"os/exec"
	"syscall"
	"time"
)

func processCPU(pid int) (time.Duration, bool) { return 0, false }

func sysProcAttr() *syscall.SysProcAttr { return &syscall.SysProcAttr{Setpgid: true} }

func killGroup(pgid int) { _ = syscall.Kill(-pgid, syscall.SIGKILL) }

func groupAlive(pgid int) bool {
	err := syscall.Kill(-pgid, 0)
	return err == nil || err == syscall.EPERM
}

// cgroups exist only on Linux.
type cgroupSys struct{}
type cgroup struct{}

func detectCgroups() (*cgroupSys, string)                   { return nil, "cgroups exist only on Linux" }
func (s *cgroupSys) create(int, float64) (*cgroup, error)   { return nil, nil }
func (cg *cgroup) start(cmd *exec.Cmd) error                { return cmd.Start() }
func (cg *cgroup) cpuStat() (string, string, time.Duration) { return "", "", 0 }
func (cg *cgroup) peakStat() string                         { return "" }
func (cg *cgroup) oomKilled() bool                          { return false }
func (cg *cgroup) killAll()                                 {}
func (cg *cgroup) remove()                                  {}
func (cg *cgroup) setCPU(float64) error                     { return nil }
