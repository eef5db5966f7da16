package collectortest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// OrgAccount is one account the stub's AWS Organizations lists.
type OrgAccount struct {
	ID, Name string
	// State is ACTIVE, SUSPENDED, PENDING_CLOSURE, CLOSED … ("" = ACTIVE).
	State string
}

// orgPageSize is how many accounts a ListAccounts page carries: fewer than
// the API's default, so that every test paginates.
const orgPageSize = 2

// serveOrganizations speaks AWS Organizations' AWS JSON 1.1 protocol
// (POST /, X-Amz-Target: AWSOrganizationsV20161128.ListAccounts), as the
// API reference documents it: MaxResults 1–20, NextToken paging, accounts
// with Arn, Email, Id, JoinedMethod, JoinedTimestamp (epoch seconds), Name,
// State and the deprecated Status. Without OrgAccounts the caller is not in
// an organization (AWSOrganizationsNotInUseException); with OrgDenied it
// is not allowed to list (AccessDeniedException).
func (s *Stub) serveOrganizations(w http.ResponseWriter, r *http.Request, body []byte) {
	const ctype = "application/x-amz-json-1.1"
	if r.Header.Get("Content-Type") != ctype || r.Method != http.MethodPost {
		s.t.Errorf("stub: Organizations request %s with Content-Type %s", r.Method, r.Header.Get("Content-Type"))
	}
	op := strings.TrimPrefix(r.Header.Get("X-Amz-Target"), "AWSOrganizationsV20161128.")
	s.count("organizations " + op)
	if op != "ListAccounts" {
		s.t.Errorf("stub: unexpected Organizations request %s", r.Header.Get("X-Amz-Target"))
		jsonReply(w, 400, map[string]any{"__type": "UnsupportedAPIEndpointException", "Message": "stub: " + op}, ctype)
		return
	}
	var in struct {
		MaxResults *int
		NextToken  string
	}
	dec := json.NewDecoder(strings.NewReader(string(body)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		s.t.Errorf("stub: ListAccounts body %q: %v", body, err)
	}
	if in.MaxResults != nil && (*in.MaxResults < 1 || *in.MaxResults > 20) {
		jsonReply(w, 400, map[string]any{"__type": "InvalidInputException", "Message": "You provided a value that does not match the required pattern.", "Reason": "INVALID_INPUT"}, ctype)
		return
	}
	switch {
	case s.OrgDenied:
		jsonReply(w, 400, map[string]any{"__type": "AccessDeniedException", "Message": fmt.Sprintf("You don't have permissions to access this resource. (User: arn:aws:iam::%s:user/ci is not authorized to perform: organizations:ListAccounts)", BaseAccount)}, ctype)
		return
	case len(s.OrgAccounts) == 0:
		jsonReply(w, 400, map[string]any{"__type": "AWSOrganizationsNotInUseException", "Message": "Your account is not a member of an organization."}, ctype)
		return
	}
	off := 0
	if in.NextToken != "" {
		n, err := strconv.Atoi(strings.TrimPrefix(in.NextToken, "org-page-"))
		if err != nil || n <= 0 || n >= len(s.OrgAccounts) {
			jsonReply(w, 400, map[string]any{"__type": "InvalidInputException", "Message": "The NextToken is not valid.", "Reason": "INVALID_NEXT_TOKEN"}, ctype)
			return
		}
		off = n
	}
	size := orgPageSize
	if in.MaxResults != nil {
		size = min(size, *in.MaxResults)
	}
	var accts []map[string]any
	end := min(off+size, len(s.OrgAccounts))
	for _, a := range s.OrgAccounts[off:end] {
		state := a.State
		if state == "" {
			state = "ACTIVE"
		}
		status := state // the deprecated Status knows ACTIVE, SUSPENDED and PENDING_CLOSURE
		if status != "ACTIVE" && status != "PENDING_CLOSURE" {
			status = "SUSPENDED"
		}
		accts = append(accts, map[string]any{
			"Arn": "arn:aws:organizations::" + BaseAccount + ":account/o-exampleorgid/" + a.ID, "Email": strings.ToLower(strings.ReplaceAll(a.Name, " ", "")) + "@example.com",
			"Id": a.ID, "JoinedMethod": "CREATED", "JoinedTimestamp": 1.48183021545e9, "Name": a.Name, "State": state, "Status": status,
		})
	}
	out := map[string]any{"Accounts": accts}
	if end < len(s.OrgAccounts) {
		out["NextToken"] = "org-page-" + strconv.Itoa(end)
	}
	jsonReply(w, 200, out, ctype)
}
