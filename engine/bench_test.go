package engine

// Benchmarks of the kernel against github.com/fschuetz04/simgo v0.7.0 (the baseline) on the
// same workloads. Run with:
//
//	go test -run '^$' -bench . -benchmem -count 3 ./engine/
//
// Each benchmark reports ns/event (or ns/handoff) and events/s; ratios are computed from the
// same run (see .notes/engine.md).

import (
	"testing"

	"github.com/fschuetz04/simgo"
)

const benchProcs = 1000

// benchDelay spreads the wake-up times of the 1000 loops so the queue holds entries at several
// distinct times (not one giant tie).
func benchDelay(i int) int { return 1 + i%7 }

func report(b *testing.B, events int, unit string) {
	ns := float64(b.Elapsed().Nanoseconds()) / float64(events)
	b.ReportMetric(ns, "ns/"+unit)
	b.ReportMetric(1e9/ns, unit+"s/s")
}

// (a) 1000 processes, each sleeping in a loop.
func BenchmarkSleepProcs(b *testing.B) {
	b.Run("engine", func(b *testing.B) {
		b.ReportAllocs()
		per := b.N/benchProcs + 1
		s := New(1)
		for i := range benchProcs {
			d := Time(benchDelay(i))
			s.Process("p", func(p *Proc) {
				for range per {
					p.Sleep(d)
				}
			})
		}
		b.ResetTimer()
		if err := s.Run(); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		s.Close()
		report(b, per*benchProcs, "event")
	})
	// The same loop written like simgo's: wait on a Timeout event (one allocation per event).
	b.Run("engine-timeout", func(b *testing.B) {
		b.ReportAllocs()
		per := b.N/benchProcs + 1
		s := New(1)
		for i := range benchProcs {
			d := Time(benchDelay(i))
			s.Process("p", func(p *Proc) {
				for range per {
					p.Wait(s.Timeout(d))
				}
			})
		}
		b.ResetTimer()
		if err := s.Run(); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		s.Close()
		report(b, per*benchProcs, "event")
	})
	b.Run("simgo", func(b *testing.B) {
		b.ReportAllocs()
		per := b.N/benchProcs + 1
		sim := simgo.NewSimulation()
		for i := range benchProcs {
			d := float64(benchDelay(i))
			sim.Process(func(proc simgo.Process) {
				for range per {
					proc.Wait(proc.Timeout(d))
				}
			})
		}
		b.ResetTimer()
		sim.Run()
		b.StopTimer()
		sim.Shutdown()
		report(b, per*benchProcs, "event")
	})
}

// (b) 1000 self-rescheduling callbacks.
func BenchmarkCallbacks(b *testing.B) {
	b.Run("engine", func(b *testing.B) {
		b.ReportAllocs()
		per := b.N/benchProcs + 1
		s := New(1)
		for i := range benchProcs {
			d := Time(benchDelay(i))
			left := per
			var fn func()
			fn = func() {
				left--
				if left > 0 {
					s.Schedule(d, fn)
				}
			}
			s.Schedule(d, fn)
		}
		b.ResetTimer()
		if err := s.Run(); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		report(b, per*benchProcs, "event")
	})
	b.Run("simgo", func(b *testing.B) {
		b.ReportAllocs()
		per := b.N/benchProcs + 1
		sim := simgo.NewSimulation()
		for i := range benchProcs {
			d := float64(benchDelay(i))
			left := per
			var fn func(*simgo.Event)
			fn = func(*simgo.Event) {
				left--
				if left > 0 {
					sim.Timeout(d).AddHandler(fn)
				}
			}
			sim.Timeout(d).AddHandler(fn)
		}
		b.ResetTimer()
		sim.Run()
		b.StopTimer()
		report(b, per*benchProcs, "event")
	})
}

// (c) Ping-pong between two processes through two stores: each round is two hand-offs.
func BenchmarkPingPong(b *testing.B) {
	b.Run("engine", func(b *testing.B) {
		b.ReportAllocs()
		rounds := b.N/2 + 1
		s := New(1)
		ping, pong := NewStore[int](s, 0), NewStore[int](s, 0)
		s.Process("ping", func(p *Proc) {
			for i := range rounds {
				ping.Put(p, i)
				pong.Get(p)
			}
		})
		s.Process("pong", func(p *Proc) {
			for range rounds {
				v, _ := ping.Get(p)
				pong.Put(p, v)
			}
		})
		b.ResetTimer()
		if err := s.Run(); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		s.Close()
		report(b, 2*rounds, "handoff")
	})
	b.Run("simgo", func(b *testing.B) {
		b.ReportAllocs()
		rounds := b.N/2 + 1
		sim := simgo.NewSimulation()
		ping, pong := simgo.NewStore[int](sim), simgo.NewStore[int](sim)
		sim.Process(func(proc simgo.Process) {
			for i := range rounds {
				ping.Put(i)
				proc.Wait(pong.Get())
			}
		})
		sim.Process(func(proc simgo.Process) {
			for range rounds {
				g := ping.Get()
				proc.Wait(g)
				pong.Put(g.Item)
			}
		})
		b.ResetTimer()
		sim.Run()
		b.StopTimer()
		sim.Shutdown()
		report(b, 2*rounds, "handoff")
	})
}

// (b') The same 1000 self-rescheduling callbacks with random delays of 1ns..1ms, so nearly
// every pending time is distinct: this measures the heap path without the benefit of ties.
func BenchmarkCallbacksRandom(b *testing.B) {
	b.Run("engine", func(b *testing.B) {
		b.ReportAllocs()
		per := b.N/benchProcs + 1
		s := New(1)
		rng := Stream(1, "delays")
		for range benchProcs {
			left := per
			var fn func()
			fn = func() {
				left--
				if left > 0 {
					s.Schedule(Time(1+rng.IntN(1_000_000)), fn)
				}
			}
			s.Schedule(Time(1+rng.IntN(1_000_000)), fn)
		}
		b.ResetTimer()
		if err := s.Run(); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		report(b, per*benchProcs, "event")
	})
	b.Run("simgo", func(b *testing.B) {
		b.ReportAllocs()
		per := b.N/benchProcs + 1
		sim := simgo.NewSimulation()
		rng := Stream(1, "delays")
		for range benchProcs {
			left := per
			var fn func(*simgo.Event)
			fn = func(*simgo.Event) {
				left--
				if left > 0 {
					sim.Timeout(float64(1 + rng.IntN(1_000_000))).AddHandler(fn)
				}
			}
			sim.Timeout(float64(1 + rng.IntN(1_000_000))).AddHandler(fn)
		}
		b.ResetTimer()
		sim.Run()
		b.StopTimer()
		report(b, per*benchProcs, "event")
	})
}
