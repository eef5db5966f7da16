//go:build !linux

package runner

import (
	"errors"
	"net"
	"os/exec"
)

// sandboxSys: namespaces are Linux-only.
type sandboxSys struct{}

type envBox struct{ ln net.Listener }

func newSandbox(*runner) (*sandboxSys, string) {
	return nil, "namespaces are Linux-only"
}

func (*sandboxSys) prepare() (*envBox, error) { return nil, errors.New("namespaces are Linux-only") }

func (*sandboxSys) startSandboxed(*envBox, *exec.Cmd, *cgroup) error {
	return errors.New("namespaces are Linux-only")
}

func (*sandboxSys) describe() string { return "" }

func (b *envBox) close() {}

func limitProcess(int, bool)         {}
func (*cgroupSys) countsTasks() bool { return false }

func (*cgroup) memStat() string { return "" }
func (*cgroup) v2() bool        { return false }

func probeNamespaces() string { return "namespaces are Linux-only" }

func imagePrefix() string { return "lambdacost-tmp-" }

func (*envBox) processPeak() (int64, bool) { return 0, false }
