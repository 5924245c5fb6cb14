package scenario

import (
	"fmt"

	"github.com/edgesim/edgesim/comm"
	"github.com/edgesim/edgesim/engine"
	"github.com/edgesim/edgesim/metrics"
	"github.com/edgesim/edgesim/network"
	"github.com/edgesim/edgesim/placement"
	"github.com/edgesim/edgesim/workload"
)

// runner is the state of one run.
type runner struct {
	cfg    Config
	sim    *engine.Sim
	graph  *network.Graph
	app    *placement.Application
	strat  placement.Strategy
	dyn    network.Dynamics
	fabric *comm.Fabric
	entry  Entry
	res    *Result

	next   *engine.Event   // triggers at the next step boundary
	cur    StepStats       // the step under way
	curLat metrics.Latency // latencies completed in it
	lat    metrics.Latency // latencies of the whole run
	wf     uint64          // workflow counter: the MPI correlation tag
	epoch  uint64          // bumped at every deploy and undeploy
	obsErr error

	inflight metrics.TimeAverage // workflows in flight (all: for MaxInFlight)
	// Little's law over the measured window, for the workflows that started in it: the
	// time-average number of them in flight, against the sum of their times in the system,
	// counted per workflow (those still in flight at the end up to the end).
	measured  metrics.TimeAverage
	arrived   int         // workflows started at or after the warm-up (done, failed or in flight)
	sojourn   engine.Time // summed time in the system of those that ended
	openStart engine.Time // summed start times of those still in flight
	// completedInWindow counts the workflows completed after the warm-up, whenever they
	// started: the throughput (a closed loop's workflows in flight at the warm-up instant
	// would otherwise be missed).
	completedInWindow int

	held   []int            // per node, scripted outages holding it down now
	before map[int][]func() // per step, outage changes due at its boundary, in script order
}

// Run runs one simulation of app in cfg.Variant and returns its measurements.
//
// Timeline: step k spans [k*StepLength, (k+1)*StepLength), and the run ends just before
// Steps*StepLength: nothing due at that instant happens. At each boundary (k = 0..Steps-1),
// before anything else due at that instant, the deployed placement is audited (an infeasible
// one is undeployed) or, when nothing is deployed, the strategy proposes a placement that is
// deployed if the audit finds it feasible; then the dynamics evolve the infrastructure. The
// workload (package workload) sends workflows while the application is deployed. Workflows
// still running at the end are neither completed nor failed.
func Run(cfg Config, app App) (*Result, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	end, _ := cfg.End()
	sim := engine.New(cfg.Seed)
	defer sim.Close()
	r := &runner{cfg: cfg, sim: sim, app: app.Spec(), next: sim.NewEvent()}
	r.res = &Result{Config: cfg, Variant: cfg.Variant}
	var err error
	if cfg.Infra != nil {
		r.graph = cfg.Infra.Clone()
	} else {
		r.graph, err = network.Hierarchical(network.HierarchicalConfig{N: cfg.Nodes, Partitioning: cfg.Partitioning}, sim.Rand("infrastructure"))
		if err != nil {
			return nil, fmt.Errorf("scenario: %w", err)
		}
	}
	if r.strat, err = placement.NewStrategy(cfg.Strategy, cfg.Static); err != nil {
		return nil, fmt.Errorf("scenario: %w", err)
	}
	if cfg.Dynamics {
		r.dyn = network.SockShopDynamics(cfg.FlapDown, cfg.FlapUp)
	}
	model, _ := comm.NewModel(cfg.Model)
	r.fabric = comm.NewFabric(sim, r.graph, r.app, model)
	if err := r.fabric.SetSizeRule(cfg.Size); err != nil {
		return nil, fmt.Errorf("scenario: %w", err)
	}
	if err := r.fabric.SetLoad(cfg.Load); err != nil {
		return nil, fmt.Errorf("scenario: %w", err)
	}
	if cfg.Strategy == "static" {
		// A static map that names unknown services or nodes is the user's mistake: say so
		// now rather than run undeployed steps.
		if _, err := r.strat.Place(r.app, r.graph, sim.Rand("placement-check")); err != nil {
			return nil, fmt.Errorf("scenario: %w", err)
		}
	}
	r.held = make([]int, r.graph.Len())
	r.before = make(map[int][]func())
	for i, o := range cfg.Outages {
		if err := r.scheduleOutage(o); err != nil {
			return nil, fmt.Errorf("scenario: outage %d: %w", i+1, err)
		}
	}
	env := &Env{Sim: sim, Fabric: r.fabric, Variant: cfg.Variant}
	switch cfg.Variant {
	case "mpi":
		env.MPI = comm.NewMPI(r.fabric)
	case "rest":
		env.REST = comm.NewREST(r.fabric)
	}
	if r.entry, err = app.Start(env); err != nil {
		return nil, err
	}
	if r.entry.Run == nil {
		return nil, fmt.Errorf("scenario: application %s: Start returned no workflow", r.app.Name)
	}
	user := func(int) string { return r.entry.Service }
	workload.Start(sim, cfg.Workload, user, r, r.runOne)
	if w := cfg.Workload.Warmup; w > 0 {
		if _, err := sim.At(w, func() { r.measured.Reset(int64(w)); r.fabric.ResetLoadStats() }); err != nil {
			return nil, err
		}
	}
	// The loop drives the kernel from boundary to boundary, so a boundary runs before
	// anything else due at its instant and no boundary is queued ahead (a run of a billion
	// steps holds one at a time).
	for k := 0; k < cfg.Steps; k++ {
		if err := sim.RunBefore(engine.Time(k) * cfg.StepLength); err != nil {
			return nil, fmt.Errorf("scenario: %s run: %w", cfg.Variant, err)
		}
		for _, fn := range r.before[k] {
			fn()
		}
		r.boundary(k)
		if r.obsErr != nil {
			return nil, r.obsErr
		}
	}
	if err := sim.RunBefore(end); err != nil {
		return nil, fmt.Errorf("scenario: %s run: %w", cfg.Variant, err)
	}
	r.closeStep()
	if r.obsErr != nil {
		return nil, r.obsErr
	}
	r.finish()
	return r.res, nil
}

// scheduleOutage takes o.Node down at o.At and back up after o.For. While an outage holds a
// node, the flap cannot bring it back. A change due exactly at a step boundary happens before
// that boundary's audit (the step that starts then sees it).
func (r *runner) scheduleOutage(o Outage) error {
	i, ok := r.graph.Index(o.Node)
	if !ok {
		return fmt.Errorf("unknown node %q", o.Node)
	}
	if o.At < 0 || o.For < 0 {
		return fmt.Errorf("node %s: negative time (at %v, for %v)", o.Node, o.At, o.For)
	}
	var was float64
	down := func() {
		a, _ := r.graph.Node(o.Node)
		was = a.Availability
		r.held[i]++
		a.Availability = 0
		r.graph.SetNode(o.Node, a)
		r.fabric.SyncNodes()
	}
	up := func() {
		r.held[i]--
		if a, _ := r.graph.Node(o.Node); r.held[i] == 0 && was > 0 && a.Availability == 0 {
			a.Availability = was
			r.graph.SetNode(o.Node, a)
			r.fabric.SyncNodes()
		}
	}
	if err := r.at(o.At, down); err != nil {
		return err
	}
	if o.For > 0 {
		if o.At > engine.MaxTime-o.For {
			return fmt.Errorf("node %s: end of the outage overflows the virtual clock", o.Node)
		}
		return r.at(o.At+o.For, up)
	}
	return nil
}

// at runs fn at time t: before the boundary when t is a step boundary of the run, else as an
// ordinary event. Changes at or after the end of the run are dropped.
func (r *runner) at(t engine.Time, fn func()) error {
	end, _ := r.cfg.End()
	if t >= end {
		return nil
	}
	if t%r.cfg.StepLength == 0 {
		k := int(t / r.cfg.StepLength)
		r.before[k] = append(r.before[k], fn)
		return nil
	}
	_, err := r.sim.At(t, fn)
	return err
}

// holdDown puts back down the nodes an outage holds, after the flap.
func (r *runner) holdDown() {
	var ids []string // the node ids, copied only if an outage holds a node
	for i, n := range r.held {
		if n > 0 {
			if ids == nil {
				ids = r.graph.Nodes()
			}
			id := ids[i]
			if a, _ := r.graph.Node(id); a.Availability > 0 {
				a.Availability = 0
				r.graph.SetNode(id, a)
			}
		}
	}
}

// boundary runs at the start of step k.
func (r *runner) boundary(k int) {
	if k > 0 {
		r.closeStep()
		if r.obsErr != nil {
			return
		}
	}
	changes := r.redeploy()
	// ECLYPSE measures a step's metrics right after the audit, before the step's dynamics.
	alive := 0
	for _, n := range r.graph.Nodes() {
		if r.graph.Up(n) {
			alive++
		}
	}
	if r.dyn != nil {
		r.dyn.Step(r.graph, r.sim.Rand("dynamics"))
		r.holdDown()
		r.fabric.SyncNodes()
		r.fabric.SyncCores()
	}
	r.cur = StepStats{Step: k, Deployed: r.fabric.Deployed(), PlacementChanges: changes, AliveNodes: alive}
	r.curLat.Reset()
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
	st.Latency = r.curLat.Summary()
	r.res.StepsRun++
	if st.Deployed {
		r.res.DeployedSteps++
	}
	if r.cfg.Observer != nil {
		snap := StepSnapshot{Stats: st, App: r.app, Graph: r.graph, Placement: r.hosts(), Interactions: interactionStats(r.fabric.Step.Pairs())}
		if err := r.cfg.Observer.ObserveStep(snap); err != nil {
			r.obsErr = fmt.Errorf("scenario: observer at step %d: %w", st.Step, err)
		}
	}
}

func interactionStats(pairs []comm.Pair) []InteractionStat {
	out := make([]InteractionStat, len(pairs))
	for i, p := range pairs {
		out[i] = InteractionStat{From: p.From, To: p.To, Count: p.Count, MeanMS: p.MeanMS(), Late: p.Late,
			NetworkMS: p.Network.Milliseconds(), QueueMS: p.Queue.Milliseconds(), ServiceMS: p.Service.Milliseconds()}
	}
	return out
}

// finish fills the run's totals.
func (r *runner) finish() {
	t := &r.fabric.Total
	res := r.res
	res.LatencyDist = &r.lat
	res.LatenciesMS = r.lat.Samples()
	res.Latency = r.lat.Summary()
	res.Messages, res.Bytes = t.Messages, t.Bytes
	res.LostInFlight, res.Discarded, res.Unreachable = t.Lost, t.Discarded, t.Unreachable
	res.Lost = t.Lost + t.Discarded
	res.Interactions = interactionStats(t.Pairs())
	res.Rejected = t.Rejected
	res.Stations = r.fabric.Stations()
	for _, st := range res.Stations {
		if st.Rejected > 0 || st.Utilisation >= SaturatedUtilisation {
			res.Saturated = append(res.Saturated, st.Name)
		}
	}
	end, _ := r.cfg.End()
	window := end - r.cfg.Workload.Warmup
	res.MeasuredMS = window.Milliseconds()
	res.ThroughputPerS = float64(r.completedInWindow) / window.Seconds()
	res.Little = Little{InFlight: r.measured.Mean(int64(end)), ArrivalPerS: float64(r.arrived) / window.Seconds()}
	if r.arrived > 0 {
		open := engine.Time(r.measured.Value())*end - r.openStart
		res.Little.SojournMS = float64(r.sojourn+open) / float64(r.arrived) / 1e6
	}
}

// Deployed implements workload.Gate.
func (r *runner) Deployed() bool { return r.fabric.Deployed() }

// WaitBoundary implements workload.Gate: it blocks until the next step boundary; false when
// the run is over.
func (r *runner) WaitBoundary(p *engine.Proc) bool {
	_, err := p.Wait(r.next)
	return err == nil
}

// runOne runs one workflow in p and accounts for it: in the step where it ends, and, if it
// started at or after the warm-up, in the run's totals.
func (r *runner) runOne(p *engine.Proc) (bool, engine.Time) {
	start := p.Now()
	measured := start >= r.cfg.Workload.Warmup
	fail := func() (bool, engine.Time) {
		r.cur.Failed++
		if measured {
			r.res.Failed++
			r.arrived++ // in and out at one instant: no time in the system
		}
		return false, 0
	}
	if !r.fabric.Deployed() {
		return fail() // an open-loop arrival while undeployed
	}
	if r.inflight.Value() >= workload.MaxInFlight {
		r.res.Refused++
		return fail()
	}
	r.wf++
	id := r.wf
	r.inflight.Add(int64(start), 1)
	if measured {
		r.arrived++
		r.measured.Add(int64(start), 1)
		r.openStart += start
	}
	// The entry service works on the user's request first (service time), then the
	// application carries the workflow out.
	tr, err := r.fabric.Work(p, r.entry.Service, comm.Trace{})
	ok := err == nil
	if ok {
		w := &Workflow{ID: id, P: p, r: r, epoch: r.epoch, tracker: *comm.NewTracker(p.Now(), tr)}
		w.Tracker = &w.tracker // one allocation for both
		ok = r.entry.Run(w)
		tr = w.Tracker.Trace()
	}
	now := p.Now()
	r.inflight.Add(int64(now), -1)
	took := now - start
	if measured {
		r.measured.Add(int64(now), -1)
		r.openStart -= start
		r.sojourn += took
	}
	if !ok {
		r.cur.Failed++
		if measured {
			r.res.Failed++
		}
		return false, took
	}
	r.cur.Completed++
	r.curLat.Add(int64(took))
	if now >= r.cfg.Workload.Warmup {
		r.completedInWindow++
	}
	if measured {
		r.res.Workflows++
		r.lat.Add(int64(took))
		r.res.Breakdown = r.res.Breakdown.Plus(tr)
	}
	return true, took
}

// waitSlice is how long a workflow may wait for a reply before it looks again: up to the
// deadline or the next step boundary, whichever comes first. At a boundary it checks that
// the application is still deployed: an undeploy aborts the workflow there and then instead
// of leaving it waiting out its timeout on services that are gone.
func (r *runner) waitSlice(now, deadline engine.Time) engine.Time {
	if next := engine.Time(r.cur.Step+1) * r.cfg.StepLength; next > now && next < deadline {
		return next - now
	}
	return deadline - now
}
