package network

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/edgesim/edgesim/internal/golden"
)

var sockShopPartitioning = []float64{0.6, 0.1, 0.15, 0.15}

func TestTierSizes(t *testing.T) {
	tests := []struct {
		n    int
		part []float64
		want []int
		err  string
	}{
		{30, sockShopPartitioning, []int{18, 3, 4, 5}, ""},
		{30, []float64{0.6, 0.2, 0.1, 0.1}, []int{18, 6, 3, 3}, ""},
		{10, []float64{1, 1, 1}, []int{3, 3, 4}, ""},
		{1000, sockShopPartitioning, []int{600, 100, 150, 150}, ""},
		{5, []float64{1}, []int{5}, ""},
		{3, sockShopPartitioning, nil, "gets no node"},
		{0, sockShopPartitioning, nil, "n = 0"},
		{10, nil, nil, "empty partitioning"},
		{10, []float64{0.5, -0.5}, nil, "partitioning[1]"},
		{10, []float64{0.5, math.NaN()}, nil, "partitioning[1]"},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprint(tc.n, tc.part), func(t *testing.T) {
			got, err := HierarchicalConfig{N: tc.n, Partitioning: tc.part}.TierSizes()
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err = %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil || !slices.Equal(got, tc.want) {
				t.Fatalf("got %v %v, want %v", got, err, tc.want)
			}
		})
	}
}

func sockShopInfra(t testing.TB) *Graph {
	g, err := Hierarchical(HierarchicalConfig{N: 30, Partitioning: sockShopPartitioning}, rand.New(rand.NewPCG(22, 0)))
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// TestHierarchicalGolden pins every node and link asset of the SockShop infrastructure
// (n=30, PCG(22,0)). Regenerate: go test ./network -run TestHierarchicalGolden -update.
func TestHierarchicalGolden(t *testing.T) {
	g := sockShopInfra(t)
	var buf bytes.Buffer
	fmt.Fprintf(&buf, "nodes %d links %d\n", g.Len(), g.NumLinks())
	if err := WriteNodeLink(&buf, g); err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "hierarchical-30-seed22.golden", buf.Bytes())
	var again bytes.Buffer
	fmt.Fprintf(&again, "nodes %d links %d\n", g.Len(), g.NumLinks())
	WriteNodeLink(&again, sockShopInfra(t))
	if !bytes.Equal(buf.Bytes(), again.Bytes()) {
		t.Fatal("same seed, different graph")
	}
}

// TestHierarchicalStructure checks the generator's rules on many seeds and sizes.
func TestHierarchicalStructure(t *testing.T) {
	for seed := range uint64(20) {
		n := 5 + int(seed)*7
		cfg := HierarchicalConfig{N: n, Partitioning: sockShopPartitioning}
		if seed%2 == 1 {
			cfg.Partitioning = []float64{0.5, 0.3, 0.2}
		}
		sizes, err := cfg.TierSizes()
		if err != nil {
			continue
		}
		g, err := Hierarchical(cfg, rand.New(rand.NewPCG(seed, 1)))
		if err != nil {
			t.Fatal(err)
		}
		tier := make([]int, n)
		start := 0
		for ti, s := range sizes {
			for i := start; i < start+s; i++ {
				tier[i] = ti
			}
			start += s
		}
		sameTier := make([]int, n)
		for _, l := range g.Links() {
			i, _ := g.Index(l.From)
			j, _ := g.Index(l.To)
			rev, ok := g.Link(l.To, l.From)
			if !ok || rev != l.LinkAssets {
				t.Fatalf("link %v not symmetric", l)
			}
			switch d := tier[i] - tier[j]; {
			case d == 0:
				sameTier[i]++
			case d != 1 && d != -1:
				t.Fatalf("link %v between tiers %d and %d", l, tier[i], tier[j])
			}
			if l.LatencyMS < 1 || l.LatencyMS > 40 || l.LatencyMS != math.Trunc(l.LatencyMS) ||
				l.BandwidthMbps < 50 || l.BandwidthMbps > 1500 {
				t.Fatalf("link assets out of range: %v", l)
			}
		}
		wantCross := 0
		for ti := 0; ti+1 < len(sizes); ti++ {
			wantCross += sizes[ti] * sizes[ti+1]
		}
		cross := 0
		for i := range n {
			if sizes[tier[i]] >= 2 && sameTier[i] == 0 {
				t.Fatalf("node %d has no same-tier link", i)
			}
			for j := range n {
				if tier[j] == tier[i]+1 {
					if _, ok := g.Link(g.ids[i], g.ids[j]); !ok {
						t.Fatalf("consecutive tiers not fully connected: %d-%d", i, j)
					}
					cross++
				}
			}
			a := g.nodes[i]
			pow2 := func(v, hi float64) bool { return v >= 2 && v <= hi && math.Exp2(math.Round(math.Log2(v))) == v }
			if !pow2(a.CPU, 256) || !pow2(a.GPU, 256) || !pow2(a.RAM, 1024) || !pow2(a.Storage, 4096) ||
				a.Availability < 0.99 || a.Availability >= 1 || a.ProcessingTimeMS < 1 || a.ProcessingTimeMS > 25 ||
				a.ProcessingTimeMS != math.Trunc(a.ProcessingTimeMS) {
				t.Fatalf("node %d assets out of range: %+v", i, a)
			}
		}
		if cross != wantCross {
			t.Fatalf("%d cross-tier pairs, want %d", cross, wantCross)
		}
	}
}

// connected reports whether every node reaches every other (all nodes up).
func connected(g *Graph) bool {
	for _, id := range g.ids {
		if _, err := g.Route(g.ids[0], id); err != nil {
			return false
		}
	}
	return true
}

func TestGenerators(t *testing.T) {
	tests := []struct {
		cfg       GeneratorConfig
		nodes     int
		minLinks  int
		wantError string
	}{
		{GeneratorConfig{Kind: "hierarchical", N: 30, Partitioning: sockShopPartitioning}, 30, 2 * (54 + 12 + 20), ""},
		{GeneratorConfig{Kind: "star", N: 8}, 8, 14, ""},
		{GeneratorConfig{Kind: "random", N: 40, P: 0.02}, 40, 78, ""},
		{GeneratorConfig{Kind: "random", N: 40, P: 0}, 40, 78, ""},
		{GeneratorConfig{Kind: "random", N: 10, P: 1}, 10, 90, ""},
		{GeneratorConfig{Kind: "scale-free", N: 50, M: 2}, 50, 2 * 2 * 48, ""},
		{GeneratorConfig{Kind: "small-world", N: 40, D: 2, P: 0.3}, 40, 78, ""},
		{GeneratorConfig{Kind: "small-world", N: 20, D: 2, P: 0}, 20, 80, ""},
		{GeneratorConfig{Kind: "fat-tree", K: 4}, 4 + 8 + 8 + 16, 2 * (16 + 16 + 16), ""},
		{GeneratorConfig{Kind: "star", N: 1}, 0, 0, "n = 1"},
		{GeneratorConfig{Kind: "random", N: 5, P: 2}, 0, 0, "p = 2"},
		{GeneratorConfig{Kind: "scale-free", N: 3, M: 3}, 0, 0, "m = 3"},
		{GeneratorConfig{Kind: "small-world", N: 10, D: 5, P: 0.1}, 0, 0, "d = 5"},
		{GeneratorConfig{Kind: "small-world", N: 10, D: 2, P: 1}, 0, 0, "p = 1"},
		{GeneratorConfig{Kind: "fat-tree", K: 3}, 0, 0, "k = 3"},
		{GeneratorConfig{Kind: "mesh"}, 0, 0, `unknown generator "mesh" (valid: hierarchical, star`},
		{GeneratorConfig{Kind: "hierarchical", N: 1 << 40, Partitioning: sockShopPartitioning}, 0, 0, "exceed the limit"},
		{GeneratorConfig{Kind: "hierarchical", N: 100000, Partitioning: sockShopPartitioning}, 0, 0, "links exceed the limit"},
		{GeneratorConfig{Kind: "star", N: MaxNodes + 1}, 0, 0, "nodes exceed the limit"},
		{GeneratorConfig{Kind: "random", N: 100000, P: 1}, 0, 0, "links exceed the limit"},
		{GeneratorConfig{Kind: "scale-free", N: MaxNodes, M: 100}, 0, 0, "links exceed the limit"},
		{GeneratorConfig{Kind: "small-world", N: MaxNodes, D: 100, P: 0.5}, 0, 0, "links exceed the limit"},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("%+v", tc.cfg), func(t *testing.T) {
			g, err := Generate(tc.cfg, rand.New(rand.NewPCG(7, 7)))
			if tc.wantError != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantError) {
					t.Fatalf("err = %v, want %q", err, tc.wantError)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if g.Len() != tc.nodes || g.NumLinks() < tc.minLinks {
				t.Fatalf("%d nodes %d links, want %d and >= %d", g.Len(), g.NumLinks(), tc.nodes, tc.minLinks)
			}
			if !connected(g) {
				t.Fatal("not connected")
			}
			for _, l := range g.Links() {
				if rev, ok := g.Link(l.To, l.From); !ok || rev != l.LinkAssets {
					t.Fatalf("link %v not symmetric", l)
				}
			}
			var a, b bytes.Buffer
			WriteNodeLink(&a, g)
			g2, _ := Generate(tc.cfg, rand.New(rand.NewPCG(7, 7)))
			WriteNodeLink(&b, g2)
			if !bytes.Equal(a.Bytes(), b.Bytes()) {
				t.Fatal("same seed, different graph")
			}
		})
	}
}

func TestConnect(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 3))
	for trial := range 200 {
		n := 1 + r.IntN(30)
		var edges [][2]int
		for range r.IntN(n + 1) {
			a, b := r.IntN(n), r.IntN(n)
			if a != b {
				edges = append(edges, [2]int{a, b})
			}
		}
		before := len(edges)
		edges = connect(n, edges, r)
		g := NewGraph()
		for i := range n {
			g.AddNode(nodeName(i), NodeAssets{Availability: 1})
		}
		for _, e := range edges {
			g.AddLink(nodeName(e[0]), nodeName(e[1]), LinkAssets{1, 1})
			g.AddLink(nodeName(e[1]), nodeName(e[0]), LinkAssets{1, 1})
		}
		if !connected(g) {
			t.Fatalf("trial %d: not connected", trial)
		}
		if added := len(edges) - before; added > n-1 {
			t.Fatalf("trial %d: added %d edges for %d nodes", trial, added, n)
		}
	}
}

func TestParsePartitioning(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []float64
		bad  string
	}{
		{"0.6,0.1,0.15,0.15", []float64{0.6, 0.1, 0.15, 0.15}, ""},
		{"0.6:0.2: 0.1 :0.1", []float64{0.6, 0.2, 0.1, 0.1}, ""},
		{"1,0", []float64{1, 0}, ""},
		{"0.5,x", nil, "x"},
		{"0.5,-1", nil, "-1"},
		{"NaN", nil, "NaN"},
		{"Inf", nil, "Inf"},
		{"", nil, ""},
	} {
		got, err := ParsePartitioning(tc.in)
		var bad *BadFractionError
		switch {
		case tc.want != nil && (err != nil || !slices.Equal(got, tc.want)):
			t.Errorf("ParsePartitioning(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		case tc.want == nil && (!errors.As(err, &bad) || bad.Field != tc.bad):
			t.Errorf("ParsePartitioning(%q): error %v, want one naming %q", tc.in, err, tc.bad)
		}
	}
}

func FuzzParsePartitioning(f *testing.F) {
	for _, s := range []string{"0.6,0.1,0.15,0.15", "1:2", ",", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fr, err := ParsePartitioning(s)
		if err == nil && len(fr) == 0 {
			t.Errorf("ParsePartitioning(%q) accepted nothing", s)
		}
		for _, v := range fr {
			if !(v >= 0) || math.IsInf(v, 0) {
				t.Errorf("ParsePartitioning(%q) accepted %v", s, v)
			}
		}
	})
}
