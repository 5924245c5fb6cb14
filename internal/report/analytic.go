package report

import (
	"math"

	"github.com/edgesim/edgesim/network"
	"github.com/edgesim/edgesim/placement"
)

// Infra is the part of an infrastructure the report reads. *network.Graph implements it;
// tests use hand-built ones.
type Infra interface {
	Nodes() []string
	Node(id string) (network.NodeAssets, bool)
	Links() []network.Link
	Up(id string) bool
	Route(from, to string) (network.Path, error)
}

var _ Infra = (*network.Graph)(nil)

// FlowResponseTime is the analytic response time, in ms, of one flow s0, s1, ..., sk of app
// under placement p on g:
//
//	sum_{i=0..k} ( processing_time(s_i) + processing_time(host(s_i)) )
//	  + sum_{i=0..k-1} latency(Route(host(s_i), host(s_{i+1})))
//
// A service that appears several times in the flow (F-Order-Payment-Order-F) is counted at
// every appearance, since it handles the request at each visit. Two consecutive services on
// the same host add a route latency of 0. Only the hosts' own processing times are added,
// not those of the intermediate nodes of a route. ok is false (and the time NaN) when a
// service of the flow is unknown or unplaced, its host is unknown, or a route fails.
//
// This follows ECLYPSE's default application metric (response time of the flows, maximum
// over flows) from the static requirements and current assets; it ignores message sizes,
// bandwidth and queueing, which the simulation measures.
func FlowResponseTime(app *placement.Application, g Infra, p placement.Placement, flow []string) (ms float64, ok bool) {
	if app == nil || g == nil || p == nil || len(flow) == 0 {
		return math.NaN(), false
	}
	total := 0.0
	prev := ""
	for i, s := range flow {
		svc, found := service(app, s)
		if !found {
			return math.NaN(), false
		}
		host, placed := p[s]
		if !placed || host == "" {
			return math.NaN(), false
		}
		node, known := g.Node(host)
		if !known {
			return math.NaN(), false
		}
		total += svc.ProcessingTimeMS + node.ProcessingTimeMS
		if i > 0 && prev != host {
			path, err := g.Route(prev, host)
			if err != nil {
				return math.NaN(), false
			}
			total += path.LatencyMS
		}
		prev = host
	}
	return total, true
}

// ResponseTime is the analytic response time of app: the maximum of FlowResponseTime over
// app.Flows. ok is false when the application has no flows or any flow has no response
// time (a partial deployment has no response time).
func ResponseTime(app *placement.Application, g Infra, p placement.Placement) (ms float64, ok bool) {
	if app == nil || len(app.Flows) == 0 {
		return math.NaN(), false
	}
	best := math.Inf(-1)
	for _, f := range app.Flows {
		t, ok := FlowResponseTime(app, g, p, f)
		if !ok {
			return math.NaN(), false
		}
		best = math.Max(best, t)
	}
	return best, true
}

func service(app *placement.Application, name string) (placement.Service, bool) {
	for _, s := range app.Services {
		if s.Name == name {
			return s, true
		}
	}
	return placement.Service{}, false
}
