package network

import (
	"math"
	"math/rand/v2"
)

// Dynamics evolves an infrastructure once per step.
type Dynamics interface {
	Step(g *Graph, r *rand.Rand)
}

// Flap is the availability flap of docs/MODEL.md, ECLYPSE's availability_flap policy: at each
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

// DefaultDrift is the SockShop drift of docs/MODEL.md: cpu x U(0.95,1.05), gpu x U(0.9,1.1),
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
	if g.NumLinks() > 0 {
		g.ownLinks()
		g.links.drift(d.Latency, d.Bandwidth, r)
		g.version++
	}
}

// drift applies the latency and bandwidth factors to every link in index order, latency
// then bandwidth per link, with the same draws and results as Range.draw and drifted.
// While the store is narrow, each result is stored as a float32 when it is exactly one (an
// integer below 2^24 always is); the first that is not widens the store, and the links
// after it drift in float64. This loop is the largest cost of a step on a big graph (two
// draws per link), hence its fast path for integers.
func (s *linkStore) drift(lat, bw Range, r *rand.Rand) {
	latLo, latSpan := lat.Lo, lat.Hi-lat.Lo
	bwLo, bwSpan := bw.Lo, bw.Hi-bw.Lo
	k := 0
	if !s.wide {
		lat32, bw32 := s.lat32, s.bw32[:len(s.lat32)]
		for ; k < len(lat32); k++ {
			fl := latLo + float64(latSpan*r.Float64())
			fb := bwLo + float64(bwSpan*r.Float64())
			lv, bv := lat32[k], bw32[k]
			// Fast path, both values whole and below 2^24: drifted's clamp and rounding,
			// the rounding done by adding and subtracting 2^52 (below 2^52 the addition
			// rounds at the units, ties to even, as IEEE 754 arithmetic does by default).
			if lv < two24 && bv < two24 && float32(int32(lv)) == lv && float32(int32(bv)) == bv {
				l := float64(float64(lv) * fl) // no fused multiply-add: same bits everywhere
				b := float64(float64(bv) * fb)
				if !(l > 0) {
					l = 0
				}
				if !(b > 0) {
					b = 0
				}
				if l < two52 && b < two52 {
					l = (l + two52) - two52
					b = (b + two52) - two52
					if l < two24 && b < two24 {
						lat32[k], bw32[k] = float32(l), float32(b)
						continue
					}
				}
			}
			l, b := drifted(float64(lv), fl), drifted(float64(bv), fb)
			if exact32(l) && exact32(b) {
				lat32[k], bw32[k] = float32(l), float32(b)
				continue
			}
			s.widen()
			s.lat64[k], s.bw64[k] = l, b
			k++
			break
		}
	}
	if s.wide {
		for ; k < len(s.lat64); k++ {
			s.lat64[k] = drifted(s.lat64[k], latLo+float64(latSpan*r.Float64()))
			s.bw64[k] = drifted(s.bw64[k], bwLo+float64(bwSpan*r.Float64()))
		}
	}
}

// two24 and two52: below 2^24 every whole number is exactly a float32; adding 2^52 to a
// number in [0, 2^52) rounds it to a whole number, ties to even.
const two24, two52 = 1 << 24, 1 << 52

// drift32 is what drift does to one value stored as a float32 (so >= 0, and whole when >=
// 2^24): drifted's result, and whether it is exactly a float32 again. Tests compare it with
// drifted; drift inlines the same steps.
func drift32(v32 float32, f float64) (float64, bool) {
	v := float64(v32)
	x := float64(v * f)
	if !(x > 0) {
		x = 0
	}
	if v32 < two24 && float32(int32(v32)) == v32 && x < two52 {
		x = (x + two52) - two52
		return x, x < two24 || exact32(x)
	}
	x = drifted(v, f)
	return x, exact32(x)
}

// drifted is the value v takes when it drifts by factor f, as in ECLYPSE 0.9.0's
// distribution policies: v*f clamped below at 0 (a NaN product gives 0, as Python's
// max(0.0, x) does) and, when v is an integer (no fractional part), rounded half to even.
func drifted(v, f float64) float64 {
	x := float64(v * f)
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
