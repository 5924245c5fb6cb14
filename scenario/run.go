package scenario

import (
	"fmt"
	"maps"
	"slices"

	"github.com/edgesim/edgesim/comm"
	"github.com/edgesim/edgesim/engine"
	"github.com/edgesim/edgesim/metrics"
	"github.com/edgesim/edgesim/network"
	"github.com/edgesim/edgesim/placement"
	"github.com/edgesim/edgesim/workload"
)

// runner is the state of one run: what the applications share (the clock, the
// infrastructure, its dynamics and outages, the step loop).
type runner struct {
	cfg     Config
	sim     *engine.Sim
	graph   *network.Graph
	dyn     network.Dynamics
	tenants []*tenant // in the order given to RunApps

	next   *engine.Event // triggers at the next step boundary
	step   int           // the step under way
	obsErr error

	held   []int            // per node, scripted outages holding it down now
	before map[int][]func() // per step, outage changes due at its boundary, in script order
}

// tenant is one application of a run: its placement, its fabric, its workload and its
// measurements.
type tenant struct {
	r         *runner
	index     int
	name      string
	app       *placement.Application
	strat     placement.Strategy
	fabric    *comm.Fabric
	workload  workload.Config // who sends its workflows (the run's warm-up)
	entry     Entry
	res       *Result
	workflows []*Workflow // free workflows (see newWorkflow)

	cur    StepStats       // the step under way
	curLat metrics.Latency // latencies completed in it
	lat    metrics.Latency // latencies of the whole run
	wf     uint64          // workflow counter: the MPI correlation tag
	epoch  uint64          // bumped at every deploy and undeploy

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
	res, err := RunApps(cfg, []Member{{App: app}})
	if err != nil {
		return nil, err
	}
	return res[0], nil
}

// Member is one application of a run with several.
type Member struct {
	// Name is how results name the application; "" names it after its spec
	// (placement.Application.Name).
	Name string
	App  App
	// Workload, when set, is this application's workload in place of the run's
	// (Config.Workload); the run's warm-up applies to every application, so its Warmup must
	// be 0 or the run's.
	Workload *workload.Config
}

// MaxMembers bounds the applications of one run.
const MaxMembers = 64

// RunApps runs several applications at once on one infrastructure, in cfg.Variant, and
// returns one result per application, in order. Each application has its own placement,
// fabric (its messages and counters), workload (cfg.Workload, each with its own users or
// arrivals) and result; they share the clock, the infrastructure, its dynamics and outages,
// and with Load.CPU node the nodes' cores (with Load.Links fair the links' bandwidth).
//
// Capacity: at each boundary the deployed applications are audited in order, each against
// what the ones before it that stay deployed leave of the nodes' cpu, gpu, ram and storage
// and of the links' bandwidth (an application that no longer fits is undeployed, releasing
// what it held); then each application not deployed is placed, in order, on what all the
// deployed ones leave, and deployed if the audit finds it feasible there (one undeployed by
// this boundary's audit waits for the next boundary, as in Run). An application
// deployed earlier is never displaced by a later placement; when the dynamics shrink the
// infrastructure, the first applications keep their hold. With one application this is Run.
//
// Names must be distinct (a name given twice is an error); random draws of the second and
// later applications come from streams named after them, so that adding an application
// changes neither the first one's service times nor its workload's draws. With Strategy
// static, cfg.Static maps the services of every application (a name shared by two
// applications puts both on the same node).
func RunApps(cfg Config, members []Member) ([]*Result, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if len(members) == 0 {
		return nil, fmt.Errorf("scenario: no application to run")
	}
	if len(members) > MaxMembers {
		return nil, fmt.Errorf("scenario: %d applications: at most %d in one run", len(members), MaxMembers)
	}
	end, _ := cfg.End()
	sim := engine.New(cfg.Seed)
	defer sim.Close()
	r := &runner{cfg: cfg, sim: sim, next: sim.NewEvent()}
	var err error
	if cfg.Infra != nil {
		r.graph = cfg.Infra.Clone()
	} else {
		r.graph, err = network.Hierarchical(network.HierarchicalConfig{N: cfg.Nodes, Partitioning: cfg.Partitioning}, sim.Rand("infrastructure"))
		if err != nil {
			return nil, fmt.Errorf("scenario: %w", err)
		}
	}
	if cfg.Dynamics {
		r.dyn = network.SockShopDynamics(cfg.FlapDown, cfg.FlapUp)
	}
	if err := r.addTenants(members); err != nil {
		return nil, err
	}
	r.held = make([]int, r.graph.Len())
	r.before = make(map[int][]func())
	for i, o := range cfg.Outages {
		if err := r.scheduleOutage(o); err != nil {
			return nil, fmt.Errorf("scenario: outage %d: %w", i+1, err)
		}
	}
	for _, t := range r.tenants {
		if err := t.start(members[t.index].App); err != nil {
			return nil, err
		}
	}
	if w := cfg.Workload.Warmup; w > 0 {
		if _, err := sim.At(w, func() {
			for _, t := range r.tenants {
				t.measured.Reset(int64(w))
				t.fabric.ResetLoadStats()
			}
		}); err != nil {
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
	out := make([]*Result, len(r.tenants))
	for i, t := range r.tenants {
		t.finish()
		out[i] = t.res
	}
	return out, nil
}

// addTenants makes every member's fabric and strategy. The second and later members share
// the first one's node CPU stations and flow network.
func (r *runner) addTenants(members []Member) error {
	cfg := r.cfg
	model, _ := comm.NewModel(cfg.Model)
	seen := map[string]bool{}
	known := map[string]bool{} // every member's services, for the static map's check
	for i, m := range members {
		if m.App == nil {
			return fmt.Errorf("scenario: application %d: nil", i+1)
		}
		spec := m.App.Spec()
		if spec == nil {
			return fmt.Errorf("scenario: application %d: no spec", i+1)
		}
		name := m.Name
		if name == "" {
			name = spec.Name
		}
		if seen[name] {
			return fmt.Errorf("scenario: two applications are named %q: name them apart", name)
		}
		seen[name] = true
		t := &tenant{r: r, index: i, name: name, app: spec, workload: cfg.Workload}
		if w := m.Workload; w != nil {
			if w.Warmup != 0 && w.Warmup != cfg.Workload.Warmup {
				return fmt.Errorf("scenario: application %s: warm-up %v: the run's (%v) applies to every application", name, w.Warmup, cfg.Workload.Warmup)
			}
			t.workload = *w
			t.workload.Warmup = cfg.Workload.Warmup
			if err := t.workload.Validate(); err != nil {
				return fmt.Errorf("scenario: application %s: %w", name, err)
			}
		}
		t.res = &Result{Config: cfg, Variant: cfg.Variant, Application: name}
		t.fabric = comm.NewFabric(r.sim, r.graph, spec, model)
		if i > 0 {
			t.fabric.SetNamespace(name + "/")
		}
		if err := t.fabric.SetSizeRule(cfg.Size); err != nil {
			return fmt.Errorf("scenario: %w", err)
		}
		if err := t.fabric.SetLoad(cfg.Load); err != nil {
			return fmt.Errorf("scenario: %w", err)
		}
		if i > 0 {
			if err := t.fabric.ShareLoad(r.tenants[0].fabric); err != nil {
				return fmt.Errorf("scenario: %w", err)
			}
		}
		static := cfg.Static
		if len(members) > 1 && static != nil {
			static = map[string]string{}
			for _, s := range spec.Services {
				known[s.Name] = true
				if n, ok := cfg.Static[s.Name]; ok {
					static[s.Name] = n
				}
			}
		}
		var err error
		if t.strat, err = placement.NewStrategy(cfg.Strategy, static); err != nil {
			return fmt.Errorf("scenario: %w", err)
		}
		if cfg.Strategy == "static" {
			// A static map that names unknown services or nodes is the user's mistake: say so
			// now rather than run undeployed steps.
			if _, err := t.strat.Place(spec, r.graph, r.sim.Rand("placement-check")); err != nil {
				return fmt.Errorf("scenario: %w", err)
			}
		}
		r.tenants = append(r.tenants, t)
	}
	if len(members) > 1 && cfg.Strategy == "static" {
		keys := slices.Sorted(maps.Keys(cfg.Static))
		for _, k := range keys {
			if !known[k] {
				return fmt.Errorf("scenario: static placement: unknown service %q (in none of the applications)", k)
			}
		}
	}
	return nil
}

// start registers t's services and starts its workload.
func (t *tenant) start(app App) error {
	r := t.r
	env := &Env{Sim: r.sim, Fabric: t.fabric, Variant: r.cfg.Variant}
	if t.index > 0 {
		env.streams = t.name + "/"
	}
	switch r.cfg.Variant {
	case "mpi":
		env.MPI = comm.NewMPI(t.fabric)
	case "rest":
		env.REST = comm.NewREST(t.fabric)
	}
	var err error
	if t.entry, err = app.Start(env); err != nil {
		return err
	}
	if t.entry.Run == nil {
		return fmt.Errorf("scenario: application %s: Start returned no workflow", t.name)
	}
	if !t.workload.Open() && !usersInProcesses {
		t.startUsers(env.streams)
		return nil
	}
	user := func(int) string { return t.entry.Service }
	workload.StartNamed(r.sim, env.streams, t.workload, user, t, t.runOne)
	return nil
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
		r.syncNodes()
	}
	up := func() {
		r.held[i]--
		if a, _ := r.graph.Node(o.Node); r.held[i] == 0 && was > 0 && a.Availability == 0 {
			a.Availability = was
			r.graph.SetNode(o.Node, a)
			r.syncNodes()
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

// syncNodes tells every fabric which nodes went down.
func (r *runner) syncNodes() {
	for _, t := range r.tenants {
		t.fabric.SyncNodes()
	}
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
		for _, t := range r.tenants {
			t.fabric.SyncNodes()
			t.fabric.SyncCores()
		}
	}
	r.step = k
	for i, t := range r.tenants {
		t.fabric.WarmRoutes()
		t.cur = StepStats{Step: k, Deployed: t.fabric.Deployed(), PlacementChanges: changes[i], AliveNodes: alive}
		t.curLat.Reset()
		t.fabric.ResetStep()
	}
	prev := r.next
	r.next = r.sim.NewEvent()
	prev.Succeed(nil)
}

// redeploy audits or replaces every application's placement (see RunApps for the order and
// the capacity each sees) and returns, per application, how many services changed host.
func (r *runner) redeploy() []int {
	olds := make([]placement.Placement, len(r.tenants))
	for i, t := range r.tenants {
		olds[i] = t.hosts()
	}
	// view is the infrastructure less what the applications kept so far hold; with one
	// application it is the infrastructure itself.
	view := r.graph
	for i, t := range r.tenants {
		if !t.fabric.Deployed() {
			continue
		}
		if rep := placement.Audit(t.app, view, olds[i]); !rep.Feasible {
			t.problems(rep, nil)
			t.fabric.Undeploy()
			t.epoch++
			t.res.Undeploys++
			continue
		}
		view = r.hold(view, t.app, olds[i])
	}
	for i, t := range r.tenants {
		if olds[i] != nil {
			continue // deployed at this boundary: audited (and kept or undeployed), not replaced
		}
		p, err := t.strat.Place(t.app, view, r.sim.Rand("placement"))
		var rep placement.Report
		if err == nil {
			rep = placement.Audit(t.app, view, p)
		}
		if !rep.Feasible {
			t.problems(rep, err)
			continue
		}
		t.fabric.Deploy(p)
		t.epoch++
		t.res.Placements++
		if t.res.FirstPlacement == nil {
			for _, s := range t.app.Services {
				t.res.FirstPlacement = append(t.res.FirstPlacement, p[s.Name])
			}
		}
		view = r.hold(view, t.app, p)
	}
	changes := make([]int, len(r.tenants))
	for i, t := range r.tenants {
		now := t.hosts()
		for _, s := range t.app.Services {
			if olds[i][s.Name] != now[s.Name] {
				changes[i]++
			}
		}
	}
	return changes
}

// hold returns view less what app, placed by p, holds: its services' cpu, gpu, ram and
// storage on their nodes, and its interactions' minimum bandwidth on every link of their
// paths (as Audit counts them; never below zero). view is copied first if it is the run's
// infrastructure (a copy shares the structure: only the assets are written). With one
// application nothing is held: the audit of the only application needs no view.
func (r *runner) hold(view *network.Graph, app *placement.Application, p placement.Placement) *network.Graph {
	if len(r.tenants) == 1 {
		return view
	}
	if view == r.graph {
		view = r.graph.Clone()
	}
	for _, s := range app.Services {
		node, ok := p[s.Name]
		if !ok {
			continue
		}
		a, ok := view.Node(node)
		if !ok {
			continue
		}
		a.CPU = max(0, a.CPU-s.CPU)
		a.GPU = max(0, a.GPU-s.GPU)
		a.RAM = max(0, a.RAM-s.RAM)
		a.Storage = max(0, a.Storage-s.Storage)
		_ = view.SetNode(node, a) // non-negative and finite: valid
	}
	for _, in := range app.Interactions {
		a, okA := p[in.From]
		b, okB := p[in.To]
		if !okA || !okB || a == b || in.MinBandwidthMbps <= 0 {
			continue
		}
		// Routes go by latency, which holding does not change: the run's graph has them
		// cached, and its link indices are the view's.
		path, err := r.graph.Route(a, b)
		if err != nil {
			continue
		}
		for _, k := range path.LinkIdx {
			l := view.LinkAt(k)
			l.BandwidthMbps = max(0, l.BandwidthMbps-in.MinBandwidthMbps)
			_ = view.SetLinkAt(k, l.LinkAssets)
		}
	}
	return view
}

// problems keeps why a placement failed, for the user.
func (t *tenant) problems(rep placement.Report, err error) {
	t.res.LastProblems = t.res.LastProblems[:0]
	if err != nil {
		t.res.LastProblems = append(t.res.LastProblems, err.Error())
	}
	for _, p := range rep.Problems {
		t.res.LastProblems = append(t.res.LastProblems, p.String())
	}
}

// hosts is the current placement, nil while undeployed.
func (t *tenant) hosts() placement.Placement {
	if !t.fabric.Deployed() {
		return nil
	}
	p := placement.Placement{}
	for _, s := range t.app.Services {
		if n, ok := t.fabric.Host(s.Name); ok {
			p[s.Name] = n
		}
	}
	return p
}

// closeStep records the step under way of every application and shows it to the observer.
func (r *runner) closeStep() {
	for _, t := range r.tenants {
		t.closeStep()
		if r.obsErr != nil {
			return
		}
	}
}

func (t *tenant) closeStep() {
	r := t.r
	st := t.cur
	st.TimeMS = (engine.Time(st.Step+1) * r.cfg.StepLength).Milliseconds()
	st.Latency = t.curLat.Summary()
	t.res.StepsRun++
	if st.Deployed {
		t.res.DeployedSteps++
	}
	if r.cfg.Observer != nil {
		snap := StepSnapshot{Stats: st, App: t.app, Application: t.name, Member: t.index, Graph: r.graph, Placement: t.hosts(),
			Interactions: interactionStats(t.fabric.Step.Pairs())}
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
func (t *tenant) finish() {
	tot := &t.fabric.Total
	res := t.res
	res.LatencyDist = &t.lat
	res.LatenciesMS = t.lat.Samples()
	res.Latency = t.lat.Summary()
	res.Messages, res.Bytes = tot.Messages, tot.Bytes
	res.LostInFlight, res.Discarded, res.Unreachable = tot.Lost, tot.Discarded, tot.Unreachable
	res.Lost = tot.Lost + tot.Discarded
	res.Interactions = interactionStats(tot.Pairs())
	res.Rejected = tot.Rejected
	res.Stations = t.fabric.Stations()
	for _, st := range res.Stations {
		if st.Rejected > 0 || st.Utilisation >= SaturatedUtilisation {
			res.Saturated = append(res.Saturated, st.Name)
		}
	}
	cfg := t.r.cfg
	end, _ := cfg.End()
	window := end - cfg.Workload.Warmup
	res.MeasuredMS = window.Milliseconds()
	res.ThroughputPerS = float64(t.completedInWindow) / window.Seconds()
	res.Little = Little{InFlight: t.measured.Mean(int64(end)), ArrivalPerS: float64(t.arrived) / window.Seconds()}
	if t.arrived > 0 {
		open := engine.Time(t.measured.Value())*end - t.openStart
		res.Little.SojournMS = float64(t.sojourn+open) / float64(t.arrived) / 1e6
	}
}

// Deployed implements workload.Gate.
func (t *tenant) Deployed() bool { return t.fabric.Deployed() }

// WaitBoundary implements workload.Gate: it blocks until the next step boundary; false when
// the run is over.
func (t *tenant) WaitBoundary(p *engine.Proc) bool {
	_, err := p.Wait(t.r.next)
	return err == nil
}

// runOne runs one workflow in p and accounts for it: in the step where it ends, and, if it
// started at or after the warm-up, in the run's totals.
func (t *tenant) runOne(p *engine.Proc) (bool, engine.Time) {
	fs, ok := t.admit(p.Now())
	if !ok {
		return false, 0
	}
	// The entry service works on the user's request first (service time), then the
	// application carries the workflow out.
	tr, err := t.fabric.Work(p, t.entry.Service, comm.Trace{})
	return t.complete(p, fs, tr, err)
}

// flowStart is a workflow admitted by admit.
type flowStart struct {
	id       uint64
	start    engine.Time
	measured bool // started at or after the warm-up
}

// admit starts the accounting of a workflow that starts at now, or refuses it (counted as
// failed): ok is false when the application is undeployed (an open-loop arrival) or the
// tenant has workload.MaxInFlight workflows under way.
func (t *tenant) admit(now engine.Time) (fs flowStart, ok bool) {
	fs = flowStart{start: now, measured: now >= t.r.cfg.Workload.Warmup}
	fail := func() (flowStart, bool) {
		t.cur.Failed++
		if fs.measured {
			t.res.Failed++
			t.arrived++ // in and out at one instant: no time in the system
		}
		return fs, false
	}
	if !t.fabric.Deployed() {
		return fail()
	}
	if t.inflight.Value() >= workload.MaxInFlight {
		t.res.Refused++
		return fail()
	}
	t.wf++
	fs.id = t.wf
	t.inflight.Add(int64(now), 1)
	if fs.measured {
		t.arrived++
		t.measured.Add(int64(now), 1)
		t.openStart += now
	}
	return fs, true
}

// complete carries out in p an admitted workflow whose entry service has worked on its
// request (tr so far, or the error that ended it there), accounts for it and reports
// whether it succeeded and how long it took. With an error it needs no process (p may be
// nil).
func (t *tenant) complete(p *engine.Proc, fs flowStart, tr comm.Trace, err error) (bool, engine.Time) {
	ok := err == nil
	if ok {
		w := t.newWorkflow()
		w.ID, w.P, w.t, w.epoch = fs.id, p, t, t.epoch
		w.tracker.Start(p.Now(), tr)
		ok = t.entry.Run(w)
		tr = w.Tracker.Trace()
		t.freeWorkflow(w)
	}
	now := t.r.sim.Now()
	start := fs.start
	t.inflight.Add(int64(now), -1)
	took := now - start
	if fs.measured {
		t.measured.Add(int64(now), -1)
		t.openStart -= start
		t.sojourn += took
	}
	if !ok {
		t.cur.Failed++
		if fs.measured {
			t.res.Failed++
		}
		return false, took
	}
	t.cur.Completed++
	t.curLat.Add(int64(took))
	if now >= t.r.cfg.Workload.Warmup {
		t.completedInWindow++
	}
	if fs.measured {
		t.res.Workflows++
		t.lat.Add(int64(took))
		t.res.Breakdown = t.res.Breakdown.Plus(tr)
	}
	return true, took
}

// newWorkflow returns a free workflow of the tenant (see Workflow: one is reused once its
// Run has returned).
func (t *tenant) newWorkflow() *Workflow {
	if n := len(t.workflows); n > 0 {
		w := t.workflows[n-1]
		t.workflows = t.workflows[:n-1]
		return w
	}
	w := &Workflow{}
	w.Tracker = &w.tracker
	w.againFn = w.again
	return w
}

// freeWorkflow takes back a workflow whose Run has returned, and the REST calls it made.
func (t *tenant) freeWorkflow(w *Workflow) {
	w.tracker.Release()
	w.P = nil
	t.workflows = append(t.workflows, w)
}

// waitSlice is how long a workflow may wait for a reply before it looks again: up to the
// deadline or the next step boundary, whichever comes first. At a boundary it checks that
// the application is still deployed: an undeploy aborts the workflow there and then instead
// of leaving it waiting out its timeout on services that are gone.
func (r *runner) waitSlice(now, deadline engine.Time) engine.Time {
	if next := engine.Time(r.step+1) * r.cfg.StepLength; next > now && next < deadline {
		return next - now
	}
	return deadline - now
}
