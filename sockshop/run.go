package sockshop

import (
	"fmt"
	"slices"
	"strings"

	"github.com/edgesim/edgesim/comm"
	"github.com/edgesim/edgesim/engine"
	"github.com/edgesim/edgesim/network"
	"github.com/edgesim/edgesim/placement"
)

// Reference parameters (SOCKSHOP.md, "The reference run").
var (
	DefaultPartitioning = []float64{0.6, 0.1, 0.15, 0.15}
)

// DefaultConfig is the reference run of SOCKSHOP.md for the given variant: hierarchical
// infrastructure of 30 nodes, seed 22, seeded random placement, 100 steps of 500 ms, flap and
// drift on, the eclypse cost model, no think time, a 10 s timeout, no declined payments.
func DefaultConfig(variant string) Config {
	return Config{
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
		Timeout:      10 * engine.Second,
	}
}

// Validate checks every parameter and says what is wrong with the first bad one.
func (c *Config) Validate() error {
	bad := func(format string, a ...any) error { return fmt.Errorf("sockshop: "+format, a...) }
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
	case c.Think < 0:
		return bad("think time must not be negative, got %v", c.Think)
	case !(c.DeclineProb >= 0 && c.DeclineProb <= 1):
		return bad("decline probability must be in [0, 1], got %v", c.DeclineProb)
	case !(c.FlapDown >= 0 && c.FlapDown <= 1) || !(c.FlapUp >= 0 && c.FlapUp <= 1):
		return bad("flap probabilities must be in [0, 1], got down %v up %v", c.FlapDown, c.FlapUp)
	}
	if c.Infra == nil {
		sum := 0.0
		for _, f := range c.Partitioning {
			if !(f >= 0) {
				return bad("partitioning fractions must not be negative, got %v", c.Partitioning)
			}
			sum += f
		}
		if len(c.Partitioning) == 0 || sum <= 0 {
			return bad("partitioning needs at least one positive fraction, got %v", c.Partitioning)
		}
	}
	if _, err := comm.NewModel(c.Model); err != nil {
		return fmt.Errorf("sockshop: %w", err)
	}
	if _, err := placement.NewStrategy(c.Strategy, c.Static); err != nil {
		return fmt.Errorf("sockshop: %w", err)
	}
	return nil
}

// runner is the state of one run.
type runner struct {
	cfg    Config
	sim    *engine.Sim
	graph  *network.Graph
	app    *placement.Application
	strat  placement.Strategy
	dyn    network.Dynamics
	fabric *comm.Fabric
	res    *Result

	next   *engine.Event // triggers at the next step boundary
	cur    StepStats     // the step under way
	curLat []float64     // latencies completed in it
	wf     uint64        // workflow counter: the MPI correlation tag
	epoch  uint64        // bumped at every deploy and undeploy
	obsErr error
}

// Run runs one simulation of one variant and returns its measurements.
//
// Timeline: step k spans [k*StepLength, (k+1)*StepLength). At each boundary (k = 0..Steps-1)
// the deployed placement is audited (an infeasible one is undeployed) or, when nothing is
// deployed, the strategy proposes a placement that is deployed if the audit finds it
// feasible; then the dynamics evolve the infrastructure. The Frontend runs workflows back to
// back while the application is deployed. Workflows still running at the end are neither
// completed nor failed.
func Run(cfg Config) (*Result, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	sim := engine.New(cfg.Seed)
	defer sim.Close()
	r := &runner{cfg: cfg, sim: sim, app: App(), next: sim.NewEvent()}
	r.res = &Result{Config: cfg, Variant: cfg.Variant}
	var err error
	if cfg.Infra != nil {
		r.graph = cfg.Infra.Clone()
	} else {
		r.graph, err = network.Hierarchical(network.HierarchicalConfig{N: cfg.Nodes, Partitioning: cfg.Partitioning}, sim.Rand("infrastructure"))
		if err != nil {
			return nil, fmt.Errorf("sockshop: %w", err)
		}
	}
	if r.strat, err = placement.NewStrategy(cfg.Strategy, cfg.Static); err != nil {
		return nil, fmt.Errorf("sockshop: %w", err)
	}
	if cfg.Dynamics {
		r.dyn = network.SockShopDynamics(cfg.FlapDown, cfg.FlapUp)
	}
	model, _ := comm.NewModel(cfg.Model)
	r.fabric = comm.NewFabric(sim, r.graph, r.app, model)
	if cfg.Strategy == "static" {
		// A static map that names unknown services or nodes is the user's mistake: say so
		// now rather than run 100 undeployed steps.
		if _, err := r.strat.Place(r.app, r.graph, sim.Rand("placement-check")); err != nil {
			return nil, fmt.Errorf("sockshop: %w", err)
		}
	}
	for i, o := range cfg.Outages {
		if err := r.scheduleOutage(o); err != nil {
			return nil, fmt.Errorf("sockshop: outage %d: %w", i+1, err)
		}
	}
	// Boundaries are scheduled before any process, so at a boundary instant they run first.
	for k := 0; k < cfg.Steps; k++ {
		if _, err := sim.At(engine.Time(k)*cfg.StepLength, func() { r.boundary(k) }); err != nil {
			return nil, err
		}
	}
	switch cfg.Variant {
	case "mpi":
		r.startMPI()
	case "rest":
		if err := r.startREST(); err != nil {
			return nil, err
		}
	}
	end := engine.Time(cfg.Steps) * cfg.StepLength
	if err := sim.RunUntil(end); err != nil {
		return nil, fmt.Errorf("sockshop: %s run: %w", cfg.Variant, err)
	}
	if r.obsErr == nil {
		r.closeStep()
	}
	if r.obsErr != nil {
		return nil, r.obsErr
	}
	r.finish()
	return r.res, nil
}

// scheduleOutage takes o.Node down at o.At and back up after o.For.
func (r *runner) scheduleOutage(o Outage) error {
	if _, ok := r.graph.Node(o.Node); !ok {
		return fmt.Errorf("unknown node %q", o.Node)
	}
	if o.At < 0 || o.For < 0 {
		return fmt.Errorf("node %s: negative time (at %v, for %v)", o.Node, o.At, o.For)
	}
	_, err := r.sim.At(o.At, func() {
		a, _ := r.graph.Node(o.Node)
		was := a.Availability
		a.Availability = 0
		r.graph.SetNode(o.Node, a)
		if o.For > 0 && was > 0 {
			r.sim.Schedule(o.For, func() {
				if a, _ := r.graph.Node(o.Node); a.Availability == 0 {
					a.Availability = was
					r.graph.SetNode(o.Node, a)
				}
			})
		}
	})
	return err
}

// boundary runs at the start of step k.
func (r *runner) boundary(k int) {
	if r.obsErr != nil {
		return
	}
	if k > 0 {
		r.closeStep()
		if r.obsErr != nil {
			r.sim.Stop()
			return
		}
	}
	changes := r.redeploy()
	if r.dyn != nil {
		r.dyn.Step(r.graph, r.sim.Rand("dynamics"))
	}
	r.cur = StepStats{Step: k, Deployed: r.fabric.Deployed(), PlacementChanges: changes}
	r.curLat = r.curLat[:0]
	r.fabric.ResetStep()
	prev := r.next
	r.next = r.sim.NewEvent()
	prev.Succeed(nil)
}

// redeploy audits or replaces the placement and returns how many services changed host.
func (r *runner) redeploy() int {
	old := r.hosts()
	if r.fabric.Deployed() {
		if rep := placement.Audit(r.app, r.graph, old); !rep.Feasible {
			r.problems(rep, nil)
			r.fabric.Undeploy()
			r.epoch++
			r.res.Undeploys++
		}
	} else {
		p, err := r.strat.Place(r.app, r.graph, r.sim.Rand("placement"))
		var rep placement.Report
		if err == nil {
			rep = placement.Audit(r.app, r.graph, p)
		}
		if !rep.Feasible {
			r.problems(rep, err)
		} else {
			r.fabric.Deploy(p)
			r.epoch++
			r.res.Placements++
			if r.res.FirstPlacement == nil {
				for _, s := range r.app.Services {
					r.res.FirstPlacement = append(r.res.FirstPlacement, p[s.Name])
				}
			}
		}
	}
	now := r.hosts()
	changes := 0
	for _, s := range r.app.Services {
		if old[s.Name] != now[s.Name] {
			changes++
		}
	}
	return changes
}

// problems keeps why a placement failed, for the user.
func (r *runner) problems(rep placement.Report, err error) {
	r.res.LastProblems = r.res.LastProblems[:0]
	if err != nil {
		r.res.LastProblems = append(r.res.LastProblems, err.Error())
	}
	for _, p := range rep.Problems {
		r.res.LastProblems = append(r.res.LastProblems, p.String())
	}
}

// hosts is the current placement, nil while undeployed.
func (r *runner) hosts() placement.Placement {
	if !r.fabric.Deployed() {
		return nil
	}
	p := placement.Placement{}
	for _, s := range r.app.Services {
		if n, ok := r.fabric.Host(s.Name); ok {
			p[s.Name] = n
		}
	}
	return p
}

// closeStep records the step under way and shows it to the observer.
func (r *runner) closeStep() {
	st := r.cur
	st.TimeMS = (engine.Time(st.Step+1) * r.cfg.StepLength).Milliseconds()
	for _, n := range r.graph.Nodes() {
		if r.graph.Up(n) {
			st.AliveNodes++
		}
	}
	st.Latency = Summarize(r.curLat)
	r.res.Steps = append(r.res.Steps, st)
	if st.Deployed {
		r.res.DeployedSteps++
	}
	if r.cfg.Observer != nil {
		snap := StepSnapshot{Stats: st, App: r.app, Graph: r.graph, Placement: r.hosts(), Interactions: interactionStats(r.fabric.Step.Pairs())}
		if err := r.cfg.Observer.ObserveStep(snap); err != nil {
			r.obsErr = fmt.Errorf("sockshop: observer at step %d: %w", st.Step, err)
		}
	}
}

func interactionStats(pairs []comm.Pair) []InteractionStat {
	out := make([]InteractionStat, len(pairs))
	for i, p := range pairs {
		out[i] = InteractionStat{From: p.From, To: p.To, Count: p.Count, MeanMS: p.MeanMS()}
	}
	return out
}

// finish fills the run's totals.
func (r *runner) finish() {
	t := &r.fabric.Total
	res := r.res
	res.Latency = Summarize(res.LatenciesMS)
	res.Messages, res.Bytes = t.Messages, t.Bytes
	res.LostInFlight, res.Discarded, res.Unreachable = t.Lost, t.Discarded, t.Unreachable
	res.Lost = t.Lost + t.Discarded
	res.Interactions = interactionStats(t.Pairs())
}

// drive is the Frontend's loop, shared by both variants: workflows back to back while the
// application is deployed. A failed workflow, or one that took no virtual time (every
// service on one node costs nothing), waits for the next step boundary, so the loop never
// spins at one instant.
func (r *runner) drive(p *engine.Proc, workflow func(p *engine.Proc, id uint64) bool) {
	for {
		if !r.fabric.Deployed() {
			if !r.waitBoundary(p) {
				return
			}
			continue
		}
		r.wf++
		start := p.Now()
		if !workflow(p, r.wf) {
			r.cur.Failed++
			r.res.Failed++
			if !r.waitBoundary(p) {
				return
			}
			continue
		}
		took := p.Now() - start
		ms := took.Milliseconds()
		r.cur.Completed++
		r.res.Workflows++
		r.curLat = append(r.curLat, ms)
		r.res.LatenciesMS = append(r.res.LatenciesMS, ms)
		if took == 0 {
			if !r.waitBoundary(p) {
				return
			}
			continue
		}
		if r.cfg.Think > 0 {
			if err := p.Sleep(r.cfg.Think); err != nil {
				return
			}
		}
	}
}

// waitSlice is how long the Frontend may wait for a reply before it looks again: up to the
// deadline or the next step boundary, whichever comes first. At a boundary it checks that
// the application is still deployed: an undeploy aborts the workflow there and then instead
// of leaving the Frontend waiting out its timeout on services that are gone.
func (r *runner) waitSlice(now, deadline engine.Time) engine.Time {
	if next := engine.Time(r.cur.Step+1) * r.cfg.StepLength; next > now && next < deadline {
		return next - now
	}
	return deadline - now
}

// waitBoundary blocks until the next step boundary; false when the run is over.
func (r *runner) waitBoundary(p *engine.Proc) bool {
	_, err := p.Wait(r.next)
	return err == nil
}

// pay is Payment's decision: a transaction id in 1000..9999 and, with probability
// DeclineProb, a decline. Both draws are always made, from the "payment" stream.
func (r *runner) pay() (tx int, status string) {
	rng := r.sim.Rand("payment")
	declined := rng.Float64() < r.cfg.DeclineProb
	tx = 1000 + rng.IntN(9000)
	if declined {
		return tx, "failure"
	}
	return tx, "success"
}
