package collectortest

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
)

// BaseAccount is the account of the stub's base credentials (any access
// key id not issued by AssumeRole).
const BaseAccount = "999999999999"

// Target is one account, region and service a request was signed for.
type Target struct{ Account, Region, Service string }

var credScope = regexp.MustCompile(`Credential=([^/]+)/\d{8}/([^/]+)/([^/]+)/aws4_request`)

// noteTarget records which account (from the access key id: AssumeRole
// issues "ASIA" + account) and region (SigV4's credential scope) a request
// was signed for.
func (s *Stub) noteTarget(r *http.Request) {
	m := credScope.FindStringSubmatch(r.Header.Get("Authorization"))
	if m == nil {
		return
	}
	t := Target{Account: accountOf(m[1]), Region: m[2], Service: m[3]}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.targets == nil {
		s.targets = map[Target]int{}
	}
	s.targets[t]++
}

func accountOf(akid string) string {
	if a, ok := strings.CutPrefix(akid, "ASIA"); ok && len(a) == 12 {
		return a
	}
	return BaseAccount
}

// Targets returns how many requests were signed for each account, region
// and service.
func (s *Stub) Targets() map[Target]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[Target]int{}
	for k, v := range s.targets {
		out[k] = v
	}
	return out
}

// AssumedRoles returns the role ARNs AssumeRole was called with and the
// external id of each.
func (s *Stub) AssumedRoles() map[string]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string]string{}
	for k, v := range s.roles {
		out[k] = v
	}
	return out
}

// SessionSecret is the secret key the stub issues for account's assumed
// role: tests check that it is written nowhere.
func SessionSecret(account string) string { return "stub-secret-" + account + "-never-written" }

// serveSTS speaks STS's AWS query protocol (form-encoded POST, XML
// answers): AssumeRole and GetCallerIdentity.
func (s *Stub) serveSTS(w http.ResponseWriter, r *http.Request, body []byte) {
	form, err := url.ParseQuery(string(body))
	if err != nil || form.Get("Version") != "2011-06-15" {
		s.t.Errorf("stub: STS request %q: %v", body, err)
	}
	op := form.Get("Action")
	s.count(op)
	w.Header().Set("Content-Type", "text/xml")
	const ns = `xmlns="https://sts.amazonaws.com/doc/2011-06-15/"`
	switch op {
	case "AssumeRole":
		arn := form.Get("RoleArn")
		m := regexp.MustCompile(`^arn:aws:iam::(\d{12}):role/[\w+=,.@/-]+$`).FindStringSubmatch(arn)
		if m == nil || form.Get("RoleSessionName") == "" || (s.ExternalID != "" && form.Get("ExternalId") != s.ExternalID) || s.DenyRole[m[1]] {
			w.WriteHeader(http.StatusForbidden)
			fmt.Fprintf(w, `<ErrorResponse %s><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User: arn:aws:iam::%s:user/ci is not authorized to perform: sts:AssumeRole on resource: %s</Message></Error><RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId></ErrorResponse>`, ns, BaseAccount, arn)
			return
		}
		s.mu.Lock()
		if s.roles == nil {
			s.roles = map[string]string{}
		}
		s.roles[arn] = form.Get("ExternalId")
		s.mu.Unlock()
		acct := m[1]
		fmt.Fprintf(w, `<AssumeRoleResponse %s><AssumeRoleResult><Credentials><AccessKeyId>ASIA%s</AccessKeyId><SecretAccessKey>%s</SecretAccessKey><SessionToken>stub-token-%s</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration></Credentials><AssumedRoleUser><Arn>arn:aws:sts::%s:assumed-role/audit/%s</Arn><AssumedRoleId>AROA3XFRBF535PLBIFPI4:%s</AssumedRoleId></AssumedRoleUser></AssumeRoleResult><ResponseMetadata><RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId></ResponseMetadata></AssumeRoleResponse>`,
			ns, acct, SessionSecret(acct), acct, acct, form.Get("RoleSessionName"), form.Get("RoleSessionName"))
	case "GetCallerIdentity":
		m := credScope.FindStringSubmatch(r.Header.Get("Authorization"))
		acct := BaseAccount
		if m != nil {
			acct = accountOf(m[1])
		}
		fmt.Fprintf(w, `<GetCallerIdentityResponse %s><GetCallerIdentityResult><Arn>arn:aws:iam::%s:user/ci</Arn><UserId>AIDACKCEVSQ6C2EXAMPLE</UserId><Account>%s</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId></ResponseMetadata></GetCallerIdentityResponse>`, ns, acct, acct)
	default:
		s.t.Errorf("stub: unexpected STS action %s", op)
		w.WriteHeader(400)
	}
}
