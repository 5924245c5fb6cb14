package placement

import (
	"math/rand/v2"
	"testing"

	"github.com/edgesim/edgesim/network"
)

// BenchmarkPlace places SockShop on a 10000-node star (generated node assets; strategies do
// not look at links, so a star keeps the set-up cheap) with each strategy. The static map
// puts every service on the last node.
func BenchmarkPlace(b *testing.B) {
	g, err := network.Star(10000, rand.New(rand.NewPCG(22, 0)))
	if err != nil {
		b.Fatal(err)
	}
	app := sockShop()
	static := map[string]string{}
	for _, s := range app.Services {
		static[s.Name] = "n9999"
	}
	for _, name := range Strategies() {
		b.Run(name, func(b *testing.B) {
			s, err := NewStrategy(name, static)
			if err != nil {
				b.Fatal(err)
			}
			r := rand.New(rand.NewPCG(22, 1))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := s.Place(app, g, r); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkAudit audits a SockShop placement spread over the SockShop infrastructure.
func BenchmarkAudit(b *testing.B) {
	g, err := network.Hierarchical(network.HierarchicalConfig{N: 30, Partitioning: []float64{0.6, 0.1, 0.15, 0.15}}, rand.New(rand.NewPCG(22, 0)))
	if err != nil {
		b.Fatal(err)
	}
	app := sockShop()
	p, _ := Random{}.Place(app, g, rand.New(rand.NewPCG(22, 1)))
	b.ReportAllocs()
	for b.Loop() {
		Audit(app, g, p)
	}
}
