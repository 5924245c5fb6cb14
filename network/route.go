package network

import (
	"fmt"
	"math"
)

// Path is a route between two nodes. For From == To it has one node, no hops, latency 0,
// bandwidth +Inf and the processing time of that one node.
//
// Paths returned by Route share their slices with the graph's route cache: callers must not
// modify Nodes or Hops (copy them first).
type Path struct {
	Nodes []string // From first, To last
	Hops  []Link   // len(Nodes)-1 links, in order
	// LinkIdx holds, for each hop, the index of its directed link in Links() order (the
	// index LinkAt takes): stable for the graph's lifetime and across Clone, so that a
	// per-link model can key links by it.
	LinkIdx       []int32
	LatencyMS     float64 // sum over hops, added from the source onwards
	BandwidthMbps float64 // min over hops
	ProcessingMS  float64 // sum over every node of Nodes, both ends included, from the source onwards
}

// NoPathError says there is no route between two nodes (one is down, unknown, or cut off).
type NoPathError struct{ From, To string }

// Error says which two nodes have no path.
func (e *NoPathError) Error() string {
	return fmt.Sprintf("network: no path from %q to %q", e.From, e.To)
}

// tree is the single-source shortest-path tree of one source, with its materialized paths.
type tree struct {
	version uint64 // graph version the tree was computed at
	dist    []float64
	hops    []int32  // -1: unreachable
	prev    []int32  // predecessor node, -1 for the source and unreachable nodes
	via     []int32  // link index used to reach the node
	cnt     []uint32 // push counter of the node's current heap key
	paths   []Path
	built   []bool
	heap    idxHeap
}

// routeCache holds one lazily computed tree per source node.
type routeCache struct {
	trees []*tree
}

// Route returns the shortest path by latency from one node to another over nodes that are
// up, the one networkx's dijkstra_path returns (see the package doc). Unknown or down endpoints
// and unreachable targets give a *NoPathError. Results are cached per source until the
// graph's Version changes; a cache hit does not allocate. The returned Path shares its slices
// with the cache: do not modify them.
func (g *Graph) Route(from, to string) (Path, error) {
	s, ok1 := g.index[from]
	t, ok2 := g.index[to]
	if !ok1 || !ok2 || g.nodes[s].Availability <= 0 || g.nodes[t].Availability <= 0 {
		return Path{}, &NoPathError{From: from, To: to}
	}
	tr := g.treeFrom(s)
	if tr.hops[t] < 0 {
		return Path{}, &NoPathError{From: from, To: to}
	}
	if !tr.built[t] {
		tr.paths[t] = g.materialize(tr, s, t)
		tr.built[t] = true
	}
	return tr.paths[t], nil
}

// treeFrom returns the up-to-date shortest-path tree of source s.
func (g *Graph) treeFrom(s int) *tree {
	n := len(g.ids)
	if len(g.cache.trees) < n {
		g.cache.trees = append(g.cache.trees, make([]*tree, n-len(g.cache.trees))...)
	}
	tr := g.cache.trees[s]
	if tr != nil && tr.version == g.version && len(tr.dist) == n {
		return tr
	}
	if tr == nil {
		tr = &tree{}
		g.cache.trees[s] = tr
	}
	g.dijkstra(tr, s)
	tr.version = g.version
	return tr
}

// dijkstra computes the tree of source s over up nodes exactly as networkx's
// dijkstra_path does (see the package doc): nodes are settled from a heap keyed by
// (distance, push counter), neighbours are scanned in adjacency (link insertion) order, and
// a tentative distance is replaced only by a strictly smaller one.
func (g *Graph) dijkstra(tr *tree, s int) {
	n := len(g.ids)
	if cap(tr.dist) < n {
		tr.dist = make([]float64, n)
		tr.hops = make([]int32, n)
		tr.prev = make([]int32, n)
		tr.via = make([]int32, n)
		tr.cnt = make([]uint32, n)
		tr.built = make([]bool, n)
		tr.heap.pos = make([]int32, n)
	}
	tr.dist, tr.hops, tr.prev, tr.via, tr.cnt, tr.built = tr.dist[:n], tr.hops[:n], tr.prev[:n], tr.via[:n], tr.cnt[:n], tr.built[:n]
	tr.heap.pos = tr.heap.pos[:n]
	// Materialized paths are shared with callers: never reuse their storage.
	tr.paths = make([]Path, n)
	for i := range n {
		tr.dist[i] = math.Inf(1)
		tr.hops[i] = -1
		tr.prev[i] = -1
		tr.via[i] = -1
		tr.built[i] = false
		tr.heap.pos[i] = -1
	}
	tr.heap.items = tr.heap.items[:0]
	tr.heap.tr = tr
	if g.nodes[s].Availability <= 0 {
		return
	}
	var counter uint32
	tr.dist[s] = 0
	tr.hops[s] = 0
	tr.cnt[s] = counter
	counter++
	tr.heap.push(int32(s))
	for len(tr.heap.items) > 0 {
		u := tr.heap.pop()
		tr.heap.pos[u] = -2 // settled
		du, hu := tr.dist[u], tr.hops[u]
		for _, k := range g.out[u] {
			l := &g.links[k]
			v := l.to
			if tr.heap.pos[v] == -2 || g.nodes[v].Availability <= 0 {
				continue
			}
			d := du + l.LatencyMS
			if tr.hops[v] >= 0 && !(d < tr.dist[v]) {
				continue
			}
			tr.dist[v], tr.hops[v], tr.prev[v], tr.via[v], tr.cnt[v] = d, hu+1, u, k, counter
			counter++
			if tr.heap.pos[v] < 0 {
				tr.heap.push(v)
			} else {
				tr.heap.up(int(tr.heap.pos[v]))
			}
		}
	}
}

// materialize builds the Path from s to t out of the tree.
func (g *Graph) materialize(tr *tree, s, t int) Path {
	h := int(tr.hops[t])
	p := Path{Nodes: make([]string, h+1), BandwidthMbps: math.Inf(1)}
	if h > 0 {
		p.Hops = make([]Link, h)
		p.LinkIdx = make([]int32, h)
	}
	v := int32(t)
	for i := h; i > 0; i-- {
		p.Nodes[i] = g.ids[v]
		p.Hops[i-1] = g.link(tr.via[v])
		p.LinkIdx[i-1] = tr.via[v]
		v = tr.prev[v]
	}
	p.Nodes[0] = g.ids[s]
	p.ProcessingMS = g.nodes[s].ProcessingTimeMS
	for i, l := range p.Hops {
		p.LatencyMS += l.LatencyMS
		p.BandwidthMbps = math.Min(p.BandwidthMbps, l.BandwidthMbps)
		p.ProcessingMS += g.nodes[g.index[p.Nodes[i+1]]].ProcessingTimeMS
	}
	return p
}

// idxHeap is a binary min-heap of node indices keyed by (dist, push counter), with
// positions for decrease-key.
type idxHeap struct {
	items []int32
	pos   []int32 // position in items, -1 not queued, -2 settled
	tr    *tree
}

func (h *idxHeap) less(a, b int32) bool {
	t := h.tr
	if t.dist[a] != t.dist[b] {
		return t.dist[a] < t.dist[b]
	}
	return t.cnt[a] < t.cnt[b]
}

func (h *idxHeap) push(v int32) {
	h.items = append(h.items, v)
	h.pos[v] = int32(len(h.items) - 1)
	h.up(len(h.items) - 1)
}

func (h *idxHeap) pop() int32 {
	top := h.items[0]
	last := len(h.items) - 1
	h.swap(0, last)
	h.items = h.items[:last]
	if last > 0 {
		h.down(0)
	}
	return top
}

func (h *idxHeap) swap(i, j int) {
	h.items[i], h.items[j] = h.items[j], h.items[i]
	h.pos[h.items[i]] = int32(i)
	h.pos[h.items[j]] = int32(j)
}

func (h *idxHeap) up(i int) {
	for i > 0 {
		p := (i - 1) / 2
		if !h.less(h.items[i], h.items[p]) {
			return
		}
		h.swap(i, p)
		i = p
	}
}

func (h *idxHeap) down(i int) {
	n := len(h.items)
	for {
		l := 2*i + 1
		if l >= n {
			return
		}
		m := l
		if r := l + 1; r < n && h.less(h.items[r], h.items[l]) {
			m = r
		}
		if !h.less(h.items[m], h.items[i]) {
			return
		}
		h.swap(i, m)
		i = m
	}
}
