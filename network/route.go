package network

import (
	"fmt"
	"math"
)

// Path is a route between two nodes. For From == To it has one node, no hops, latency 0,
// bandwidth +Inf and the processing time of that one node.
//
// Paths returned by Route share their slices with the graph's route cache: callers must not
// modify Nodes, Hops or LinkIdx (copy them first).
type Path struct {
	Nodes []string // From first, To last
	Hops  []Link   // len(Nodes)-1 links, in order, with their assets when the path was found
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

// heapItem is a heap entry: networkx's (distance, push counter) key and the node.
type heapItem struct {
	d float64
	c uint32
	v int32
}

func (a heapItem) less(b heapItem) bool { return a.d < b.d || a.d == b.d && a.c < b.c }

// tree is the state of the search from one source: a Dijkstra that stops as soon as the
// node asked for is settled, and resumes from where it stopped when a farther node is asked
// for. The nodes settled so far, their distances and their paths are exactly those of a
// search run to the end, since networkx fixes a node's path when it settles it: the pause
// changes when work is done, never what it computes.
//
// dist encodes each node's state so that relaxing a link costs one comparison: +Inf for a
// node not reached yet, the tentative distance (>= 0) of a queued node, and for a settled
// node its distance negated (so -0 for the source), below any distance a link can offer;
// -Inf for a node that is down. "d < dist[v]" is then exactly networkx's test: true for a
// node never reached, true for a queued node only if d is strictly smaller, never for a
// settled or down node.
type tree struct {
	version uint64 // graph version the search belongs to
	src     int32
	dist    []float64
	prev    []int32    // predecessor node on the path
	via     []int32    // link index of the last hop
	heap    []heapItem // binary min-heap on (d, c)
	pos     []int32    // heap position of each queued node
	counter uint32     // pushes so far, networkx's count()
	pathAt  []int32    // node -> 1 + index in paths, 0 when not materialized
	paths   []Path     // materialized paths; callers hold copies whose slices are never reused
}

// settled reports whether v's distance and path are final (v up).
func (tr *tree) settled(v int32) bool {
	d := tr.dist[v]
	return math.Signbit(d) && !math.IsInf(d, -1)
}

// routeCache holds one search per source node, created on the first route from it.
type routeCache struct {
	trees []*tree
}

// Route returns the shortest path by latency from one node to another over nodes that are
// up: the one networkx's dijkstra_path returns (see the package doc). Unknown or down
// endpoints and unreachable targets give a *NoPathError. The search from a source is kept
// until the graph's Version changes, and goes only as far as the targets asked for so far;
// a path already found costs a lookup and no allocation. The returned Path shares its
// slices with the cache: do not modify them.
func (g *Graph) Route(from, to string) (Path, error) {
	s, ok1 := g.topo.index[from]
	t, ok2 := g.topo.index[to]
	if !ok1 || !ok2 || g.nodes[s].Availability <= 0 || g.nodes[t].Availability <= 0 {
		return Path{}, &NoPathError{From: from, To: to}
	}
	tr := g.treeFrom(s)
	if !tr.settled(t) && !g.search(tr, t) {
		return Path{}, &NoPathError{From: from, To: to}
	}
	if i := tr.pathAt[t]; i > 0 {
		return tr.paths[i-1], nil
	}
	p := g.materialize(tr, t)
	tr.paths = append(tr.paths, p)
	tr.pathAt[t] = int32(len(tr.paths))
	return p, nil
}

// treeFrom returns the search of source s for the current version, starting it afresh
// (reusing its arrays) when the graph changed since.
func (g *Graph) treeFrom(s int32) *tree {
	n := len(g.topo.ids)
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
	g.freeze()
	g.startSearch(tr, s)
	return tr
}

// startSearch resets tr to a search from s that has pushed s and nothing else.
func (g *Graph) startSearch(tr *tree, s int32) {
	n := len(g.topo.ids)
	if cap(tr.dist) < n {
		tr.dist = make([]float64, n)
		tr.prev = make([]int32, n)
		tr.via = make([]int32, n)
		tr.pos = make([]int32, n)
		tr.pathAt = make([]int32, n)
	}
	tr.dist, tr.prev, tr.via, tr.pos, tr.pathAt = tr.dist[:n], tr.prev[:n], tr.via[:n], tr.pos[:n], tr.pathAt[:n]
	for v := range n {
		tr.dist[v] = math.Inf(1)
		if g.nodes[v].Availability <= 0 {
			tr.dist[v] = math.Inf(-1)
		}
	}
	clear(tr.pathAt)
	clear(tr.paths) // callers hold copies of these Paths: their slices are dropped, not reused
	tr.paths = tr.paths[:0]
	tr.version, tr.src = g.version, s
	tr.heap = tr.heap[:0]
	tr.counter = 0
	tr.prev[s], tr.via[s] = -1, -1
	tr.push(s, 0)
}

// push adds v to the heap with distance d and the next counter.
func (tr *tree) push(v int32, d float64) {
	tr.dist[v] = d
	tr.heap = append(tr.heap, heapItem{d, tr.counter, v})
	tr.counter++
	tr.up(len(tr.heap) - 1)
}

// decrease gives queued node v the smaller distance d and the next counter, as networkx's
// second push of v does (its older entry would be skipped when popped).
func (tr *tree) decrease(v int32, d float64) {
	tr.dist[v] = d
	i := int(tr.pos[v])
	tr.heap[i] = heapItem{d, tr.counter, v}
	tr.counter++
	tr.up(i)
}

func (tr *tree) up(i int) {
	h := tr.heap
	it := h[i]
	for i > 0 {
		p := (i - 1) / 2
		if !it.less(h[p]) {
			break
		}
		h[i] = h[p]
		tr.pos[h[i].v] = int32(i)
		i = p
	}
	h[i] = it
	tr.pos[it.v] = int32(i)
}

// pop removes the heap's minimum and settles it: its distance becomes final.
func (tr *tree) pop() (int32, float64) {
	h := tr.heap
	top, d := h[0].v, h[0].d
	tr.dist[top] = -d
	last := len(h) - 1
	it := h[last]
	h = h[:last]
	tr.heap = h
	if last > 0 {
		i := 0
		for {
			l := 2*i + 1
			if l >= last {
				break
			}
			m := l
			if r := l + 1; r < last && h[r].less(h[l]) {
				m = r
			}
			if !h[m].less(it) {
				break
			}
			h[i] = h[m]
			tr.pos[h[i].v] = int32(i)
			i = m
		}
		h[i] = it
		tr.pos[it.v] = int32(i)
	}
	return top, d
}

// search continues the search of tr until t is settled (true) or the heap is empty (false).
// Each settled node's out-links are scanned in CSR order, which is insertion order.
func (g *Graph) search(tr *tree, t int32) bool {
	tp := g.topo
	for len(tr.heap) > 0 {
		u, du := tr.pop()
		lo, hi := tp.start[u], tp.start[u+1]
		switch {
		case tp.slot != nil && g.links.wide:
			relaxPerm(tr, u, du, tp.slotTo[lo:hi], tp.slot[lo:hi], g.links.lat64)
		case tp.slot != nil:
			relaxPerm(tr, u, du, tp.slotTo[lo:hi], tp.slot[lo:hi], g.links.lat32)
		case g.links.wide:
			relaxSegs(tr, u, du, tp, g.links.lat64)
		default:
			relaxSegs(tr, u, du, tp, g.links.lat32)
		}
		if u == t {
			return true
		}
	}
	return false
}

// relax offers u's out-neighbours their distance through u (settled at du); the out-links
// are the links first, first+1, ... going to to[i] with latency lat[i]. A node's distance is
// replaced only by a strictly smaller one, as networkx does; the encoding of dist (see tree)
// makes that one comparison per link, the main cost of a search.
func relax[F float32 | float64](tr *tree, u int32, du float64, first int32, to []int32, lat []F) {
	dist := tr.dist
	lat = lat[:len(to)]
	for i, v := range to {
		d := du + float64(lat[i])
		if d < dist[v] {
			tr.offer(v, d, u, first+int32(i))
		}
	}
}

// relaxSegs relaxes u's out-links segment by segment (see topology.segs), in slot order.
func relaxSegs[F float32 | float64](tr *tree, u int32, du float64, tp *topology, lat []F) {
	for _, sg := range tp.segs[tp.segStart[u]:tp.segStart[u+1]] {
		if sg.first < 0 {
			relax(tr, u, du, sg.lo, tp.to[sg.lo:sg.hi], lat[sg.lo:sg.hi])
		} else {
			relaxRun(tr, u, du, sg.lo, sg.first, lat[sg.lo:sg.hi])
		}
	}
}

// relaxRun is relax for a run: slot first+i goes to node v0+i. Neither to[] nor scattered
// dist[] entries are read, the loop streams through lat and dist.
func relaxRun[F float32 | float64](tr *tree, u int32, du float64, first, v0 int32, lat []F) {
	dist := tr.dist[v0:]
	dist = dist[:len(lat)]
	for i, l := range lat {
		d := du + float64(l)
		if d < dist[i] {
			tr.offer(v0+int32(i), d, u, first+int32(i))
		}
	}
}

// relaxPerm is relax for a topology whose links are not grouped by source: slot i of u is
// link links[i], going to to[i].
func relaxPerm[F float32 | float64](tr *tree, u int32, du float64, to, links []int32, lat []F) {
	dist := tr.dist
	links = links[:len(to)]
	for i, v := range to {
		k := links[i]
		d := du + float64(lat[k])
		if d < dist[v] {
			tr.offer(v, d, u, k)
		}
	}
}

// offer records that v is reached at d, better than before, from u by link k.
func (tr *tree) offer(v int32, d float64, u, k int32) {
	tr.prev[v], tr.via[v] = u, k
	if math.IsInf(tr.dist[v], 1) {
		tr.push(v, d)
	} else {
		tr.decrease(v, d)
	}
}

// materialize builds the Path from the source of tr to settled node t.
func (g *Graph) materialize(tr *tree, t int32) Path {
	tp := g.topo
	h := 0
	for v := t; v != tr.src; v = tr.prev[v] {
		h++
	}
	p := Path{Nodes: make([]string, h+1), BandwidthMbps: math.Inf(1)}
	if h > 0 {
		p.Hops = make([]Link, h)
		p.LinkIdx = make([]int32, h)
	}
	v := t
	for i := h; i > 0; i-- {
		u, k := tr.prev[v], tr.via[v]
		p.Nodes[i] = tp.ids[v]
		p.Hops[i-1] = Link{From: tp.ids[u], To: tp.ids[v], LinkAssets: g.links.at(k)}
		p.LinkIdx[i-1] = k
		v = u
	}
	p.Nodes[0] = tp.ids[tr.src]
	p.ProcessingMS = g.nodes[tr.src].ProcessingTimeMS
	for i, l := range p.Hops {
		p.LatencyMS += l.LatencyMS
		p.BandwidthMbps = math.Min(p.BandwidthMbps, l.BandwidthMbps)
		p.ProcessingMS += g.nodes[tp.to[p.LinkIdx[i]]].ProcessingTimeMS
	}
	return p
}
