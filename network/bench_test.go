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
	id := g.topo.ids[0]
	a, _ := g.Node(id)
	g.SetNode(id, a)
}

// BenchmarkAllPairs routes every ordered pair from a cold cache; one op is n*(n-1) routes.
func BenchmarkAllPairs(b *testing.B) {
	for _, n := range []int{30, 1000} {
		b.Run(fmt.Sprintf("hierarchical-%d", n), func(b *testing.B) {
			g := benchGraph(b, n)
			ids := g.Nodes()
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				invalidate(g)
				for _, s := range ids {
					for _, t := range ids {
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
			ids := g.Nodes()
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				invalidate(g)
				for _, t := range ids[1:] {
					if _, err := g.Route(ids[0], t); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}

// BenchmarkRouteAfterDrift is what a step of a run costs in routing: one drift of every
// link (which invalidates every search), then the routes the SockShop audit asks for, the
// twelve interactions of a placement spread over seven random hosts. One op is the drift
// plus the twelve routes; the drift alone is BenchmarkDrift.
func BenchmarkRouteAfterDrift(b *testing.B) {
	for _, n := range []int{1000, 3000} {
		b.Run(fmt.Sprintf("hierarchical-%d", n), func(b *testing.B) {
			g := benchGraph(b, n)
			ids := g.Nodes()
			r := rand.New(rand.NewPCG(1, 1))
			hosts := make([]string, 7)
			for i := range hosts {
				hosts[i] = ids[r.IntN(len(ids))]
			}
			// Frontend(1) talks to Catalog(2), User(0), Cart(4), Order(3); Order to Payment(5)
			// and Shipping(6): both directions of each.
			pairs := [][2]int{{1, 2}, {1, 0}, {1, 4}, {1, 3}, {3, 5}, {3, 6}}
			d := DefaultDrift()
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				d.Step(g, r)
				for _, p := range pairs {
					g.Route(hosts[p[0]], hosts[p[1]])
					g.Route(hosts[p[1]], hosts[p[0]])
				}
			}
		})
	}
}

// BenchmarkDrift is one DefaultDrift step of every node and link.
func BenchmarkDrift(b *testing.B) {
	for _, n := range []int{1000, 3000} {
		b.Run(fmt.Sprintf("hierarchical-%d", n), func(b *testing.B) {
			g := benchGraph(b, n)
			r := rand.New(rand.NewPCG(1, 1))
			d := DefaultDrift()
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				d.Step(g, r)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(g.NumLinks()), "ns/link")
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

// BenchmarkHierarchical generates the infrastructure: 30 and 1000 nodes, and the 10 000
// nodes (19.5 million directed links) of the scale target.
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

// BenchmarkClone clones the 3000-node infrastructure (1.75 million links), then drifts the
// clone once, which is when it copies the link assets.
func BenchmarkClone(b *testing.B) {
	g := benchGraph(b, 3000)
	r := rand.New(rand.NewPCG(1, 1))
	b.Run("clone", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			g.Clone()
		}
	})
	b.Run("clone+drift", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			DefaultDrift().Step(g.Clone(), r)
		}
	})
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
