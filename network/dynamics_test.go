package network

import (
	"math/rand/v2"
	"testing"
)

func TestFlap(t *testing.T) {
	g := sockShopInfra(t)
	orig := make([]NodeAssets, g.Len())
	for i, id := range g.ids {
		orig[i], _ = g.Node(id)
	}
	r := rand.New(rand.NewPCG(1, 1))
	Flap{DownProb: 1, UpProb: 0}.Step(g, r)
	for _, id := range g.ids {
		if g.Up(id) {
			t.Fatalf("%s still up with DownProb 1", id)
		}
	}
	v := g.Version()
	Flap{DownProb: 1, UpProb: 0}.Step(g, r)
	if g.Version() != v {
		t.Fatal("a flap that changes nothing bumped the version")
	}
	Flap{DownProb: 0, UpProb: 1}.Step(g, r)
	for i, id := range g.ids {
		if a, _ := g.Node(id); a != orig[i] {
			t.Fatalf("%s came back as %+v, want %+v", id, a, orig[i])
		}
	}
	// A node added down comes back with availability 1.
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
	for range 2000 {
		was := make([]bool, g.Len())
		for i, id := range g.ids {
			was[i] = g.Up(id)
		}
		f.Step(g, r)
		for i, id := range g.ids {
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

func TestDriftRangesAndDrawOrder(t *testing.T) {
	g := sockShopInfra(t)
	before := g.Clone()
	r := rand.New(rand.NewPCG(9, 9))
	d := DefaultDrift()
	d.Step(g, r)
	// The documented order: 4 draws per node in node order, then 2 per link in link order.
	ref := rand.New(rand.NewPCG(9, 9))
	for i := range g.nodes {
		b, a := before.nodes[i], g.nodes[i]
		for _, c := range []struct {
			rg       Range
			old, new float64
		}{{d.CPU, b.CPU, a.CPU}, {d.GPU, b.GPU, a.GPU}, {d.RAM, b.RAM, a.RAM}, {d.Storage, b.Storage, a.Storage}} {
			if want := c.old * c.rg.draw(ref); c.new != want {
				t.Fatalf("node %d: %v, want %v", i, c.new, want)
			}
		}
		if a.Availability != b.Availability || a.ProcessingTimeMS != b.ProcessingTimeMS {
			t.Fatalf("node %d: availability or processing time drifted", i)
		}
	}
	for k := range g.links {
		b, a := before.links[k], g.links[k]
		if want := b.LatencyMS * d.Latency.draw(ref); a.LatencyMS != want {
			t.Fatalf("link %d latency %v, want %v", k, a.LatencyMS, want)
		}
		if want := b.BandwidthMbps * d.Bandwidth.draw(ref); a.BandwidthMbps != want {
			t.Fatalf("link %d bandwidth %v, want %v", k, a.BandwidthMbps, want)
		}
		if f := a.LatencyMS / b.LatencyMS; f < 0.9 || f > 1.1 {
			t.Fatalf("latency factor %v", f)
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
	for _, id := range g1.ids {
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
