package network

import (
	"math"
	"math/rand/v2"
)

// Dynamics evolves an infrastructure once per step.
type Dynamics interface {
	Step(g *Graph, r *rand.Rand)
}

// Flap is the availability flap of DESIGN.md, ECLYPSE's availability_flap policy: at each
// step, for every node in insertion order, exactly one r.Float64() is drawn (whatever the
// node's state, so the stream does not depend on it); an up node goes down (availability 0)
// when the draw is < DownProb, and a down node comes back up with availability 1 (ECLYPSE's
// up_availability default, whatever the node had before it went down) when the draw is <
// UpProb.
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
			a.Availability = 1
			g.setNode(i, a)
		}
	}
}

// Range is a closed-open interval [Lo, Hi) of multiplicative factors.
type Range struct{ Lo, Hi float64 }

// The float64 conversion stops the compiler from fusing the multiply-add (the Go spec allows
// fusion on arm64 and others), so every machine draws the same bits.
func (rg Range) draw(r *rand.Rand) float64 { return rg.Lo + float64((rg.Hi-rg.Lo)*r.Float64()) }

// Drift multiplies assets by factors drawn uniformly from their ranges, as ECLYPSE's
// uniform distribution policy does: the product is clamped at 0 and, when the old value was
// an integer, rounded half to even (Python's round), so integers stay integers. Small
// integers are therefore sticky (cpu 2 x [0.95, 1.05) is always 2, a latency of 4 ms x
// [0.9, 1.1) always 4) and integer latencies keep equally short paths tied. A value counts
// as an integer when it has no fractional part (see Drift.Step). Draws: for every node in
// insertion order, cpu, gpu, ram, storage (four draws); then for every link in Links()
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
//
// ECLYPSE rounds the values Python holds as int; Python holds as int what was written
// without a decimal point (its generator's assets, integer literals in a file) and what it
// rounded before. We hold every value as a float64 and treat one with no fractional part as
// an integer; the two rules part only for a value Python holds as a float that happens to
// be whole (a file writing 4.0), which ECLYPSE lets drift off and we keep whole.
func (d Drift) Step(g *Graph, r *rand.Rand) {
	for i := range g.nodes {
		a := g.nodes[i]
		a.CPU = drifted(a.CPU, d.CPU.draw(r))
		a.GPU = drifted(a.GPU, d.GPU.draw(r))
		a.RAM = drifted(a.RAM, d.RAM.draw(r))
		a.Storage = drifted(a.Storage, d.Storage.draw(r))
		g.setNode(i, a)
	}
	for k := range g.links {
		l := &g.links[k]
		l.LatencyMS = drifted(l.LatencyMS, d.Latency.draw(r))
		l.BandwidthMbps = drifted(l.BandwidthMbps, d.Bandwidth.draw(r))
	}
	if len(g.links) > 0 {
		g.version++
	}
}

// drifted is the value v takes when it drifts by factor f, as in ECLYPSE 0.9.0's
// distribution policies: v*f clamped below at 0 (a NaN product gives 0, as Python's
// max(0.0, x) does) and, when v is an integer (no fractional part), rounded half to even.
func drifted(v, f float64) float64 {
	x := v * f
	if !(x > 0) {
		x = 0
	}
	if v == math.Trunc(v) {
		x = math.RoundToEven(x)
	}
	return x
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
