package collector

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/organizations"

	"github.com/lambdacost/lambdacost/pricing"
)

// DefaultOrgRole is the role AWS Organizations creates in every account it
// creates, and that AWS documents for the management account's access to
// member accounts ("OrganizationAccountAccessRole"; an invited account has
// it only when its administrators created it).
const DefaultOrgRole = "OrganizationAccountAccessRole"

// OrgAccount is an account of an AWS organization.
type OrgAccount struct {
	ID, Name string
	// State is the account's state (ACTIVE, SUSPENDED, PENDING_CLOSURE,
	// CLOSED, PENDING_ACTIVATION; from the deprecated Status when the
	// answer has no State).
	State string
}

// Label is "ID (Name)" for messages.
func (a OrgAccount) Label() string {
	if a.Name == "" {
		return a.ID
	}
	return a.ID + " (" + a.Name + ")"
}

// ListOrgAccounts lists every account of the organization with AWS
// Organizations' ListAccounts (all pages), with cfg's credentials: the
// management account's or a delegated administrator's. The accounts are
// sorted by id.
func ListOrgAccounts(ctx context.Context, cfg aws.Config) ([]OrgAccount, error) {
	p := organizations.NewListAccountsPaginator(organizations.NewFromConfig(cfg), &organizations.ListAccountsInput{})
	var out []OrgAccount
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, &pricing.ExternalError{Op: "organizations ListAccounts", Err: fmt.Errorf("%w (--organization needs the management account's or a delegated administrator's credentials with organizations:ListAccounts)", describeAPIError(err))}
		}
		for _, a := range page.Accounts {
			st := string(a.State)
			if st == "" {
				st = string(a.Status)
			}
			out = append(out, OrgAccount{ID: aws.ToString(a.Id), Name: aws.ToString(a.Name), State: st})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

// OrgPlan is what an organization-wide collection covers: a target per
// active account and region, the accounts by id, those left out (not
// active), and the assumption that says so.
type OrgPlan struct {
	Targets  []Target
	Accounts map[string]OrgAccount
	Skipped  []OrgAccount
	// Caller is the account of the credentials used: it is collected with
	// them, not through the role (AWS creates OrganizationAccountAccessRole
	// in member accounts, not in the management account).
	Caller     string
	Assumption pricing.Assumption
}

// OrganizationTargets lists the organization's accounts (ListOrgAccounts)
// and plans a target per active account and region: the caller's own
// account with cfg's credentials, every other one through role (a name,
// or an ARN whose account part is replaced; DefaultOrgRole when empty)
// assumed with STS AssumeRole (with externalID when given). Accounts that
// are not ACTIVE are left out and listed.
func OrganizationTargets(ctx context.Context, cfg aws.Config, regions []string, role, externalID string) (*OrgPlan, error) {
	if role == "" {
		role = DefaultOrgRole
	}
	accts, err := ListOrgAccounts(ctx, cfg)
	if err != nil {
		return nil, err
	}
	caller, err := AccountID(ctx, cfg)
	if err != nil {
		return nil, err
	}
	pl := &OrgPlan{Accounts: map[string]OrgAccount{}, Caller: caller}
	var active []string
	for _, a := range accts {
		pl.Accounts[a.ID] = a
		if a.State != "ACTIVE" {
			pl.Skipped = append(pl.Skipped, a)
			continue
		}
		active = append(active, a.Label())
		c := cfg
		if a.ID != caller {
			arn, err := RoleARN(role, a.ID)
			if err != nil {
				return nil, err
			}
			c = AssumeRole(cfg, arn, externalID)
		}
		for _, r := range regions {
			pl.Targets = append(pl.Targets, Target{Account: a.ID, Region: r, Config: c})
		}
	}
	why := fmt.Sprintf("AWS Organizations ListAccounts: %d active accounts (%s), each through the role %s but the caller's own %s", len(active), strings.Join(active, ", "), role, caller)
	if len(pl.Skipped) > 0 {
		var s []string
		for _, a := range pl.Skipped {
			s = append(s, a.Label()+" "+a.State)
		}
		why += "; left out, not active: " + strings.Join(s, ", ")
	}
	pl.Assumption = pricing.Assumption{Field: "accounts", Value: fmt.Sprintf("%d of %d in the organization", len(active), len(accts)), Why: why}
	if len(active) == 0 {
		return pl, pricing.Inputf("--organization", "the organization lists no active account")
	}
	return pl, nil
}

// FailedTargets lists the targets that were not collected, each as
// "ACCOUNT (Name)/REGION: error" (names from accounts, when known).
func FailedTargets(res []TargetStats, accounts map[string]OrgAccount) []string {
	var out []string
	for _, r := range res {
		if r.Err == nil {
			continue
		}
		name := r.Account
		if a, ok := accounts[r.Account]; ok {
			name = a.Label()
		}
		out = append(out, fmt.Sprintf("%s/%s: %v", name, r.Region, r.Err))
	}
	return out
}

// Account returns the organization's account id (false for a nil plan or
// an unknown id).
func (pl *OrgPlan) Account(id string) (OrgAccount, bool) {
	if pl == nil {
		return OrgAccount{}, false
	}
	a, ok := pl.Accounts[id]
	return a, ok
}

// TargetName names a target's collection for people: REGION, or
// ACCOUNT/REGION, the account by its label when the plan (which may be
// nil) knows it.
func (pl *OrgPlan) TargetName(r TargetStats) string {
	if a, ok := pl.Account(r.Account); ok {
		return a.Label() + "/" + r.Region
	}
	return where(r.Account, r.Region)
}

// AccountsByID is the plan's accounts (nil for a nil plan).
func (pl *OrgPlan) AccountsByID() map[string]OrgAccount {
	if pl == nil {
		return nil
	}
	return pl.Accounts
}
