package catalog

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/edgesim/edgesim/capacity"
	"github.com/edgesim/edgesim/engine"
	"github.com/edgesim/edgesim/network"
	"github.com/edgesim/edgesim/scenario"
	"github.com/edgesim/edgesim/sockshop"
)

// The saturation throughput of an application is capacity's: the highest throughput
// (completed workflows per second of virtual time) of the rows from the saturation point on,
// the saturation point being the first load at which a CPU station rejected work or was busy
// at least 98% of the window, or the throughput grew less than half as fast as the load
// (capacity.Group.SaturationThroughput, capacity.SaturationOf). It is measured on the
// reference infrastructure by a capacity study of each application (satSpec).
//
// The grid: closed-loop users growing fourfold from 1 to 4096 (criterion 2 of the saturation
// point compares relative growths, so a geometric grid suits every application whatever its
// capacity: the fastest to saturate do at 16 users, the DeathStarBench graphs, with 1 ms
// services and about 1 s of network time per workflow, at 4096, where their bottleneck is
// busy all the time), no think time, satSteps steps of 500 ms measured after satWarmSteps.
var satUsers = []float64{1, 4, 16, 64, 256, 1024, 4096}

// satWarmSteps are left out before the measured window (once the application is
// deployed): every user starts at once, and until the first workflows have gone through
// every station the bottleneck's followers idle and the throughput is below the steady
// state (SockShop at 256 users: 9% below in a 10 s window without them).
const (
	satSteps     = 20  // measured steps: 10 s of virtual time
	satWarmSteps = 10  // 5 s of warm-up: the response time at the saturation point is at most 2.8 s (SockShop, 256 users)
	probeSteps   = 100 // the reference run's length, to find where an application deploys
	satSLO       = "p95=1500ms"
)

// satStrategies are tried in this order (the reference strategy first), as TestCatalogueRuns
// does.
var satStrategies = []string{"random", "best-fit", "first-fit", "round-robin"}

// satBase is the capacity command's base (sockshop.DefaultConfig: the reference
// infrastructure, 30 nodes of seed 22, ECLYPSE's cost model; service time exp, one CPU
// station per service with max(1, ceil(cpu)) cores, FCFS) with the dynamics off, so the
// saturation throughput is the application's, not cut by the infrastructure's downtime.
// With a station per service and links that only delay, the placement changes the network
// time of a workflow (how many users it takes to saturate) but not the capacity.
func satBase() sockshop.Config {
	c := sockshop.DefaultConfig("")
	c.Load.Service = "exp"
	c.Dynamics = false
	return c
}

// satSpec is the capacity study of catalogue application name: the first strategy of
// satStrategies that deploys it within probeSteps steps of one user (without dynamics,
// random placement draws a new placement at each step until one fits; the others fit at
// the first step or never), with a warm-up of the steps before it deploys, so the measured
// window is satSteps deployed steps after satWarmSteps, whatever the strategy.
func satSpec(name string) (capacity.Spec, error) {
	a, err := App(name)
	if err != nil {
		return capacity.Spec{}, err
	}
	base := satBase()
	slo, err := capacity.ParseSLO(satSLO)
	if err != nil {
		return capacity.Spec{}, err
	}
	for _, st := range satStrategies {
		probe := base
		probe.Variant, probe.Strategy, probe.Steps = "mpi", st, probeSteps
		res, err := scenario.Run(probe.Config, a)
		if err != nil {
			return capacity.Spec{}, err
		}
		if res.DeployedSteps == 0 {
			continue
		}
		if res.Undeploys > 0 {
			return capacity.Spec{}, fmt.Errorf("%s %s: undeployed without dynamics (%v)", name, st, res.LastProblems)
		}
		warm := probeSteps - res.DeployedSteps + satWarmSteps
		base.Steps = warm + satSteps
		base.Workload.Warmup = engine.Time(warm) * base.StepLength
		return capacity.Spec{App: a, AppFile: "apps/catalog/" + name + ".yaml", Base: base, Variants: scenario.Variants,
			Strategies: []string{st}, Kind: capacity.Users, Loads: satUsers, SLO: slo}, nil
	}
	return capacity.Spec{}, fmt.Errorf("%s: no strategy deploys it in %d steps", name, probeSteps)
}

// satFanoutLeaves is the fan-out measured: uqSim's has 1000 leaves, 2000 messages per
// workflow, about 20 million messages per virtual second at its capacity (each leaf serves
// at most 10 000 requests/s), far too many for a test. Every leaf sees every request, so the
// capacity does not depend on the number of leaves; how fast the fork-join approaches it does.
// Its grid stops at 256 users: it saturates at 16 and reaches its plateau by 256; each row
// beyond costs more for the same plateau.
const (
	satFanoutLeaves    = 10
	satFanoutSteps     = 100 // of FanoutStep (10 ms): 1 s measured, about 10 000 workflows
	satFanoutWarmSteps = 20  // 0.2 s, eight times the response time at 256 users
	satFanoutUsers     = 5   // satUsers[:5]: 1..256
)

// satFanoutSpec is the fan-out's study: its own infrastructure and static placement
// (FanoutScenario: a machine per leaf around a hub, the latency cost model), closed-loop
// users as for the others up to 256, 1 s measured after 0.2 s.
func satFanoutSpec() (capacity.Spec, error) {
	cfg, a, err := FanoutScenario("", satFanoutLeaves, float64(satFanoutWarmSteps+satFanoutSteps)*FanoutStep.Seconds())
	if err != nil {
		return capacity.Spec{}, err
	}
	cfg.Workload.Warmup = satFanoutWarmSteps * FanoutStep
	cfg.InfraFile = fmt.Sprintf("uqSim fan-out, %d leaves", satFanoutLeaves)
	slo, err := capacity.ParseSLO(satSLO)
	if err != nil {
		return capacity.Spec{}, err
	}
	return capacity.Spec{App: a, Base: sockshop.Config{Config: cfg}, Variants: scenario.Variants,
		Strategies: []string{"static"}, Kind: capacity.Users, Loads: satUsers[:satFanoutUsers], SLO: slo}, nil
}

// command is the capacity command that runs spec s (an application of the catalogue on the
// reference infrastructure).
func command(s capacity.Spec) string {
	loads := make([]string, len(s.Loads))
	for i, l := range s.Loads {
		loads[i] = strconv.FormatFloat(l, 'f', -1, 64)
	}
	cmd := fmt.Sprintf("go run ./experiments/capacity -app %s -dynamics=false -strategies %s -users %s -steps %d",
		s.AppFile, s.Strategies[0], strings.Join(loads, ","), s.Base.Steps)
	if w := s.Base.Workload.Warmup; w > 0 {
		cmd += " -warmup " + time.Duration(w).String()
	}
	return cmd
}

// bottleneckBound is the utilisation law's bound on the throughput of a run with a station
// per service: min over the stations of cores / D, D the station's CPU demand per workflow.
// D is measured, not read from the spec, because visits depend on the endpoints' programs
// (mixes, branches, repeats, work steps): one user runs the application for 50 s with every
// service on one node (no network time, nothing fails), service times constant, and
// D = utilisation x cores x window / workflows completed. Constant service times leave only
// two errors: the work of the one workflow under way at the end (under 1% with the hundreds
// completed) and, for an application whose requests differ (mix, branches), the sample of
// requests (a few percent at most over those hundreds: the per-request demand varies by less
// than its mean).
func bottleneckBound(t *testing.T, s capacity.Spec) (perS float64, station string) {
	t.Helper()
	g := network.NewGraph()
	if err := g.AddNode("n", network.NodeAssets{CPU: 1e6, GPU: 1e6, RAM: 1e6, Storage: 1e6, Availability: 1}); err != nil {
		t.Fatal(err)
	}
	cfg := s.Base.Config
	cfg.Variant, cfg.Infra, cfg.Dynamics, cfg.Strategy, cfg.Static = "mpi", g, false, "static", map[string]string{}
	for _, sv := range s.App.Spec().Services {
		cfg.Static[sv.Name] = "n"
	}
	cfg.Steps, cfg.StepLength, cfg.Model = 100, 500*engine.Millisecond, "latency"
	cfg.Workload.Users, cfg.Workload.Rate, cfg.Workload.Warmup = 1, 0, 0
	cfg.Load.Service = "const"
	res, err := scenario.Run(cfg, s.App)
	if err != nil {
		t.Fatal(err)
	}
	if res.Workflows < 100 || res.Failed > 0 {
		t.Fatalf("bound run: %d workflows, %d failed", res.Workflows, res.Failed)
	}
	perS = math.Inf(1)
	for _, st := range res.Stations {
		d := st.Utilisation * float64(st.Cores) * res.MeasuredMS / 1000 / float64(res.Workflows)
		if b := float64(st.Cores) / d; d > 0 && b < perS {
			perS, station = b, st.Name
		}
	}
	return perS, station
}

// satTolerance is how far a saturation throughput may lie from the bottleneck bound, as a
// fraction of the bound, over a window of window seconds: 4 standard deviations of the
// bottleneck's completions (a station busy the whole window completes a Poisson number of
// exponential jobs, mean and variance bound x window; on the plateau past the knee, where
// the saturation throughput is read, the bottleneck is busy all the time), plus 5% for an
// application whose requests differ (random: mix, branches), for the sample of requests
// behind the bound and behind the study. Measured: within 4% everywhere (see the README).
func satTolerance(bound, window float64, random bool) float64 {
	tol := 4 / math.Sqrt(bound*window)
	if random {
		tol += 0.05
	}
	return tol
}

// checkSaturation checks every group of rep against the bottleneck bound.
func checkSaturation(t *testing.T, rep *capacity.Report, bound float64, station string, tol float64) {
	t.Helper()
	for _, g := range rep.Groups {
		x, ok := g.SaturationThroughput()
		if !ok {
			t.Errorf("%s: not saturated up to %v users: extend the grid", g.Variant, rep.Spec.Loads[len(rep.Spec.Loads)-1])
			continue
		}
		if lo, hi := bound*(1-tol), bound*(1+tol); x < lo || x > hi {
			t.Errorf("%s: saturation throughput %.1f/s outside [%.1f, %.1f], the bottleneck bound %.1f/s (%s) +- %.1f%%",
				g.Variant, x, lo, hi, bound, station, 100*tol)
		}
	}
}

// TestCatalogueSaturation measures the saturation throughput of every application of the
// catalogue, MPI and REST, checks each against the bottleneck bound (satTolerance), and logs
// the README's table and the capacity command behind each row (go test -v -run
// TestCatalogueSaturation ./apps/catalog). It takes about 30 s of CPU: not under -short
// (TestSaturationBound checks one application there) nor under the race detector.
func TestCatalogueSaturation(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("about 30 s of CPU (10 times more under -race); TestSaturationBound checks one application")
	}
	var rows []string
	for _, name := range Names() {
		t.Run(name, func(t *testing.T) {
			var s capacity.Spec
			var err error
			window := float64(satSteps) * 0.5
			if name == "uqsim_fanout" {
				s, err = satFanoutSpec()
				window = float64(satFanoutSteps) * FanoutStep.Seconds()
			} else {
				s, err = satSpec(name)
			}
			if err != nil {
				t.Fatal(err)
			}
			rep, err := capacity.Run(s, capacity.Options{Workers: 2})
			if err != nil {
				t.Fatal(err)
			}
			bound, bottleneck := bottleneckBound(t, s)
			a, _ := App(name)
			checkSaturation(t, rep, bound, bottleneck, satTolerance(bound, window, random(a.Source())))
			var cells []string
			for _, g := range rep.Groups {
				x, ok := g.SaturationThroughput()
				if !ok {
					t.FailNow()
				}
				cells = append(cells, fmt.Sprintf("%.0f", x), formatUsers(g.Rows[g.Saturation.Index].Load))
				t.Log(rep.Summary(g))
			}
			run := fmt.Sprintf("%d / %v", s.Base.Steps, time.Duration(s.Base.Workload.Warmup))
			if name == "uqsim_fanout" {
				run = fmt.Sprintf("%d leaves (not %d), own infrastructure; users 1-%s; %d x %v / %v",
					satFanoutLeaves, FanoutLeaves, formatUsers(s.Loads[len(s.Loads)-1]), s.Base.Steps, time.Duration(FanoutStep), time.Duration(s.Base.Workload.Warmup))
			} else {
				t.Log(command(s))
			}
			rows = append(rows, fmt.Sprintf("| %s | %s / %s | %s / %s | %.0f (%s) | %s | %s |", name, cells[0], cells[2], cells[1], cells[3],
				bound, bottleneck, s.Strategies[0], run))
		})
	}
	t.Log("\n| file | saturation throughput wf/s MPI / REST | saturated at, users, MPI / REST | bottleneck bound wf/s | placement | -steps / -warmup |\n" +
		"|---|--:|--:|--:|---|---|\n" + strings.Join(rows, "\n"))
}

// TestSaturationBound is the cheap check, under -short too: CRUDAPI's saturation throughput
// against its bottleneck computed by hand. Every workflow costs the GatewayService (1 core,
// the entry, charged once per workflow) 6 ms, AuthService (1 core) 5 ms, ItemService (2
// cores) 10 ms, AuditService (1 core) 4 ms: the bounds are 166.7, 200, 200 and 250
// workflows/s, so the gateway's 1/6ms = 166.7/s bounds the throughput. The measured bound
// (bottleneckBound) must find the same station and value (to 1%: constant service times,
// a few hundred workflows), and the saturation throughput of both styles must lie within
// satTolerance of it (4 standard deviations: 9.8% over 10 s).
func TestSaturationBound(t *testing.T) {
	s, err := satSpec("crud_api")
	if err != nil {
		t.Fatal(err)
	}
	s.Loads = []float64{1, 4, 16, 64} // saturates at 16 users
	const hand = 1000.0 / 6
	bound, station := bottleneckBound(t, s)
	if station != "GatewayService" || math.Abs(bound/hand-1) > 0.01 {
		t.Errorf("measured bound %.2f/s (%s), want %.2f/s (GatewayService)", bound, station, hand)
	}
	rep, err := capacity.Run(s, capacity.Options{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	checkSaturation(t, rep, hand, "GatewayService", satTolerance(hand, float64(satSteps)*0.5, false))
	for _, g := range rep.Groups {
		x, _ := g.SaturationThroughput()
		t.Logf("%s: saturation throughput %.1f/s, %.1f%% of the bound; %s", g.Variant, x, 100*x/hand, rep.Summary(g))
	}
}

// formatUsers writes a number of users.
func formatUsers(l float64) string { return strconv.FormatFloat(l, 'f', -1, 64) }
