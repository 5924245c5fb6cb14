package sockshop

import (
	"fmt"
	"math/rand/v2"
	"slices"

	"github.com/edgesim/edgesim/comm"
	"github.com/edgesim/edgesim/engine"
	"github.com/edgesim/edgesim/placement"
	"github.com/edgesim/edgesim/scenario"
	"github.com/edgesim/edgesim/workload"
)

// Reference parameters (the reference run, docs/SOCKSHOP.md).
var (
	DefaultPartitioning = []float64{0.6, 0.1, 0.15, 0.15}
)

// DefaultConfig is the reference run for the given variant: hierarchical infrastructure of 30
// nodes, seed 22, seeded random placement, 100 steps of 500 ms, flap and drift on, the eclypse
// cost model, no think time, a 10 s timeout, no declined payments.
func DefaultConfig(variant string) Config {
	return Config{Config: scenario.Config{
		Variant:      variant,
		Seed:         22,
		Steps:        100,
		StepLength:   500 * engine.Millisecond,
		Nodes:        30,
		Partitioning: slices.Clone(DefaultPartitioning),
		Strategy:     "random",
		Dynamics:     true,
		FlapDown:     0.02,
		FlapUp:       0.5,
		Model:        "eclypse",
		Size:         "eclypse",
		Timeout:      10 * engine.Second,
		Workload:     workload.Config{Users: 1},
		Load:         comm.Load{Service: "none", CPU: "service", Sched: "fcfs", Links: "free"},
	}}
}

// Validate checks every parameter and says what is wrong with the first bad one.
func (c *Config) Validate() error {
	if err := c.Config.Validate(); err != nil {
		return fmt.Errorf("sockshop: %w", err)
	}
	if !(c.DeclineProb >= 0 && c.DeclineProb <= 1) {
		return fmt.Errorf("sockshop: decline probability must be in [0, 1], got %v", c.DeclineProb)
	}
	return nil
}

// Run runs one simulation of one variant and returns its measurements (see scenario.Run for
// the timeline).
func Run(cfg Config) (*Result, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	res, err := scenario.Run(cfg.Config, New(cfg.DeclineProb))
	if err != nil {
		return nil, fmt.Errorf("sockshop: %w", err)
	}
	return &Result{Result: *res, Config: cfg}, nil
}

// New returns SockShop as a scenario application whose Payment declines with probability
// declineProb.
func New(declineProb float64) scenario.App { return &shop{decline: declineProb} }

// shop is SockShop as a scenario.App.
type shop struct {
	decline   float64
	payRng    *rand.Rand   // the "payment" stream
	lastOrder *[]OrderItem // see orderItems
	orders    boxed[orderRequest]
}

// Spec implements scenario.App.
func (s *shop) Spec() *placement.Application { return App() }

// Start implements scenario.App.
func (s *shop) Start(env *scenario.Env) (scenario.Entry, error) {
	s.payRng = env.Rand("payment")
	if env.Variant == "mpi" {
		return s.startMPI(env), nil
	}
	return s.startREST(env)
}

// pay is Payment's decision: a transaction id in 1000..9999 and, with probability decline, a
// decline. Both draws are always made, from the "payment" stream.
func (s *shop) pay() (tx int, status string) {
	rng := s.payRng
	declined := rng.Float64() < s.decline
	tx = 1000 + rng.IntN(9000)
	if declined {
		return tx, "failure"
	}
	return tx, "success"
}
