package scenario_test

import (
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/edgesim/edgesim/comm"
	"github.com/edgesim/edgesim/engine"
	"github.com/edgesim/edgesim/network"
	"github.com/edgesim/edgesim/placement"
	"github.com/edgesim/edgesim/scenario"
	"github.com/edgesim/edgesim/workload"
)

// sized is echo with requirements: each service needs cpu cores, the interactions bandwidth
// Mbit/s, and Echo works work ms per request (the Client none).
type sized struct {
	cpu, bandwidth, work float64
}

func (s sized) Spec() *placement.Application {
	return &placement.Application{Name: "echo",
		Services: []placement.Service{
			{Name: "Client", Requirements: placement.Requirements{CPU: s.cpu}},
			{Name: "Echo", Requirements: placement.Requirements{CPU: s.cpu, ProcessingTimeMS: s.work}}},
		Interactions: []placement.Interaction{
			{From: "Client", To: "Echo", MaxLatencyMS: 1e9, MinBandwidthMbps: s.bandwidth},
			{From: "Echo", To: "Client", MaxLatencyMS: 1e9, MinBandwidthMbps: s.bandwidth}},
	}
}

func (s sized) Start(env *scenario.Env) (scenario.Entry, error) { return echo{}.Start(env) }

func members(n int, app scenario.App) []scenario.Member {
	out := make([]scenario.Member, n)
	for i := range out {
		out[i] = scenario.Member{Name: string(rune('A' + i)), App: app}
	}
	return out
}

// Placement sees what the applications before it hold: node a has 4 cores, each copy of the
// application needs 2 (both services on a), so two copies run and the third is never
// deployed, for want of cpu.
func TestRunAppsHoldsNodeCapacity(t *testing.T) {
	g := network.NewGraph()
	if err := g.AddNode("a", network.NodeAssets{CPU: 4, RAM: 8, Storage: 8, Availability: 1}); err != nil {
		t.Fatal(err)
	}
	cfg := scenario.Config{Variant: "mpi", Seed: 1, Steps: 3, StepLength: 100 * engine.Millisecond, Infra: g,
		Strategy: "first-fit", Model: "latency", Timeout: engine.Second}
	res, err := scenario.RunApps(cfg, members(3, sized{cpu: 1}))
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range res[:2] {
		if r.DeployedSteps != 3 || r.Placements != 1 {
			t.Errorf("application %d: deployed %d steps, %d placements; want 3, 1", i, r.DeployedSteps, r.Placements)
		}
	}
	if r := res[2]; r.DeployedSteps != 0 || !strings.Contains(strings.Join(r.LastProblems, ";"), "cannot place") {
		t.Errorf("third application: deployed %d steps, problems %q; want never deployed, cannot place", r.DeployedSteps, r.LastProblems)
	}
	if res[1].Application != "B" {
		t.Errorf("second result names %q, want B", res[1].Application)
	}
	// With room for all three, all three run.
	g.SetNode("a", network.NodeAssets{CPU: 6, RAM: 8, Storage: 8, Availability: 1})
	if res, err = scenario.RunApps(cfg, members(3, sized{cpu: 1})); err != nil {
		t.Fatal(err)
	}
	for i, r := range res {
		if r.DeployedSteps != 3 {
			t.Errorf("6 cores: application %d deployed %d steps, want 3", i, r.DeployedSteps)
		}
	}
}

// The audit counts the bandwidth the others' interactions hold: each copy's interactions
// need 30 Mbit/s on the 100 Mbit/s link a -> b and 30 on b -> a, so three copies fit (90)
// and a fourth (120) does not.
func TestRunAppsHoldsBandwidth(t *testing.T) {
	cfg := echoConfig(t, "mpi")
	cfg.Steps = 2
	res, err := scenario.RunApps(cfg, members(4, sized{bandwidth: 30}))
	if err != nil {
		t.Fatal(err)
	}
	got := []int{}
	for _, r := range res {
		got = append(got, r.DeployedSteps)
	}
	if want := []int{2, 2, 2, 0}; !reflect.DeepEqual(got, want) {
		t.Fatalf("deployed steps per application %v, want %v", got, want)
	}
	if p := strings.Join(res[3].LastProblems, ";"); !strings.Contains(p, "bandwidth") {
		t.Errorf("fourth application's problems %q, want a bandwidth problem", p)
	}
}

// An application of a run with several draws from streams of its own: the first one runs
// exactly as it runs alone when nothing is shared (own nodes' stations, free links, static
// placement), and a second copy does not repeat its draws.
func TestRunAppsFirstUnchangedAndCopiesIndependent(t *testing.T) {
	for _, v := range scenario.Variants {
		cfg := echoConfig(t, v)
		cfg.Steps, cfg.StepLength = 20, engine.Second
		cfg.Workload = workload.Config{Rate: 20}
		cfg.Load = comm.Load{Service: "exp"}
		app := sized{work: 10}
		alone, err := scenario.Run(cfg, app)
		if err != nil {
			t.Fatal(err)
		}
		both, err := scenario.RunApps(cfg, members(2, app))
		if err != nil {
			t.Fatal(err)
		}
		if a, b := alone.Latency, both[0].Latency; a != b || alone.Workflows != both[0].Workflows || alone.Messages != both[0].Messages {
			t.Errorf("%s: first application alone %d workflows %+v, with another %d %+v: want the same", v, alone.Workflows, a, both[0].Workflows, b)
		}
		if both[0].Latency == both[1].Latency {
			t.Errorf("%s: two copies have the same latencies %+v: their draws are not independent", v, both[0].Latency)
		}
		again, err := scenario.RunApps(cfg, members(2, app))
		if err != nil {
			t.Fatal(err)
		}
		for i := range both {
			if !reflect.DeepEqual(both[i].Latency, again[i].Latency) || both[i].Messages != again[i].Messages {
				t.Errorf("%s: application %d differs between two runs", v, i)
			}
		}
	}
}

// With CPU node, two applications whose Echo services share node b's single core queue
// together: each sees an M/M/1 station loaded by both (rho = 2 lambda S), not by itself
// alone (rho = lambda S) as with CPU service.
//
// lambda = 30/s per application, S = 10 ms: shared rho = 0.6, mean response S/(1-rho) =
// 25 ms; own station rho = 0.3, 14.29 ms. A workflow adds 20 ms of network. Twenty
// replications of 30 s (about 900 workflows per application each): the test requires the
// mean over replications within 4 standard errors of the replications' means (a t-test with
// 19 degrees of freedom has p < 1e-3 at 4) and within 8% of theory. The two answers differ by 10.7 ms, far more than either margin, so a station that
// is not shared fails.
func TestRunAppsShareNodeCores(t *testing.T) {
	if testing.Short() {
		t.Skip("ten replications of two applications: about a second")
	}
	for _, tc := range []struct {
		cpu  string
		want float64 // mean workflow latency, ms
	}{
		{"node", 20 + 10/(1-0.6)},
		{"service", 20 + 10/(1-0.3)},
	} {
		var means []float64
		for seed := uint64(1); seed <= 20; seed++ {
			cfg := echoConfig(t, "mpi")
			cfg.Seed = seed
			cfg.Infra.SetNode("b", network.NodeAssets{CPU: 1, RAM: 8, Storage: 8, Availability: 1})
			cfg.Steps, cfg.StepLength = 30, engine.Second
			cfg.Workload = workload.Config{Rate: 30}
			cfg.Load = comm.Load{Service: "exp", CPU: tc.cpu}
			res, err := scenario.RunApps(cfg, members(2, sized{work: 10}))
			if err != nil {
				t.Fatal(err)
			}
			// The two applications of one replication share a station: their means are
			// correlated, so a replication counts once, with the two averaged.
			means = append(means, (res[0].Latency.Mean+res[1].Latency.Mean)/2)
			if tc.cpu == "node" && !reflect.DeepEqual(res[0].Stations, res[1].Stations) {
				t.Errorf("node stations differ between the two applications' results: %+v vs %+v", res[0].Stations, res[1].Stations)
			}
		}
		m, se := meanSE(means)
		t.Logf("cpu %s: mean latency %.2f ms (SE %.2f), M/M/1 %.2f", tc.cpu, m, se, tc.want)
		if d := math.Abs(m - tc.want); d > 4*se || d > 0.08*tc.want {
			t.Errorf("cpu %s: mean latency %.2f ms (SE %.2f), want %.2f (M/M/1)", tc.cpu, m, se, tc.want)
		}
	}
}

func meanSE(xs []float64) (mean, se float64) {
	for _, x := range xs {
		mean += x
	}
	mean /= float64(len(xs))
	var ss float64
	for _, x := range xs {
		ss += (x - mean) * (x - mean)
	}
	return mean, math.Sqrt(ss / float64(len(xs)-1) / float64(len(xs)))
}

func TestRunAppsErrors(t *testing.T) {
	cfg := echoConfig(t, "mpi")
	for _, tc := range []struct {
		name    string
		cfg     func(*scenario.Config)
		members []scenario.Member
		want    string
	}{
		{"none", nil, nil, "no application"},
		{"same name", nil, []scenario.Member{{App: echo{}}, {App: echo{}}}, `two applications are named "echo"`},
		{"nil app", nil, []scenario.Member{{Name: "x"}}, "application 1: nil"},
		{"static unknown service", func(c *scenario.Config) { c.Static = map[string]string{"Client": "a", "Echo": "b", "Nope": "a"} },
			members(2, echo{}), `unknown service "Nope"`},
		{"too many", nil, members(scenario.MaxMembers+1, echo{}), "at most"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := cfg
			if tc.cfg != nil {
				tc.cfg(&c)
			}
			_, err := scenario.RunApps(c, tc.members)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

// A member's own workload replaces the run's for that application only: an open loop of
// 10/s on one, 40/s on the other, each with a constant interarrival time, completes 10 and
// 40 workflows a second (echo takes 20 ms: nothing queues).
func TestRunAppsOwnWorkload(t *testing.T) {
	cfg := echoConfig(t, "mpi")
	cfg.Steps, cfg.StepLength = 10, engine.Second
	cfg.Workload = workload.Config{Rate: 10, Arrivals: workload.Const}
	ms := members(2, echo{})
	ms[1].Workload = &workload.Config{Rate: 40, Arrivals: workload.Const}
	res, err := scenario.RunApps(cfg, ms)
	if err != nil {
		t.Fatal(err)
	}
	// Arrivals at k/rate for k >= 1, completing 20 ms later, before the end at 10 s.
	if res[0].Workflows != 99 || res[1].Workflows != 399 {
		t.Errorf("workflows %d and %d, want 99 and 399", res[0].Workflows, res[1].Workflows)
	}
	ms[1].Workload = &workload.Config{Users: -1}
	if _, err := scenario.RunApps(cfg, ms); err == nil || !strings.Contains(err.Error(), "application B: workload: users") {
		t.Errorf("bad member workload: err = %v", err)
	}
}
