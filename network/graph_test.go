package network

import (
	"math"
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
