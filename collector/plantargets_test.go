package collector

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/lambdacost/lambdacost/pricing"
)

// PlanTargets: every set of credentials in every region, in order; the
// base configuration's region when none is named.
func TestPlanTargets(t *testing.T) {
	base := aws.Config{Region: "eu-west-1"}
	load := func(_ context.Context, p string) (aws.Config, error) {
		if p == "broken" {
			return aws.Config{}, errors.New("no such profile")
		}
		return aws.Config{Region: "profile-" + p}, nil
	}
	for _, c := range []struct {
		name string
		spec TargetSpec
		want string // account/region[@config region] of each target
		err  string
	}{
		{"base region", TargetSpec{}, "/eu-west-1@eu-west-1", ""},
		{"regions", TargetSpec{Regions: []string{"us-east-1", "ap-south-1"}}, "/us-east-1@eu-west-1 /ap-south-1@eu-west-1", ""},
		{"profiles × regions", TargetSpec{Profiles: []string{"a", "b"}, Regions: []string{"us-east-1", "us-west-2"}},
			"/us-east-1@profile-a /us-west-2@profile-a /us-east-1@profile-b /us-west-2@profile-b", ""},
		{"role in accounts", TargetSpec{RoleARN: "Audit", Accounts: []string{"111111111111", "222222222222"}},
			"111111111111/eu-west-1@eu-west-1 222222222222/eu-west-1@eu-west-1", ""},
		{"a profile that does not load", TargetSpec{Profiles: []string{"a", "broken"}}, "", "--profile: broken: no such profile"},
	} {
		t.Run(c.name, func(t *testing.T) {
			targets, org, err := PlanTargets(context.Background(), base, c.spec, load)
			if c.err != "" {
				var ie *pricing.InputError
				if !errors.As(err, &ie) || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("error %v, want %q", err, c.err)
				}
				return
			}
			if err != nil || org != nil {
				t.Fatalf("error %v, plan %v", err, org)
			}
			var got []string
			for _, tg := range targets {
				got = append(got, tg.Account+"/"+tg.Region+"@"+tg.Config.Region)
			}
			if strings.Join(got, " ") != c.want {
				t.Errorf("targets %q\nwant    %q", strings.Join(got, " "), c.want)
			}
		})
	}
	// --all-regions: one target per Lambda region.
	targets, _, err := PlanTargets(context.Background(), base, TargetSpec{AllRegions: true}, load)
	if err != nil || len(targets) != len(LambdaRegions) || targets[0].Region != LambdaRegions[0] {
		t.Errorf("all regions: %d targets, %v", len(targets), err)
	}
}

// TargetName: REGION alone, ACCOUNT/REGION, or the organization's label.
func TestTargetName(t *testing.T) {
	pl := &OrgPlan{Accounts: map[string]OrgAccount{"111111111111": {ID: "111111111111", Name: "prod", State: "ACTIVE"}}}
	for _, c := range []struct {
		pl   *OrgPlan
		r    TargetStats
		want string
	}{
		{nil, TargetStats{Region: "us-east-1"}, "us-east-1"},
		{nil, TargetStats{Account: "222222222222", Region: "us-east-1"}, "222222222222/us-east-1"},
		{pl, TargetStats{Account: "111111111111", Region: "eu-west-1"}, "111111111111 (prod)/eu-west-1"},
		{pl, TargetStats{Account: "333333333333", Region: "eu-west-1"}, "333333333333/eu-west-1"},
	} {
		if got := c.pl.TargetName(c.r); got != c.want {
			t.Errorf("TargetName(%+v) = %q, want %q", c.r, got, c.want)
		}
	}
}
