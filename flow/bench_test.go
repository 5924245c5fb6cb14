package flow

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/edgesim/edgesim/engine"
)

// Benchmarks of Net in a closed loop: `conc` transfers in flight; each completion starts the
// next one, so one op is one start plus one finish (with the re-solves both cause). Run with:
//
//	go test -run '^$' -bench . -benchmem ./flow/
//
// Topologies:
//   - shared: 64 links of 10-1000 Mbit/s, paths of 1-6 links drawn from all 64. From about
//     100 flows on, everything is one connected component: every event re-solves all flows
//     (the worst case for the incremental solve).
//   - pods: pods of 8 links, conc/4 pods, each path inside one pod: about 4 flows per
//     component (many independent bottlenecks, the good case).
//
// Each is also run on refNet (full re-solve at every event, allocating) as the baseline.

type benchWork struct {
	capacity []float64
	paths    [][]int32
	sizes    []int
}

func newBenchWork(topo string, conc int) benchWork {
	rng := rand.New(rand.NewPCG(7, 8))
	var w benchWork
	nl, pod := 64, 64
	if topo == "pods" {
		pod = 8
		nl = pod * max(1, conc/4)
	}
	for range nl {
		w.capacity = append(w.capacity, 10+990*rng.Float64())
	}
	for range 4096 {
		base := 0
		if pod < nl {
			base = pod * rng.IntN(nl/pod)
		}
		var p []int32
		for _, l := range rng.Perm(pod)[:1+rng.IntN(6)] {
			p = append(p, int32(base+l))
		}
		w.paths = append(w.paths, p)
		w.sizes = append(w.sizes, 1000+rng.IntN(1_000_000))
	}
	return w
}

func BenchmarkNet(b *testing.B) {
	for _, topo := range []string{"shared", "pods"} {
		for _, conc := range []int{10, 100, 1000} {
			w := newBenchWork(topo, conc)
			b.Run(fmt.Sprintf("%s/%d/net", topo, conc), func(b *testing.B) { benchFast(b, w, conc) })
			b.Run(fmt.Sprintf("%s/%d/naive", topo, conc), func(b *testing.B) { benchNaive(b, w, conc) })
		}
	}
}

func benchFast(b *testing.B, w benchWork, conc int) {
	b.ReportAllocs()
	sim := engine.New(1)
	n := New(sim)
	for l, c := range w.capacity {
		if err := n.SetCapacity(int32(l), c); err != nil {
			b.Fatal(err)
		}
	}
	next, completed := 0, 0
	var done func()
	start := func() {
		i := next % len(w.paths)
		next++
		if _, err := n.Start(w.paths[i], w.sizes[i], done); err != nil {
			b.Fatal(err)
		}
	}
	done = func() {
		completed++
		if completed == b.N {
			sim.Stop()
			return
		}
		start()
	}
	for range conc {
		start()
	}
	// Warm up: let the slices reach their steady size before timing.
	warm := b.N
	b.N = conc
	if err := sim.Run(); err != nil {
		b.Fatal(err)
	}
	b.N, completed = warm, 0
	start() // replace the one that stopped the warm-up
	b.ResetTimer()
	if err := sim.Run(); err != nil {
		b.Fatal(err)
	}
}

func benchNaive(b *testing.B, w benchWork, conc int) {
	b.ReportAllocs()
	sim := engine.New(1)
	r := newRefNet(sim)
	for l, c := range w.capacity {
		r.setCapacity(int32(l), c)
	}
	next, completed := 0, 0
	var done func()
	start := func() {
		i := next % len(w.paths)
		next++
		r.start(w.paths[i], w.sizes[i], inf, done)
	}
	done = func() {
		completed++
		if completed == b.N {
			sim.Stop()
			return
		}
		start()
	}
	for range conc {
		start()
	}
	b.ResetTimer()
	if err := sim.Run(); err != nil {
		b.Fatal(err)
	}
}
