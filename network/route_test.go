package network

import (
	"container/heap"
	"encoding/csv"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
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
	// Links are added a-c, c-d, a-b, b-d, a-d, d-e, so a's adjacency is [c b d]. From a,
	// networkx pushes c (distance 2, counter 1), b (2, counter 2) and d (5, counter 3); c is
	// settled first (same distance, smaller counter) and offers d at 4 < 5, so d is reached
	// through c; b's later offer of 4 is not strictly smaller. a-b-d would win under a
	// "smallest node index" rule; networkx takes a-c-d.
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
		{"a", "d", []string{"a", "c", "d"}, 4, 50, 1 + 3 + 4, false},
		// d's adjacency is [c b a e]: c is pushed before b, so the tie goes to c again.
		{"d", "a", []string{"d", "c", "a"}, 4, 50, 4 + 3 + 1, false},
		{"a", "e", []string{"a", "c", "d", "e"}, 5, 7, 1 + 3 + 4 + 5, false},
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
			checkPath(t, g, p)
		})
	}
}

// checkPath checks a path's internal consistency: hops join its nodes, LinkIdx names each
// hop's link, and the totals are the sums and minimum over the hops.
func checkPath(t *testing.T, g *Graph, p Path) {
	t.Helper()
	if len(p.Hops) != len(p.Nodes)-1 || len(p.LinkIdx) != len(p.Hops) {
		t.Fatalf("%d hops, %d link indices for %d nodes", len(p.Hops), len(p.LinkIdx), len(p.Nodes))
	}
	lat, bw := 0.0, math.Inf(1)
	proc, _ := g.Node(p.Nodes[0])
	pt := proc.ProcessingTimeMS
	for i, h := range p.Hops {
		if h.From != p.Nodes[i] || h.To != p.Nodes[i+1] {
			t.Fatalf("hop %d = %v, nodes %v", i, h, p.Nodes)
		}
		if l := g.LinkAt(p.LinkIdx[i]); l != h {
			t.Fatalf("hop %d = %v, LinkAt(%d) = %v", i, h, p.LinkIdx[i], l)
		}
		lat += h.LatencyMS
		bw = math.Min(bw, h.BandwidthMbps)
		a, _ := g.Node(h.To)
		pt += a.ProcessingTimeMS
	}
	if p.LatencyMS != lat || p.BandwidthMbps != bw || p.ProcessingMS != pt {
		t.Fatalf("path %v: lat %v bw %v proc %v, hops give %v %v %v", p.Nodes, p.LatencyMS, p.BandwidthMbps, p.ProcessingMS, lat, bw, pt)
	}
}

// TestRouteNetworkxTies pins networkx's tie-breaking on hand-made graphs where it differs
// from the rules one might guess (fewest hops, smallest node).
func TestRouteNetworkxTies(t *testing.T) {
	tests := []struct {
		name  string
		nodes []string
		links [][4]any
		want  []string
	}{
		// Two paths s->t of latency 5: s-a-b-t (1+1+3, three hops) and s-c-t (4+1, two hops).
		// b is settled at distance 2, long before c at 4, so b offers t its 5 first; c's
		// equal offer is not strictly smaller. networkx takes the path with more hops.
		{"more hops", []string{"s", "a", "b", "c", "t"},
			[][4]any{{"s", "a", 1, 10}, {"a", "b", 1, 10}, {"b", "t", 3, 10}, {"s", "c", 4, 10}, {"c", "t", 1, 10}},
			[]string{"s", "a", "b", "t"}},
		// s-y and s-x both 1, then 1 to t: y's link from s was added first, so y is pushed
		// (and settled) before x and offers t first, although x is the earlier node.
		{"adjacency order", []string{"s", "x", "y", "t"},
			[][4]any{{"s", "y", 1, 10}, {"s", "x", 1, 10}, {"x", "t", 1, 10}, {"y", "t", 1, 10}},
			[]string{"s", "y", "t"}},
		// s's adjacency is [a c]: a is pushed at 1 (counter 1), c at 5 (counter 2). Settling a
		// pushes b at 2 (counter 3) and improves c to 2 with a new counter 4. Both are then at
		// 2: b (counter 3) is settled first and offers t 3; c's offer of 3 comes second.
		{"improved key", []string{"s", "a", "b", "c", "t"},
			[][4]any{{"s", "a", 1, 10}, {"s", "c", 5, 10}, {"a", "b", 1, 10}, {"a", "c", 1, 10}, {"c", "t", 1, 10}, {"b", "t", 1, 10}},
			[]string{"s", "a", "b", "t"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			g := mustGraph(t, tc.nodes, tc.links)
			p, err := g.Route("s", "t")
			if err != nil || !slices.Equal(p.Nodes, tc.want) {
				t.Fatalf("got %v (%v), want %v", p.Nodes, err, tc.want)
			}
			if ref := nxRoute(g, "s", "t"); !slices.Equal(ref, tc.want) {
				t.Fatalf("reference gives %v, want %v", ref, tc.want)
			}
			checkPath(t, g, p)
		})
	}
}

// TestRouteECLYPSE routes every ordered pair of ECLYPSE's own seed-22 SockShop
// infrastructure and requires the path ECLYPSE takes (node by node) and its processing time
// (see testdata/README.md).
func TestRouteECLYPSE(t *testing.T) {
	g, err := ReadNodeLink("testdata/eclypse-hierarchical-seed22.json")
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open("testdata/eclypse-hierarchical-seed22-paths.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 871 || !slices.Equal(rows[0], []string{"source", "target", "path", "processing_ms"}) {
		t.Fatalf("%d rows, header %v", len(rows), rows[0])
	}
	ties := 0
	for _, row := range rows[1:] {
		p, err := g.Route(row[0], row[1])
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(p.Nodes, "->"); got != row[2] {
			t.Errorf("%s->%s: %s, ECLYPSE %s", row[0], row[1], got, row[2])
		}
		if want, _ := strconv.ParseFloat(row[3], 64); p.ProcessingMS != want {
			t.Errorf("%s->%s: processing %v, ECLYPSE %v", row[0], row[1], p.ProcessingMS, want)
		}
		checkPath(t, g, p)
		if len(allShortest(g, row[0], row[1])) > 1 {
			ties++
		}
	}
	// The file tests tie-breaking only if it has ties: 52 of its 870 pairs have more than
	// one shortest path.
	if ties != 52 {
		t.Fatalf("%d pairs have equally short paths, want 52", ties)
	}
}

// allShortest lists every simple path of minimum latency between two nodes (small graphs).
func allShortest(g *Graph, from, to string) [][]string {
	adj := map[string][]Link{}
	for _, l := range g.Links() {
		adj[l.From] = append(adj[l.From], l)
	}
	best := math.Inf(1)
	if p, err := g.Route(from, to); err == nil {
		best = p.LatencyMS
	}
	var out [][]string
	on := map[string]bool{}
	var cur []string
	var walk func(u string, lat float64)
	walk = func(u string, lat float64) {
		if lat > best {
			return
		}
		cur = append(cur, u)
		on[u] = true
		if u == to {
			out = append(out, slices.Clone(cur))
		} else {
			for _, l := range adj[u] {
				if !on[l.To] && g.Up(l.To) {
					walk(l.To, lat+l.LatencyMS)
				}
			}
		}
		on[u] = false
		cur = cur[:len(cur)-1]
	}
	walk(from, 0)
	return out
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
// is the same every time and is networkx's.
func TestRouteTieBreakStable(t *testing.T) {
	want := nxRoute(tieGrid(t, 5, 5), "g0_0", "g4_4")
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
	ids := g.Nodes()
	n := len(ids)
	d := make([][]float64, n)
	for i := range d {
		d[i] = make([]float64, n)
		for j := range d[i] {
			d[i][j] = math.Inf(1)
		}
		if g.Up(ids[i]) {
			d[i][i] = 0
		}
	}
	for _, l := range g.Links() {
		i, _ := g.Index(l.From)
		j, _ := g.Index(l.To)
		if g.Up(l.From) && g.Up(l.To) {
			d[i][j] = min(d[i][j], l.LatencyMS)
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

// nxEntry is an entry of the reference's heap: networkx pushes (distance, counter, node)
// tuples and never removes a stale one; it skips it when popped.
type nxEntry struct {
	d float64
	c int
	v string
}

type nxHeap []nxEntry

func (h nxHeap) Len() int { return len(h) }
func (h nxHeap) Less(i, j int) bool {
	if h[i].d != h[j].d {
		return h[i].d < h[j].d
	}
	return h[i].c < h[j].c
}
func (h nxHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *nxHeap) Push(x any)   { *h = append(*h, x.(nxEntry)) }
func (h *nxHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// nxRoute is the reference for Route: a plain transcription of networkx's dijkstra_path
// (single source, stopping at the target) over the up nodes, weight = latency, each node's
// neighbours in the order of its out-links in Links(), using only the public API and a lazy
// heap as networkx does. It returns nil when there is no path.
func nxRoute(g *Graph, from, to string) []string { return nxRouter(g)(from, to) }

// nxRouter returns nxRoute for the graph's current state, building the adjacency once.
func nxRouter(g *Graph) func(from, to string) []string {
	adj := map[string][]Link{}
	for _, l := range g.Links() {
		adj[l.From] = append(adj[l.From], l)
	}
	return func(from, to string) []string { return nxSearch(g, adj, from, to) }
}

func nxSearch(g *Graph, adj map[string][]Link, from, to string) []string {
	if !g.Up(from) || !g.Up(to) {
		return nil
	}
	dist := map[string]float64{}
	seen := map[string]float64{from: 0}
	pred := map[string]string{}
	counter := 0
	h := &nxHeap{{0, counter, from}}
	for h.Len() > 0 {
		e := heap.Pop(h).(nxEntry)
		if _, done := dist[e.v]; done {
			continue
		}
		dist[e.v] = e.d
		if e.v == to {
			break
		}
		for _, l := range adj[e.v] {
			u := l.To
			if !g.Up(u) {
				continue
			}
			d := e.d + l.LatencyMS
			if _, done := dist[u]; done {
				continue
			}
			if s, ok := seen[u]; !ok || d < s {
				seen[u] = d
				counter++
				heap.Push(h, nxEntry{d, counter, u})
				pred[u] = e.v
			}
		}
	}
	if _, ok := dist[to]; !ok {
		return nil
	}
	path := []string{to}
	for v := to; v != from; {
		v = pred[v]
		path = append(path, v)
	}
	slices.Reverse(path)
	return path
}

// checkAllPairs requires Route to give the reference's path (and Floyd-Warshall's and
// gonum's latency) on every ordered pair of g.
func checkAllPairs(t *testing.T, name string, g *Graph) {
	t.Helper()
	fw := floydWarshall(g)
	gd := gonumDistances(g)
	ref := nxRouter(g)
	ids := g.Nodes()
	for s, a := range ids {
		for d, b := range ids {
			p, err := g.Route(a, b)
			want := ref(a, b)
			if want == nil {
				if err == nil || !math.IsInf(fw[s][d], 1) {
					t.Fatalf("%s %s->%s: path %v (%v), reference has none (Floyd-Warshall %v)", name, a, b, p.Nodes, err, fw[s][d])
				}
				continue
			}
			if err != nil {
				t.Fatalf("%s %s->%s: %v, reference %v", name, a, b, err, want)
			}
			if !slices.Equal(p.Nodes, want) {
				t.Fatalf("%s %s->%s: path %v, networkx's %v", name, a, b, p.Nodes, want)
			}
			if p.LatencyMS != fw[s][d] || p.LatencyMS != gd[s][d] {
				t.Fatalf("%s %s->%s: latency %v, Floyd-Warshall %v, gonum %v", name, a, b, p.LatencyMS, fw[s][d], gd[s][d])
			}
			checkPath(t, g, p)
		}
	}
}

func TestRouteAgainstReferences(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for trial := range 300 {
		n := 2 + r.IntN(7)
		if trial%3 == 0 {
			n = 10 + r.IntN(20)
		}
		g := randomGraph(r, n, 0.1+0.4*r.Float64(), 0.2)
		checkAllPairs(t, fmt.Sprint("trial ", trial), g)
	}
}

// TestRouteGeneratedUnderDynamics routes every pair of a few generated graphs, before and
// after steps of the SockShop dynamics (nodes down, latencies drifted and rounded), against
// the networkx reference.
func TestRouteGeneratedUnderDynamics(t *testing.T) {
	cfgs := []GeneratorConfig{
		{Kind: "hierarchical", N: 40, Partitioning: sockShopPartitioning},
		{Kind: "hierarchical", N: 60, Partitioning: []float64{0.35, 0.3, 0.2, 0.15}},
		{Kind: "random", N: 30, P: 0.15},
		{Kind: "fat-tree", K: 4},
	}
	steps := 3
	if testing.Short() {
		steps = 1
	}
	for i, cfg := range cfgs {
		r := rand.New(rand.NewPCG(uint64(i), 9))
		g, err := Generate(cfg, r)
		if err != nil {
			t.Fatal(err)
		}
		dyn := SockShopDynamics(0.1, 0.5)
		for step := range steps {
			checkAllPairs(t, fmt.Sprintf("%s step %d", cfg.Kind, step), g)
			dyn.Step(g, r)
		}
	}
}

// orderedGraph exposes the up nodes and links of a Graph to gonum, iterating in node
// insertion order (never map order).
type orderedGraph struct {
	g   *Graph
	ids []string
	out [][]int64
	w   map[[2]int64]float64
}

func newOrderedGraph(g *Graph) orderedGraph {
	o := orderedGraph{g: g, ids: g.Nodes(), out: make([][]int64, g.Len()), w: map[[2]int64]float64{}}
	for _, l := range g.Links() {
		i, _ := g.Index(l.From)
		j, _ := g.Index(l.To)
		o.out[i] = append(o.out[i], int64(j))
		o.w[[2]int64{int64(i), int64(j)}] = l.LatencyMS
	}
	return o
}

var _ graph.Weighted = orderedGraph{}

func (o orderedGraph) up(id int64) bool {
	return id >= 0 && int(id) < len(o.ids) && o.g.Up(o.ids[id])
}
func (o orderedGraph) Node(id int64) graph.Node {
	if !o.up(id) {
		return nil
	}
	return simple.Node(id)
}
func (o orderedGraph) Nodes() graph.Nodes {
	var ns []graph.Node
	for i := range o.ids {
		if o.up(int64(i)) {
			ns = append(ns, simple.Node(i))
		}
	}
	return iterator.NewOrderedNodes(ns)
}
func (o orderedGraph) From(id int64) graph.Nodes {
	var ns []graph.Node
	if o.up(id) {
		for _, to := range o.out[id] {
			if o.up(to) {
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
	w, ok := o.w[[2]int64{u, v}]
	if !ok {
		return nil
	}
	return simple.WeightedEdge{F: simple.Node(u), T: simple.Node(v), W: w}
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
	o := newOrderedGraph(g)
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

// TestPartialSearchEqualsFull: a search stopped when its target is settled, then resumed for
// farther targets, settles every node with the same distance, predecessor and link as one
// search run to the end without stopping, at every pause.
func TestPartialSearchEqualsFull(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	graphs := []*Graph{tieGrid(t, 6, 6), sockShopInfra(t)}
	for range 20 {
		graphs = append(graphs, randomGraph(r, 10+r.IntN(30), 0.05+0.3*r.Float64(), 0.15))
	}
	h, err := Hierarchical(HierarchicalConfig{N: 300, Partitioning: sockShopPartitioning}, rand.New(rand.NewPCG(3, 3)))
	if err != nil {
		t.Fatal(err)
	}
	DefaultDrift().Step(h, r)
	graphs = append(graphs, h)
	for gi, g := range graphs {
		g.freeze()
		n := int32(g.Len())
		for s := range n {
			if g.nodes[s].Availability <= 0 {
				continue
			}
			full := &tree{}
			g.startSearch(full, s)
			g.search(full, -1) // never matches: runs to the end
			part := &tree{}
			g.startSearch(part, s)
			for _, target := range r.Perm(int(n)) {
				g.search(part, int32(target))
				for v := range n {
					if !part.settled(v) {
						continue
					}
					if !full.settled(v) || part.dist[v] != full.dist[v] || part.prev[v] != full.prev[v] || part.via[v] != full.via[v] {
						t.Fatalf("graph %d source %d, paused at %d: node %d settled at %v via %d (link %d), full search %v via %d (link %d)",
							gi, s, target, v, part.dist[v], part.prev[v], part.via[v], full.dist[v], full.prev[v], full.via[v])
					}
				}
			}
			for v := range n {
				if part.settled(v) != full.settled(v) || part.dist[v] != full.dist[v] {
					t.Fatalf("graph %d source %d: node %d settled %v at %v, full search %v at %v", gi, s, v, part.settled(v), part.dist[v], full.settled(v), full.dist[v])
				}
			}
		}
	}
}
