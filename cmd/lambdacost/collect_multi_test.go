package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lambdacost/lambdacost/collector/collectortest"
)

// collect over two accounts (AssumeRole with an external id) and two
// regions writes one merged dataset without any credential; datasets
// collected separately merge with `dataset merge`, conflicts reported.
func TestCollectCommandAccountsRegionsAndMerge(t *testing.T) {
	s := collectortest.New(t, 2)
	s.ExternalID = "ext-42"
	awsEnv(t, s.URL)
	dir := t.TempDir()
	out := filepath.Join(dir, "org.json")
	_, stderr, code := runCLI(t, nil, "collect", "--all", "--since", "1d", "--regions", "us-east-1,eu-west-1",
		"--role-arn", "arn:aws:iam::111111111111:role/read", "--accounts", "111111111111,222222222222", "--external-id", "ext-42", "--out-file", out)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	b, _ := os.ReadFile(out)
	for _, w := range []string{`"account": "111111111111"`, `"account": "222222222222"`, `"region": "eu-west-1"`} {
		if !strings.Contains(string(b), w) {
			t.Errorf("dataset lacks %s", w)
		}
	}
	for _, secret := range []string{collectortest.SessionSecret("111111111111"), "stub-token", "stub-secret-do-not-leak", "ext-42", "AKIDSTUBEXAMPLE"} {
		if strings.Contains(string(b), secret) || strings.Contains(stderr, secret) {
			t.Errorf("%q written", secret)
		}
	}
	if strings.Count(string(b), `"name": "fn-`) != 8 {
		t.Errorf("want 2 functions × 2 accounts × 2 regions:\n%s", b)
	}

	// Two regions collected separately, then merged; the same file twice
	// is a conflict per function.
	var files []string
	for _, r := range []string{"us-east-1", "eu-west-1"} {
		f := filepath.Join(dir, r+".json")
		if _, stderr, code := runCLI(t, nil, "collect", "--all", "--since", "1d", "--regions", r, "--out-file", f); code != 0 {
			t.Fatalf("collect %s: exit %d\n%s", r, code, stderr)
		}
		files = append(files, f)
	}
	merged := filepath.Join(dir, "merged.json")
	_, stderr, code = runCLI(t, nil, "dataset", "merge", files[0], files[1], files[0], "--out-file", merged)
	if code != 0 || !strings.Contains(stderr, "merged 3 datasets: 4 functions, 2 conflicts") || !strings.Contains(stderr, "conflict: function fn-000") {
		t.Errorf("merge: exit %d\n%s", code, stderr)
	}
	if _, err := os.Stat(merged); err != nil {
		t.Error(err)
	}
	_, stderr, code = runCLI(t, nil, "dataset", "merge", filepath.Join(dir, "nope.json"))
	if code != 2 || !strings.Contains(stderr, "nope.json") {
		t.Errorf("missing file: exit %d %s", code, stderr)
	}
	_, stderr, code = runCLI(t, nil, "collect", "--all", "--role-arn", "x")
	if code != 2 || !strings.Contains(stderr, "--accounts") {
		t.Errorf("--role-arn without --accounts: exit %d %s", code, stderr)
	}
}

// collect --organization lists the organization's accounts through the
// stub's Organizations (real SDK), assumes OrganizationAccountAccessRole
// in each active one but the caller's, and merges them; an account whose
// role refuses is named, the dataset keeps the others and the exit is 3
// (0 with --allow-partial).
func TestCollectOrganization(t *testing.T) {
	s := collectortest.New(t, 2)
	s.OrgAccounts = []collectortest.OrgAccount{{ID: collectortest.BaseAccount, Name: "Management"}, {ID: "111111111111", Name: "Prod"},
		{ID: "222222222222", Name: "Staging"}, {ID: "333333333333", Name: "Gone", State: "CLOSED"}}
	s.DenyRole = map[string]bool{"222222222222": true}
	awsEnv(t, s.URL)
	out := filepath.Join(t.TempDir(), "org.json")
	_, stderr, code := runCLI(t, nil, "collect", "--all", "--since", "1d", "--organization", "--regions", "us-east-1", "--out", out)
	if code != 3 || !strings.Contains(stderr, "222222222222 (Staging)/us-east-1") || !strings.Contains(stderr, "1 of 3 accounts × regions not collected") ||
		!strings.Contains(stderr, "333333333333 (Gone): left out: the account is CLOSED") {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{`"account": "999999999999"`, `"account": "111111111111"`, `"field": "accounts"`, "OrganizationAccountAccessRole"} {
		if !strings.Contains(string(b), w) {
			t.Errorf("dataset lacks %s", w)
		}
	}
	if strings.Contains(string(b), `"account": "222222222222"`) || strings.Contains(string(b), collectortest.SessionSecret("111111111111")) {
		t.Error("the dataset holds the refused account or a secret")
	}
	_, stderr, code = runCLI(t, nil, "collect", "--all", "--since", "1d", "--organization", "--regions", "us-east-1", "--allow-partial", "--role-name", "OrganizationAccountAccessRole", "-o", "json")
	if code != 0 || !strings.Contains(stderr, "(--allow-partial)") {
		t.Errorf("--allow-partial: exit %d\n%s", code, stderr)
	}
	_, stderr, code = runCLI(t, nil, "collect", "--all", "--organization", "--accounts", "111111111111", "--role-arn", "Audit")
	if code != 2 || !strings.Contains(stderr, "--organization") {
		t.Errorf("--organization with --accounts: exit %d\n%s", code, stderr)
	}
	_, stderr, code = runCLI(t, nil, "collect", "--all", "--role-name", "Audit")
	if code != 2 || !strings.Contains(stderr, "--role-name") {
		t.Errorf("--role-name alone: exit %d\n%s", code, stderr)
	}
}
