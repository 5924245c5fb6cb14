package validate

import (
	"fmt"
	"math"
	"runtime"
	"sync"

	"github.com/edgesim/edgesim/comm"
	"github.com/edgesim/edgesim/cpu"
	"github.com/edgesim/edgesim/engine"
	"github.com/edgesim/edgesim/metrics"
	"github.com/edgesim/edgesim/network"
	"github.com/edgesim/edgesim/scenario"
	"github.com/edgesim/edgesim/workload"
)

// Replications is the number of independent replications (seeds 1..Replications) of every
// run and variant.
const Replications = 10

// ShortDivisor divides every run's measured workflows in a short table.
const ShortDivisor = 8

// Timeout is every run's timeout: far above any latency (the longest workflow of the full
// table takes well under a second), so no workflow fails.
const Timeout = 100 * engine.Second

// exactTol is the relative tolerance of an identity that holds exactly up to float
// rounding.
const exactTol = 1e-9

// Options choose the table's size.
type Options struct {
	// Short measures Workflows/ShortDivisor workflows per replication: the same rows with
	// wider (still honest) tolerances, for quick tests.
	Short bool
	// Workers is the number of runs made at once (each run is sequential and deterministic
	// on its own, and results are collected by index, so the table does not depend on it);
	// 0 means runtime.GOMAXPROCS(0).
	Workers int
}

// Outcome is one replication of one run in one variant.
type Outcome struct {
	Result *scenario.Result
	// WaitsMS is, per measured completed workflow, its time waiting for cores (ms).
	WaitsMS []float64
	// Ended counts the workflows that ended (completed or failed) in the measured window,
	// wherever they started, and EndedSojourn sums their whole sojourns, as the application
	// sees them (a cross-check of the run loop's own counts).
	Ended        int
	EndedSojourn engine.Time
}

func (o *Outcome) station(name string) cpu.Stats {
	for _, st := range o.Result.Stations {
		if st.Name == name {
			return st
		}
	}
	return cpu.Stats{Name: name, Utilisation: math.NaN(), MeanJobs: math.NaN(), MeanWaitMS: math.NaN(), MeanResponseMS: math.NaN()}
}

// Config returns the scenario configuration of one replication: every service on one node
// n0 (so messages cost nothing and only queueing takes time), the latency-only cost model,
// static placement, no dynamics, one step covering warm-up and window, and Timeout.
func (s Setup) Config(variant string, seed uint64, workflows int) (scenario.Config, error) {
	g := network.NewGraph()
	cores := 0
	static := map[string]string{}
	for _, st := range s.Stations {
		cores += st.Cores
		static[st.Name] = "n0"
	}
	if err := g.AddNode("n0", network.NodeAssets{CPU: float64(cores), RAM: 1, Storage: 1, Availability: 1}); err != nil {
		return scenario.Config{}, fmt.Errorf("validate: %w", err)
	}
	window := engine.FromSeconds(s.windowSeconds(workflows))
	wl := workload.Config{Warmup: s.Warmup}
	if s.Rate > 0 {
		wl.Rate = s.Rate
	} else {
		wl.Users, wl.Think, wl.ThinkDist = s.Users, s.Think, workload.Exp
	}
	return scenario.Config{Variant: variant, Seed: seed, Steps: 1, StepLength: s.Warmup + window,
		Infra: g, Strategy: "static", Static: static, Model: "latency", Timeout: Timeout,
		Workload: wl, Load: comm.Load{Service: s.Service, Sched: s.Sched}}, nil
}

// Replicate runs one replication of setup in variant and checks that nothing went wrong
// that would void the comparison (failures, rejections, too many samples for exact
// quantiles).
func (s Setup) Replicate(variant string, seed uint64, workflows int) (*Outcome, error) {
	cfg, err := s.Config(variant, seed, workflows)
	if err != nil {
		return nil, err
	}
	a := &app{shape: s.Shape, stations: s.Stations, warmup: s.Warmup, timeout: Timeout}
	res, err := scenario.Run(cfg, a)
	if err != nil {
		return nil, err
	}
	switch {
	case res.Failed > 0 || res.Rejected > 0:
		return nil, fmt.Errorf("validate: %d workflows failed, %d requests rejected", res.Failed, res.Rejected)
	case res.Workflows == 0 || res.LatenciesMS == nil:
		return nil, fmt.Errorf("validate: %d workflows measured (need 1..%d for exact quantiles)", res.Workflows, metrics.ExactCap)
	case len(a.waitsMS) != res.Workflows:
		return nil, fmt.Errorf("validate: the application saw %d measured workflows, the run loop %d", len(a.waitsMS), res.Workflows)
	}
	return &Outcome{Result: res, WaitsMS: a.waitsMS, Ended: a.ended, EndedSojourn: a.endedSojourn}, nil
}

// job is one replication to run.
type job struct {
	exp, run int
	variant  string
	rep      int
}

// Run runs every experiment in both variants, Replications times each, and returns the
// table's rows: the checks of each experiment, Little's law on every run (section 8) and
// the max-min sharing cases (section 9).
func Run(opt Options) ([]Row, error) {
	exps, err := Experiments()
	if err != nil {
		return nil, err
	}
	rows, err := runExperiments(opt, exps)
	if err != nil {
		return nil, err
	}
	flows, err := FlowRows()
	if err != nil {
		return nil, err
	}
	return append(rows, flows...), nil
}

// runExperiments runs exps and returns their rows, then their Little's law rows.
func runExperiments(opt Options, exps []Experiment) ([]Row, error) {
	var jobs []job
	for i, e := range exps {
		for j := range e.Runs {
			for _, v := range scenario.Variants {
				for r := range Replications {
					jobs = append(jobs, job{exp: i, run: j, variant: v, rep: r})
				}
			}
		}
	}
	outs := make([]*Outcome, len(jobs))
	errs := make([]error, len(jobs))
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	next := 0
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				k := next
				next++
				mu.Unlock()
				if k >= len(jobs) {
					return
				}
				jb := jobs[k]
				rs := exps[jb.exp].Runs[jb.run]
				o, err := rs.Setup.Replicate(jb.variant, uint64(jb.rep+1), opt.workflows(rs.Setup))
				if err != nil {
					err = fmt.Errorf("validate: %s, %s, %s, seed %d: %w", exps[jb.exp].Section, rs.Name, jb.variant, jb.rep+1, err)
				}
				outs[k], errs[k] = o, err
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	var rows, little []Row
	k := 0
	for _, e := range exps {
		for _, rs := range e.Runs {
			byVariant := map[string][]*Outcome{}
			for _, v := range scenario.Variants {
				byVariant[v] = outs[k : k+Replications]
				k += Replications
			}
			why := opt.runWhy(rs.Setup)
			for _, c := range rs.Checks {
				for _, v := range scenario.Variants {
					vals := make([]float64, Replications)
					for r, o := range byVariant[v] {
						vals[r] = c.Measure(o)
					}
					est := Replicated(vals)
					w := why + fmt.Sprintf("; 95%% CI ±%s", pct(est.HalfWidth95()/math.Abs(c.Oracle)))
					if c.Note != "" {
						w += "; " + c.Note
					}
					rows = append(rows, statRow(Row{Section: e.Section, Experiment: rs.Name, Variant: v, Quantity: c.Quantity}, c.Oracle, est, w))
				}
			}
			for _, v := range scenario.Variants {
				little = append(little, littleRows(e.Section, rs, v, byVariant[v], why)...)
			}
		}
	}
	return append(rows, little...), nil
}

func (opt Options) workflows(s Setup) int {
	if opt.Short {
		return max(1, s.Workflows/ShortDivisor)
	}
	return s.Workflows
}

// runWhy describes a run's length for the why column.
func (opt Options) runWhy(s Setup) string {
	n := opt.workflows(s)
	return fmt.Sprintf("%d SE; %d reps x %d wf (%.0f s) after %.0f s warm-up", K, Replications, n, s.windowSeconds(n), s.Warmup.Seconds())
}

// littleRows checks Little's law on the replications of one run in one variant, for the
// workflows and for the stations, each within K standard errors of the per-replication
// difference between its two sides.
//
// Workflows: Result.Little counts, for the workflows that started in the window, the
// time-average number in flight (integrated as the count changes) and, separately, each one's
// time in the window (those in flight at the end up to the end); the law is then an identity,
// checked to float rounding: a difference means a workflow was lost track of.
//
// Stations: L is the time-average number of jobs (MeanJobs), X the completions per second
// and W the mean response of the jobs completed in the window, wherever they arrived: the
// same construction. The row is the station of the run whose difference is the most
// standard errors from 0, named.
func littleRows(section string, rs RunSpec, variant string, outs []*Outcome, why string) []Row {
	n := len(outs)
	base := Row{Section: littleSection, Experiment: section + ", " + rs.Name, Variant: variant}
	ls, lw := make([]float64, n), make([]float64, n)
	for r, o := range outs {
		l := o.Result.Little
		ls[r], lw[r] = l.InFlight, l.ArrivalPerS*l.SojournMS/1000
	}
	wl := base
	wl.Quantity = "workflows: L vs lambda W (exact)"
	wl.Sim, wl.Oracle = Replicated(ls).Mean, Replicated(lw).Mean
	wl.Tol = 1e-9 * math.Abs(wl.Oracle)
	wl.Why = why + "; counted per workflow over the window (scenario.Little), the law is an identity: the tolerance is float rounding, and a difference would mean the run lost track of a workflow"
	rows := []Row{wl}

	worst, worstZ := Row{}, -1.0
	for _, st := range outs[0].Result.Stations {
		if st.Completed == 0 {
			continue
		}
		var name = st.Name
		ls, xw, d := make([]float64, n), make([]float64, n), make([]float64, n)
		work := false
		for r, o := range outs {
			s := o.station(name)
			ls[r] = s.MeanJobs
			x := float64(s.Completed) / s.Elapsed.Seconds()
			xw[r] = float64(x*s.MeanResponseMS) / 1000
			d[r] = ls[r] - xw[r]
			work = work || s.MeanResponseMS > 0
		}
		if !work {
			continue // a zero-work station (the client): L = XW = 0
		}
		row := littleRow(base, "station "+name+": L vs X W", ls, xw, d, why)
		z := math.Inf(1) // a NaN or zero tolerance is the worst there is
		if row.Tol > 0 && !math.IsNaN(row.Diff()) {
			z = math.Abs(row.Diff()) / row.Tol
		}
		if z > worstZ || worstZ < 0 {
			worst, worstZ = row, z
		}
	}
	if worstZ >= 0 {
		rows = append(rows, worst)
	}
	return rows
}

func littleRow(base Row, quantity string, l, oracle, d []float64, why string) Row {
	dl := Replicated(d)
	base.Quantity = quantity
	base.Oracle = Replicated(oracle).Mean
	base.Sim = Replicated(l).Mean
	base.Tol = float64(K * dl.SE)
	base.Why = why + fmt.Sprintf("; 95%% CI of L - oracle ±%s", pct(dl.HalfWidth95()/math.Abs(base.Oracle)))
	return base
}

// pct formats a fraction as a percentage with two decimals, or two significant digits
// below 0.01%.
func pct(f float64) string {
	p := 100 * f
	if math.Abs(p) < 0.01 && p != 0 {
		return fmt.Sprintf("%.2g%%", p)
	}
	return fmt.Sprintf("%.2f%%", p)
}
