package collector

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/lambdacost/lambdacost/collector/collectortest"
	"github.com/lambdacost/lambdacost/pricing"
)

// An organization-wide collection through the real SDK: Organizations'
// ListAccounts (AWS JSON 1.1, 3 pages of 2) lists five accounts; the
// suspended one is left out; the caller's own account (the stub's base
// credentials, 999999999999) is collected with its credentials, the others
// through OrganizationAccountAccessRole; Staging's role refuses
// (AccessDenied), so it is reported by name and the three others are
// merged into one dataset keyed by account. No credential is written.
func TestOrganizationCollection(t *testing.T) {
	s := newStub(t, 2)
	s.OrgAccounts = []collectortest.OrgAccount{
		{ID: collectortest.BaseAccount, Name: "Management"}, {ID: "111111111111", Name: "Prod"}, {ID: "222222222222", Name: "Staging"},
		{ID: "333333333333", Name: "Old", State: "SUSPENDED"}, {ID: "444444444444", Name: "Dev"},
	}
	s.DenyRole = map[string]bool{"222222222222": true}
	pl, err := OrganizationTargets(context.Background(), baseConfig(s), []string{"us-east-1"}, "", "")
	if err != nil {
		t.Fatal(err)
	}
	if n := s.Calls("organizations ListAccounts"); n != 3 {
		t.Errorf("%d ListAccounts calls, want 3 pages", n)
	}
	if len(pl.Targets) != 4 || pl.Caller != collectortest.BaseAccount || len(pl.Skipped) != 1 || pl.Skipped[0].Label() != "333333333333 (Old)" {
		t.Fatalf("plan: %d targets, caller %s, skipped %+v", len(pl.Targets), pl.Caller, pl.Skipped)
	}
	if !strings.Contains(pl.Assumption.Why, "4 active accounts") || !strings.Contains(pl.Assumption.Why, "333333333333 (Old) SUSPENDED") || pl.Assumption.Value != "4 of 5 in the organization" {
		t.Errorf("assumption %+v", pl.Assumption)
	}
	setup := func(c *Collector) { c.RatePerSecond = -1; c.Now = func() time.Time { return stubNow } }
	d, res, err := CollectTargets(context.Background(), pl.Targets, CollectOptions{All: true, Since: time.Hour}, setup)
	if err != nil {
		t.Fatal(err)
	}
	failed := FailedTargets(res, pl.Accounts)
	if len(failed) != 1 || !strings.HasPrefix(failed[0], "222222222222 (Staging)/us-east-1: ") || !strings.Contains(failed[0], "AccessDenied") {
		t.Errorf("failed %q", failed)
	}
	per := map[string]int{}
	for _, f := range d.Functions {
		per[f.Account]++
	}
	if len(d.Functions) != 6 || per[collectortest.BaseAccount] != 2 || per["111111111111"] != 2 || per["444444444444"] != 2 {
		t.Errorf("functions per account %v", per)
	}
	if !strings.Contains(strings.Join(d.Problems, "\n"), "222222222222/us-east-1: not collected") {
		t.Errorf("problems %q", d.Problems)
	}
	roles := s.AssumedRoles()
	if len(roles) != 2 || roles["arn:aws:iam::111111111111:role/OrganizationAccountAccessRole"] != "" {
		t.Errorf("assumed %v", roles)
	}
	if _, ok := roles["arn:aws:iam::999999999999:role/OrganizationAccountAccessRole"]; ok {
		t.Error("the caller's own account was reached through the role")
	}
	if s.Targets()[collectortest.Target{Account: collectortest.BaseAccount, Region: "us-east-1", Service: "monitoring"}] == 0 {
		t.Error("no CloudWatch request signed with the caller's credentials")
	}
	var buf bytes.Buffer
	if err := pricing.WriteDataset(&buf, d); err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{collectortest.SessionSecret("111111111111"), "stub-token", "wJalrXUtnFEMI", "AKIA", "ASIA"} {
		if bytes.Contains(buf.Bytes(), []byte(secret)) {
			t.Errorf("the dataset holds %q", secret)
		}
	}
}

// The listing fails with Organizations' own errors, as external failures
// that say what the command needs.
func TestOrganizationListingRefused(t *testing.T) {
	s := newStub(t, 1)
	_, err := OrganizationTargets(context.Background(), baseConfig(s), []string{"us-east-1"}, "Audit", "")
	var xe *pricing.ExternalError
	if !errors.As(err, &xe) || !strings.Contains(err.Error(), "AWSOrganizationsNotInUseException") || !strings.Contains(err.Error(), "management account") {
		t.Errorf("not in an organization: %v", err)
	}
	s.OrgAccounts = []collectortest.OrgAccount{{ID: "111111111111", Name: "Prod"}}
	s.OrgDenied = true
	if _, err := OrganizationTargets(context.Background(), baseConfig(s), []string{"us-east-1"}, "Audit", ""); !errors.As(err, &xe) || !strings.Contains(err.Error(), "AccessDeniedException") {
		t.Errorf("denied: %v", err)
	}
	s.OrgDenied = false
	s.OrgAccounts[0].State = "CLOSED"
	if _, err := OrganizationTargets(context.Background(), baseConfig(s), []string{"us-east-1"}, "Audit", ""); !pricing.IsInput(err) {
		t.Errorf("no active account: %v", err)
	}
}
