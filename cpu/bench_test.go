package cpu

// Benchmarks: one op (ns/op, allocs/op) is one job (arrival, queueing, completion, callback), Poisson arrivals
// at load 0.9 with exponential service of mean 1 ms, including the kernel's cost of the
// arrival events and the random draws. Baselines in the same run: FCFS as the kernel's
// Resource with one process per job (what a model would write without this package), and PS
// as the naive O(n)-per-event reference of the tests over the same arrivals. Run with:
//
//	go test -run '^$' -bench . -benchmem ./cpu/

import (
	"testing"

	"github.com/edgesim/edgesim/engine"
)

// poisson returns a source of (interarrival, work) pairs for load rho on c cores.
func poisson(sim *engine.Sim, c int, rho float64) func() (engine.Time, engine.Time) {
	arrivals, service := sim.Rand("arrivals"), sim.Rand("service")
	lambda := rho * float64(c) // per ms, mu = 1/ms
	return func() (engine.Time, engine.Time) {
		return msToNS(arrivals.ExpFloat64() / lambda), msToNS(service.ExpFloat64())
	}
}

func benchStation(b *testing.B, d Discipline, c int, rho float64) {
	b.ReportAllocs()
	sim := engine.New(1)
	st := mustStation(b, sim, c, d, 1<<20)
	next := poisson(sim, c, rho)
	completed := 0
	done := func(Job) { completed++ }
	left := b.N
	var arrive func()
	arrive = func() {
		gap, work := next()
		if err := st.Submit(work, done); err != nil {
			b.Fatal(err)
		}
		if left--; left > 0 {
			sim.Schedule(gap, arrive)
		}
	}
	sim.Schedule(0, arrive)
	b.ResetTimer()
	if err := sim.Run(); err != nil {
		b.Fatal(err)
	}
	b.StopTimer()
	if completed != b.N {
		b.Fatalf("%d of %d jobs completed", completed, b.N)
	}
}

// benchResource is FCFS written with the kernel's Resource: one process per job.
func benchResource(b *testing.B, c int) {
	b.ReportAllocs()
	sim := engine.New(1)
	res := engine.NewResource(sim, c)
	next := poisson(sim, c, 0.9)
	completed := 0
	left := b.N
	var arrive func()
	arrive = func() {
		gap, work := next()
		sim.Process("job", func(p *engine.Proc) {
			res.Acquire(p)
			p.Sleep(work)
			res.Release()
			completed++
		})
		if left--; left > 0 {
			sim.Schedule(gap, arrive)
		}
	}
	sim.Schedule(0, arrive)
	b.ResetTimer()
	if err := sim.Run(); err != nil {
		b.Fatal(err)
	}
	b.StopTimer()
	sim.Close()
	if completed != b.N {
		b.Fatalf("%d of %d jobs completed", completed, b.N)
	}
}

// benchNaivePS runs the tests' naive PS reference over b.N Poisson arrivals (generated
// before the timer starts; the station benchmarks draw them as they go).
func benchNaivePS(b *testing.B, c int, rho float64) {
	b.ReportAllocs()
	sim := engine.New(1)
	next := poisson(sim, c, rho)
	script := make([]step, b.N)
	at := engine.Time(0)
	for i := range script {
		gap, work := next()
		script[i] = arrive(at, work)
		at += gap
	}
	b.ResetTimer()
	fin := refPS(c, 1<<20, script)
	b.StopTimer()
	if len(fin) != b.N {
		b.Fatal("wrong count")
	}
}

func BenchmarkFCFS(b *testing.B) {
	for _, c := range []int{1, 8} {
		name := map[int]string{1: "1core", 8: "8cores"}[c]
		b.Run("station-"+name, func(b *testing.B) { benchStation(b, FCFS, c, 0.9) })
		b.Run("resource-"+name, func(b *testing.B) { benchResource(b, c) })
	}
}

func BenchmarkPS(b *testing.B) {
	for _, c := range []int{1, 8} {
		name := map[int]string{1: "1core", 8: "8cores"}[c]
		b.Run("station-"+name, func(b *testing.B) { benchStation(b, PS, c, 0.9) })
		b.Run("naive-"+name, func(b *testing.B) { benchNaivePS(b, c, 0.9) })
	}
	// At load 0.99 on one core about 99 jobs share it on average: the naive reference's
	// O(n) per event shows.
	b.Run("station-1core-rho0.99", func(b *testing.B) { benchStation(b, PS, 1, 0.99) })
	b.Run("naive-1core-rho0.99", func(b *testing.B) { benchNaivePS(b, 1, 0.99) })
}

// BenchmarkDo: 64 processes in a closed loop (Do, then an exponential think time of 7 ms),
// on 8 PS cores; Do allocates one engine.Event per job.
func BenchmarkDo(b *testing.B) {
	b.ReportAllocs()
	sim := engine.New(1)
	st := mustStation(b, sim, 8, PS, 1<<20)
	think, service := sim.Rand("think"), sim.Rand("service")
	left := b.N
	for range 64 {
		sim.Process("user", func(p *engine.Proc) {
			for left > 0 {
				left--
				if _, err := st.Do(p, msToNS(service.ExpFloat64())); err != nil {
					b.Error(err)
					return
				}
				p.Sleep(msToNS(7 * think.ExpFloat64()))
			}
		})
	}
	b.ResetTimer()
	if err := sim.Run(); err != nil {
		b.Fatal(err)
	}
	b.StopTimer()
	sim.Close()
}
