package network

import (
	"fmt"
	"iter"
	"math"
	"slices"
	"sort"
)

// NodeAssets are the assets of a node. A node with Availability 0 is down.
type NodeAssets struct {
	CPU, GPU, RAM, Storage float64
	Availability           float64 // 0..1
	ProcessingTimeMS       float64 // per-message forwarding cost of the node
}

// LinkAssets are the assets of a directed link.
type LinkAssets struct {
	LatencyMS     float64
	BandwidthMbps float64
}

// Link is a directed link.
type Link struct {
	From, To string
	LinkAssets
}

// Graph is an infrastructure: nodes in insertion order, directed links in insertion order.
// The zero value is not usable; call NewGraph.
//
// Layout. The structure (node ids, link ends) lives in a topology that clones share: it is
// never modified once shared, a mutation copies it first. Node assets are per graph. Link
// assets are per graph too but shared with a clone until either side writes them (copy on
// write), so a Clone costs the node assets and nothing per link until the first drift.
// Routing reads the links of a node through a compressed-sparse-row index of the topology
// (each node's out-links contiguous, in insertion order), built when first needed after a
// change of structure.
type Graph struct {
	topo       *topology
	topoShared bool // topo is also another graph's: copy before changing it

	nodes      []NodeAssets
	links      linkStore
	linkShared bool // links' arrays are also another graph's: copy before writing

	linkIndex map[uint64]int32 // linkKey(from, to) -> link; built on the first AddLink, nil before

	version uint64
	cache   routeCache
}

// topology is the structure of a graph: node ids and the ends of every link.
//
// Links are indexed in insertion order. from[k] and to[k] are the ends of link k; once the
// CSR index is built (frozen), the out-links of node u are the slots start[u]..start[u+1],
// in insertion order: slot s is link slot[s] going to slotTo[s]. When the links were added
// grouped by source node (from never decreasing), as the hierarchical generator and
// networkx's own exports add them, slots and links coincide: slot and slotTo are nil, and
// so is from, which start gives back. That saves 12 bytes per link, 234 MB at 10 000 nodes.
type topology struct {
	ids   []string
	index map[string]int32
	from  []int32 // nil when frozen and grouped
	to    []int32

	frozen bool
	start  []int32 // len(ids)+1 entries once frozen
	slot   []int32 // nil when grouped
	slotTo []int32 // nil when grouped

	// Runs, for grouped topologies: the out-links of node u are cut into the segments
	// segs[segStart[u]:segStart[u+1]], in slot order. A run segment covers slots whose
	// targets are consecutive nodes (first, first+1, ...), which routing scans without
	// reading to[] and with dist[] read in sequence: the hierarchical generator's links are
	// almost all in runs (a node links to whole tiers). Other slots form plain segments.
	segStart []int32
	segs     []segment
}

// segment is a range of slots [lo, hi) of one node; first is the target of slot lo when the
// targets are consecutive, -1 for a plain segment.
type segment struct{ lo, hi, first int32 }

// minRun is the shortest run of consecutive targets routing scans as a run.
const minRun = 8

// buildSegments cuts every node's out-links into runs and plain segments.
func (tp *topology) buildSegments() {
	n := len(tp.ids)
	tp.segStart = make([]int32, n+1)
	tp.segs = tp.segs[:0]
	for u := range n {
		lo, hi := tp.start[u], tp.start[u+1]
		plain := int32(-1) // start of the open plain segment
		for s := lo; s < hi; {
			e := s + 1
			for e < hi && tp.to[e] == tp.to[e-1]+1 {
				e++
			}
			if e-s >= minRun {
				if plain >= 0 {
					tp.segs = append(tp.segs, segment{plain, s, -1})
					plain = -1
				}
				tp.segs = append(tp.segs, segment{s, e, tp.to[s]})
			} else if plain < 0 {
				plain = s
			}
			s = e
		}
		if plain >= 0 {
			tp.segs = append(tp.segs, segment{plain, hi, -1})
		}
		tp.segStart[u+1] = int32(len(tp.segs))
	}
}

func linkKey(from, to int) uint64 { return uint64(from)<<32 | uint64(uint32(to)) }

// NewGraph returns an empty graph.
func NewGraph() *Graph {
	return &Graph{topo: &topology{index: map[string]int32{}}}
}

// freeze builds the CSR index of the topology if a change of structure dropped it. It may
// run on an unshared topology only (a shared one is always frozen: Clone freezes first).
func (g *Graph) freeze() {
	tp := g.topo
	if tp.frozen {
		return
	}
	n, m := len(tp.ids), len(tp.to)
	tp.start = make([]int32, n+1)
	grouped := true
	for k, u := range tp.from {
		tp.start[u+1]++
		if k > 0 && u < tp.from[k-1] {
			grouped = false
		}
	}
	for u := range n {
		tp.start[u+1] += tp.start[u]
	}
	if grouped {
		tp.from, tp.slot, tp.slotTo = nil, nil, nil
		tp.buildSegments()
	} else {
		tp.slot = make([]int32, m)
		tp.slotTo = make([]int32, m)
		next := slices.Clone(tp.start[:n])
		for k, u := range tp.from {
			s := next[u]
			next[u]++
			tp.slot[s], tp.slotTo[s] = int32(k), tp.to[k]
		}
	}
	tp.frozen = true
}

// thaw makes the topology this graph's own and ready for a change of structure: copied if
// shared, its from array rebuilt if freezing dropped it, the CSR index dropped.
func (g *Graph) thaw() {
	tp := g.topo
	if g.topoShared {
		c := &topology{
			ids:   slices.Clone(tp.ids),
			index: make(map[string]int32, len(tp.index)),
			from:  slices.Clone(tp.from),
			to:    slices.Clone(tp.to),
		}
		for k, v := range tp.index {
			c.index[k] = v
		}
		if c.from == nil && len(c.to) > 0 {
			c.from = tp.fromArray()
		}
		g.topo, g.topoShared = c, false
		return
	}
	if tp.from == nil && len(tp.to) > 0 {
		tp.from = tp.fromArray()
	}
	tp.frozen, tp.start, tp.slot, tp.slotTo, tp.segStart, tp.segs = false, nil, nil, nil, nil, nil
}

// fromArray lists the source of every link of a frozen, grouped topology.
func (tp *topology) fromArray() []int32 {
	from := make([]int32, len(tp.to))
	for u := range len(tp.ids) {
		for k := tp.start[u]; k < tp.start[u+1]; k++ {
			from[k] = int32(u)
		}
	}
	return from
}

// fromOf is the source node of link k (frozen topology).
func (tp *topology) fromOf(k int32) int32 {
	if tp.from != nil {
		return tp.from[k]
	}
	// The last node whose first slot is <= k.
	return int32(sort.Search(len(tp.ids), func(u int) bool { return tp.start[u+1] > k }))
}

// ownLinks makes the link assets this graph's own before a write.
func (g *Graph) ownLinks() {
	if g.linkShared {
		g.links = g.links.clone()
		g.linkShared = false
	}
}

func (g *Graph) link(k int32) Link {
	g.freeze()
	tp := g.topo
	return Link{From: tp.ids[tp.fromOf(k)], To: tp.ids[tp.to[k]], LinkAssets: g.links.at(k)}
}

func validNode(a NodeAssets) error {
	for _, f := range []struct {
		name string
		v    float64
	}{{"cpu", a.CPU}, {"gpu", a.GPU}, {"ram", a.RAM}, {"storage", a.Storage}, {"processing_time", a.ProcessingTimeMS}} {
		if math.IsNaN(f.v) || math.IsInf(f.v, 0) || f.v < 0 {
			return fmt.Errorf("%s %v must be finite and >= 0", f.name, f.v)
		}
	}
	if math.IsNaN(a.Availability) || a.Availability < 0 || a.Availability > 1 {
		return fmt.Errorf("availability %v must be in 0..1", a.Availability)
	}
	return nil
}

func validLink(a LinkAssets) error {
	if math.IsNaN(a.LatencyMS) || math.IsInf(a.LatencyMS, 0) || a.LatencyMS < 0 {
		return fmt.Errorf("latency %v must be finite and >= 0", a.LatencyMS)
	}
	if math.IsNaN(a.BandwidthMbps) || a.BandwidthMbps <= 0 {
		return fmt.Errorf("bandwidth %v must be > 0", a.BandwidthMbps)
	}
	return nil
}

// AddNode adds a node. Ids must be unique and non-empty; assets must be valid (capacities and
// processing time finite and >= 0, availability in 0..1).
func (g *Graph) AddNode(id string, a NodeAssets) error {
	if id == "" {
		return fmt.Errorf("network: add node: empty id")
	}
	if _, ok := g.topo.index[id]; ok {
		return fmt.Errorf("network: add node %q: duplicate id", id)
	}
	if err := validNode(a); err != nil {
		return fmt.Errorf("network: add node %q: %v", id, err)
	}
	g.addNode(id, a)
	return nil
}

// addNode adds a node known to be new and valid.
func (g *Graph) addNode(id string, a NodeAssets) {
	g.thaw()
	tp := g.topo
	tp.index[id] = int32(len(tp.ids))
	tp.ids = append(tp.ids, id)
	g.nodes = append(g.nodes, a)
	g.version++
}

// indexLinks builds the (from, to) -> link map AddLink checks duplicates with. Graphs that
// are never extended with AddLink (generated ones) never build it.
func (g *Graph) indexLinks() {
	if g.linkIndex != nil {
		return
	}
	g.freeze()
	tp := g.topo
	g.linkIndex = make(map[uint64]int32, len(tp.to))
	for k, v := range tp.to {
		g.linkIndex[linkKey(int(tp.fromOf(int32(k))), int(v))] = int32(k)
	}
}

// AddLink adds a directed link between two existing, distinct nodes. A second link with the
// same ends is an error. Latency must be finite and >= 0, bandwidth > 0 (+Inf allowed).
func (g *Graph) AddLink(from, to string, a LinkAssets) error {
	i, ok := g.topo.index[from]
	if !ok {
		return fmt.Errorf("network: add link %q->%q: unknown node %q", from, to, from)
	}
	j, ok := g.topo.index[to]
	if !ok {
		return fmt.Errorf("network: add link %q->%q: unknown node %q", from, to, to)
	}
	if i == j {
		return fmt.Errorf("network: add link %q->%q: self-loop", from, to)
	}
	g.indexLinks()
	if _, ok := g.linkIndex[linkKey(int(i), int(j))]; ok {
		return fmt.Errorf("network: add link %q->%q: duplicate link", from, to)
	}
	if err := validLink(a); err != nil {
		return fmt.Errorf("network: add link %q->%q: %v", from, to, err)
	}
	g.addLink(int(i), int(j), a)
	return nil
}

// addLink adds a link that is known to be new and valid.
func (g *Graph) addLink(i, j int, a LinkAssets) {
	g.thaw()
	g.ownLinks()
	tp := g.topo
	k := int32(len(tp.to))
	if g.linkIndex != nil {
		g.linkIndex[linkKey(i, j)] = k
	}
	tp.from = append(tp.from, int32(i))
	tp.to = append(tp.to, int32(j))
	g.links.add(a)
	g.version++
}

// AddSymmetricLink adds the two directed links a->b and b->a (in that order) with the same
// assets. Neither is added if either would fail.
func (g *Graph) AddSymmetricLink(a, b string, l LinkAssets) error {
	ia, oka := g.topo.index[a]
	ib, okb := g.topo.index[b]
	if oka && okb {
		g.indexLinks()
		if _, dup := g.linkIndex[linkKey(int(ib), int(ia))]; dup {
			return fmt.Errorf("network: add link %q->%q: duplicate link", b, a)
		}
	}
	if err := g.AddLink(a, b, l); err != nil {
		return err
	}
	return g.AddLink(b, a, l)
}

// Nodes returns the node ids in insertion order (a fresh slice).
func (g *Graph) Nodes() []string { return slices.Clone(g.topo.ids) }

// Len returns the number of nodes.
func (g *Graph) Len() int { return len(g.topo.ids) }

// Index returns the insertion index of a node (its position in Nodes()).
func (g *Graph) Index(id string) (int, bool) {
	i, ok := g.topo.index[id]
	return int(i), ok
}

// Node returns the assets of a node.
func (g *Graph) Node(id string) (NodeAssets, bool) {
	i, ok := g.topo.index[id]
	if !ok {
		return NodeAssets{}, false
	}
	return g.nodes[i], true
}

// SetNode replaces the assets of an existing node (same validation as AddNode).
func (g *Graph) SetNode(id string, a NodeAssets) error {
	i, ok := g.topo.index[id]
	if !ok {
		return fmt.Errorf("network: set node %q: unknown node", id)
	}
	if err := validNode(a); err != nil {
		return fmt.Errorf("network: set node %q: %v", id, err)
	}
	g.setNode(int(i), a)
	return nil
}

func (g *Graph) setNode(i int, a NodeAssets) {
	g.nodes[i] = a
	g.version++
}

// Links returns every directed link in insertion order (a fresh slice).
func (g *Graph) Links() []Link {
	g.freeze()
	tp := g.topo
	out := make([]Link, len(tp.to))
	if tp.from != nil {
		for k := range out {
			out[k] = Link{From: tp.ids[tp.from[k]], To: tp.ids[tp.to[k]], LinkAssets: g.links.at(int32(k))}
		}
		return out
	}
	for u, id := range tp.ids {
		for k := tp.start[u]; k < tp.start[u+1]; k++ {
			out[k] = Link{From: id, To: tp.ids[tp.to[k]], LinkAssets: g.links.at(k)}
		}
	}
	return out
}

// LinkSeq yields every directed link with its index, in Links() order, without building
// the slice Links returns (19.5 million Links take 940 MB at 10 000 nodes). The graph must
// not be changed while the sequence runs.
func (g *Graph) LinkSeq() iter.Seq2[int32, Link] {
	return func(yield func(int32, Link) bool) {
		g.freeze()
		tp := g.topo
		if tp.from != nil {
			for k := range tp.to {
				if !yield(int32(k), Link{From: tp.ids[tp.from[k]], To: tp.ids[tp.to[k]], LinkAssets: g.links.at(int32(k))}) {
					return
				}
			}
			return
		}
		for u, id := range tp.ids {
			for k := tp.start[u]; k < tp.start[u+1]; k++ {
				if !yield(k, Link{From: id, To: tp.ids[tp.to[k]], LinkAssets: g.links.at(k)}) {
					return
				}
			}
		}
	}
}

// LinkAt returns the directed link with index i in Links() order, with its current assets
// (a path's LinkIdx holds such indices). It panics if i is out of range, like a slice index.
// It costs a binary search over the nodes and no allocation.
func (g *Graph) LinkAt(i int32) Link { return g.link(i) }

// NumLinks returns the number of directed links.
func (g *Graph) NumLinks() int { return len(g.topo.to) }

// findLink returns the index of the link from -> to, scanning from's out-links.
func (g *Graph) findLink(from, to string) (int32, bool) {
	i, ok1 := g.topo.index[from]
	j, ok2 := g.topo.index[to]
	if !ok1 || !ok2 {
		return 0, false
	}
	g.freeze()
	tp := g.topo
	for s := tp.start[i]; s < tp.start[i+1]; s++ {
		if tp.slotTo == nil {
			if tp.to[s] == j {
				return s, true
			}
		} else if tp.slotTo[s] == j {
			return tp.slot[s], true
		}
	}
	return 0, false
}

// Link returns the assets of the directed link from -> to. It scans from's out-links.
func (g *Graph) Link(from, to string) (LinkAssets, bool) {
	k, ok := g.findLink(from, to)
	if !ok {
		return LinkAssets{}, false
	}
	return g.links.at(k), true
}

// SetLink replaces the assets of an existing directed link (same validation as AddLink).
func (g *Graph) SetLink(from, to string, a LinkAssets) error {
	k, ok := g.findLink(from, to)
	if !ok {
		return fmt.Errorf("network: set link %q->%q: unknown link", from, to)
	}
	if err := validLink(a); err != nil {
		return fmt.Errorf("network: set link %q->%q: %v", from, to, err)
	}
	g.ownLinks()
	g.links.set(k, a)
	g.version++
	return nil
}

// SetLinkAt replaces the assets of the directed link with index i in Links() order (same
// validation as AddLink); an index out of range is an error.
func (g *Graph) SetLinkAt(i int32, a LinkAssets) error {
	if i < 0 || int(i) >= len(g.topo.to) {
		return fmt.Errorf("network: set link %d: no such link (%d links)", i, len(g.topo.to))
	}
	if err := validLink(a); err != nil {
		l := g.link(i)
		return fmt.Errorf("network: set link %q->%q: %v", l.From, l.To, err)
	}
	g.ownLinks()
	g.links.set(i, a)
	g.version++
	return nil
}

// Up reports whether a node exists and has availability > 0.
func (g *Graph) Up(id string) bool {
	i, ok := g.topo.index[id]
	return ok && g.nodes[i].Availability > 0
}

// UpAt reports whether the node of index i (its position in Nodes()) has availability > 0;
// false for an index out of range.
func (g *Graph) UpAt(i int) bool {
	return i >= 0 && i < len(g.nodes) && g.nodes[i].Availability > 0
}

// Version returns a counter that changes on every mutation of the graph or its assets.
func (g *Graph) Version() uint64 { return g.version }

// Clone returns an independent copy with the same version and an empty route cache. It is
// cheap: the structure is shared until either graph changes it, and the link assets until
// either graph writes them (then that graph copies them, once); only the node assets are
// copied at once. The two graphs may then be used from different goroutines.
func (g *Graph) Clone() *Graph {
	g.freeze()
	g.topoShared, g.linkShared = true, true
	return &Graph{
		topo:       g.topo,
		topoShared: true,
		nodes:      slices.Clone(g.nodes),
		links:      g.links,
		linkShared: true,
		version:    g.version,
	}
}

// linkStore holds the latency and bandwidth of every link, by link index. While every value
// is exactly a float32 (the integer latencies and bandwidths of ECLYPSE's generator and
// dynamics are, up to 2^24), they are kept as float32, which halves the largest part of a
// big graph; the first value that is not switches the store to float64 for good. Reads
// give back the exact float64 that was stored.
type linkStore struct {
	lat32, bw32 []float32
	lat64, bw64 []float64 // used, instead of the float32s, once wide
	wide        bool
}

func exact32(v float64) bool { return float64(float32(v)) == v }

func (s *linkStore) at(k int32) LinkAssets {
	if s.wide {
		return LinkAssets{s.lat64[k], s.bw64[k]}
	}
	return LinkAssets{float64(s.lat32[k]), float64(s.bw32[k])}
}

// widen switches to float64.
func (s *linkStore) widen() {
	s.lat64 = make([]float64, len(s.lat32), cap(s.lat32))
	s.bw64 = make([]float64, len(s.bw32), cap(s.bw32))
	for k := range s.lat32 {
		s.lat64[k], s.bw64[k] = float64(s.lat32[k]), float64(s.bw32[k])
	}
	s.lat32, s.bw32, s.wide = nil, nil, true
}

func (s *linkStore) set(k int32, a LinkAssets) {
	if !s.wide && (!exact32(a.LatencyMS) || !exact32(a.BandwidthMbps)) {
		s.widen()
	}
	if s.wide {
		s.lat64[k], s.bw64[k] = a.LatencyMS, a.BandwidthMbps
		return
	}
	s.lat32[k], s.bw32[k] = float32(a.LatencyMS), float32(a.BandwidthMbps)
}

func (s *linkStore) add(a LinkAssets) {
	if s.wide {
		s.lat64, s.bw64 = append(s.lat64, 0), append(s.bw64, 0)
	} else {
		s.lat32, s.bw32 = append(s.lat32, 0), append(s.bw32, 0)
	}
	s.set(int32(s.len()-1), a)
}

func (s *linkStore) len() int {
	if s.wide {
		return len(s.lat64)
	}
	return len(s.lat32)
}

func (s linkStore) clone() linkStore {
	return linkStore{lat32: slices.Clone(s.lat32), bw32: slices.Clone(s.bw32),
		lat64: slices.Clone(s.lat64), bw64: slices.Clone(s.bw64), wide: s.wide}
}
