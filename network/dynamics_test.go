package network

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestFlap(t *testing.T) {
	g := sockShopInfra(t)
	orig := make([]NodeAssets, g.Len())
	for i, id := range g.Nodes() {
		orig[i], _ = g.Node(id)
	}
	r := rand.New(rand.NewPCG(1, 1))
	Flap{DownProb: 1, UpProb: 0}.Step(g, r)
	for _, id := range g.Nodes() {
		if g.Up(id) {
			t.Fatalf("%s still up with DownProb 1", id)
		}
	}
	v := g.Version()
	Flap{DownProb: 1, UpProb: 0}.Step(g, r)
	if g.Version() != v {
		t.Fatal("a flap that changes nothing bumped the version")
	}
	// As in ECLYPSE, a revived node gets availability 1, whatever it had before (0.99..1
	// here); nothing else changes.
	Flap{DownProb: 0, UpProb: 1}.Step(g, r)
	for i, id := range g.Nodes() {
		want := orig[i]
		want.Availability = 1
		if a, _ := g.Node(id); a != want {
			t.Fatalf("%s came back as %+v, want %+v", id, a, want)
		}
	}
	// A node added down comes back with availability 1 too.
	g.AddNode("late", NodeAssets{})
	Flap{UpProb: 1}.Step(g, r)
	if a, _ := g.Node("late"); a.Availability != 1 {
		t.Fatalf("never-up node came back with %v", a.Availability)
	}
}

// TestFlapRates checks the down and up frequencies on many steps.
func TestFlapRates(t *testing.T) {
	g := sockShopInfra(t)
	r := rand.New(rand.NewPCG(5, 5))
	f := Flap{DownProb: 0.02, UpProb: 0.5}
	var upSteps, downs, downSteps, ups int
	ids := g.Nodes()
	for range 2000 {
		was := make([]bool, g.Len())
		for i, id := range ids {
			was[i] = g.Up(id)
		}
		f.Step(g, r)
		for i, id := range ids {
			switch {
			case was[i]:
				upSteps++
				if !g.Up(id) {
					downs++
				}
			default:
				downSteps++
				if g.Up(id) {
					ups++
				}
			}
		}
	}
	down, up := float64(downs)/float64(upSteps), float64(ups)/float64(downSteps)
	if down < 0.015 || down > 0.025 || up < 0.45 || up > 0.55 {
		t.Fatalf("down rate %v (want ~0.02), up rate %v (want ~0.5)", down, up)
	}
}

// TestDrifted pins ECLYPSE's drift of one value: multiply, clamp at 0, and round half to
// even (Python's round) when the old value was an integer. The products are float64's: 5 x
// 0.9 is exactly 4.5 and 5 x 1.1 exactly 5.5 after rounding, hence the halves below
// (checked against CPython's round).
func TestDrifted(t *testing.T) {
	tests := []struct{ v, f, want float64 }{
		{2, 0.95, 2},   // 1.9 -> 2
		{2, 1.04, 2},   // 2.08 -> 2
		{4, 0.9, 4},    // 3.6 -> 4
		{4, 1.09, 4},   // 4.36 -> 4
		{5, 0.9, 4},    // 4.5 -> 4 (half to even)
		{5, 1.1, 6},    // 5.5 -> 6 (half to even)
		{3, 0.5, 2},    // 1.5 -> 2
		{7, 0.5, 4},    // 3.5 -> 4
		{1, 0.5, 0},    // 0.5 -> 0
		{50, 0.95, 48}, // 47.5 -> 48
		{1, 1.1, 1},    // a latency of 1 ms never moves
		{2, -1, 0},     // clamped at 0
		{0, 1.1, 0},
		{2.5, 1.1, 2.75}, // not an integer: drifts freely
		{0.5, 0.9, 0.45},
		{-1.5, 2, 0}, // clamped
		{math.Inf(1), 0.9, math.Inf(1)},
	}
	for _, tc := range tests {
		if got := drifted(tc.v, tc.f); got != tc.want {
			t.Errorf("drifted(%v, %v) = %v, want %v", tc.v, tc.f, got, tc.want)
		}
	}
}

// TestDriftStickyIntegers: under the SockShop factors, cpu 2 (x [0.95, 1.05)) and a latency
// of 4 ms (x [0.9, 1.1)) never change, for 100000 draws and at the ends of the ranges.
func TestDriftStickyIntegers(t *testing.T) {
	d := DefaultDrift()
	r := rand.New(rand.NewPCG(4, 4))
	for range 100000 {
		if v := drifted(2, d.CPU.draw(r)); v != 2 {
			t.Fatalf("cpu 2 drifted to %v", v)
		}
		if v := drifted(4, d.Latency.draw(r)); v != 4 {
			t.Fatalf("latency 4 drifted to %v", v)
		}
	}
	for _, f := range []float64{d.CPU.Lo, math.Nextafter(d.CPU.Hi, 0)} {
		if v := drifted(2, f); v != 2 {
			t.Fatalf("cpu 2 x %v = %v", f, v)
		}
	}
	for _, f := range []float64{d.Latency.Lo, math.Nextafter(d.Latency.Hi, 0)} {
		if v := drifted(4, f); v != 4 {
			t.Fatalf("latency 4 x %v = %v", f, v)
		}
	}
}

func TestDriftRangesAndDrawOrder(t *testing.T) {
	g := sockShopInfra(t)
	before := g.Clone()
	r := rand.New(rand.NewPCG(9, 9))
	d := DefaultDrift()
	d.Step(g, r)
	// The documented order: 4 draws per node in node order, then 2 per link in link order.
	ref := rand.New(rand.NewPCG(9, 9))
	for _, id := range g.Nodes() {
		b, _ := before.Node(id)
		a, _ := g.Node(id)
		for _, c := range []struct {
			rg       Range
			old, new float64
		}{{d.CPU, b.CPU, a.CPU}, {d.GPU, b.GPU, a.GPU}, {d.RAM, b.RAM, a.RAM}, {d.Storage, b.Storage, a.Storage}} {
			if want := drifted(c.old, c.rg.draw(ref)); c.new != want || c.new != math.Trunc(c.new) {
				t.Fatalf("node %s: %v, want %v (an integer)", id, c.new, want)
			}
		}
		if a.Availability != b.Availability || a.ProcessingTimeMS != b.ProcessingTimeMS {
			t.Fatalf("node %s: availability or processing time drifted", id)
		}
	}
	bl, al := before.Links(), g.Links()
	for k := range al {
		b, a := bl[k], al[k]
		if want := drifted(b.LatencyMS, d.Latency.draw(ref)); a.LatencyMS != want {
			t.Fatalf("link %d latency %v, want %v", k, a.LatencyMS, want)
		}
		if want := drifted(b.BandwidthMbps, d.Bandwidth.draw(ref)); a.BandwidthMbps != want {
			t.Fatalf("link %d bandwidth %v, want %v", k, a.BandwidthMbps, want)
		}
		if a.LatencyMS < math.Floor(0.9*b.LatencyMS) || a.LatencyMS > math.Ceil(1.1*b.LatencyMS) || a.LatencyMS != math.Trunc(a.LatencyMS) {
			t.Fatalf("latency %v -> %v", b.LatencyMS, a.LatencyMS)
		}
	}
	if r.Uint64() != ref.Uint64() {
		t.Fatal("drift drew more or fewer numbers than documented")
	}
	if g.Version() == before.Version() {
		t.Fatal("drift did not bump the version")
	}
}

func TestSockShopDynamicsDeterministic(t *testing.T) {
	run := func() []byte {
		g := sockShopInfra(t)
		r := rand.New(rand.NewPCG(22, 1))
		dyn := SockShopDynamics(0.02, 0.5)
		var out []byte
		for range 100 {
			v := g.Version()
			dyn.Step(g, r)
			if g.Version() == v {
				t.Fatal("step did not bump the version")
			}
			p, err := g.Route("n0", "n29")
			if err == nil {
				out = append(out, []byte(p.Nodes[len(p.Nodes)/2])...)
			}
		}
		return out
	}
	if string(run()) != string(run()) {
		t.Fatal("same seed, different dynamics")
	}
	// Sequence == Combine == members in order.
	g1, g2 := sockShopInfra(t), sockShopInfra(t)
	r1, r2 := rand.New(rand.NewPCG(1, 2)), rand.New(rand.NewPCG(1, 2))
	SockShopDynamics(0.3, 0.5).Step(g1, r1)
	Flap{0.3, 0.5}.Step(g2, r2)
	DefaultDrift().Step(g2, r2)
	var b1, b2 []NodeAssets
	for _, id := range g1.Nodes() {
		a, _ := g1.Node(id)
		b, _ := g2.Node(id)
		b1, b2 = append(b1, a), append(b2, b)
	}
	for i := range b1 {
		if b1[i] != b2[i] {
			t.Fatalf("node %d: %+v vs %+v", i, b1[i], b2[i])
		}
	}
	_ = Combine(Flap{}, DefaultDrift())
}

// TestDrift32 checks the float32 fast path against drifted on values and factors chosen to
// hit its edges (halves, 2^24, non-integers, zero, huge factors), and on random ones.
func TestDrift32(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 8))
	vals := []float32{0, 1, 2, 3, 4, 5, 7, 50, 1500, 0.5, 2.5, 1.25, two24 - 1, two24, two24 + 2, 1e30}
	facs := []float64{0, 0.5, 0.9, 0.95, 1, 1.05, 1.1, 1.5, -1, 1e20, 3e38}
	for range 2000 {
		vals = append(vals, float32(r.IntN(5000)), float32(r.Float64()*100))
		facs = append(facs, 0.8+0.4*r.Float64())
	}
	for _, v := range vals {
		for _, f := range facs {
			got, ok := drift32(v, f)
			want := drifted(float64(v), f)
			if got != want || ok != exact32(want) {
				t.Fatalf("drift32(%v, %v) = %v %v, drifted %v (exact32 %v)", v, f, got, ok, want, exact32(want))
			}
		}
	}
}

// TestDriftWidens: a store of float32s switches to float64 at the first result that is not
// exactly a float32, and the values on both sides of the switch are the ones drifted gives.
func TestDriftWidens(t *testing.T) {
	g := NewGraph()
	for _, id := range []string{"a", "b", "c"} {
		g.AddNode(id, NodeAssets{Availability: 1})
	}
	g.AddLink("a", "b", LinkAssets{LatencyMS: 4, BandwidthMbps: 100})
	g.AddLink("b", "c", LinkAssets{LatencyMS: 0.5, BandwidthMbps: 100}) // 0.5 is a float32: stays narrow
	g.AddLink("c", "a", LinkAssets{LatencyMS: 7, BandwidthMbps: 100})
	if g.links.wide {
		t.Fatal("wide before any drift")
	}
	before := g.Links()
	d := Drift{Latency: Range{1.1, 1.1}, Bandwidth: Range{1, 1}}
	d.Step(g, rand.New(rand.NewPCG(1, 1)))
	if !g.links.wide {
		t.Fatal("0.5 x 1.1 is not a float32: the store must widen")
	}
	for k, l := range g.Links() {
		if want := drifted(before[k].LatencyMS, 1.1); l.LatencyMS != want {
			t.Fatalf("link %d: %v, want %v", k, l.LatencyMS, want)
		}
	}
}
