package report_test

import (
	"fmt"

	"github.com/edgesim/edgesim/internal/report"
	"github.com/edgesim/edgesim/network"
	"github.com/edgesim/edgesim/placement"
)

func ExampleFloat() {
	fmt.Println(report.Float(12.5), report.Float(47.123456789), report.Float(3), report.Float(-0.0000001))
	// Output: 12.5 47.123457 3 0
}

// Frontend on an edge node, Catalog on a cloud node 20 ms away: the flow F-Catalog-F costs
// (20+5) + 20 + (11+1) + 20 + (20+5) = 102 ms.
func ExampleFlowResponseTime() {
	g := network.NewGraph()
	g.AddNode("edge", network.NodeAssets{CPU: 4, RAM: 4, Storage: 4, Availability: 1, ProcessingTimeMS: 5})
	g.AddNode("cloud", network.NodeAssets{CPU: 64, RAM: 64, Storage: 64, Availability: 1, ProcessingTimeMS: 1})
	g.AddSymmetricLink("edge", "cloud", network.LinkAssets{LatencyMS: 20, BandwidthMbps: 100})
	app := &placement.Application{
		Services: []placement.Service{
			{Name: "Frontend", Requirements: placement.Requirements{ProcessingTimeMS: 20}},
			{Name: "Catalog", Requirements: placement.Requirements{ProcessingTimeMS: 11}},
		},
		Flows: [][]string{{"Frontend", "Catalog", "Frontend"}},
	}
	p := placement.Placement{"Frontend": "edge", "Catalog": "cloud"}
	fmt.Println(report.FlowResponseTime(app, g, p, app.Flows[0]))
	fmt.Println(report.FlowResponseTime(app, g, placement.Placement{"Frontend": "edge"}, app.Flows[0]))
	// Output:
	// 102 true
	// NaN false
}
