package network

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"gonum.org/v1/gonum/graph"
	"gonum.org/v1/gonum/graph/iterator"
	"gonum.org/v1/gonum/graph/path"
	"gonum.org/v1/gonum/graph/simple"
)

// mustGraph builds a graph from node ids (all up, processing time = index+1) and symmetric
// links "a b latency bandwidth".
func mustGraph(t testing.TB, nodes []string, links [][4]any) *Graph {
	t.Helper()
	g := NewGraph()
	for i, id := range nodes {
		if err := g.AddNode(id, NodeAssets{CPU: 4, Availability: 1, ProcessingTimeMS: float64(i + 1)}); err != nil {
			t.Fatal(err)
		}
	}
	for _, l := range links {
		if err := g.AddSymmetricLink(l[0].(string), l[1].(string), LinkAssets{LatencyMS: float64(l[2].(int)), BandwidthMbps: float64(l[3].(int))}); err != nil {
			t.Fatal(err)
		}
	}
	return g
}

func TestRouteTable(t *testing.T) {
	// a - b - d and a - c - d both 2+2 latency; a - d direct 5.
	g := mustGraph(t, []string{"a", "b", "c", "d", "e"}, [][4]any{
		{"a", "c", 2, 100}, {"c", "d", 2, 50}, {"a", "b", 2, 10}, {"b", "d", 2, 1000}, {"a", "d", 5, 1}, {"d", "e", 1, 7},
	})
	tests := []struct {
		from, to  string
		nodes     []string
		lat, bw   float64
		proc      float64
		wantNoPth bool
	}{
		{"a", "a", []string{"a"}, 0, math.Inf(1), 1, false},
		// a-b-d and a-c-d tie at 4 < 5 (direct) with 2 hops each: b has the smaller index.
		{"a", "d", []string{"a", "b", "d"}, 4, 10, 1 + 2 + 4, false},
		{"d", "a", []string{"d", "b", "a"}, 4, 10, 4 + 2 + 1, false},
		{"a", "e", []string{"a", "b", "d", "e"}, 5, 7, 1 + 2 + 4 + 5, false},
		{"a", "zz", nil, 0, 0, 0, true},
		{"zz", "a", nil, 0, 0, 0, true},
	}
	for _, tc := range tests {
		t.Run(tc.from+"-"+tc.to, func(t *testing.T) {
			p, err := g.Route(tc.from, tc.to)
			if tc.wantNoPth {
				var npe *NoPathError
				if !errors.As(err, &npe) || npe.From != tc.from || npe.To != tc.to {
					t.Fatalf("err = %v, want NoPathError %s->%s", err, tc.from, tc.to)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(p.Nodes, tc.nodes) || p.LatencyMS != tc.lat || p.BandwidthMbps != tc.bw || p.ProcessingMS != tc.proc {
				t.Fatalf("got %v lat %v bw %v proc %v, want %v %v %v %v", p.Nodes, p.LatencyMS, p.BandwidthMbps, p.ProcessingMS, tc.nodes, tc.lat, tc.bw, tc.proc)
			}
			if len(p.Hops) != len(p.Nodes)-1 {
				t.Fatalf("%d hops for %d nodes", len(p.Hops), len(p.Nodes))
			}
			for i, h := range p.Hops {
				if h.From != p.Nodes[i] || h.To != p.Nodes[i+1] {
					t.Fatalf("hop %d = %v, nodes %v", i, h, p.Nodes)
				}
			}
		})
	}
}

func TestRouteDownAndInvalidation(t *testing.T) {
	g := mustGraph(t, []string{"a", "b", "c", "d"}, [][4]any{
		{"a", "b", 1, 10}, {"b", "d", 1, 10}, {"a", "c", 5, 10}, {"c", "d", 5, 10},
	})
	p, _ := g.Route("a", "d")
	if !slices.Equal(p.Nodes, []string{"a", "b", "d"}) {
		t.Fatalf("got %v", p.Nodes)
	}
	v := g.Version()
	b, _ := g.Node("b")
	b.Availability = 0
	if err := g.SetNode("b", b); err != nil {
		t.Fatal(err)
	}
	if g.Version() == v {
		t.Fatal("SetNode did not bump the version")
	}
	p, _ = g.Route("a", "d")
	if !slices.Equal(p.Nodes, []string{"a", "c", "d"}) || p.LatencyMS != 10 {
		t.Fatalf("after b down: %v %v", p.Nodes, p.LatencyMS)
	}
	if _, err := g.Route("b", "b"); err == nil {
		t.Fatal("route from a down node")
	}
	if _, err := g.Route("a", "b"); err == nil {
		t.Fatal("route to a down node")
	}
	if err := g.SetLink("c", "d", LinkAssets{LatencyMS: 50, BandwidthMbps: 3}); err != nil {
		t.Fatal(err)
	}
	p, _ = g.Route("a", "d")
	if p.LatencyMS != 55 || p.BandwidthMbps != 3 {
		t.Fatalf("after SetLink: lat %v bw %v", p.LatencyMS, p.BandwidthMbps)
	}
	c, _ := g.Node("c")
	c.Availability = 0
	g.SetNode("c", c)
	var npe *NoPathError
	if _, err := g.Route("a", "d"); !errors.As(err, &npe) || err.Error() != `network: no path from "a" to "d"` {
		t.Fatalf("cut off: err = %v", err)
	}
	// A clone routes independently of the original's cache.
	cl := g.Clone()
	b.Availability = 1
	g.SetNode("b", b)
	if _, err := cl.Route("a", "d"); err == nil {
		t.Fatal("clone shares state with original")
	}
	if _, err := g.Route("a", "d"); err != nil {
		t.Fatal(err)
	}
}

func TestRouteCacheHitDoesNotAllocate(t *testing.T) {
	g, err := Hierarchical(HierarchicalConfig{N: 30, Partitioning: []float64{0.6, 0.1, 0.15, 0.15}}, rand.New(rand.NewPCG(22, 0)))
	if err != nil {
		t.Fatal(err)
	}
	g.Route("n0", "n29")
	allocs := testing.AllocsPerRun(100, func() { g.Route("n0", "n29") })
	if allocs != 0 {
		t.Fatalf("cache hit allocates %v times", allocs)
	}
}

// tieGrid is a w x h grid where every link has latency 1: between opposite corners there
// are C(w+h-2, w-1) equally short paths.
func tieGrid(t testing.TB, w, h int) *Graph {
	g := NewGraph()
	id := func(x, y int) string { return fmt.Sprintf("g%d_%d", x, y) }
	for y := range h {
		for x := range w {
			g.AddNode(id(x, y), NodeAssets{Availability: 1, ProcessingTimeMS: float64(x + y)})
		}
	}
	for y := range h {
		for x := range w {
			if x+1 < w {
				g.AddSymmetricLink(id(x, y), id(x+1, y), LinkAssets{LatencyMS: 1, BandwidthMbps: 100})
			}
			if y+1 < h {
				g.AddSymmetricLink(id(x, y), id(x, y+1), LinkAssets{LatencyMS: 1, BandwidthMbps: 100})
			}
		}
	}
	return g
}

// TestRouteTieBreakStable rebuilds a graph full of ties 500 times and checks that the route
// is the same every time and is the lexicographically smallest by node index (along the
// first row, then down the last column).
func TestRouteTieBreakStable(t *testing.T) {
	want := []string{"g0_0", "g1_0", "g2_0", "g3_0", "g4_0", "g4_1", "g4_2", "g4_3", "g4_4"}
	for i := range 500 {
		g := tieGrid(t, 5, 5)
		p, err := g.Route("g0_0", "g4_4")
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(p.Nodes, want) {
			t.Fatalf("run %d: %v, want %v", i, p.Nodes, want)
		}
	}
}

// randomGraph builds a random directed graph with small integer latencies (so that ties are
// common and sums exact) and some nodes down.
func randomGraph(r *rand.Rand, n int, pEdge, pDown float64) *Graph {
	g := NewGraph()
	for i := range n {
		av := 1.0
		if r.Float64() < pDown {
			av = 0
		}
		g.AddNode(fmt.Sprintf("v%d", i), NodeAssets{Availability: av, ProcessingTimeMS: float64(r.IntN(5))})
	}
	for i := range n {
		for j := range n {
			if i != j && r.Float64() < pEdge {
				g.AddLink(fmt.Sprintf("v%d", i), fmt.Sprintf("v%d", j), LinkAssets{LatencyMS: float64(r.IntN(4)), BandwidthMbps: float64(1 + r.IntN(100))})
			}
		}
	}
	return g
}

// floydWarshall is the brute-force reference: all-pairs shortest latency over up nodes.
func floydWarshall(g *Graph) [][]float64 {
	n := g.Len()
	d := make([][]float64, n)
	for i := range d {
		d[i] = make([]float64, n)
		for j := range d[i] {
			d[i][j] = math.Inf(1)
		}
		if g.nodes[i].Availability > 0 {
			d[i][i] = 0
		}
	}
	for _, l := range g.links {
		if g.nodes[l.from].Availability > 0 && g.nodes[l.to].Availability > 0 {
			d[l.from][l.to] = min(d[l.from][l.to], l.LatencyMS)
		}
	}
	for k := range n {
		for i := range n {
			for j := range n {
				d[i][j] = min(d[i][j], d[i][k]+d[k][j])
			}
		}
	}
	return d
}

// bestByEnumeration enumerates every simple path over up nodes from s to t and returns the
// best by (latency, hops, node-index sequence), the documented rule.
func bestByEnumeration(g *Graph, s, t int) []int {
	var best []int
	bestLat := math.Inf(1)
	onPath := make([]bool, g.Len())
	var cur []int
	var walk func(u int, lat float64)
	walk = func(u int, lat float64) {
		cur = append(cur, u)
		onPath[u] = true
		if u == t {
			if lat < bestLat || (lat == bestLat && (len(cur) < len(best) || (len(cur) == len(best) && slices.Compare(cur, best) < 0))) {
				best, bestLat = slices.Clone(cur), lat
			}
		} else {
			for _, k := range g.out[u] {
				l := g.links[k]
				if !onPath[l.to] && g.nodes[l.to].Availability > 0 {
					walk(int(l.to), lat+l.LatencyMS)
				}
			}
		}
		onPath[u] = false
		cur = cur[:len(cur)-1]
	}
	if g.nodes[s].Availability > 0 && g.nodes[t].Availability > 0 {
		walk(s, 0)
	}
	return best
}

func TestRouteAgainstReferences(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for trial := range 300 {
		n := 2 + r.IntN(7) // small enough to enumerate every simple path
		if trial%3 == 0 {
			n = 10 + r.IntN(20) // larger: Floyd-Warshall and gonum only
		}
		g := randomGraph(r, n, 0.1+0.4*r.Float64(), 0.2)
		fw := floydWarshall(g)
		gd := gonumDistances(g)
		for s := range n {
			for d := range n {
				p, err := g.Route(g.ids[s], g.ids[d])
				if math.IsInf(fw[s][d], 1) {
					if err == nil {
						t.Fatalf("trial %d %d->%d: path %v, reference has none", trial, s, d, p.Nodes)
					}
					continue
				}
				if err != nil {
					t.Fatalf("trial %d %d->%d: %v, reference latency %v", trial, s, d, err, fw[s][d])
				}
				if p.LatencyMS != fw[s][d] || p.LatencyMS != gd[s][d] {
					t.Fatalf("trial %d %d->%d: latency %v, Floyd-Warshall %v, gonum %v", trial, s, d, p.LatencyMS, fw[s][d], gd[s][d])
				}
				if n <= 8 {
					want := bestByEnumeration(g, s, d)
					got := make([]int, len(p.Nodes))
					for i, id := range p.Nodes {
						got[i], _ = g.Index(id)
					}
					if !slices.Equal(got, want) {
						t.Fatalf("trial %d %d->%d: path %v, tie-break rule gives %v", trial, s, d, got, want)
					}
				}
			}
		}
	}
}

// orderedGraph exposes the up nodes and links of a Graph to gonum, iterating in node
// insertion order (never map order).
type orderedGraph struct{ g *Graph }

var _ graph.Weighted = orderedGraph{}

func (o orderedGraph) up(id int64) bool {
	return id >= 0 && int(id) < o.g.Len() && o.g.nodes[id].Availability > 0
}
func (o orderedGraph) Node(id int64) graph.Node {
	if !o.up(id) {
		return nil
	}
	return simple.Node(id)
}
func (o orderedGraph) Nodes() graph.Nodes {
	var ns []graph.Node
	for i := range o.g.Len() {
		if o.up(int64(i)) {
			ns = append(ns, simple.Node(i))
		}
	}
	return iterator.NewOrderedNodes(ns)
}
func (o orderedGraph) From(id int64) graph.Nodes {
	var ns []graph.Node
	if o.up(id) {
		for _, k := range o.g.out[id] {
			if to := int64(o.g.links[k].to); o.up(to) {
				ns = append(ns, simple.Node(to))
			}
		}
	}
	return iterator.NewOrderedNodes(ns)
}
func (o orderedGraph) HasEdgeBetween(x, y int64) bool {
	return o.Edge(x, y) != nil || o.Edge(y, x) != nil
}
func (o orderedGraph) Edge(u, v int64) graph.Edge { return o.WeightedEdge(u, v) }
func (o orderedGraph) WeightedEdge(u, v int64) graph.WeightedEdge {
	if !o.up(u) || !o.up(v) {
		return nil
	}
	k, ok := o.g.linkIndex[linkKey(int(u), int(v))]
	if !ok {
		return nil
	}
	return simple.WeightedEdge{F: simple.Node(u), T: simple.Node(v), W: o.g.links[k].LatencyMS}
}
func (o orderedGraph) Weight(x, y int64) (float64, bool) {
	if x == y {
		return 0, true
	}
	if e := o.WeightedEdge(x, y); e != nil {
		return e.Weight(), true
	}
	return math.Inf(1), false
}

// gonumDistances runs gonum's path.DijkstraFrom from every up node.
func gonumDistances(g *Graph) [][]float64 {
	o := orderedGraph{g}
	d := make([][]float64, g.Len())
	for s := range d {
		d[s] = make([]float64, g.Len())
		for t := range d[s] {
			d[s][t] = math.Inf(1)
		}
		if !o.up(int64(s)) {
			continue
		}
		sh := path.DijkstraFrom(simple.Node(s), o)
		for t := range d[s] {
			if o.up(int64(t)) {
				d[s][t] = sh.WeightTo(int64(t))
			}
		}
	}
	return d
}
