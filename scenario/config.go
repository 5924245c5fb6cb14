package scenario

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/edgesim/edgesim/comm"
	"github.com/edgesim/edgesim/engine"
	"github.com/edgesim/edgesim/network"
	"github.com/edgesim/edgesim/placement"
	"github.com/edgesim/edgesim/workload"
)

// Variants are the communication styles every application runs in, in output order.
var Variants = []string{"mpi", "rest"}

// Config is every parameter of one run that does not belong to the application.
type Config struct {
	Variant      string            `json:"variant"` // "mpi" or "rest"
	Seed         uint64            `json:"seed"`
	Steps        int               `json:"steps"`
	StepLength   engine.Time       `json:"step_ns"`
	Nodes        int               `json:"nodes"`        // generator size (ignored with Infra)
	Partitioning []float64         `json:"partitioning"` // generator tiers
	InfraFile    string            `json:"infra_file,omitempty"`
	Infra        *network.Graph    `json:"-"` // when set, used instead of the generator (cloned)
	Strategy     string            `json:"strategy"`
	Static       map[string]string `json:"static,omitempty"` // service -> node, with Strategy "static"
	Dynamics     bool              `json:"dynamics"`
	FlapDown     float64           `json:"flap_down"`
	FlapUp       float64           `json:"flap_up"`
	Model        string            `json:"model"`
	Size         string            `json:"size"` // message size rule (comm.SizeRules; "": eclypse)
	Timeout      engine.Time       `json:"timeout_ns"`
	// Workload says who sends workflows and when (users and think time, or an open loop).
	Workload workload.Config `json:"workload"`
	// Load says what contention the run models beyond path costs (service time, CPU
	// queueing, link sharing); the zero value models none, as ECLYPSE does.
	Load     comm.Load `json:"load"`
	Outages  []Outage  `json:"outages,omitempty"` // scripted node failures
	Observer Observer  `json:"-"`                 // optional, called at every step boundary
}

// Outage takes a node down (availability 0) at virtual time At and brings it back to its
// availability of that moment after For (0: never). The dynamics' flap still applies at step
// boundaries; turn it off for an outage of exact length.
type Outage struct {
	Node string      `json:"node"`
	At   engine.Time `json:"at_ns"`
	For  engine.Time `json:"for_ns"`
}

// End is the virtual time at which the run ends (Steps x StepLength), or an error when that
// product does not fit in engine.Time.
func (c *Config) End() (engine.Time, error) {
	if c.Steps < 1 || c.StepLength <= 0 {
		return 0, fmt.Errorf("scenario: steps (%d) and step length (%v) must be positive", c.Steps, c.StepLength)
	}
	if engine.Time(c.Steps) > engine.MaxTime/c.StepLength {
		return 0, fmt.Errorf("scenario: %d steps of %v overflow the virtual clock (at most %v in all)", c.Steps, c.StepLength, engine.MaxTime)
	}
	return engine.Time(c.Steps) * c.StepLength, nil
}

// Validate checks every parameter and says what is wrong with the first bad one.
func (c *Config) Validate() error {
	bad := func(format string, a ...any) error { return fmt.Errorf("scenario: "+format, a...) }
	switch {
	case !slices.Contains(Variants, c.Variant):
		return bad("unknown variant %q (valid: %s)", c.Variant, strings.Join(Variants, ", "))
	case c.Steps < 1:
		return bad("steps must be at least 1, got %d", c.Steps)
	case c.StepLength <= 0:
		return bad("step length must be positive, got %v", c.StepLength)
	case c.Infra == nil && c.Nodes < 1:
		return bad("nodes must be at least 1, got %d", c.Nodes)
	case c.Timeout <= 0:
		return bad("timeout must be positive, got %v", c.Timeout)
	case !(c.FlapDown >= 0 && c.FlapDown <= 1) || !(c.FlapUp >= 0 && c.FlapUp <= 1):
		return bad("flap probabilities must be in [0, 1], got down %v up %v", c.FlapDown, c.FlapUp)
	}
	end, err := c.End()
	if err != nil {
		return err
	}
	if err := c.Workload.Validate(); err != nil {
		return fmt.Errorf("scenario: %w", err)
	}
	if err := c.Load.Validate(); err != nil {
		return fmt.Errorf("scenario: %w", err)
	}
	if c.Workload.Warmup >= end {
		return bad("warm-up %v must be shorter than the run (%v)", c.Workload.Warmup, end)
	}
	if c.Infra == nil {
		sum := 0.0
		for _, f := range c.Partitioning {
			if !(f >= 0) || math.IsInf(f, 0) {
				return bad("partitioning fractions must be finite and not negative, got %v", c.Partitioning)
			}
			sum += f
		}
		if len(c.Partitioning) == 0 || sum <= 0 {
			return bad("partitioning needs at least one positive fraction, got %v", c.Partitioning)
		}
	}
	if c.Size != "" && !slices.Contains(comm.SizeRules, c.Size) {
		return bad("unknown size rule %q (valid: %s)", c.Size, strings.Join(comm.SizeRules, ", "))
	}
	if _, err := comm.NewModel(c.Model); err != nil {
		return fmt.Errorf("scenario: %w", err)
	}
	if _, err := placement.NewStrategy(c.Strategy, c.Static); err != nil {
		return fmt.Errorf("scenario: %w", err)
	}
	for i, o := range c.Outages {
		if o.At < 0 || o.For < 0 {
			return bad("outage %d: node %s: negative time (at %v, for %v)", i+1, o.Node, o.At, o.For)
		}
	}
	return nil
}
