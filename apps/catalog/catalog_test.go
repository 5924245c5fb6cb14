package catalog

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/edgesim/edgesim/apps/spec"
	"github.com/edgesim/edgesim/engine"
	"github.com/edgesim/edgesim/network"
	"github.com/edgesim/edgesim/scenario"
	"github.com/edgesim/edgesim/sockshop"
)

func TestEverySpecParses(t *testing.T) {
	names := Names()
	if len(names) < 12 {
		t.Errorf("%d applications: %v", len(names), names)
	}
	for _, n := range names {
		a, err := App(n)
		if err != nil {
			t.Error(err)
			continue
		}
		if s := a.Source(); s.Provenance == nil || len(s.Provenance.Source) == 0 || s.Provenance.Licence == "" {
			t.Errorf("%s: no provenance or licence", n)
		}
	}
	if _, err := App("nope"); err == nil || !strings.Contains(err.Error(), "sock_shop") {
		t.Errorf("unknown name: %v", err)
	}
}

// reference is the reference run (sockshop.DefaultConfig: the hierarchical infrastructure
// of 30 nodes, seed 22, random placement, 100 steps of 500 ms, dynamics, ECLYPSE's cost
// model, one user) for an application.
func reference(v string) scenario.Config { return sockshop.DefaultConfig(v).Config }

// Every application of the catalogue runs once in both styles, and the measured messages
// agree with MessagesPerRequest. The log is the catalogue's table (go test -v -run
// TestCatalogueRuns ./apps/catalog): services, messages per request, and the mean workflow
// latency MPI vs REST in the reference run (strategy random; where random placement finds
// no feasible placement in its 100 steps, the first of best-fit, first-fit and round-robin
// that does; uqSim's fan-out on its own infrastructure, see FanoutScenario).
func TestCatalogueRuns(t *testing.T) {
	var rows []string
	for _, name := range Names() {
		t.Run(name, func(t *testing.T) {
			a, err := App(name)
			if err != nil {
				t.Fatal(err)
			}
			var cells []string
			// The reference strategy, then the others in this order: the first under which
			// MPI completes a workflow is used for both styles.
			strategies := []string{"random", "best-fit", "first-fit", "round-robin"}
			for _, v := range scenario.Variants {
				per, err := a.MessagesPerRequest(v)
				if err != nil {
					t.Fatal(err)
				}
				cfg := reference(v)
				if name == "uqsim_fanout" {
					// Its own infrastructure (a machine per leaf), one user as in the
					// reference run, 1 ms of virtual time.
					if cfg, _, err = FanoutScenario(v, FanoutLeaves, 0.001); err != nil {
						t.Fatal(err)
					}
					cfg.Steps, cfg.StepLength = 1, engine.Millisecond
					cfg.Workload = reference(v).Workload
					cfg.Load = reference(v).Load
					strategies = []string{"static"}
				}
				var res *scenario.Result
				for len(strategies) > 0 {
					cfg.Strategy = strategies[0]
					if res, err = scenario.Run(cfg, a); err != nil {
						t.Fatal(err)
					}
					if res.Workflows > 0 || v != "mpi" {
						break
					}
					strategies = strategies[1:]
				}
				if res.Workflows == 0 {
					t.Fatalf("%s: no workflow completed under any strategy: %v", v, res.LastProblems)
				}
				cells = append(cells, fmt.Sprintf("%.1f", per), fmt.Sprintf("%.3f", res.Latency.Mean), fmt.Sprintf("%d/%d", res.Workflows, res.Failed))
				if name != "uqsim_fanout" {
					checkMessages(t, a, v, per, cfg)
				}
			}
			rows = append(rows, fmt.Sprintf("| %s | %s | %d | %s / %s | %s / %s | %s / %s | %s |", name, a.Source().Name, len(a.Source().Services),
				cells[0], cells[3], cells[1], cells[4], cells[2], cells[5], strategies[0]))
		})
	}
	t.Log("\n| file | application | services | messages per request MPI / REST | mean latency ms MPI / REST | workflows/failed MPI / REST | placement |\n|---|---|--:|--:|--:|--:|---|\n" + strings.Join(rows, "\n"))
}

// checkMessages runs the application again with every service on one node (nothing fails,
// nothing takes time), under an open loop of 100 workflows per second, and compares the
// messages sent with MessagesPerRequest: exactly, up to the workflows under way at the end,
// for an application whose requests all send the same messages; within 5% when the mix or
// branches make the count random (the per-workflow count varies by less than its mean, so
// over the 5000 workflows of the run 5% is more than ten standard errors of the mean).
func checkMessages(t *testing.T, a *spec.App, v string, per float64, cfg scenario.Config) {
	t.Helper()
	g := network.NewGraph()
	if err := g.AddNode("n", network.NodeAssets{CPU: 1e6, GPU: 1e6, RAM: 1e6, Storage: 1e6, Availability: 1}); err != nil {
		t.Fatal(err)
	}
	cfg.Infra, cfg.Dynamics = g, false
	cfg.Strategy, cfg.Static = "static", map[string]string{}
	for _, s := range a.Application().Services {
		cfg.Static[s.Name] = "n"
	}
	cfg.Workload.Users, cfg.Workload.Rate = 0, 100
	res, err := scenario.Run(cfg, a)
	if err != nil {
		t.Fatal(err)
	}
	if res.Failed > 0 || res.Workflows == 0 {
		t.Fatalf("%s without dynamics: %d workflows, %d failed (%v)", v, res.Workflows, res.Failed, res.LastProblems)
	}
	arrived := int(math.Round(res.Little.ArrivalPerS * res.MeasuredMS / 1000))
	got := float64(res.Messages)
	lo, hi := per*float64(res.Workflows), per*float64(arrived)
	if random(a.Source()) {
		lo, hi = 0.95*lo, 1.05*hi
	}
	if !(got >= lo-1e-9 && got <= hi+1e-9) {
		t.Errorf("%s: %v messages for %d workflows (%d started), want %.2f per workflow (%.1f..%.1f)", v, got, res.Workflows, arrived, per, lo, hi)
	}
	t.Logf("%s: %.3f messages per workflow measured over %d workflows, %.3f expected", v, got/float64(res.Workflows), res.Workflows, per)
}

// random reports whether an application's requests differ in what they send.
func random(s *spec.Spec) bool {
	if len(s.Entry.Mix) > 1 {
		return true
	}
	var walk func(steps []spec.Step) bool
	walk = func(steps []spec.Step) bool {
		for _, st := range steps {
			switch {
			case st.Branch != nil && len(st.Branch.Cases) > 1:
				for _, c := range st.Branch.Cases {
					if c.P > 0 && c.P < 1 {
						return true
					}
				}
			case st.Repeat != nil && walk(st.Repeat.Steps):
				return true
			case st.Variant != nil && (walk(st.Variant.MPI) || walk(st.Variant.REST)):
				return true
			}
		}
		return false
	}
	for _, sv := range s.Services {
		for _, ep := range sv.Endpoints {
			if walk(ep.Steps) {
				return true
			}
		}
	}
	return false
}
