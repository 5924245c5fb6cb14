package engine

import "math/rand/v2"

// Stream returns a PCG generator (math/rand/v2) seeded from (seed, name) by a stable hash:
// the FNV-1a 64-bit hash of name, mixed with seed through splitmix64. A stream depends only on
// (seed, name), never on which other streams exist or the order they were created in, so adding
// a stream does not shift the others.
func Stream(seed uint64, name string) *rand.Rand {
	h := fnv1a(name)
	s1 := splitmix64(seed ^ h)
	s2 := splitmix64(s1 ^ 0x9e3779b97f4a7c15 ^ (h << 1))
	return rand.New(rand.NewPCG(s1, s2))
}

func fnv1a(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

// splitmix64 is the finaliser of Steele, Lea and Flood's SplitMix64 generator (a bijection
// with good avalanche).
func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// Rand returns the named random stream of this simulation: Stream(s.Seed(), name), created on
// first use. The same name always returns the same *rand.Rand within a Sim.
func (s *Sim) Rand(name string) *rand.Rand {
	if r, ok := s.rands[name]; ok {
		return r
	}
	if s.rands == nil {
		s.rands = make(map[string]*rand.Rand)
	}
	r := Stream(s.seed, name)
	s.rands[name] = r
	return r
}
