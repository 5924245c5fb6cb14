package network

import (
	"fmt"
	"math"
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
type Graph struct {
	ids   []string
	index map[string]int
	nodes []NodeAssets

	links     []linkRec
	linkIndex map[uint64]int32 // linkKey(from, to) -> index in links
	out       [][]int32        // per node, indices into links of its outgoing links, insertion order

	version uint64
	cache   routeCache
}

// linkRec is the compact internal form of a link (node indices instead of ids).
type linkRec struct {
	from, to int32
	LinkAssets
}

func linkKey(from, to int) uint64 { return uint64(from)<<32 | uint64(uint32(to)) }

// NewGraph returns an empty graph.
func NewGraph() *Graph {
	return &Graph{index: map[string]int{}, linkIndex: map[uint64]int32{}}
}

func (g *Graph) link(k int32) Link {
	l := g.links[k]
	return Link{From: g.ids[l.from], To: g.ids[l.to], LinkAssets: l.LinkAssets}
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
	if _, ok := g.index[id]; ok {
		return fmt.Errorf("network: add node %q: duplicate id", id)
	}
	if err := validNode(a); err != nil {
		return fmt.Errorf("network: add node %q: %v", id, err)
	}
	g.index[id] = len(g.ids)
	g.ids = append(g.ids, id)
	g.nodes = append(g.nodes, a)
	g.out = append(g.out, nil)
	g.version++
	return nil
}

// AddLink adds a directed link between two existing, distinct nodes. A second link with the
// same ends is an error. Latency must be finite and >= 0, bandwidth > 0 (+Inf allowed).
func (g *Graph) AddLink(from, to string, a LinkAssets) error {
	i, ok := g.index[from]
	if !ok {
		return fmt.Errorf("network: add link %q->%q: unknown node %q", from, to, from)
	}
	j, ok := g.index[to]
	if !ok {
		return fmt.Errorf("network: add link %q->%q: unknown node %q", from, to, to)
	}
	if i == j {
		return fmt.Errorf("network: add link %q->%q: self-loop", from, to)
	}
	if _, ok := g.linkIndex[linkKey(i, j)]; ok {
		return fmt.Errorf("network: add link %q->%q: duplicate link", from, to)
	}
	if err := validLink(a); err != nil {
		return fmt.Errorf("network: add link %q->%q: %v", from, to, err)
	}
	g.addLink(i, j, a)
	return nil
}

// addLink adds a link that is known to be new and valid.
func (g *Graph) addLink(i, j int, a LinkAssets) {
	k := int32(len(g.links))
	g.linkIndex[linkKey(i, j)] = k
	g.out[i] = append(g.out[i], k)
	g.links = append(g.links, linkRec{from: int32(i), to: int32(j), LinkAssets: a})
	g.version++
}

// AddSymmetricLink adds the two directed links a->b and b->a (in that order) with the same
// assets. Neither is added if either would fail.
func (g *Graph) AddSymmetricLink(a, b string, l LinkAssets) error {
	ia, oka := g.index[a]
	ib, okb := g.index[b]
	if oka && okb {
		if _, dup := g.linkIndex[linkKey(ib, ia)]; dup {
			return fmt.Errorf("network: add link %q->%q: duplicate link", b, a)
		}
	}
	if err := g.AddLink(a, b, l); err != nil {
		return err
	}
	return g.AddLink(b, a, l)
}

// Nodes returns the node ids in insertion order (a fresh slice).
func (g *Graph) Nodes() []string { return append([]string(nil), g.ids...) }

// Len returns the number of nodes.
func (g *Graph) Len() int { return len(g.ids) }

// Index returns the insertion index of a node (its position in Nodes()).
func (g *Graph) Index(id string) (int, bool) {
	i, ok := g.index[id]
	return i, ok
}

// Node returns the assets of a node.
func (g *Graph) Node(id string) (NodeAssets, bool) {
	i, ok := g.index[id]
	if !ok {
		return NodeAssets{}, false
	}
	return g.nodes[i], true
}

// SetNode replaces the assets of an existing node (same validation as AddNode).
func (g *Graph) SetNode(id string, a NodeAssets) error {
	i, ok := g.index[id]
	if !ok {
		return fmt.Errorf("network: set node %q: unknown node", id)
	}
	if err := validNode(a); err != nil {
		return fmt.Errorf("network: set node %q: %v", id, err)
	}
	g.setNode(i, a)
	return nil
}

func (g *Graph) setNode(i int, a NodeAssets) {
	g.nodes[i] = a
	g.version++
}

// Links returns every directed link in insertion order (a fresh slice).
func (g *Graph) Links() []Link {
	out := make([]Link, len(g.links))
	for k := range g.links {
		out[k] = g.link(int32(k))
	}
	return out
}

// LinkAt returns the directed link with index i in Links() order, with its current assets.
// It panics if i is out of range, like a slice index.
func (g *Graph) LinkAt(i int32) Link { return g.link(i) }

// NumLinks returns the number of directed links.
func (g *Graph) NumLinks() int { return len(g.links) }

// Link returns the assets of the directed link from -> to.
func (g *Graph) Link(from, to string) (LinkAssets, bool) {
	i, ok1 := g.index[from]
	j, ok2 := g.index[to]
	if !ok1 || !ok2 {
		return LinkAssets{}, false
	}
	k, ok := g.linkIndex[linkKey(i, j)]
	if !ok {
		return LinkAssets{}, false
	}
	return g.links[k].LinkAssets, true
}

// SetLink replaces the assets of an existing directed link (same validation as AddLink).
func (g *Graph) SetLink(from, to string, a LinkAssets) error {
	i, ok1 := g.index[from]
	j, ok2 := g.index[to]
	k, ok := g.linkIndex[linkKey(i, j)]
	if !ok1 || !ok2 || !ok {
		return fmt.Errorf("network: set link %q->%q: unknown link", from, to)
	}
	if err := validLink(a); err != nil {
		return fmt.Errorf("network: set link %q->%q: %v", from, to, err)
	}
	g.links[k].LinkAssets = a
	g.version++
	return nil
}

// Up reports whether a node exists and has availability > 0.
func (g *Graph) Up(id string) bool {
	i, ok := g.index[id]
	return ok && g.nodes[i].Availability > 0
}

// Version returns a counter that changes on every mutation of the graph or its assets.
func (g *Graph) Version() uint64 { return g.version }

// Clone returns a deep copy with the same version and an empty route cache.
func (g *Graph) Clone() *Graph {
	c := &Graph{
		ids:       append([]string(nil), g.ids...),
		index:     make(map[string]int, len(g.index)),
		nodes:     append([]NodeAssets(nil), g.nodes...),
		links:     append([]linkRec(nil), g.links...),
		linkIndex: make(map[uint64]int32, len(g.linkIndex)),
		out:       make([][]int32, len(g.out)),
		version:   g.version,
	}
	for k, v := range g.index {
		c.index[k] = v
	}
	for k, v := range g.linkIndex {
		c.linkIndex[k] = v
	}
	for i, o := range g.out {
		c.out[i] = append([]int32(nil), o...)
	}
	return c
}
