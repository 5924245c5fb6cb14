package catalog

import (
	"fmt"
	"math"

	"github.com/edgesim/edgesim/apps/spec"
	"github.com/edgesim/edgesim/comm"
	"github.com/edgesim/edgesim/engine"
	"github.com/edgesim/edgesim/network"
	"github.com/edgesim/edgesim/scenario"
	"github.com/edgesim/edgesim/workload"
)

// uqSim's fan-out run, as published: 8000 requests per second for 60 s.
const (
	FanoutRate    = 8000.0
	FanoutSeconds = 60.0
	FanoutLeaves  = 1000
	// FanoutLatencyMS is uqSim's network latency per message (65 us).
	FanoutLatencyMS = 0.065
)

// FanoutStep is the step length of the fan-out run. Short steps keep the kernel's queue
// small: a workflow waits for each of its 1000 answers with a deadline (the run's timeout,
// cut at the next step boundary), and a deadline that is no longer needed stays in the queue,
// inert, until its time comes; with one step of 60 s that is 1000 timers per workflow for
// the whole run (gigabytes), with steps of 10 ms about 80 000 at any time.
const FanoutStep = 10 * engine.Millisecond

// FanoutScenario returns uqSim's fan-out (Fanout(leaves)) ready for scenario.Run in variant,
// for the given virtual seconds: every service on a machine of its own around a hub (each
// leaf FanoutLatencyMS from the load balancer), static placement, no dynamics, the latency
// cost model, Poisson arrivals at FanoutRate per second, service time on (the load balancer
// constant, the leaves exponential, as the spec says), a CPU station per service, steps of
// FanoutStep.
// The published run is FanoutScenario(v, FanoutLeaves, FanoutSeconds); a tenth of it is 6 s.
func FanoutScenario(variant string, leaves int, seconds float64) (scenario.Config, *spec.App, error) {
	s, err := spec.Parse(fmt.Sprintf("fanout-%d.yaml", leaves), []byte(Fanout(leaves)))
	if err != nil {
		return scenario.Config{}, nil, err
	}
	a, err := spec.New(s)
	if err != nil {
		return scenario.Config{}, nil, err
	}
	g := network.NewGraph()
	static := map[string]string{"load_balancer": "hub"}
	if err := g.AddNode("hub", network.NodeAssets{CPU: 4, RAM: 4, Storage: 4, Availability: 1}); err != nil {
		return scenario.Config{}, nil, err
	}
	for i := range leaves {
		n := fmt.Sprintf("m%d", i)
		if err := g.AddNode(n, network.NodeAssets{CPU: 2, RAM: 2, Storage: 2, Availability: 1}); err != nil {
			return scenario.Config{}, nil, err
		}
		if err := g.AddSymmetricLink("hub", n, network.LinkAssets{LatencyMS: FanoutLatencyMS, BandwidthMbps: 10_000}); err != nil {
			return scenario.Config{}, nil, err
		}
		static[fmt.Sprintf("leaf_service_%d", i)] = n
	}
	steps := max(1, int(math.Round(seconds/FanoutStep.Seconds())))
	cfg := scenario.Config{Variant: variant, Seed: 1, Steps: steps, StepLength: FanoutStep,
		Infra: g, Strategy: "static", Static: static, Model: "latency", Timeout: 10 * engine.Second,
		Workload: workload.Config{Rate: FanoutRate}, Load: comm.Load{Service: "exp"}}
	return cfg, a, nil
}
