package catalog

import (
	"fmt"

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

// FanoutScenario returns uqSim's fan-out (Fanout(leaves)) ready for scenario.Run in variant,
// for the given virtual seconds: every service on a machine of its own around a hub (each
// leaf FanoutLatencyMS from the load balancer), static placement, no dynamics, the latency
// cost model, Poisson arrivals at FanoutRate per second, service time on (the load balancer
// constant, the leaves exponential, as the spec says), a CPU station per service, one step.
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
	cfg := scenario.Config{Variant: variant, Seed: 1, Steps: 1, StepLength: engine.FromSeconds(seconds),
		Infra: g, Strategy: "static", Static: static, Model: "latency", Timeout: 10 * engine.Second,
		Workload: workload.Config{Rate: FanoutRate}, Load: comm.Load{Service: "exp"}}
	return cfg, a, nil
}
