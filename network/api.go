package network

// CONTRACT STUB written by the lead: comm/ and sockshop/ are being written against these
// exported names. The network owner replaces the bodies (and may split this file, and add
// more API), but keeps these signatures and documented semantics.

import (
	"fmt"
	"math/rand/v2"
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

// Path is a route between two nodes. For From == To it has one node, no hops, latency 0,
// bandwidth +Inf and the processing time of that one node.
type Path struct {
	Nodes         []string // From first, To last
	Hops          []Link   // len(Nodes)-1 links, in order
	LatencyMS     float64  // sum over hops
	BandwidthMbps float64  // min over hops
	ProcessingMS  float64  // sum over every node of Nodes, both ends included
}

// NoPathError says there is no route between two nodes (one is down, unknown, or cut off).
type NoPathError struct{ From, To string }

func (e *NoPathError) Error() string {
	return fmt.Sprintf("network: no path from %q to %q", e.From, e.To)
}

// Graph is an infrastructure: nodes in insertion order, directed links.
type Graph struct{}

func NewGraph() *Graph                                            { panic("todo") }
func (g *Graph) AddNode(id string, a NodeAssets) error            { panic("todo") }
func (g *Graph) AddLink(from, to string, a LinkAssets) error      { panic("todo") }
func (g *Graph) AddSymmetricLink(a, b string, l LinkAssets) error { panic("todo") }
func (g *Graph) Nodes() []string                                  { panic("todo") } // insertion order
func (g *Graph) Node(id string) (NodeAssets, bool)                { panic("todo") }
func (g *Graph) SetNode(id string, a NodeAssets) error            { panic("todo") }
func (g *Graph) Links() []Link                                    { panic("todo") } // deterministic order
func (g *Graph) SetLink(from, to string, a LinkAssets) error      { panic("todo") }
func (g *Graph) Up(id string) bool                                { panic("todo") }
func (g *Graph) Route(from, to string) (Path, error)              { panic("todo") } // cached
func (g *Graph) Version() uint64                                  { panic("todo") } // bumps on every change
func (g *Graph) Clone() *Graph                                    { panic("todo") }

// HierarchicalConfig configures the ECLYPSE-style hierarchical generator.
type HierarchicalConfig struct {
	N            int
	Partitioning []float64 // tier fractions, e.g. SockShop's [0.6, 0.1, 0.15, 0.15]
}

// Hierarchical builds a hierarchical infrastructure drawing from r.
func Hierarchical(cfg HierarchicalConfig, r *rand.Rand) (*Graph, error) { panic("todo") }

// Dynamics evolves an infrastructure once per step.
type Dynamics interface {
	Step(g *Graph, r *rand.Rand)
}

// SockShopDynamics returns the flap (down, up probabilities) plus the DESIGN.md drift.
func SockShopDynamics(downProb, upProb float64) Dynamics { panic("todo") }

// ReadNodeLink reads a networkx node-link JSON file.
func ReadNodeLink(path string) (*Graph, error) { panic("todo") }
