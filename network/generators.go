package network

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// GeneratorConfig selects and configures one generator by name, for commands.
type GeneratorConfig struct {
	Kind         string    // one of Generators()
	N            int       // nodes (all but fat-tree)
	Partitioning []float64 // hierarchical tier fractions
	P            float64   // random: edge probability; small-world: replacement probability
	M            int       // scale-free: edges per new node
	D            int       // small-world: ring degree each side
	K            int       // fat-tree: port count (even)
}

// Generators returns the generator names Generate accepts, in a fixed order.
func Generators() []string {
	return []string{"hierarchical", "star", "random", "scale-free", "small-world", "fat-tree"}
}

// Generate builds the infrastructure cfg describes, drawing from r.
func Generate(cfg GeneratorConfig, r *rand.Rand) (*Graph, error) {
	switch cfg.Kind {
	case "hierarchical":
		return Hierarchical(HierarchicalConfig{N: cfg.N, Partitioning: cfg.Partitioning}, r)
	case "star":
		return Star(cfg.N, r)
	case "random":
		return RandomConnected(RandomConfig{N: cfg.N, P: cfg.P}, r)
	case "scale-free":
		return ScaleFree(ScaleFreeConfig{N: cfg.N, M: cfg.M}, r)
	case "small-world":
		return SmallWorld(SmallWorldConfig{N: cfg.N, D: cfg.D, P: cfg.P}, r)
	case "fat-tree":
		return FatTree(FatTreeConfig{K: cfg.K}, r)
	}
	return nil, fmt.Errorf("network: unknown generator %q (valid: %s)", cfg.Kind, strings.Join(Generators(), ", "))
}
