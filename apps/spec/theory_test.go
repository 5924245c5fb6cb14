package spec_test

import (
	"fmt"
	"math"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/edgesim/edgesim/apps/spec"
	"github.com/edgesim/edgesim/comm"
	"github.com/edgesim/edgesim/engine"
	"github.com/edgesim/edgesim/network"
	"github.com/edgesim/edgesim/scenario"
	"github.com/edgesim/edgesim/theory"
	"github.com/edgesim/edgesim/workload"
)

// The proofs run specs through scenario.Run as queueing networks: every service on one node
// (messages cost nothing, only CPU work takes time), static placement, no dynamics, a
// station per service (its cpu requirement in cores), exponential service times of mean
// processing_time, and a warm-up left out of the measurements.
//
// Tolerance: each check runs reps independent replications (seeds 1..reps) and compares the
// mean of the per-replication means with the oracle, passing within K standard errors of
// that mean. With 10 replications the standardised error follows Student's t with 9
// degrees of freedom and P(|t_9| > 4) = 0.003: a correct interpreter fails about once in
// 300 seeds, and a bias of a few standard errors (here about 1% of the mean, see the logs)
// is caught. The oracles are steady-state means; the warm-up (5 s, hundreds of mean
// response times at these loads) makes the bias of the empty start negligible against the
// standard error.
const (
	reps = 10
	kSE  = 4
)

func mustParse(t *testing.T, yaml string) *spec.App {
	t.Helper()
	s, err := spec.Parse("proof.yaml", []byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	a, err := spec.New(s)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// oneNode places every service of a on one node with enough cores for all.
func oneNode(t *testing.T, a *spec.App) (*network.Graph, map[string]string) {
	t.Helper()
	g := network.NewGraph()
	if err := g.AddNode("n0", network.NodeAssets{CPU: 64, RAM: 64, Storage: 64, Availability: 1}); err != nil {
		t.Fatal(err)
	}
	static := map[string]string{}
	for _, s := range a.Application().Services {
		static[s.Name] = "n0"
	}
	return g, static
}

// queueing returns the configuration of one replication: warm-up then a window of length
// window.
func queueing(t *testing.T, a *spec.App, variant string, seed uint64, wl workload.Config, window engine.Time) scenario.Config {
	g, static := oneNode(t, a)
	wl.Warmup = 5 * engine.Second
	return scenario.Config{Variant: variant, Seed: seed, Steps: 1, StepLength: wl.Warmup + window,
		Infra: g, Strategy: "static", Static: static, Model: "latency", Timeout: 1000 * engine.Second,
		Workload: wl, Load: comm.Load{Service: "exp", Sched: "fcfs"}}
}

// estimate is a mean over replications with its standard error.
type estimate struct{ mean, se float64 }

func replicated(xs []float64) estimate {
	n := float64(len(xs))
	sum := 0.0
	for _, x := range xs {
		sum += x
	}
	m := sum / n
	ss := 0.0
	for _, x := range xs {
		ss += float64((x - m) * (x - m))
	}
	return estimate{m, math.Sqrt(ss / (n - 1) / n)}
}

// replicate runs the replications of one variant and returns the per-replication results.
func replicate(t *testing.T, a *spec.App, variant string, wl workload.Config, window engine.Time) []*scenario.Result {
	var out []*scenario.Result
	for seed := uint64(1); seed <= reps; seed++ {
		res, err := scenario.Run(queueing(t, a, variant, seed, wl, window), a)
		if err != nil {
			t.Fatal(err)
		}
		if res.Failed > 0 || res.Rejected > 0 || res.Workflows == 0 {
			t.Fatalf("%s seed %d: %d workflows, %d failed, %d rejected", variant, seed, res.Workflows, res.Failed, res.Rejected)
		}
		if e := res.Little.RelErr(); e > 1e-9 {
			t.Errorf("%s seed %d: Little's law off by %g", variant, seed, e)
		}
		out = append(out, res)
	}
	return out
}

func check(t *testing.T, what string, oracle float64, xs []float64) {
	t.Helper()
	e := replicated(xs)
	tol := kSE * e.se
	t.Logf("%s: simulated %.4f +- %.4f (SE), oracle %.4f, error %.2f%% (tolerance %.2f%%)",
		what, e.mean, e.se, oracle, 100*(e.mean-oracle)/oracle, 100*tol/oracle)
	if d := math.Abs(e.mean - oracle); !(d <= tol) {
		t.Errorf("%s: simulated %.4f, oracle %.4f: off by %.4f, more than %d standard errors (%.4f)", what, e.mean, oracle, d, kSE, tol)
	}
	if limit := maxRelSE(); e.se > limit*oracle {
		t.Errorf("%s: standard error %.4f is over %g%% of the oracle: the run is too short to prove anything", what, e.se, 100*limit)
	}
}

// window is the measured time of a replication that completes about n workflows at rate x.
func window(n int, x float64) engine.Time { return engine.FromSeconds(float64(n) / x) }

// maxRelSE is the largest standard error, relative to the oracle, that still makes a check
// worth running: at 2% the tolerance (4 SE) is 8% of the mean; a quarter of the run under
// -short doubles it.
func maxRelSE() float64 {
	if testing.Short() || raceEnabled {
		return 0.04
	}
	return 0.02
}

func perRun(n int) int {
	if testing.Short() || raceEnabled {
		return n / 4
	}
	return n
}

// A two-branch fork-join under Poisson arrivals: the client starts a request to A and one
// to B together and waits for both; A and B are M/M/1 stations (one core, exponential work
// of mean 10 ms, mu = 100/s) fed by the same arrivals. Nelson and Tantawi's exact mean
// (theory.ForkJoin2): R = (12 - rho)/8 / (mu - lambda).
func TestForkJoinAgainstNelsonTantawi(t *testing.T) {
	a := mustParse(t, `
name: forkjoin
services:
  - name: Client
    requirements: {cpu: 1}
    endpoints:
      - name: go
        steps:
          - parallel: [{to: A/x, request: {size: 100}}, {to: B/x, request: {size: 100}}]
  - name: A
    requirements: {cpu: 1, processing_time_ms: 10}
    endpoints: [{name: x, response: {size: 100}}]
  - name: B
    requirements: {cpu: 1, processing_time_ms: 10}
    endpoints: [{name: x, response: {size: 100}}]
entry: {service: Client, mix: [{endpoint: go, p: 1}]}
`)
	const mu = 100.0
	for _, rho := range []float64{0.5, 0.7} {
		lambda := rho * mu
		r2, err := theory.ForkJoin2(lambda, mu)
		if err != nil {
			t.Fatal(err)
		}
		n := perRun(4000)
		if rho > 0.6 {
			n = perRun(10000) // slower relaxation, larger variance
		}
		for _, v := range scenario.Variants {
			t.Run(fmt.Sprintf("rho=%.1f/%s", rho, v), func(t *testing.T) {
				runs := replicate(t, a, v, workload.Config{Rate: lambda}, window(n, lambda))
				var ms []float64
				for _, r := range runs {
					ms = append(ms, r.Latency.Mean)
				}
				check(t, "fork-join mean response (ms)", 1000*r2, ms)
			})
		}
	}
}

// A tandem under Poisson arrivals: the client asks A, then B, then C, one after the other.
// Each station is an exponential single server (mean 10, 5 and 8 ms); by Burke's theorem
// each sees Poisson arrivals at rate lambda, and the mean response is the sum of the M/M/1
// responses (theory.Tandem, Jackson 1963).
func TestTandemAgainstJackson(t *testing.T) {
	a := mustParse(t, `
name: tandem
services:
  - name: Client
    requirements: {cpu: 1}
    endpoints:
      - name: go
        steps:
          - call: {to: A/x}
          - call: {to: B/x}
          - call: {to: C/x}
  - {name: A, requirements: {cpu: 1, processing_time_ms: 10}, endpoints: [{name: x}]}
  - {name: B, requirements: {cpu: 1, processing_time_ms: 5}, endpoints: [{name: x}]}
  - {name: C, requirements: {cpu: 1, processing_time_ms: 8}, endpoints: [{name: x}]}
entry: {service: Client, mix: [{endpoint: go, p: 1}]}
`)
	const lambda = 60.0
	res, err := theory.Tandem(lambda, []theory.OpenStation{{Name: "A", Mu: 100, C: 1}, {Name: "B", Mu: 200, C: 1}, {Name: "C", Mu: 125, C: 1}})
	if err != nil {
		t.Fatal(err)
	}
	n := perRun(6000)
	for _, v := range scenario.Variants {
		t.Run(v, func(t *testing.T) {
			runs := replicate(t, a, v, workload.Config{Rate: lambda}, window(n, lambda))
			var ms []float64
			for _, r := range runs {
				ms = append(ms, r.Latency.Mean)
			}
			check(t, "tandem mean response (ms)", 1000*res.Response, ms)
		})
	}
}

// A closed chain of forwards: N users with exponential think times (mean 100 ms) ask A,
// which hands the request to B, which hands it to C, which answers the user (in MPI
// directly, in REST back up the nested calls). The work happens when each request arrives,
// so the stations form a closed product-form network; exact mean value analysis
// (theory.MVA) gives the throughput and the response time.
func TestForwardChainAgainstMVA(t *testing.T) {
	a := mustParse(t, `
name: chain
services:
  - name: Client
    requirements: {cpu: 1}
    endpoints: [{name: go, steps: [{call: {to: A/x, request: {size: 10}}}]}]
  - {name: A, requirements: {cpu: 1, processing_time_ms: 10}, endpoints: [{name: x, steps: [{forward: {to: B/x}}]}]}
  - {name: B, requirements: {cpu: 1, processing_time_ms: 5}, endpoints: [{name: x, steps: [{forward: {to: C/x}}]}]}
  - {name: C, requirements: {cpu: 1, processing_time_ms: 8}, endpoints: [{name: x, response: {size: 20}}]}
entry: {service: Client, mix: [{endpoint: go, p: 1}]}
`)
	const users = 10
	mva, err := theory.MVA(theory.ClosedNetwork{Think: 0.1, Stations: []theory.ClosedStation{
		{Name: "A", Demand: 0.010, Servers: 1}, {Name: "B", Demand: 0.005, Servers: 1}, {Name: "C", Demand: 0.008, Servers: 1}}}, users)
	if err != nil {
		t.Fatal(err)
	}
	n := perRun(8000)
	for _, v := range scenario.Variants {
		t.Run(v, func(t *testing.T) {
			wl := workload.Config{Users: users, Think: 100 * engine.Millisecond, ThinkDist: workload.Exp}
			runs := replicate(t, a, v, wl, window(n, mva.Throughput))
			var ms, x []float64
			for _, r := range runs {
				ms = append(ms, r.Latency.Mean)
				x = append(x, r.ThroughputPerS)
			}
			check(t, "closed chain mean response (ms)", 1000*mva.Response, ms)
			check(t, "closed chain throughput (/s)", mva.Throughput, x)
		})
	}
}

// Branch frequencies: the mix (0.25 / 0.75) picks the entry endpoint, and a branch inside
// service S (0.1 / 0.6 / 0.3) picks which leaf S asks; the calls counted per pair must fit
// the probabilities. Pearson's chi-square statistic over the k outcomes has k-1 degrees of
// freedom; the test fails above its 0.999 quantile, so a correct interpreter fails once in
// a thousand seeds (the seed is fixed: the test is deterministic), while a probability off
// by 0.01 at these counts (about 40000 draws) gives a statistic far above it.
func TestBranchFrequencies(t *testing.T) {
	a := mustParse(t, `
name: branches
services:
  - name: Client
    endpoints:
      - {name: light, steps: [{call: {to: S/x}}]}
      - {name: heavy, steps: [{call: {to: S/x}}, {call: {to: T/x}}]}
  - name: S
    endpoints:
      - name: x
        steps:
          - branch:
              cases:
                - {p: 0.1, steps: [{call: {to: L1/x}}]}
                - {p: 0.6, steps: [{call: {to: L2/x}}]}
                - {p: 0.3, steps: [{call: {to: L3/x}}]}
  - {name: T, endpoints: [{name: x}]}
  - {name: L1, endpoints: [{name: x}]}
  - {name: L2, endpoints: [{name: x}]}
  - {name: L3, endpoints: [{name: x}]}
entry: {service: Client, mix: [{endpoint: light, p: 0.25}, {endpoint: heavy, p: 0.75}]}
`)
	rate, secs := 8000.0, 5.0
	if testing.Short() || raceEnabled {
		secs = 2
	}
	for _, v := range scenario.Variants {
		t.Run(v, func(t *testing.T) {
			g, static := oneNode(t, a)
			cfg := scenario.Config{Variant: v, Seed: 7, Steps: 1, StepLength: engine.FromSeconds(secs), Infra: g,
				Strategy: "static", Static: static, Model: "latency", Timeout: engine.Second, Workload: workload.Config{Rate: rate}}
			res, err := scenario.Run(cfg, a)
			if err != nil {
				t.Fatal(err)
			}
			count := map[string]int{}
			for _, in := range res.Interactions {
				if v == "rest" || in.From == "Client" || in.From == "S" {
					count[in.From+">"+in.To] = in.Count
				}
			}
			n := res.Workflows
			chi(t, "mix", []int{n - count["Client>T"], count["Client>T"]}, []float64{0.25, 0.75})
			chi(t, "branch", []int{count["S>L1"], count["S>L2"], count["S>L3"]}, []float64{0.1, 0.6, 0.3})
			if count["Client>S"] != n {
				t.Errorf("%d workflows but %d calls to S", n, count["Client>S"])
			}
		})
	}
}

func chi(t *testing.T, what string, obs []int, p []float64) {
	t.Helper()
	n := 0
	for _, o := range obs {
		n += o
	}
	x2 := 0.0
	for i, o := range obs {
		e := float64(n) * p[i]
		x2 += float64((float64(o) - e) * (float64(o) - e) / e)
	}
	limit := distuv.ChiSquared{K: float64(len(obs) - 1)}.Quantile(0.999)
	t.Logf("%s: observed %v of %d, chi-square %.2f (limit %.2f)", what, obs, n, x2, limit)
	if n < 1000 || x2 > limit {
		t.Errorf("%s: observed %v of %d against %v: chi-square %.2f above %.2f", what, obs, n, p, x2, limit)
	}
}
