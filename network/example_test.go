package network_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/edgesim/edgesim/network"
)

func ExampleGraph_Route() {
	g := network.NewGraph()
	for i, id := range []string{"edge", "fog-a", "fog-b", "cloud"} {
		g.AddNode(id, network.NodeAssets{CPU: 8, Availability: 1, ProcessingTimeMS: float64(i + 1)})
	}
	// Two equally short routes edge->cloud. As in networkx's Dijkstra, the tie goes to the
	// one found first: edge's link to fog-b was added first, so fog-b is reached, settled
	// and offers cloud its 25 ms before fog-a does.
	g.AddSymmetricLink("edge", "fog-b", network.LinkAssets{LatencyMS: 5, BandwidthMbps: 100})
	g.AddSymmetricLink("edge", "fog-a", network.LinkAssets{LatencyMS: 5, BandwidthMbps: 50})
	g.AddSymmetricLink("fog-a", "cloud", network.LinkAssets{LatencyMS: 20, BandwidthMbps: 1000})
	g.AddSymmetricLink("fog-b", "cloud", network.LinkAssets{LatencyMS: 20, BandwidthMbps: 1000})
	p, _ := g.Route("edge", "cloud")
	fmt.Println(p.Nodes, p.LatencyMS, "ms", p.BandwidthMbps, "Mbit/s", p.ProcessingMS, "ms")

	fogB, _ := g.Node("fog-b")
	fogB.Availability = 0 // fog-b goes down: the cache is invalidated
	g.SetNode("fog-b", fogB)
	p, _ = g.Route("edge", "cloud")
	fmt.Println(p.Nodes, p.LinkIdx)
	// Output:
	// [edge fog-b cloud] 25 ms 100 Mbit/s 8 ms
	// [edge fog-a cloud] [2 4]
}

func ExampleHierarchical() {
	g, _ := network.Hierarchical(network.HierarchicalConfig{N: 30, Partitioning: []float64{0.6, 0.1, 0.15, 0.15}}, rand.New(rand.NewPCG(22, 0)))
	sizes, _ := network.HierarchicalConfig{N: 30, Partitioning: []float64{0.6, 0.1, 0.15, 0.15}}.TierSizes()
	fmt.Println(g.Len(), "nodes in tiers", sizes)
	// Output: 30 nodes in tiers [18 3 4 5]
}
