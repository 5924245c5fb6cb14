package report

import (
	"math"

	"github.com/edgesim/edgesim/network"
	"github.com/edgesim/edgesim/placement"
)

// fakeInfra is a hand-built Infra: routes are given explicitly (symmetric), missing ones fail.
type fakeInfra struct {
	nodes  []string
	assets map[string]network.NodeAssets
	links  []network.Link
	routes map[[2]string]network.Path
}

func (f *fakeInfra) Nodes() []string { return f.nodes }
func (f *fakeInfra) Node(id string) (network.NodeAssets, bool) {
	a, ok := f.assets[id]
	return a, ok
}
func (f *fakeInfra) Links() []network.Link { return f.links }
func (f *fakeInfra) Up(id string) bool     { return f.assets[id].Availability > 0 }
func (f *fakeInfra) Route(a, b string) (network.Path, error) {
	if a == b {
		if _, ok := f.assets[a]; ok && f.Up(a) {
			return network.Path{Nodes: []string{a}, BandwidthMbps: math.Inf(1), ProcessingMS: f.assets[a].ProcessingTimeMS}, nil
		}
	}
	if p, ok := f.routes[[2]string{a, b}]; ok {
		return p, nil
	}
	if p, ok := f.routes[[2]string{b, a}]; ok {
		return p, nil
	}
	return network.Path{}, &network.NoPathError{From: a, To: b}
}

// testInfra: n1 (pt 1), n2 (pt 4), n3 (pt 10, down until revived); n1-n2 7 ms, n1-n3 20 ms
// (through n2: two hops), n2-n3 13 ms.
func testInfra() *fakeInfra {
	hop := func(a, b string, lat, bw float64) network.Link {
		return network.Link{From: a, To: b, LinkAssets: network.LinkAssets{LatencyMS: lat, BandwidthMbps: bw}}
	}
	return &fakeInfra{
		nodes: []string{"n1", "n2", "n3"},
		assets: map[string]network.NodeAssets{
			"n1": {CPU: 4, GPU: 0, RAM: 8, Storage: 16, Availability: 0.995, ProcessingTimeMS: 1},
			"n2": {CPU: 8, GPU: 1, RAM: 16, Storage: 32, Availability: 1, ProcessingTimeMS: 4},
			"n3": {CPU: 2.5, GPU: 0, RAM: 1.125, Storage: 2, Availability: 0.9912345678, ProcessingTimeMS: 10},
		},
		links: []network.Link{hop("n1", "n2", 7, 100), hop("n2", "n1", 7, 100), hop("n2", "n3", 13, 50.5), hop("n3", "n2", 13, 50.5)},
		routes: map[[2]string]network.Path{
			{"n1", "n2"}: {Nodes: []string{"n1", "n2"}, Hops: []network.Link{hop("n1", "n2", 7, 100)}, LatencyMS: 7, BandwidthMbps: 100, ProcessingMS: 5},
			{"n2", "n3"}: {Nodes: []string{"n2", "n3"}, Hops: []network.Link{hop("n2", "n3", 13, 50.5)}, LatencyMS: 13, BandwidthMbps: 50.5, ProcessingMS: 14},
			{"n1", "n3"}: {Nodes: []string{"n1", "n2", "n3"}, Hops: []network.Link{hop("n1", "n2", 7, 100), hop("n2", "n3", 13, 50.5)}, LatencyMS: 20, BandwidthMbps: 50.5, ProcessingMS: 15},
		},
	}
}

// testApp: A (pt 2), B (pt 3), C (pt 5); flows A>B>A and A>C.
func testApp() *placement.Application {
	svc := func(n string, pt float64) placement.Service {
		return placement.Service{Name: n, Requirements: placement.Requirements{CPU: 1, RAM: 0.75, Storage: 0.3, Availability: 0.92, ProcessingTimeMS: pt}}
	}
	return &placement.Application{
		Name:     "test",
		Services: []placement.Service{svc("A", 2), svc("B", 3), svc("C", 5)},
		Interactions: []placement.Interaction{
			{From: "A", To: "B", MaxLatencyMS: 40, MinBandwidthMbps: 2},
			{From: "B", To: "A", MaxLatencyMS: 40, MinBandwidthMbps: 2},
			{From: "A", To: "C", MaxLatencyMS: 50, MinBandwidthMbps: 10},
			{From: "C", To: "A", MaxLatencyMS: 50, MinBandwidthMbps: 10},
		},
		Flows: [][]string{{"A", "B", "A"}, {"A", "C"}},
	}
}

func inf(sign int) float64 { return math.Inf(sign) }
func nan() float64         { return math.NaN() }
