package network

import "math/rand/v2"

// Dynamics evolves an infrastructure once per step.
type Dynamics interface {
	Step(g *Graph, r *rand.Rand)
}

// Flap is the availability flap of DESIGN.md: at each step, for every node in insertion
// order, exactly one r.Float64() is drawn (whatever the node's state, so the stream does not
// depend on it); an up node goes down (availability 0) when the draw is < DownProb, and a down
// node comes back up, to the last availability > 0 it had (1 if it never had one), when the
// draw is < UpProb.
type Flap struct {
	DownProb, UpProb float64
}

// Step applies the flap to g.
func (f Flap) Step(g *Graph, r *rand.Rand) {
	for i := range g.nodes {
		u := r.Float64()
		a := g.nodes[i]
		if a.Availability > 0 {
			if u < f.DownProb {
				a.Availability = 0
				g.setNode(i, a)
			}
		} else if u < f.UpProb {
			a.Availability = g.lastUp[i]
			g.setNode(i, a)
		}
	}
}

// Range is a closed-open interval [Lo, Hi) of multiplicative factors.
type Range struct{ Lo, Hi float64 }

// The float64 conversion stops the compiler from fusing the multiply-add (the Go spec allows
// fusion on arm64 and others), so every machine draws the same bits.
func (rg Range) draw(r *rand.Rand) float64 { return rg.Lo + float64((rg.Hi-rg.Lo)*r.Float64()) }

// Drift multiplies assets by factors drawn uniformly from their ranges. Draws: for every node
// in insertion order, cpu, gpu, ram, storage (four draws); then for every link in insertion
// order, latency, bandwidth (two draws). The two directions of a symmetric link drift
// independently. Availability and processing time do not drift.
type Drift struct {
	CPU, GPU, RAM, Storage Range
	Latency, Bandwidth     Range
}

// DefaultDrift is the SockShop drift of DESIGN.md: cpu x U(0.95,1.05), gpu x U(0.9,1.1),
// ram x U(0.8,1.2), storage x U(0.9,1.1), latency x U(0.9,1.1), bandwidth x U(0.95,1.05).
func DefaultDrift() Drift {
	return Drift{
		CPU: Range{0.95, 1.05}, GPU: Range{0.9, 1.1}, RAM: Range{0.8, 1.2}, Storage: Range{0.9, 1.1},
		Latency: Range{0.9, 1.1}, Bandwidth: Range{0.95, 1.05},
	}
}

// Step applies the drift to g. Factors should be > 0 so that bandwidths stay > 0.
func (d Drift) Step(g *Graph, r *rand.Rand) {
	for i := range g.nodes {
		a := g.nodes[i]
		a.CPU *= d.CPU.draw(r)
		a.GPU *= d.GPU.draw(r)
		a.RAM *= d.RAM.draw(r)
		a.Storage *= d.Storage.draw(r)
		g.setNode(i, a)
	}
	for k := range g.links {
		l := &g.links[k]
		l.LatencyMS *= d.Latency.draw(r)
		l.BandwidthMbps *= d.Bandwidth.draw(r)
	}
	if len(g.links) > 0 {
		g.version++
	}
}

// Sequence is a Dynamics applying its members in order, each drawing from the same r.
type Sequence []Dynamics

// Step applies every member in order.
func (s Sequence) Step(g *Graph, r *rand.Rand) {
	for _, d := range s {
		d.Step(g, r)
	}
}

// Combine returns the Dynamics applying ds in order.
func Combine(ds ...Dynamics) Dynamics { return Sequence(ds) }

// SockShopDynamics returns the flap (down, up probabilities) followed by DefaultDrift: per
// step, the flap's node draws first, then the drift's node and link draws.
func SockShopDynamics(downProb, upProb float64) Dynamics {
	return Sequence{Flap{DownProb: downProb, UpProb: upProb}, DefaultDrift()}
}
