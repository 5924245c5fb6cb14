package network

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/graph/path"
	"gonum.org/v1/gonum/graph/simple"
)

func benchGraph(b *testing.B, n int) *Graph {
	b.Helper()
	g, err := Hierarchical(HierarchicalConfig{N: n, Partitioning: sockShopPartitioning}, rand.New(rand.NewPCG(22, 0)))
	if err != nil {
		b.Fatal(err)
	}
	return g
}

// invalidate bumps the version so the next Route recomputes (SetNode with the same assets).
func invalidate(g *Graph) {
	a, _ := g.Node(g.ids[0])
	g.SetNode(g.ids[0], a)
}

// BenchmarkAllPairs routes every ordered pair from a cold cache; one op is n*(n-1) routes.
func BenchmarkAllPairs(b *testing.B) {
	for _, n := range []int{30, 1000} {
		b.Run(fmt.Sprintf("hierarchical-%d", n), func(b *testing.B) {
			g := benchGraph(b, n)
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				invalidate(g)
				for _, s := range g.ids {
					for _, t := range g.ids {
						if s != t {
							if _, err := g.Route(s, t); err != nil {
								b.Fatal(err)
							}
						}
					}
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n*(n-1)), "ns/route")
		})
	}
}

// BenchmarkSingleSource routes from one source to every target from a cold cache: all-pairs
// on 10000 nodes (19.5 million directed links) would take hours, so this is what is
// measured there.
func BenchmarkSingleSource(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("hierarchical-%d", n), func(b *testing.B) {
			g := benchGraph(b, n)
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				invalidate(g)
				for _, t := range g.ids[1:] {
					if _, err := g.Route(g.ids[0], t); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}

// BenchmarkGonumDijkstraFrom is the baseline: gonum's path.DijkstraFrom over an
// order-preserving view of the same graph, one source (distances only, no Path values).
func BenchmarkGonumDijkstraFrom(b *testing.B) {
	for _, n := range []int{1000} {
		b.Run(fmt.Sprintf("hierarchical-%d", n), func(b *testing.B) {
			o := newOrderedGraph(benchGraph(b, n))
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				path.DijkstraFrom(simple.Node(0), o)
			}
		})
	}
}

// BenchmarkRouteCached is one Route on a warm cache (the per-message cost).
func BenchmarkRouteCached(b *testing.B) {
	g := benchGraph(b, 30)
	g.Route("n0", "n29")
	b.ReportAllocs()
	for b.Loop() {
		g.Route("n0", "n29")
	}
}

// BenchmarkHierarchical generates the infrastructure.
func BenchmarkHierarchical(b *testing.B) {
	for _, n := range []int{30, 1000, 10000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				benchGraph(b, n)
			}
		})
	}
}

// BenchmarkSockShopDynamicsStep is one step of the SockShop dynamics on 30 nodes.
func BenchmarkSockShopDynamicsStep(b *testing.B) {
	g := benchGraph(b, 30)
	r := rand.New(rand.NewPCG(1, 1))
	d := SockShopDynamics(0.02, 0.5)
	b.ReportAllocs()
	for b.Loop() {
		d.Step(g, r)
	}
}
