package whatif

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/lambdacost/lambdacost/pricing"
	"github.com/lambdacost/lambdacost/pricing/fleet"
	"github.com/lambdacost/lambdacost/reports"
	"github.com/lambdacost/lambdacost/simulator"
	"github.com/lambdacost/lambdacost/simulator/planner"
)

// CompareSet are the session's choices of the always-on alternatives:
// compare's --instance-type, --fargate-task, --lmi-instance-type and
// --no-lmi. Empty fields keep compare's defaults (every type priced, 1 vCPU
// with 2 GB, every c/m/r type for Managed Instances).
type CompareSet struct {
	InstanceTypes    []string `json:"instance_types,omitempty"`
	FargateTask      string   `json:"fargate_task,omitempty"`
	LMIInstanceTypes []string `json:"lmi_instance_types,omitempty"`
	NoLMI            bool     `json:"no_lmi,omitempty"`
}

// validate refuses what the command line could not carry as typed:
// instance-type names are letters, digits, dots and dashes (the CLI's
// message for an unknown but well-formed type comes from fleet.Compare).
func (c CompareSet) validate() error {
	var errs []error
	check := func(flag string, names []string) {
		if len(names) > 50 {
			errs = append(errs, pricing.Inputf(flag, "at most 50 instance types"))
			return
		}
		for _, n := range names {
			if !instanceName.MatchString(n) {
				errs = append(errs, pricing.Inputf(flag, "%q is not an instance type name (such as m7g.large)", n))
			}
		}
	}
	check("--instance-type", c.InstanceTypes)
	check("--lmi-instance-type", c.LMIInstanceTypes)
	if c.FargateTask != "" {
		if _, err := fleet.ParseFargateTask(c.FargateTask); err != nil {
			errs = append(errs, err)
		} else if !fargateTask.MatchString(c.FargateTask) {
			errs = append(errs, pricing.Inputf("--fargate-task", "want VCPU:GB such as 1vCPU:2GB, not %q", c.FargateTask))
		}
	}
	if c.NoLMI && len(c.LMIInstanceTypes) > 0 {
		errs = append(errs, pricing.Inputf("--no-lmi", "leaves Managed Instances out: give no --lmi-instance-type with it"))
	}
	return pricing.Errors(errs)
}

var (
	instanceName = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{0,39}$`)
	fargateTask  = regexp.MustCompile(`^[0-9A-Za-z.:]{1,24}$`)
)

// CompareCommand is the CLI command that reproduces api/compare on the
// scenario saved as file, with the session's choices c and the scenario's
// billing (compare's --free-tier and --lambda-discount).
func CompareCommand(file string, c CompareSet, b simulator.BillingSpec) string {
	cmd := "lambdacost compare " + file
	if len(c.InstanceTypes) > 0 {
		cmd += " --instance-type " + strings.Join(c.InstanceTypes, ",")
	}
	if c.FargateTask != "" {
		cmd += " --fargate-task " + c.FargateTask
	}
	if len(c.LMIInstanceTypes) > 0 {
		cmd += " --lmi-instance-type " + strings.Join(c.LMIInstanceTypes, ",")
	}
	if c.NoLMI {
		cmd += " --no-lmi"
	}
	if b.FreeTier {
		cmd += " --free-tier"
	}
	if b.ComputeSavingsPlan > 0 {
		cmd += " --lambda-discount " + strconv.FormatFloat(b.ComputeSavingsPlan, 'g', -1, 64)
	}
	return cmd + " -o json"
}

// Compare prices s's month on Lambda against the always-on options (EC2,
// Fargate, Lambda Managed Instances) with `lambdacost compare`'s defaults
// but for the choices c and the scenario's billing section, and returns
// what CompareCommand prints for the same file, byte for byte: it
// simulates s once (the exact engine, as compare does) and sizes and
// prices the fleets for the simulated month.
func Compare(ctx context.Context, s *simulator.Scenario, prices *pricing.PriceTable, c CompareSet) ([]byte, error) {
	if err := c.validate(); err != nil {
		return nil, err
	}
	if s.Region == "" {
		return nil, pricing.Inputf(ScenarioFile, "region: the scenario must name its region")
	}
	in, res, err := planner.ScenarioInput(ctx, s, simulator.Options{Prices: prices, Workers: 1})
	if err != nil {
		return nil, err
	}
	if res.Partial {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
	}
	notes := planner.ScenarioNotes(res)
	in.Options = fleet.Options{
		Scaling:    fleet.Scaling{TargetUtilization: fleet.DefaultTargetUtilization, MinInstances: fleet.DefaultMinInstances},
		EBSGB:      fleet.DefaultEBSGB,
		APIGateway: fleet.APIGatewayNone,
		// The scenario's billing, as CompareCommand's --free-tier and
		// --lambda-discount give it.
		FreeTier:       s.Billing.FreeTier,
		LambdaDiscount: s.Billing.ComputeSavingsPlan,
	}
	if c.FargateTask != "" {
		t, err := fleet.ParseFargateTask(c.FargateTask)
		if err != nil {
			return nil, err
		}
		in.FargateTask = t
	}
	in.InstanceTypes = c.InstanceTypes
	in.LMIInstanceTypes = c.LMIInstanceTypes
	in.NoLMI = c.NoLMI
	pr := fleet.PerRequest{CPUTimeSource: "--cpu-time", BytesPerRequest: fleet.DefaultBytesPerRequest, RequestsPerConnection: fleet.DefaultRequestsPerConnection}
	notes = append(notes, pr.Apply(&in)...)
	r, err := fleet.Compare(prices, in)
	if err != nil {
		return nil, err
	}
	r.Notes = append(notes, r.Notes...)
	r.Notes = append(r.Notes, pr.AssumedNotes(in, r)...)
	var buf bytes.Buffer
	if err := reports.WriteJSON(&buf, r); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// compare answers api/compare: `lambdacost compare FILE -o json` of the
// changed scenario (its own exact simulation, compare's defaults).
func (s *Server) compare(w http.ResponseWriter, r *http.Request) {
	req, ok := s.readRequest(w, r)
	if !ok {
		return
	}
	y, sc, err := s.build(req, "")
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error(), nil)
		return
	}
	if err := req.Compare.validate(); err != nil {
		writeError(w, http.StatusBadRequest, err.Error(), nil)
		return
	}
	command := CompareCommand(ScenarioFile, req.Compare, sc.Billing)
	// compare simulates with the exact engine: bounded like an exact run.
	if _, err := ChooseMode(sc, ModeExact, s.cfg.Limits); err != nil {
		var tl *TooLargeError
		if errors.As(err, &tl) {
			tl.Command = command
		}
		writeModeError(w, err)
		return
	}
	s.answer(w, r, "", cacheKey(y, command), command,
		func(ctx context.Context, _ func(done, total int64)) ([]byte, error) {
			return Compare(ctx, sc, s.cfg.Prices, req.Compare)
		})
}
