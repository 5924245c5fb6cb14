package network

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func TestGraphErrors(t *testing.T) {
	ok := NodeAssets{Availability: 1}
	tests := []struct {
		name string
		do   func(g *Graph) error
		want string
	}{
		{"empty id", func(g *Graph) error { return g.AddNode("", ok) }, "empty id"},
		{"duplicate", func(g *Graph) error { return g.AddNode("a", ok) }, `"a": duplicate id`},
		{"availability", func(g *Graph) error { return g.AddNode("x", NodeAssets{Availability: 1.5}) }, "availability 1.5"},
		{"nan cpu", func(g *Graph) error { return g.AddNode("x", NodeAssets{CPU: math.NaN()}) }, "cpu NaN"},
		{"negative ram", func(g *Graph) error { return g.AddNode("x", NodeAssets{RAM: -1}) }, "ram -1"},
		{"unknown from", func(g *Graph) error { return g.AddLink("zz", "a", LinkAssets{1, 1}) }, `unknown node "zz"`},
		{"unknown to", func(g *Graph) error { return g.AddLink("a", "zz", LinkAssets{1, 1}) }, `unknown node "zz"`},
		{"self loop", func(g *Graph) error { return g.AddLink("a", "a", LinkAssets{1, 1}) }, "self-loop"},
		{"duplicate link", func(g *Graph) error { return g.AddLink("a", "b", LinkAssets{1, 1}) }, "duplicate link"},
		{"duplicate reverse", func(g *Graph) error { return g.AddSymmetricLink("c", "a", LinkAssets{1, 1}) }, `"a"->"c": duplicate link`},
		{"negative latency", func(g *Graph) error { return g.AddLink("b", "c", LinkAssets{-1, 1}) }, "latency -1"},
		{"nan latency", func(g *Graph) error { return g.AddLink("b", "c", LinkAssets{math.NaN(), 1}) }, "latency NaN"},
		{"zero bandwidth", func(g *Graph) error { return g.AddLink("b", "c", LinkAssets{1, 0}) }, "bandwidth 0"},
		{"set unknown node", func(g *Graph) error { return g.SetNode("zz", ok) }, `set node "zz": unknown`},
		{"set bad node", func(g *Graph) error { return g.SetNode("a", NodeAssets{Availability: -0.5}) }, "availability -0.5"},
		{"set unknown link", func(g *Graph) error { return g.SetLink("b", "c", LinkAssets{1, 1}) }, "unknown link"},
		{"set bad link", func(g *Graph) error { return g.SetLink("a", "b", LinkAssets{1, math.NaN()}) }, "bandwidth NaN"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			g := NewGraph()
			g.AddNode("a", ok)
			g.AddNode("b", ok)
			g.AddNode("c", ok)
			g.AddSymmetricLink("a", "c", LinkAssets{1, 1})
			g.AddLink("a", "b", LinkAssets{1, 1})
			v, n, l := g.Version(), g.Len(), g.NumLinks()
			err := tc.do(g)
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "network: ") {
				t.Fatalf("err = %v, want one containing %q", err, tc.want)
			}
			if g.Version() != v || g.Len() != n || g.NumLinks() != l {
				t.Fatal("a failed call changed the graph")
			}
		})
	}
}

func TestGraphBasics(t *testing.T) {
	g := NewGraph()
	var versions []uint64
	step := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		versions = append(versions, g.Version())
	}
	step(g.AddNode("z", NodeAssets{CPU: 1, Availability: 0.5}))
	step(g.AddNode("a", NodeAssets{CPU: 2, Availability: 0}))
	step(g.AddNode("m", NodeAssets{CPU: 3, Availability: 1}))
	step(g.AddSymmetricLink("m", "z", LinkAssets{3, 30}))
	step(g.AddLink("a", "z", LinkAssets{1, 10}))
	step(g.SetLink("z", "m", LinkAssets{4, 40}))
	step(g.SetNode("a", NodeAssets{CPU: 5, Availability: 1}))
	for i := 1; i < len(versions); i++ {
		if versions[i] <= versions[i-1] {
			t.Fatalf("version did not bump: %v", versions)
		}
	}
	if got := g.Nodes(); !slices.Equal(got, []string{"z", "a", "m"}) {
		t.Fatalf("Nodes = %v", got)
	}
	want := []Link{{"m", "z", LinkAssets{3, 30}}, {"z", "m", LinkAssets{4, 40}}, {"a", "z", LinkAssets{1, 10}}}
	if got := g.Links(); !slices.Equal(got, want) {
		t.Fatalf("Links = %v, want %v", got, want)
	}
	if !g.Up("a") || !g.Up("z") || g.Up("nope") {
		t.Fatal("Up wrong")
	}
	c := g.Clone()
	if c.Version() != g.Version() || !slices.Equal(c.Links(), g.Links()) || !slices.Equal(c.Nodes(), g.Nodes()) {
		t.Fatal("clone differs")
	}
	c.SetNode("z", NodeAssets{})
	c.SetLink("m", "z", LinkAssets{9, 9})
	c.AddNode("new", NodeAssets{})
	if a, _ := g.Node("z"); a.CPU != 1 || g.Len() != 3 {
		t.Fatal("clone mutation leaked into the original")
	}
	if l, _ := g.Link("m", "z"); l.LatencyMS != 3 {
		t.Fatal("clone link mutation leaked into the original")
	}
	// Nodes and Links return fresh slices.
	g.Nodes()[0] = "x"
	g.Links()[0].From = "x"
	if g.Nodes()[0] != "z" || g.Links()[0].From != "m" {
		t.Fatal("Nodes/Links expose internal storage")
	}
}

// TestCloneCopyOnWrite: a clone shares the structure and the link assets until one side
// writes; then each side sees only its own changes, link indices stay the same, and routes
// in the clone name the same links.
func TestCloneCopyOnWrite(t *testing.T) {
	g := sockShopInfra(t)
	p0, _ := g.Route("n0", "n29")
	c := g.Clone()
	if &c.topo.to[0] != &g.topo.to[0] || &c.links.lat32[0] != &g.links.lat32[0] {
		t.Fatal("a fresh clone copied the structure or the link assets")
	}
	pc, _ := c.Route("n0", "n29")
	if !slices.Equal(pc.Nodes, p0.Nodes) || !slices.Equal(pc.LinkIdx, p0.LinkIdx) {
		t.Fatalf("clone routes %v %v, original %v %v", pc.Nodes, pc.LinkIdx, p0.Nodes, p0.LinkIdx)
	}
	before := g.Links()
	r := rand.New(rand.NewPCG(1, 1))
	DefaultDrift().Step(c, r)
	if &c.links.lat32[0] == &g.links.lat32[0] {
		t.Fatal("drifting the clone did not copy its link assets")
	}
	if !slices.Equal(g.Links(), before) {
		t.Fatal("drifting the clone changed the original")
	}
	// Links of the clone keep their indices: same ends at the same index.
	for k, l := range c.Links() {
		if l.From != before[k].From || l.To != before[k].To {
			t.Fatalf("link %d is %s->%s in the clone, %s->%s in the original", k, l.From, l.To, before[k].From, before[k].To)
		}
		if at := c.LinkAt(int32(k)); at != l {
			t.Fatalf("LinkAt(%d) = %v, Links()[%d] = %v", k, at, k, l)
		}
	}
	// Writing the original after the clone copies too, and a structural change of either
	// copies the structure.
	g.SetLink("n0", "n18", LinkAssets{LatencyMS: 0.25, BandwidthMbps: 7})
	if l, _ := c.Link("n0", "n18"); l.LatencyMS == 0.25 {
		t.Fatal("SetLink on the original reached the clone")
	}
	c.AddNode("extra", NodeAssets{Availability: 1})
	c.AddLink("extra", "n0", LinkAssets{LatencyMS: 1, BandwidthMbps: 1})
	if g.Len() != 30 || g.NumLinks() != len(before) || !g.Up("n0") || g.Up("extra") {
		t.Fatal("AddNode/AddLink on the clone reached the original")
	}
	if c.Len() != 31 || c.NumLinks() != len(before)+1 {
		t.Fatalf("clone has %d nodes %d links", c.Len(), c.NumLinks())
	}
	checkAllPairs(t, "original after clone writes", g)
	checkAllPairs(t, "clone after its writes", c)
}

// TestCloneConcurrent drifts and routes several clones of one graph at once, from several
// goroutines; with -race this checks that clones share nothing they write.
func TestCloneConcurrent(t *testing.T) {
	g := sockShopInfra(t)
	done := make(chan []string)
	for i := range 4 {
		c := g.Clone()
		go func() {
			r := rand.New(rand.NewPCG(uint64(i), 0))
			var out []string
			for range 20 {
				SockShopDynamics(0.1, 0.5).Step(c, r)
				if p, err := c.Route("n0", "n29"); err == nil {
					out = append(out, strings.Join(p.Nodes, ">"))
				}
			}
			done <- out
		}()
	}
	for range 4 {
		<-done
	}
	if p, err := g.Route("n0", "n29"); err != nil || len(p.Nodes) < 2 {
		t.Fatalf("original after concurrent clones: %v %v", p, err)
	}
}

// TestLinkStoreWidens: link assets are kept as float32 while every value is exactly one; a
// value that is not switches the store to float64 without changing any value.
func TestLinkStoreWidens(t *testing.T) {
	g := sockShopInfra(t)
	if g.links.wide {
		t.Fatal("generated integer assets not stored narrow")
	}
	before := g.Links()
	if err := g.SetLink("n0", "n18", LinkAssets{LatencyMS: 0.1, BandwidthMbps: 1e300}); err != nil {
		t.Fatal(err)
	}
	if !g.links.wide {
		t.Fatal("0.1 stored narrow")
	}
	for k, l := range g.Links() {
		want := before[k]
		if l.From == "n0" && l.To == "n18" {
			want.LinkAssets = LinkAssets{LatencyMS: 0.1, BandwidthMbps: 1e300}
		}
		if l != want {
			t.Fatalf("link %d: %v, want %v", k, l, want)
		}
	}
	checkAllPairs(t, "wide", g)
}

// TestStructureChangesAfterRouting mixes routing (which builds the CSR index) with links
// added out of source order (which drop it): routes stay networkx's.
func TestStructureChangesAfterRouting(t *testing.T) {
	g := sockShopInfra(t)
	g.Route("n0", "n29")
	g.AddNode("late", NodeAssets{Availability: 1, ProcessingTimeMS: 1})
	if err := g.AddSymmetricLink("n29", "late", LinkAssets{LatencyMS: 1, BandwidthMbps: 10}); err != nil {
		t.Fatal(err)
	}
	checkAllPairs(t, "after AddSymmetricLink", g)
	if err := g.AddLink("n0", "late", LinkAssets{LatencyMS: 0, BandwidthMbps: 10}); err != nil {
		t.Fatal(err)
	}
	if err := g.AddLink("n0", "late", LinkAssets{LatencyMS: 0, BandwidthMbps: 10}); err == nil {
		t.Fatal("duplicate link accepted")
	}
	checkAllPairs(t, "after AddLink", g)
	if p, _ := g.Route("n0", "late"); !slices.Equal(p.Nodes, []string{"n0", "late"}) {
		t.Fatalf("n0->late = %v", p.Nodes)
	}
}

// TestLinkAtDoesNotAllocate: a per-link model reads a link's current assets by index on
// every transfer.
func TestLinkAtDoesNotAllocate(t *testing.T) {
	g := sockShopInfra(t)
	g.LinkAt(0)
	if a := testing.AllocsPerRun(100, func() { g.LinkAt(17) }); a != 0 {
		t.Fatalf("LinkAt allocates %v times", a)
	}
}

// TestLinkSeq: the sequence yields what Links() lists, with indices, grouped or not, and
// stops when asked.
func TestLinkSeq(t *testing.T) {
	for _, g := range []*Graph{sockShopInfra(t), mustGraphF()} {
		want := g.Links()
		var got []Link
		for k, l := range g.LinkSeq() {
			if int(k) != len(got) {
				t.Fatalf("index %d at position %d", k, len(got))
			}
			got = append(got, l)
		}
		if !slices.Equal(got, want) {
			t.Fatalf("LinkSeq %v, Links %v", got, want)
		}
		n := 0
		for range g.LinkSeq() {
			n++
			break
		}
		if n != 1 {
			t.Fatal("LinkSeq did not stop")
		}
	}
}
