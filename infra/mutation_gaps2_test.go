package infra

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The header's regions (pricedRegions) count a side only where its region
// is known before apply. Function a's head is priced in af-south-1; b's
// region is known only after apply (AttrRegion in Unknown), so b is
// priced in no region the header can name; c names none and is priced in
// the region given (eu-west-1). Header: af-south-1 and eu-west-1 from a
// and c, nothing from b: "af-south-1, eu-west-1" without c, "af-south-1"
// with only a and b. Counting b's unknown region as the fallback would
// add eu-west-1 to the second (infra-12).
func TestPricedRegionsSkipsUnknownRegion(t *testing.T) {
	a := FunctionDiff{Address: "a", Head: &Side{Region: "af-south-1"}}
	b := FunctionDiff{Address: "b", Head: &Side{Unknown: []string{AttrRegion}}}
	c := FunctionDiff{Address: "c", Base: &Side{}, Head: &Side{}}
	for _, tc := range []struct {
		fs   []FunctionDiff
		want string
	}{
		{[]FunctionDiff{a, b}, "af-south-1"},
		{[]FunctionDiff{a, b, c}, "af-south-1, eu-west-1"},
		{[]FunctionDiff{b}, "eu-west-1"}, // no side counted: the region given
	} {
		if got := pricedRegions(tc.fs, "eu-west-1"); got != tc.want {
			t.Errorf("%d functions: %q, want %q", len(tc.fs), got, tc.want)
		}
	}
}

// The template's ExecutionEnvironmentMemoryGiBPerVCpu sizes each
// environment (infra-13, infra-18: read, then used). template-lmi-scaling
// with MemorySize 4096 and a ratio of 4: each environment is 4096 MB / 4
// GiB per vCPU = 1 vCPU and 4 GiB; MinExecutionEnvironments 8 (the
// traffic, 10M requests of 100 ms, needs 1) → 8 vCPUs and 32 GiB, two
// environments per m7g.large (2 vCPU, 8 GiB) → 4 instances × 730 h =
// 2,920 h × $0.0816 = $238.272, the 15 % fee 2,920 × $0.01224 = $35.7408,
// requests 10 × $0.20 = $2 → $276.0128. At AWS's default ratio of 2 each
// environment would take 2 vCPUs, one per m7g.large: 8 instances, $550.0256.
func TestTemplateManagedInstancesMemoryPerVCPU(t *testing.T) {
	src, err := os.ReadFile("../testdata/iac/template-lmi-scaling.yaml")
	if err != nil {
		t.Fatal(err)
	}
	y := strings.Replace(string(src), "MemorySize: 2048", "MemorySize: 4096", 1)
	y = strings.Replace(y, "ExecutionEnvironmentMemoryGiBPerVCpu: 2", "ExecutionEnvironmentMemoryGiBPerVCpu: 4", 1)
	if y == string(src) || strings.Count(y, "4096")+strings.Count(y, "GiBPerVCpu: 4") < 2 {
		t.Fatal("fixture changed: MemorySize 2048 or the ratio 2 not found")
	}
	path := filepath.Join(t.TempDir(), "template.yaml")
	if err := os.WriteFile(path, []byte(y), 0o644); err != nil {
		t.Fatal(err)
	}
	e := priceTemplates(t, path, "", "../testdata/iac/template-lmi-usage.yml", TemplateOptions{Region: "us-east-1"})
	f := findFn(t, e, "StreamWorker")
	if m := f.Head.ManagedInstances; m == nil || m.MemoryGiBPerVCPU != 4 {
		t.Fatalf("managed instances %+v", f.Head.ManagedInstances)
	}
	eq(t, "head", sideTotal(t, f.Head), d("276.0128"))
}
