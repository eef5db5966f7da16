package collector

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/lambdacost/lambdacost/pricing"
)

// LambdaRegions are the commercial regions where Lambda runs, for
// --all-regions (AWS Lambda endpoints and quotas page, checked 2026-12;
// opt-in regions answer only when the account enabled them, and a region
// that refuses is reported, not fatal).
var LambdaRegions = []string{
	"us-east-1", "us-east-2", "us-west-1", "us-west-2",
	"af-south-1", "ap-east-1", "ap-south-1", "ap-south-2", "ap-southeast-1", "ap-southeast-2",
	"ap-southeast-3", "ap-southeast-4", "ap-southeast-5", "ap-southeast-7", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
	"ca-central-1", "ca-west-1", "eu-central-1", "eu-central-2", "eu-west-1", "eu-west-2", "eu-west-3",
	"eu-south-1", "eu-south-2", "eu-north-1", "il-central-1", "me-south-1", "me-central-1", "mx-central-1", "sa-east-1",
}

// Target is one account and region to collect, with the credentials that
// reach it (Config's region is replaced by Region).
type Target struct {
	Account string // "" = asked of STS GetCallerIdentity
	Region  string
	Config  aws.Config
}

// AssumeRole returns cfg whose credentials are those of roleARN, obtained
// with STS AssumeRole (with externalID when given) from cfg's own, and
// refreshed before they expire. The credentials stay in memory.
func AssumeRole(cfg aws.Config, roleARN, externalID string) aws.Config {
	c := cfg.Copy()
	p := stscreds.NewAssumeRoleProvider(sts.NewFromConfig(cfg), roleARN, func(o *stscreds.AssumeRoleOptions) {
		o.RoleSessionName = "lambdacost"
		if externalID != "" {
			o.ExternalID = aws.String(externalID)
		}
	})
	c.Credentials = aws.NewCredentialsCache(p)
	return c
}

// RoleARN returns the ARN of role name (or of the ARN's role) in account:
// --role-arn arn:aws:iam::111111111111:role/Audit --accounts 222222222222
// assumes arn:aws:iam::222222222222:role/Audit.
func RoleARN(role, account string) (string, error) {
	if !strings.HasPrefix(role, "arn:") {
		return fmt.Sprintf("arn:aws:iam::%s:role/%s", account, role), nil
	}
	parts := strings.SplitN(role, ":", 6)
	if len(parts) != 6 || parts[2] != "iam" || !strings.HasPrefix(parts[5], "role/") {
		return "", pricing.Inputf("--role-arn", "%q is not an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME)", role)
	}
	parts[4] = account
	return strings.Join(parts, ":"), nil
}

// AccountID asks STS which account cfg's credentials belong to.
func AccountID(ctx context.Context, cfg aws.Config) (string, error) {
	out, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return "", &pricing.ExternalError{Op: "sts GetCallerIdentity", Err: describeAPIError(err)}
	}
	return aws.ToString(out.Account), nil
}

// TargetSpec is what a collection over several regions, profiles or
// accounts covers (collect's --regions, --all-regions, --profile,
// --role-arn with --accounts, --organization).
type TargetSpec struct {
	Regions    []string // none: the base configuration's region
	AllRegions bool     // LambdaRegions
	// Profiles are shared-config profiles, each with its own credentials
	// (none: the base configuration's).
	Profiles []string
	// RoleARN is assumed in each of Accounts (RoleARN, AssumeRole) with
	// the first credentials, with ExternalID when given.
	RoleARN    string
	Accounts   []string
	ExternalID string
	// Organization lists the accounts itself (OrganizationTargets),
	// through RoleName.
	Organization bool
	RoleName     string
}

// PlanTargets lists the targets of s: each set of credentials (the base
// configuration cfg, each profile loaded by loadProfile, or the role in
// each account) in each region. With Organization the plan of
// OrganizationTargets is returned too (nil otherwise).
func PlanTargets(ctx context.Context, cfg aws.Config, s TargetSpec, loadProfile func(ctx context.Context, profile string) (aws.Config, error)) ([]Target, *OrgPlan, error) {
	regions := s.Regions
	if s.AllRegions {
		regions = LambdaRegions
	}
	if len(regions) == 0 {
		regions = []string{cfg.Region}
	}
	type cred struct {
		account string
		cfg     aws.Config
	}
	var creds []cred
	if len(s.Profiles) == 0 {
		creds = append(creds, cred{cfg: cfg})
	}
	for _, p := range s.Profiles {
		pc, err := loadProfile(ctx, p)
		if err != nil {
			return nil, nil, pricing.Inputf("--profile", "%s: %v", p, err)
		}
		creds = append(creds, cred{cfg: pc})
	}
	if s.RoleARN != "" {
		base := creds[0].cfg
		creds = nil
		for _, a := range s.Accounts {
			arn, err := RoleARN(s.RoleARN, a)
			if err != nil {
				return nil, nil, err
			}
			creds = append(creds, cred{account: a, cfg: AssumeRole(base, arn, s.ExternalID)})
		}
	}
	if s.Organization {
		pl, err := OrganizationTargets(ctx, creds[0].cfg, regions, s.RoleName, s.ExternalID)
		if err != nil {
			return nil, nil, err
		}
		return pl.Targets, pl, nil
	}
	var targets []Target
	for _, c := range creds {
		for _, r := range regions {
			targets = append(targets, Target{Account: c.account, Region: r, Config: c.cfg})
		}
	}
	return targets, nil, nil
}

// TargetStats is one target's collection.
type TargetStats struct {
	Account, Region string
	Stats           CollectStats
	Err             error
}

// CollectTargets collects every target (up to 4 at once: each account and
// region has its own quotas) with the same options and merges the
// datasets; setup configures each target's collector (concurrency,
// progress). A target that fails is a problem of the merged dataset and
// its error is in its TargetStats; when every target fails, the first
// error is returned. Checkpoints are per target: FILE.ACCOUNT.REGION.
func CollectTargets(ctx context.Context, targets []Target, o CollectOptions, setup func(*Collector)) (*pricing.Dataset, []TargetStats, error) {
	res := make([]TargetStats, len(targets))
	sets := make([]*pricing.Dataset, len(targets))
	sem := make(chan struct{}, 4)
	// One clock for all: every target's window is the same, or they
	// could not be merged.
	now := time.Now()
	var wg sync.WaitGroup
	for i, t := range targets {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			cfg := t.Config.Copy()
			cfg.Region = t.Region
			acct := t.Account
			if acct == "" {
				a, err := AccountID(ctx, cfg)
				if err != nil {
					res[i] = TargetStats{Region: t.Region, Err: err}
					return
				}
				acct = a
			}
			c := New(cfg)
			c.Account = acct
			c.Now = func() time.Time { return now }
			if setup != nil {
				setup(c)
			}
			to := o
			if o.Checkpoint != "" {
				to.Checkpoint = fmt.Sprintf("%s.%s.%s", o.Checkpoint, acct, t.Region)
			}
			d, st, err := c.Collect(ctx, to)
			res[i] = TargetStats{Account: acct, Region: t.Region, Stats: st, Err: err}
			sets[i] = d
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, res, err
	}
	var in []pricing.NamedDataset
	var probs []string
	var firstErr error
	for i, r := range res {
		name := where(r.Account, r.Region)
		if r.Err != nil {
			if firstErr == nil {
				firstErr = r.Err
			}
			probs = append(probs, fmt.Sprintf("%s: not collected: %v", name, r.Err))
			continue
		}
		in = append(in, pricing.NamedDataset{Name: name, Dataset: sets[i]})
	}
	if len(in) == 0 {
		var ie *pricing.InputError
		if errors.As(firstErr, &ie) {
			return nil, res, firstErr
		}
		return nil, res, &pricing.ExternalError{Op: "collect", Err: errors.New(strings.Join(probs, "; "))}
	}
	d, _, err := pricing.MergeDatasets(in)
	if err != nil {
		return nil, res, err
	}
	sort.Strings(probs)
	d.Problems = append(d.Problems, probs...)
	return d, res, nil
}

func where(account, region string) string {
	if account == "" {
		return region
	}
	return account + "/" + region
}
