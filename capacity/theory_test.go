package capacity

import (
	"math"
	"sync"
	"testing"

	"github.com/edgesim/edgesim/engine"
	"github.com/edgesim/edgesim/sockshop"
	"github.com/edgesim/edgesim/theory"
)

// TestAgainstMVA checks a capacity study against queueing theory. With the dynamics off the
// first placement holds for the whole run and nothing fails; with exponential service at
// one FCFS station per service (max(1, ceil(cpu)) cores) and links that are not shared,
// the MPI workflow (each service works once, one after the other, network delays in
// between that depend on no queue) is a closed product-form network: N users, a delay
// station of mean Z (the network time of a workflow) and seven multi-server stations of
// demand processing_time. Exact MVA gives its throughput X(N), and SaturationOf on MVA's
// curve gives the saturation point the study must find.
//
// Tolerance, per load: 3/sqrt(n) + N/(2 X T), n the completed workflows. At saturation X is
// c/mean(S) over n exponential draws, whose relative standard deviation is 1/sqrt(n); below
// it a user's cycle (a constant network time plus about 100 ms of service) varies far less
// than a Poisson count, so 1/sqrt(n) overstates the noise there. The second term is the
// start-up bias: every user starts at time 0 instead of at a random phase of its cycle, which
// loses about N/2 completions in a run of length T. Measured on seeds 1-12 (100 steps), the
// errors were all within that bound; on seed 22 at 200 steps they are below 0.5%.
func TestAgainstMVA(t *testing.T) {
	if raceEnabled {
		t.Skip("statistical check of the model, not of concurrency (TestRunDeterministic covers Run's workers): about 10x slower under the race detector")
	}
	steps, loads := 200, []float64{1, 10, 25, 50, 75, 100, 200}
	if testing.Short() {
		steps, loads = 100, []float64{1, 25, 50, 75, 100}
	}
	base := sockshop.DefaultConfig("")
	base.Steps = steps
	base.Dynamics = false
	base.Load.Service = "exp"
	spec := Spec{Base: base, Variants: []string{"mpi"}, Strategies: []string{"random"}, Kind: Users, Loads: loads}
	var mu sync.Mutex
	var netPerWorkflow float64
	deployed := map[int]int{}
	rep, err := Run(spec, Options{Workers: 2, Run: func(c sockshop.Config) (*sockshop.Result, error) {
		r, err := sockshop.Run(c)
		if err == nil {
			mu.Lock()
			defer mu.Unlock()
			deployed[c.Workload.Users] = r.DeployedSteps
			if c.Workload.Users == 1 {
				netPerWorkflow = r.Breakdown.Network.Seconds() / float64(r.Workflows)
			}
		}
		return r, err
	}})
	if err != nil {
		t.Fatal(err)
	}
	var stations []theory.ClosedStation
	for _, s := range sockshop.App().Services {
		stations = append(stations, theory.ClosedStation{Name: s.Name, Demand: s.Requirements.ProcessingTimeMS / 1000,
			Servers: max(1, int(math.Ceil(s.Requirements.CPU)))})
	}
	mva, err := theory.MVA(theory.ClosedNetwork{Think: netPerWorkflow, Stations: stations}, int(loads[len(loads)-1]))
	if err != nil {
		t.Fatal(err)
	}
	runSeconds := (engine.Time(steps) * base.StepLength).Seconds()
	rows := rep.Groups[0].Rows
	oracle := make([]Row, len(rows))
	for i, r := range rows {
		n := int(r.Load)
		if deployed[n] != steps || r.Failed != 0 {
			t.Fatalf("N=%d: deployed %d of %d steps, %d failed: not the closed network the oracle models", n, deployed[n], steps, r.Failed)
		}
		x := mva.Throughputs[n]
		oracle[i] = Row{Load: r.Load, ThroughputPerS: x}
		tol := 3/math.Sqrt(float64(r.Workflows)) + r.Load/(2*x*runSeconds)
		t.Logf("N=%v sim %.3f mva %.3f err %.4f tol %.4f", r.Load, r.ThroughputPerS, x, theory.RelErr(r.ThroughputPerS, x), tol)
		if err := theory.CheckRel("throughput at "+FormatLoad(Users, r.Load), r.ThroughputPerS, x, tol); err != nil {
			t.Error(err)
		}
	}
	got, want := SaturationOf(rows), SaturationOf(oracle)
	if got.Index != want.Index || got.Index < 0 {
		t.Errorf("saturation: the study finds row %d (%s), MVA row %d (%s)", got.Index, got.Reason, want.Index, want.Reason)
	}
}
