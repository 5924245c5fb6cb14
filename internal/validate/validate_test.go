package validate

import (
	"bytes"
	"math"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/edgesim/edgesim/engine"
	"github.com/edgesim/edgesim/internal/golden"
	"github.com/edgesim/edgesim/scenario"
	"github.com/edgesim/edgesim/theory"
)

// The short table is computed once per test binary and shared by the tests that read it.
var (
	shortOnce sync.Once
	shortRows []Row
	shortErr  error
)

func short(t *testing.T) []Row {
	t.Helper()
	if raceEnabled {
		t.Skip("the short table takes minutes under the race detector; TestDeterministic runs tiny tables")
	}
	shortOnce.Do(func() { shortRows, shortErr = Run(Options{Short: true}) })
	if shortErr != nil {
		t.Fatal(shortErr)
	}
	return shortRows
}

func find(t *testing.T, rows []Row, section, experiment, variant, quantity string) Row {
	t.Helper()
	for _, r := range rows {
		if strings.HasPrefix(r.Section, section) && r.Experiment == experiment && r.Variant == variant && r.Quantity == quantity {
			return r
		}
	}
	t.Fatalf("no row %s / %s / %s / %s", section, experiment, variant, quantity)
	return Row{}
}

func TestRowPass(t *testing.T) {
	nan := math.NaN()
	for _, tc := range []struct {
		name string
		row  Row
		want bool
	}{
		{"inside", Row{Oracle: 10, Sim: 10.5, Tol: 1}, true},
		{"at the edge", Row{Oracle: 10, Sim: 11, Tol: 1}, true},
		{"below", Row{Oracle: 10, Sim: 8.9, Tol: 1}, false},
		{"above", Row{Oracle: 10, Sim: 11.01, Tol: 1}, false},
		{"exact with zero tolerance", Row{Oracle: 3, Sim: 3, Tol: 0}, true},
		{"NaN simulated", Row{Oracle: 10, Sim: nan, Tol: 1}, false},
		{"NaN oracle", Row{Oracle: nan, Sim: 10, Tol: 1}, false},
		{"NaN tolerance (one replication)", Row{Oracle: 10, Sim: 10, Tol: nan}, false},
		{"negative tolerance", Row{Oracle: 10, Sim: 10, Tol: -1}, false},
		{"infinite simulated", Row{Oracle: 10, Sim: math.Inf(1), Tol: 1e300}, false},
	} {
		if got := tc.row.Pass(); got != tc.want {
			t.Errorf("%s: Pass() = %v, want %v", tc.name, got, tc.want)
		}
	}
	r := Row{Oracle: -4, Sim: -5, Tol: 2}
	if r.RelErr() != 0.25 || r.RelTol() != 0.5 {
		t.Errorf("RelErr %v RelTol %v, want 0.25 0.5", r.RelErr(), r.RelTol())
	}
}

// TestStatRowPower: statRow passes a value K standard errors away and fails one just beyond;
// so an oracle wrong by more than K SE fails, whatever the row.
func TestStatRowPower(t *testing.T) {
	e := Estimate{Mean: 50, SE: 0.5, N: Replications}
	if r := statRow(Row{}, 50+K*0.5, e, ""); !r.Pass() {
		t.Errorf("oracle K SE away must pass: %+v", r)
	}
	if r := statRow(Row{}, 50+K*0.5*1.001, e, ""); r.Pass() {
		t.Errorf("oracle beyond K SE must fail: %+v", r)
	}
}

func TestReplicated(t *testing.T) {
	e := Replicated([]float64{1, 2, 3, 4, 5})
	// mean 3, sample variance 2.5, SE sqrt(2.5/5).
	if e.Mean != 3 || math.Abs(e.SE-math.Sqrt(0.5)) > 1e-15 || e.N != 5 {
		t.Errorf("got %+v", e)
	}
	// t(0.975, 4) = 2.776445.
	if hw := e.HalfWidth95(); math.Abs(hw-2.776445*math.Sqrt(0.5)) > 1e-5 {
		t.Errorf("half-width %v", hw)
	}
	if e := Replicated([]float64{7}); e.Mean != 7 || !math.IsNaN(e.SE) || !math.IsNaN(e.HalfWidth95()) {
		t.Errorf("one replication: %+v", e)
	}
	if e := Replicated(nil); !math.IsNaN(e.Mean) {
		t.Errorf("none: %+v", e)
	}
}

func TestNum(t *testing.T) {
	for _, tc := range []struct {
		x    float64
		want string
	}{
		{50, "50.00"}, {49.5678, "49.57"}, {0.8, "0.8000"}, {1600, "1600"}, {84.2105263, "84.21"},
		{0.0012345, "0.001234"}, {-3.5, "-3.500"}, {0, "0"}, {12345.6, "12346"},
	} {
		if got := Num(tc.x); got != tc.want {
			t.Errorf("Num(%v) = %q, want %q", tc.x, got, tc.want)
		}
	}
	if Num(math.NaN()) != "NaN" {
		t.Error("NaN")
	}
}

// TestShortTable: every row of the short table passes, MPI and REST agree bit for bit (the
// same work reaches the same stations at the same instants), and the table is the golden
// one (go test ./internal/validate -update rewrites testdata/short.md; read the diff).
func TestShortTable(t *testing.T) {
	rows := short(t)
	for _, r := range Failed(rows) {
		t.Errorf("row fails: %+v (|diff| %g > tol %g)", r, math.Abs(r.Diff()), r.Tol)
	}
	type key struct{ section, experiment, quantity string }
	mpi := map[key]Row{}
	n := 0
	for _, r := range rows {
		if r.Variant == "mpi" {
			mpi[key{r.Section, r.Experiment, r.Quantity}] = r
		}
	}
	for _, r := range rows {
		if r.Variant != "rest" {
			continue
		}
		m, ok := mpi[key{r.Section, r.Experiment, r.Quantity}]
		if !ok {
			t.Errorf("no MPI row for %+v", r)
			continue
		}
		n++
		if m.Sim != r.Sim || m.Oracle != r.Oracle || m.Tol != r.Tol {
			t.Errorf("%s %s %s: MPI %v±%v, REST %v±%v", r.Section, r.Experiment, r.Quantity, m.Sim, m.Tol, r.Sim, r.Tol)
		}
	}
	if n == 0 || n != len(mpi) {
		t.Errorf("%d REST rows for %d MPI rows", n, len(mpi))
	}
	var b bytes.Buffer
	if err := Render(&b, "markdown", rows, true); err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "short.md", b.Bytes())
}

// tiny returns the chain and fork experiments cut down to a few hundred workflows per
// replication, for tests of code paths rather than of statistics.
func tiny(t *testing.T) []Experiment {
	t.Helper()
	exps, err := Experiments()
	if err != nil {
		t.Fatal(err)
	}
	var out []Experiment
	for _, e := range []Experiment{exps[4], exps[5], exps[6]} { // tandem, closed, fork-join
		e.Runs = e.Runs[:1]
		e.Runs[0].Setup.Warmup = 200 * engine.Millisecond
		e.Runs[0].Setup.Workflows = 100
		out = append(out, e)
	}
	return out
}

// TestDeterministic: the rows do not depend on the number of goroutines the runs are
// shared among, nor on the run (two runs give the same bits).
func TestDeterministic(t *testing.T) {
	one, err := runExperiments(Options{Workers: 1}, tiny(t))
	if err != nil {
		t.Fatal(err)
	}
	three, err := runExperiments(Options{Workers: 3}, tiny(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(one) == 0 || !reflect.DeepEqual(one, three) {
		t.Errorf("1 and 3 workers differ:\n%+v\n%+v", one, three)
	}
}

// TestWrongOraclesFail: the table can fail. Each case replaces an oracle of the short table
// by the value a plausible mistake gives; its rows must fail in both variants.
func TestWrongOraclesFail(t *testing.T) {
	rows := short(t)
	mm1, _ := theory.NewMM1(80, 100)
	mm1Slow, _ := theory.NewMM1(80, 1000/11.0) // work 10% longer than specified
	psFCFS, _ := theory.MG1(70, 0.010, 9)      // lognormal:3 under FCFS instead of PS
	for _, tc := range []struct {
		section, experiment, quantity string
		wrong                         float64
		why                           string
	}{
		{"1.", "rho=0.8", "mean response (ms)", 1000 * mm1Slow.Response, "a server 10% slower"},
		{"1.", "rho=0.8", "utilisation", 0.84, "a server 5% slower"},
		{"2.", "c=4 rho=0.8", "P(wait > 0)", 0.8, "P(wait) = rho (c = 1's value)"},
		{"3.", "rho=0.8", "mean wait (ms)", 1000 * mm1.Wait, "the M/M/1 wait (no Pollaczek-Khinchine halving)"},
		{"4.", "c=1 rho=0.7 lognormal:3", "mean response (ms)", 1000 * psFCFS.Response, "FCFS instead of PS"},
		{"5.", "A-B-C", "mean response (ms)", 1000 * (0.003 + 0.010 + 0.007), "service times without queueing"},
		{"7.", "rho=0.6", "mean response (ms)", 1000 / (100.0 - 60), "one M/M/1 (no synchronisation delay)"},
	} {
		for _, v := range scenario.Variants {
			r := find(t, rows, tc.section, tc.experiment, v, tc.quantity)
			r.Oracle = tc.wrong
			if r.Pass() {
				t.Errorf("%s %s %s %s with %s (oracle %v) passes: sim %v tol %v", tc.section, tc.experiment, v, tc.quantity, tc.why, tc.wrong, r.Sim, r.Tol)
			}
		}
	}
	// Closed network: MVA with single-server stations (B treated as one fast server).
	closed, _ := theory.MVA(theory.ClosedNetwork{Think: 0.040, Stations: []theory.ClosedStation{{Demand: 0.004, Servers: 1}, {Demand: 0.003, Servers: 1}}}, 10)
	for _, v := range scenario.Variants {
		r := find(t, rows, "6.", "N=10", v, "mean response (ms)")
		r.Oracle = 1000 * closed.Response
		if r.Pass() {
			t.Errorf("closed N=10 %s: 4 cores taken as one 4x faster core (oracle %v) passes: sim %v tol %v", v, r.Oracle, r.Sim, r.Tol)
		}
	}
}

// TestStepsChangeNothing: with dynamics off and static placement, step boundaries only
// audit a feasible placement: cutting the same run into 5 steps gives the same result.
func TestStepsChangeNothing(t *testing.T) {
	exps, err := Experiments()
	if err != nil {
		t.Fatal(err)
	}
	for _, rs := range []RunSpec{exps[0].Runs[1], exps[4].Runs[0], exps[5].Runs[1], exps[6].Runs[0]} {
		rs.Setup.Warmup = 500 * engine.Millisecond
		for _, v := range scenario.Variants {
			one, err := rs.Setup.Config(v, 3, 300)
			if err != nil {
				t.Fatal(err)
			}
			many := one
			end, _ := one.End()
			many.Steps, many.StepLength = 5, end/5
			if e2, _ := many.End(); e2 != end {
				t.Fatalf("%s: %v does not split in 5 steps", rs.Name, end)
			}
			var res [2]*scenario.Result
			for i, cfg := range []scenario.Config{one, many} {
				a := &app{shape: rs.Setup.Shape, stations: rs.Setup.Stations, warmup: rs.Setup.Warmup, timeout: Timeout}
				if res[i], err = scenario.Run(cfg, a); err != nil {
					t.Fatal(err)
				}
			}
			if !reflect.DeepEqual(res[0].LatenciesMS, res[1].LatenciesMS) || !reflect.DeepEqual(res[0].Stations, res[1].Stations) ||
				res[0].Little != res[1].Little || res[0].Workflows == 0 {
				t.Errorf("%s %s: 1 step and 5 steps differ: %d vs %d workflows, %+v vs %+v", rs.Name, v,
					res[0].Workflows, res[1].Workflows, res[0].Latency, res[1].Latency)
			}
		}
	}
}

// TestOutcomeBookkeeping: the application sees exactly the workflows the run loop measures,
// and its count of the window's completions matches the station throughput of a one-station
// run.
func TestOutcomeBookkeeping(t *testing.T) {
	exps, err := Experiments()
	if err != nil {
		t.Fatal(err)
	}
	s := exps[0].Runs[0].Setup
	s.Warmup = 500 * engine.Millisecond
	for _, v := range scenario.Variants {
		o, err := s.Replicate(v, 1, 500)
		if err != nil {
			t.Fatal(err)
		}
		if len(o.WaitsMS) != o.Result.Workflows {
			t.Errorf("%s: %d waits, %d workflows", v, len(o.WaitsMS), o.Result.Workflows)
		}
		// Every completion of the window but those still at the server at the end ends a
		// workflow in the window: the station's completions count them all.
		srv := o.station("Server")
		// Nothing fails here, so the run's throughput counts the same completions.
		done := int(math.Round(o.Result.ThroughputPerS * o.Result.MeasuredMS / 1000))
		if o.Ended != int(srv.Completed) || o.Ended != done {
			t.Errorf("%s: ended %d, server completions %d, run's completions in the window %d", v, o.Ended, srv.Completed, done)
		}
	}
}

func TestConfigIsValid(t *testing.T) {
	exps, err := Experiments()
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range exps {
		for _, rs := range e.Runs {
			cfg, err := rs.Setup.Config("mpi", 1, rs.Setup.Workflows)
			if err != nil {
				t.Fatal(err)
			}
			if err := cfg.Validate(); err != nil {
				t.Errorf("%s %s: %v", e.Section, rs.Name, err)
			}
			if cfg.Workload.Warmup <= 0 || cfg.Timeout < 10*engine.Second || cfg.Dynamics || cfg.Steps != 1 {
				t.Errorf("%s %s: config %+v", e.Section, rs.Name, cfg)
			}
		}
	}
}

func TestFlowRows(t *testing.T) {
	rows, err := FlowRows()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 22 {
		t.Errorf("%d rows, want 22", len(rows))
	}
	for _, r := range Failed(rows) {
		t.Errorf("fails: %+v", r)
	}
}

func TestRenderFormats(t *testing.T) {
	rows := []Row{{Section: "1. X", Experiment: "e", Variant: "mpi", Quantity: "q", Oracle: 2, Sim: 2.1, Tol: 0.2, Why: "w"},
		{Section: "2. Y", Experiment: "f", Variant: "-", Quantity: "r", Oracle: 1, Sim: 3, Tol: 0.5, Why: "v"}}
	for _, f := range []string{"table", "markdown", "csv"} {
		var b bytes.Buffer
		if err := Render(&b, f, rows, false); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		if !strings.Contains(out, "2.100") || !strings.Contains(out, "NO") || !strings.Contains(out, "yes") {
			t.Errorf("%s: %s", f, out)
		}
		if f != "csv" && !strings.Contains(out, "1 of 2 rows pass") {
			t.Errorf("%s: no verdict: %s", f, out)
		}
	}
	if err := Render(&bytes.Buffer{}, "xml", rows, false); err == nil || !strings.Contains(err.Error(), "markdown") {
		t.Errorf("bad format: %v", err)
	}
}
