package network

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/graph"
	"gonum.org/v1/gonum/graph/graphs/gen"
	"gonum.org/v1/gonum/graph/simple"
)

// Asset ranges of the generators (ECLYPSE's hierarchical defaults, docs/MODEL.md).
//
// Node assets are drawn in this order, one node at a time: cpu, gpu, ram, storage (each a
// random power of two 2^(1+r.IntN(k)), i.e. cpu and gpu 2..256, ram 2..1024, storage
// 2..4096), availability 0.99 + 0.01*r.Float64() (in [0.99, 1)), processing_time an integer
// number of ms 1 + r.IntN(25) (1..25). Link assets are drawn latency first, an integer number
// of ms 1 + r.IntN(40) (1..40), then bandwidth an integer number of Mbit/s 50 + r.IntN(1451)
// (50..1500). Integer latencies make equally short paths common, which is what the routing
// tie-break is for.
func drawNode(r *rand.Rand) NodeAssets {
	pow := func(k int) float64 { return math.Ldexp(1, 1+r.IntN(k)) }
	var a NodeAssets
	a.CPU = pow(8)
	a.GPU = pow(8)
	a.RAM = pow(10)
	a.Storage = pow(12)
	a.Availability = 0.99 + float64(0.01*r.Float64()) // no fused multiply-add: same bits everywhere
	a.ProcessingTimeMS = float64(1 + r.IntN(25))
	return a
}

func drawLink(r *rand.Rand) LinkAssets {
	var l LinkAssets
	l.LatencyMS = float64(1 + r.IntN(40))
	l.BandwidthMbps = float64(50 + r.IntN(1451))
	return l
}

// Size limits of the generators, so that a mistyped flag gives an error instead of
// exhausting memory: at most MaxNodes nodes and MaxLinks (expected) directed links.
const (
	MaxNodes = 1 << 22
	MaxLinks = 1 << 26
)

// checkSize rejects graphs over the limits; links is the (expected) number of directed links.
func checkSize(kind string, n int, links float64) error {
	if n > MaxNodes {
		return fmt.Errorf("network: %s: %d nodes exceed the limit of %d", kind, n, MaxNodes)
	}
	if links > MaxLinks {
		return fmt.Errorf("network: %s: about %.0f links exceed the limit of %d", kind, links, MaxLinks)
	}
	return nil
}

// nodeName is the id of the i-th generated node: "n0", "n1", ...
func nodeName(i int) string { return "n" + strconv.Itoa(i) }

// addNodes adds n generated nodes "n0".."n{n-1}", drawing their assets in node order.
func addNodes(g *Graph, n int, r *rand.Rand) {
	for i := range n {
		if err := g.AddNode(nodeName(i), drawNode(r)); err != nil {
			panic(err) // generated names are unique and assets valid
		}
	}
}

// addSym adds a symmetric link between node indices i and j, which the caller knows are not
// linked yet, with drawn assets: i->j, then j->i.
func addSym(g *Graph, i, j int, r *rand.Rand) {
	l := drawLink(r)
	g.addLink(i, j, l)
	g.addLink(j, i, l)
}

// HierarchicalConfig configures the ECLYPSE-style hierarchical generator.
type HierarchicalConfig struct {
	N            int
	Partitioning []float64 // tier fractions, e.g. SockShop's [0.6, 0.1, 0.15, 0.15]
}

// TierSizes returns the number of nodes of each tier as ECLYPSE 0.9.0's get_hierarchical
// computes them: every tier but the last gets int(N*f_i) nodes (truncated, no tolerance for
// float error: 180 x 0.35 is 62.99999999999999 in float64, so 62), and the last tier gets
// what is left, N minus the others. N=30 with [0.6, 0.1, 0.15, 0.15] gives 18/3/4/5; N=180
// with ECLYPSE's default [0.35, 0.3, 0.2, 0.15] gives 62/54/36/28.
//
// ECLYPSE refuses fractions whose sum is not close to 1 (relative tolerance 1e-9, as
// Python's math.isclose); we accept any positive fractions and, when their sum is not close
// to 1, divide each by the sum first. Fractions must be finite and > 0, and every tier must
// get at least one node (ECLYPSE fails on an empty tier).
func (c HierarchicalConfig) TierSizes() ([]int, error) {
	if c.N < 1 {
		return nil, fmt.Errorf("network: hierarchical: n = %d, want >= 1", c.N)
	}
	if len(c.Partitioning) == 0 {
		return nil, fmt.Errorf("network: hierarchical: empty partitioning")
	}
	sum := 0.0
	for i, f := range c.Partitioning {
		if math.IsNaN(f) || math.IsInf(f, 0) || f <= 0 {
			return nil, fmt.Errorf("network: hierarchical: partitioning[%d] = %v, want a finite fraction > 0", i, f)
		}
		sum += f
	}
	normalize := math.Abs(sum-1) > 1e-9*math.Max(sum, 1)
	sizes := make([]int, len(c.Partitioning))
	total := 0
	for i, f := range c.Partitioning[:len(sizes)-1] {
		if normalize {
			f /= sum
		}
		sizes[i] = int(float64(c.N) * f)
		total += sizes[i]
	}
	sizes[len(sizes)-1] = c.N - total
	for i, s := range sizes {
		if s < 1 {
			return nil, fmt.Errorf("network: hierarchical: tier %d of partitioning %v gets no node out of %d", i, c.Partitioning, c.N)
		}
	}
	return sizes, nil
}

// hierLayout is the structure of a hierarchical graph before its link assets are drawn.
type hierLayout struct {
	sizes, start []int     // tier sizes; start[t] = first node of tier t, start[len] = N
	tier         []int32   // node -> tier
	same         [][]int32 // node -> same-tier neighbours, in the order the links were added
}

// crossDeg is the number of cross-tier neighbours of a node of tier t.
func (h *hierLayout) crossDeg(t int) int {
	d := 0
	if t > 0 {
		d += h.sizes[t-1]
	}
	if t+1 < len(h.sizes) {
		d += h.sizes[t+1]
	}
	return d
}

// Hierarchical builds a hierarchical infrastructure drawing from r, after ECLYPSE 0.9.0's
// get_hierarchical(n, node_partitioning, symmetric=True) with its default connectivity:
// consecutive tiers fully connected, and one same-tier link per node to a partner drawn
// uniformly from its whole tier, itself included (a node that draws itself gets no link, and
// a pair that drew each other gets one link).
//
// Nodes are named "n0".."n{N-1}" in tier order: tier 0 holds n0..n{s0-1}, tier 1 the next s1
// nodes, and so on (see TierSizes). Links() lists the links grouped by source node in node
// order (networkx's edge order, the order ECLYPSE's own exports and dynamics use), and each
// node's out-links come in the order ECLYPSE's construction adds them to its adjacency,
// which is the order networkx's Dijkstra scans them: for a node of tier t, every node of
// tier t-1 in node order, then every node of tier t+1 in node order, then its same-tier
// neighbours in the order the links were made (ECLYPSE handles the tiers one at a time: the
// links from tier t to t+1, then tier t's same-tier links, then tier t+1).
//
// Draws, in this order:
//  1. node assets, node by node in name order (see drawNode);
//  2. same-tier partners: for each node u in name order, one r.IntN(size of u's tier), the
//     partner's position in the tier;
//  3. link assets, latency then bandwidth (see drawLink), once per linked pair, at the
//     first of its two directed links in Links() order; the other direction starts with
//     the same assets.
//
// ECLYPSE also draws assets again when a pair that is already linked is drawn a second time
// (the partner had drawn u), keeping the later draw; one draw per pair has the same
// distribution.
func Hierarchical(cfg HierarchicalConfig, r *rand.Rand) (*Graph, error) {
	sizes, err := cfg.TierSizes()
	if err != nil {
		return nil, err
	}
	cross := 0.0
	for t := 0; t+1 < len(sizes); t++ {
		cross += float64(sizes[t]) * float64(sizes[t+1])
	}
	if err := checkSize("hierarchical", cfg.N, 2*cross+2*float64(cfg.N)); err != nil {
		return nil, err
	}
	g := NewGraph()
	addNodes(g, cfg.N, r)
	h := &hierLayout{sizes: sizes, start: make([]int, len(sizes)+1), tier: make([]int32, cfg.N), same: make([][]int32, cfg.N)}
	for t, s := range sizes {
		h.start[t+1] = h.start[t] + s
		for u := h.start[t]; u < h.start[t+1]; u++ {
			h.tier[u] = int32(t)
		}
	}
	for t, s := range sizes {
		for u := h.start[t]; u < h.start[t+1]; u++ {
			p := h.start[t] + r.IntN(s)
			if p == u || slices.Contains(h.same[u], int32(p)) {
				continue
			}
			// ECLYPSE adds the link p->u then u->p: each end's adjacency gains the other.
			h.same[p] = append(h.same[p], int32(u))
			h.same[u] = append(h.same[u], int32(p))
		}
	}
	h.addLinks(g, r)
	return g, nil
}

// addLinks adds every link of the layout to g, grouped by source node in node order, each
// node's out-links in adjacency order, drawing the assets of each pair at its first
// direction. It writes the graph's arrays directly: the links are known to be new, valid and
// grouped, so the CSR index is the identity and no per-link map is built, and the assets
// (whole numbers up to 1500) are exactly float32s.
//
// The draws go in Links() order; the second direction of each pair is filled afterwards,
// the cross-tier ones by a transpose done in tiles, since reading the first directions in
// the order of the second ones would miss the cache on every link of a large graph.
func (h *hierLayout) addLinks(g *Graph, r *rand.Rand) {
	n := len(h.tier)
	// first[u] = index in Links() of u's first out-link; first[n] = number of links.
	first := make([]int32, n+1)
	for u := range n {
		first[u+1] = first[u] + int32(h.crossDeg(int(h.tier[u]))+len(h.same[u]))
	}
	m := int(first[n])
	tp := g.topo
	tp.to = make([]int32, m)
	lat, bw := make([]float32, m), make([]float32, m)
	g.links = linkStore{lat32: lat, bw32: bw}
	// prevOff(t) is where, in the block of a node of tier t, its links to tier t+1 start.
	prevOff := func(t int) int32 {
		if t > 0 {
			return int32(h.sizes[t-1])
		}
		return 0
	}
	draw := func(k int32) {
		l := drawLink(r)
		lat[k], bw[k] = float32(l.LatencyMS), float32(l.BandwidthMbps)
	}
	// Targets, and the draws of the first directions, in Links() order.
	for u := range n {
		t := int(h.tier[u])
		k := first[u]
		if t > 0 {
			for v := h.start[t-1]; v < h.start[t]; v++ {
				tp.to[k] = int32(v)
				k++
			}
		}
		if t+1 < len(h.sizes) {
			for v := h.start[t+1]; v < h.start[t+2]; v++ {
				tp.to[k] = int32(v)
				draw(k)
				k++
			}
		}
		for _, v := range h.same[u] {
			tp.to[k] = v
			if int(v) > u {
				draw(k)
			}
			k++
		}
	}
	// Second directions of the cross-tier pairs: node b of tier t+1 lists tier t first, so
	// its link to a is at first[b] + (a - start of tier t), the copy of a's link to b at
	// first[a] + prevOff(t) + (b - start of tier t+1).
	const tile = 64
	for t := 0; t+1 < len(h.sizes); t++ {
		a0, a1, b0, b1 := h.start[t], h.start[t+1], h.start[t+1], h.start[t+2]
		off := prevOff(t)
		for at := a0; at < a1; at += tile {
			for bt := b0; bt < b1; bt += tile {
				for a := at; a < min(at+tile, a1); a++ {
					src := first[a] + off - int32(b0)
					dst := int32(a - a0)
					for b := bt; b < min(bt+tile, b1); b++ {
						lat[first[b]+dst], bw[first[b]+dst] = lat[src+int32(b)], bw[src+int32(b)]
					}
				}
			}
		}
	}
	// Second directions of the same-tier pairs.
	for u := range n {
		t := int(h.tier[u])
		k := first[u] + int32(h.crossDeg(t))
		for _, v := range h.same[u] {
			if int(v) < u {
				p := first[v] + int32(h.crossDeg(t)+slices.Index(h.same[v], int32(u)))
				lat[k], bw[k] = lat[p], bw[p]
			}
			k++
		}
	}
	tp.from, tp.start, tp.frozen = nil, first, true
	tp.buildSegments()
	g.version++
}

// Star builds a star of n >= 2 nodes: hub "n0" linked symmetrically to each leaf
// "n1".."n{n-1}". Draws: node assets in order, then the links' assets from leaf n1 onwards.
func Star(n int, r *rand.Rand) (*Graph, error) {
	if n < 2 {
		return nil, fmt.Errorf("network: star: n = %d, want >= 2", n)
	}
	if err := checkSize("star", n, 2*float64(n)); err != nil {
		return nil, err
	}
	b := simple.NewUndirectedGraph()
	gen.Star(b, 0, gen.IDRange{First: 1, Last: int64(n - 1)})
	return fromGonum("star", n, b, r)
}

// RandomConfig configures RandomConnected.
type RandomConfig struct {
	N int
	P float64 // probability of each undirected edge (Erdős-Rényi G(n,p)), 0..1
}

// RandomConnected builds a connected random graph: gonum's gen.Gnp(N, P) drawn from r,
// then made connected (see connect), then link assets drawn.
func RandomConnected(cfg RandomConfig, r *rand.Rand) (*Graph, error) {
	if cfg.N < 1 {
		return nil, fmt.Errorf("network: random: n = %d, want >= 1", cfg.N)
	}
	if math.IsNaN(cfg.P) || cfg.P < 0 || cfg.P > 1 {
		return nil, fmt.Errorf("network: random: p = %v, want 0..1", cfg.P)
	}
	if err := checkSize("random", cfg.N, float64(cfg.N)*float64(cfg.N-1)*cfg.P+2*float64(cfg.N)); err != nil {
		return nil, err
	}
	b := simple.NewUndirectedGraph() // gen.Gnp adds nodes 0..N-1 itself
	if err := gen.Gnp(b, cfg.N, cfg.P, r); err != nil {
		return nil, fmt.Errorf("network: random: %v", err)
	}
	return fromGonum("random", cfg.N, b, r)
}

// ScaleFreeConfig configures ScaleFree.
type ScaleFreeConfig struct {
	N int
	M int // edges added per new node, 1 <= M < N
}

// ScaleFree builds a Barabási-Albert scale-free graph with gonum's
// gen.PreferentialAttachment(N, M) drawn from r (connected by construction; connect is still
// applied), then link assets drawn.
func ScaleFree(cfg ScaleFreeConfig, r *rand.Rand) (*Graph, error) {
	if cfg.M < 1 || cfg.N <= cfg.M {
		return nil, fmt.Errorf("network: scale-free: n = %d, m = %d, want 1 <= m < n", cfg.N, cfg.M)
	}
	if err := checkSize("scale-free", cfg.N, 2*float64(cfg.M)*float64(cfg.N)); err != nil {
		return nil, err
	}
	b := simple.NewUndirectedGraph()
	if err := gen.PreferentialAttachment(b, cfg.N, cfg.M, r); err != nil {
		return nil, fmt.Errorf("network: scale-free: %v", err)
	}
	return fromGonum("scale-free", cfg.N, b, r)
}

// SmallWorldConfig configures SmallWorld.
type SmallWorldConfig struct {
	N int
	D int     // ring degree each side, 1 <= D <= (N-1)/2
	P float64 // edge replacement probability, 0 <= P < 1
}

// SmallWorld builds a small-world graph with gonum's gen.SmallWorldsBB(N, D, P) (Batagelj and
// Brandes' Watts-Strogatz variant) drawn from r, then made connected (see connect), then
// link assets drawn.
func SmallWorld(cfg SmallWorldConfig, r *rand.Rand) (*Graph, error) {
	if cfg.N < 3 || cfg.D < 1 || cfg.D > (cfg.N-1)/2 {
		return nil, fmt.Errorf("network: small-world: n = %d, d = %d, want 1 <= d <= (n-1)/2", cfg.N, cfg.D)
	}
	if math.IsNaN(cfg.P) || cfg.P < 0 || cfg.P >= 1 {
		return nil, fmt.Errorf("network: small-world: p = %v, want 0 <= p < 1", cfg.P)
	}
	if err := checkSize("small-world", cfg.N, 2*float64(cfg.D)*float64(cfg.N)+2*float64(cfg.N)); err != nil {
		return nil, err
	}
	b := simple.NewUndirectedGraph() // gen.SmallWorldsBB adds nodes 0..N-1 itself
	if cfg.P == 0 {
		for i := range cfg.N {
			b.AddNode(simple.Node(i))
		}
		// gonum's SmallWorldsBB adds no edge at p = 0: build the ring lattice ourselves.
		for v := range cfg.N {
			for i := 1; i <= cfg.D; i++ {
				b.SetEdge(b.NewEdge(simple.Node(v), simple.Node((v+i)%cfg.N)))
			}
		}
	} else if err := gen.SmallWorldsBB(b, cfg.N, cfg.D, cfg.P, r); err != nil {
		return nil, fmt.Errorf("network: small-world: %v", err)
	}
	return fromGonum("small-world", cfg.N, b, r)
}

// FatTreeConfig configures FatTree.
type FatTreeConfig struct {
	K int // even port count, >= 2
}

// FatTree builds a k-ary fat-tree (Al-Fares et al., SIGCOMM 2008): (K/2)^2 core switches
// "core0".., K pods of K/2 aggregation "agg<pod>_<i>" and K/2 edge switches "edge<pod>_<i>",
// and K/2 hosts "host<pod>_<edge>_<i>" under each edge switch, K^3/4 hosts in all. Aggregation
// switch i of every pod links to cores i*K/2 .. i*K/2+K/2-1; every edge switch links to every
// aggregation switch of its pod. The structure is fixed; draws are the node assets in node
// order (cores, then pod by pod: aggregation, edge, hosts), then link assets in link order
// (core-aggregation links by pod, then aggregation-edge, then edge-host).
func FatTree(cfg FatTreeConfig, r *rand.Rand) (*Graph, error) {
	k := cfg.K
	if k < 2 || k%2 != 0 || k > 64 {
		return nil, fmt.Errorf("network: fat-tree: k = %d, want an even number in 2..64", k)
	}
	h := k / 2
	g := NewGraph()
	add := func(id string) int {
		if err := g.AddNode(id, drawNode(r)); err != nil {
			panic(err)
		}
		return g.Len() - 1
	}
	core := make([]int, h*h)
	for i := range core {
		core[i] = add("core" + strconv.Itoa(i))
	}
	type pod struct{ agg, edge []int }
	pods := make([]pod, k)
	var hosts [][2]int // (edge, host)
	for p := range k {
		ps := strconv.Itoa(p)
		for i := range h {
			pods[p].agg = append(pods[p].agg, add("agg"+ps+"_"+strconv.Itoa(i)))
		}
		for e := range h {
			es := strconv.Itoa(e)
			ei := add("edge" + ps + "_" + es)
			pods[p].edge = append(pods[p].edge, ei)
			for i := range h {
				hosts = append(hosts, [2]int{ei, add("host" + ps + "_" + es + "_" + strconv.Itoa(i))})
			}
		}
	}
	for p := range k {
		for i, a := range pods[p].agg {
			for j := range h {
				addSym(g, core[i*h+j], a, r)
			}
		}
	}
	for p := range k {
		for _, a := range pods[p].agg {
			for _, e := range pods[p].edge {
				addSym(g, a, e, r)
			}
		}
	}
	for _, eh := range hosts {
		addSym(g, eh[0], eh[1], r)
	}
	return g, nil
}

// fromGonum turns an undirected gonum graph on ids 0..n-1 into a Graph: node assets drawn
// in id order (names "n<id>"), then connect, then one symmetric link per gonum edge with
// drawn assets, edges sorted by (smaller id, larger id) so map order never matters.
func fromGonum(kind string, n int, b *simple.UndirectedGraph, r *rand.Rand) (*Graph, error) {
	if b.Nodes().Len() != n {
		return nil, fmt.Errorf("network: %s: generator made %d nodes, want %d", kind, b.Nodes().Len(), n)
	}
	g := NewGraph()
	addNodes(g, n, r)
	var edges [][2]int
	it := b.Edges()
	for it.Next() {
		e := it.Edge()
		u, v := int(e.From().ID()), int(e.To().ID())
		if u > v {
			u, v = v, u
		}
		if u < 0 || v >= n {
			return nil, fmt.Errorf("network: %s: generator made node id %d", kind, v)
		}
		edges = append(edges, [2]int{u, v})
	}
	slices.SortFunc(edges, func(a, b [2]int) int {
		if a[0] != b[0] {
			return a[0] - b[0]
		}
		return a[1] - b[1]
	})
	edges = connect(n, edges, r)
	for _, e := range edges {
		addSym(g, e[0], e[1], r)
	}
	return g, nil
}

// connect makes an undirected graph on 0..n-1 connected. Components are taken in the order
// of their smallest node; for each component after the first, in that order, one edge is
// appended from its smallest node to a node drawn uniformly (r.IntN) among the nodes of the
// components before it, in node order. A connected graph draws nothing.
func connect(n int, edges [][2]int, r *rand.Rand) [][2]int {
	parent := make([]int, n)
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(x int) int {
		for parent[x] != x {
			parent[x] = parent[parent[x]]
			x = parent[x]
		}
		return x
	}
	for _, e := range edges {
		a, b := find(e[0]), find(e[1])
		if a != b {
			parent[max(a, b)] = min(a, b)
		}
	}
	// Components ordered by smallest node: walking nodes in order, a node whose root is
	// itself is the smallest of a new component (roots are always the smallest node).
	var seen []int // nodes of earlier components, in node order per component
	comps := map[int][]int{}
	var roots []int
	for v := range n {
		root := find(v)
		if root == v {
			roots = append(roots, v)
		}
		comps[root] = append(comps[root], v)
	}
	for i, root := range roots {
		if i > 0 {
			edges = append(edges, [2]int{seen[r.IntN(len(seen))], root})
		}
		seen = append(seen, comps[root]...)
	}
	return edges
}

var _ graph.Undirected = (*simple.UndirectedGraph)(nil)

// BadFractionError names the field of a partitioning that is not a usable fraction.
type BadFractionError struct{ Field string }

func (e *BadFractionError) Error() string {
	return fmt.Sprintf("network: partitioning: %q is not a non-negative number", e.Field)
}

// FormatPartitioning writes tier fractions the way ParsePartitioning reads them, joined by
// sep (',' or ':'), each in its shortest exact form.
func FormatPartitioning(fs []float64, sep string) string {
	ss := make([]string, len(fs))
	for i, f := range fs {
		ss[i] = strconv.FormatFloat(f, 'g', -1, 64)
	}
	return strings.Join(ss, sep)
}

// ParsePartitioning reads tier fractions separated by ',' or ':' ("0.6,0.1,0.15,0.15"), the
// form every command takes. A field that is not a finite number >= 0 is a *BadFractionError
// naming it; whether the fractions make a usable partitioning is Hierarchical's to say.
func ParsePartitioning(s string) ([]float64, error) {
	var out []float64
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ':' }) {
		v, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
		if err != nil || !(v >= 0) || math.IsInf(v, 0) {
			return nil, &BadFractionError{Field: f}
		}
		out = append(out, v)
	}
	if len(out) == 0 {
		return nil, &BadFractionError{Field: s}
	}
	return out, nil
}
