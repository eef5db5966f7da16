package collector

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/lambdacost/lambdacost/collector/collectortest"
	"github.com/lambdacost/lambdacost/pricing"
)

func baseConfig(s *collectortest.Stub) aws.Config {
	return aws.Config{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(s.URL),
		Credentials:  credentials.NewStaticCredentialsProvider("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", ""),
		Retryer: func() aws.Retryer {
			return retry.NewStandard(func(o *retry.StandardOptions) {
				o.MaxAttempts = 3
				o.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return 0, nil })
				o.RateLimiter = ratelimit.None
			})
		},
	}
}

// Two accounts reached by STS AssumeRole (with an external id) in two
// regions, through the real SDK: each request is signed for its region
// with its account's session credentials, the four collections merge into
// one dataset whose functions record account and region, and nothing of
// the credentials is written.
func TestCollectTargetsAccountsAndRegions(t *testing.T) {
	s := newStub(t, 3)
	s.ExternalID = "ext-7f3a"
	base := baseConfig(s)
	var targets []Target
	for _, acct := range []string{"111111111111", "222222222222"} {
		arn, err := RoleARN("arn:aws:iam::111111111111:role/lambdacost-read", acct)
		if err != nil {
			t.Fatal(err)
		}
		cfg := AssumeRole(base, arn, "ext-7f3a")
		for _, region := range []string{"us-east-1", "eu-west-1"} {
			targets = append(targets, Target{Account: acct, Region: region, Config: cfg})
		}
	}
	setup := func(c *Collector) { c.RatePerSecond = -1; c.Now = func() time.Time { return stubNow } }
	d, res, err := CollectTargets(context.Background(), targets, CollectOptions{All: true, Since: time.Hour}, setup)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res {
		if r.Err != nil {
			t.Errorf("%s/%s: %v", r.Account, r.Region, r.Err)
		}
	}
	if len(d.Functions) != 12 || d.Region != "" {
		t.Fatalf("%d functions, region %q", len(d.Functions), d.Region)
	}
	n := map[string]int{}
	for _, f := range d.Functions {
		n[f.Account+"/"+f.Region]++
	}
	for _, k := range []string{"111111111111/us-east-1", "111111111111/eu-west-1", "222222222222/us-east-1", "222222222222/eu-west-1"} {
		if n[k] != 3 {
			t.Errorf("%s: %d functions", k, n[k])
		}
	}
	if len(d.AccountConcurrency) != 4 {
		t.Errorf("account concurrency %+v", d.AccountConcurrency)
	}
	seen := s.Targets()
	for _, acct := range []string{"111111111111", "222222222222"} {
		for _, region := range []string{"us-east-1", "eu-west-1"} {
			for _, svc := range []string{"monitoring", "lambda"} {
				if seen[collectortest.Target{Account: acct, Region: region, Service: svc}] == 0 {
					t.Errorf("no %s request signed for %s in %s: %v", svc, acct, region, seen)
				}
			}
		}
	}
	if roles := s.AssumedRoles(); len(roles) != 2 || roles["arn:aws:iam::222222222222:role/lambdacost-read"] != "ext-7f3a" {
		t.Errorf("assumed %v", roles)
	}
	var buf bytes.Buffer
	if err := pricing.WriteDataset(&buf, d); err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{collectortest.SessionSecret("111111111111"), collectortest.SessionSecret("222222222222"), "stub-token", "ASIA", "wJalrXUtnFEMI", "AKIA", "ext-7f3a"} {
		if bytes.Contains(buf.Bytes(), []byte(secret)) {
			t.Errorf("the dataset holds %q", secret)
		}
	}

	// A wrong external id: AssumeRole is refused, nothing is collected.
	bad := AssumeRole(base, "arn:aws:iam::111111111111:role/lambdacost-read", "wrong")
	_, res, err = CollectTargets(context.Background(), []Target{{Account: "111111111111", Region: "us-east-1", Config: bad}}, CollectOptions{All: true, Since: time.Hour}, setup)
	if err == nil || !strings.Contains(err.Error(), "AccessDenied") || res[0].Err == nil {
		t.Errorf("refused role: %v", err)
	}
}

func TestRoleARN(t *testing.T) {
	for _, tc := range []struct{ role, acct, want string }{
		{"arn:aws:iam::111111111111:role/Audit", "222222222222", "arn:aws:iam::222222222222:role/Audit"},
		{"arn:aws-cn:iam::111111111111:role/path/Audit", "333333333333", "arn:aws-cn:iam::333333333333:role/path/Audit"},
		{"Audit", "444444444444", "arn:aws:iam::444444444444:role/Audit"},
	} {
		if got, err := RoleARN(tc.role, tc.acct); err != nil || got != tc.want {
			t.Errorf("RoleARN(%s, %s) = %s, %v", tc.role, tc.acct, got, err)
		}
	}
	if _, err := RoleARN("arn:aws:s3:::bucket", "1"); !pricing.IsInput(err) {
		t.Errorf("not a role: %v", err)
	}
}
