// Package workload says who sends requests to an application and when: N closed-loop users
// that each run workflows back to back with a think time between them, or an open loop of
// independent arrivals (a Poisson process or a constant rate). It starts the processes that do
// so on the engine; what a workflow is, and what is measured, belongs to the caller (package
// scenario).
package workload

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/edgesim/edgesim/engine"
)

// Distribution names of think times and interarrival times.
const (
	Const   = "const"
	Exp     = "exp"
	Poisson = "poisson"
)

// ThinkDists and ArrivalDists list the valid names, default first.
var (
	ThinkDists   = []string{Const, Exp}
	ArrivalDists = []string{Poisson, Const}
)

// MaxUsers bounds Users: with Start each user is a process (a coroutine of a few KB; the
// step loop of package scenario runs its users as callbacks instead).
const MaxUsers = 100_000

// MaxInFlight bounds the workflows an open loop has in flight at once: an arrival beyond it
// is refused (counted as failed) instead of growing memory without bound when the
// application cannot keep up.
const MaxInFlight = 100_000

// MaxRate bounds Rate, in workflows per second of virtual time.
const MaxRate = 1e9

// Config is a workload. The zero value is one closed-loop user with no think time.
type Config struct {
	// Users is the number of closed-loop users (0 means 1). Ignored when Rate > 0.
	Users int `json:"users"`
	// Think is the mean think time between a user's workflows; ThinkDist its distribution:
	// const (exactly Think; the default) or exp (exponential with mean Think).
	Think     engine.Time `json:"think_ns"`
	ThinkDist string      `json:"think_dist,omitempty"`
	// Rate > 0 makes the workload open: Rate workflows per second of virtual time arrive,
	// each independent of the others; Arrivals is poisson (exponential interarrival times;
	// the default) or const (exactly 1/Rate apart).
	Rate     float64 `json:"rate_per_s,omitempty"`
	Arrivals string  `json:"arrivals,omitempty"`
	// Warmup: workflows that start before it are left out of the measurements.
	Warmup engine.Time `json:"warmup_ns,omitempty"`
}

// Open reports whether the workload is an open loop.
func (c *Config) Open() bool { return c.Rate > 0 }

// N is the number of closed-loop users (at least 1).
func (c *Config) N() int { return max(c.Users, 1) }

// Validate checks the workload and names the first bad field and its valid values.
func (c *Config) Validate() error {
	bad := func(format string, a ...any) error { return fmt.Errorf("workload: "+format, a...) }
	switch {
	case c.Users < 0 || c.Users > MaxUsers:
		return bad("users must be in 1..%d, got %d", MaxUsers, c.Users)
	case c.Think < 0:
		return bad("think time must not be negative, got %v", c.Think)
	case c.ThinkDist != "" && !slices.Contains(ThinkDists, c.ThinkDist):
		return bad("unknown think-time distribution %q (valid: %s)", c.ThinkDist, strings.Join(ThinkDists, ", "))
	case math.IsNaN(c.Rate) || c.Rate < 0 || c.Rate > MaxRate:
		return bad("rate must be in [0, %g] workflows per second, got %v", MaxRate, c.Rate)
	case c.Arrivals != "" && !slices.Contains(ArrivalDists, c.Arrivals):
		return bad("unknown arrival process %q (valid: %s)", c.Arrivals, strings.Join(ArrivalDists, ", "))
	case c.Rate > 0 && c.Users > 1:
		return bad("an open loop (rate %g/s) has no users: leave users at 1, got %d", c.Rate, c.Users)
	case c.Rate > 0 && c.Think > 0:
		return bad("an open loop (rate %g/s) has no think time, got %v", c.Rate, c.Think)
	case c.Rate == 0 && c.Arrivals != "":
		return bad("arrivals %q needs a rate", c.Arrivals)
	case c.Warmup < 0:
		return bad("warm-up must not be negative, got %v", c.Warmup)
	}
	return nil
}

// Gate is what the users need from the run: whether the application is deployed now, and a
// way to wait for the next step boundary (false when the run is over).
type Gate interface {
	Deployed() bool
	WaitBoundary(p *engine.Proc) bool
}

// Workflow runs one workflow in p and reports whether it succeeded and how long it took.
type Workflow func(p *engine.Proc) (ok bool, took engine.Time)

// Start starts the workload's processes on sim. Closed loop: cfg.N() user processes, named
// after user (user(i)), each running workflows back to back while the gate says deployed, a
// think time apart; a failed workflow, or one that took no virtual time, makes its user wait
// for the next step boundary, so no user spins at one instant. Open loop: one arrival process
// that starts a new process per arrival; an arrival while undeployed still runs (and fails
// at once). Random draws come from the streams "think" and "arrivals".
func Start(sim *engine.Sim, cfg Config, user func(i int) string, gate Gate, run Workflow) {
	StartNamed(sim, "", cfg, user, gate, run)
}

// StartNamed is Start with the random streams' names prefixed by ns ("" gives Start's
// names): several workloads on one simulation then draw independently.
func StartNamed(sim *engine.Sim, ns string, cfg Config, user func(i int) string, gate Gate, run Workflow) {
	if cfg.Open() {
		sim.Process("arrivals", func(p *engine.Proc) { arrivals(p, ns, cfg, run) })
		return
	}
	think := ThinkTime(sim, ns, cfg)
	for i := range cfg.N() {
		sim.Process(user(i), func(p *engine.Proc) { closed(p, gate, run, think) })
	}
}

// ThinkTime returns the closed loop's draw of a think time: cfg.Think, or an exponential
// draw from the stream ns+"think" with that mean (0 when Think is 0). Users of one workload
// share it, as Start's processes do.
func ThinkTime(sim *engine.Sim, ns string, cfg Config) func() engine.Time {
	switch {
	case cfg.Think <= 0:
		return func() engine.Time { return 0 }
	case cfg.ThinkDist == Exp:
		rng := sim.Rand(ns + "think")
		return func() engine.Time { return expTime(rng, cfg.Think) }
	default:
		return func() engine.Time { return cfg.Think }
	}
}

func closed(p *engine.Proc, gate Gate, run Workflow, think func() engine.Time) {
	for {
		if !gate.Deployed() {
			if !gate.WaitBoundary(p) {
				return
			}
			continue
		}
		ok, took := run(p)
		if !ok || took == 0 {
			if !gate.WaitBoundary(p) {
				return
			}
			continue
		}
		if d := think(); d > 0 {
			if err := p.Sleep(d); err != nil {
				return
			}
		}
	}
}

func arrivals(p *engine.Proc, ns string, cfg Config, run Workflow) {
	sim := p.Sim()
	mean := engine.FromSeconds(1 / cfg.Rate)
	gap := func() engine.Time { return max(mean, 1) }
	if cfg.Arrivals != Const {
		rng := sim.Rand(ns + "arrivals")
		gap = func() engine.Time { return expTime(rng, mean) }
	}
	body := func(p *engine.Proc) { run(p) }
	pool := sim.NewPool("workflow")
	for {
		if err := p.Sleep(gap()); err != nil {
			return
		}
		pool.Go(body)
	}
}

// expTime draws an exponential time with the given mean, rounded to the nearest nanosecond
// (at least 1 ns, so a stream of arrivals always moves the clock).
func expTime(rng *rand.Rand, mean engine.Time) engine.Time {
	return max(engine.FromSeconds(float64(rng.ExpFloat64()*mean.Seconds())), 1)
}
