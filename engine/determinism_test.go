package engine

import (
	"fmt"
	"hash/fnv"
	"runtime"
	"testing"
	"time"
)

// tieModel is a tie-heavy model: many processes with equal delays, shared stores and
// resources, AnyOf/AllOf and GetTimeout, with randomness from named streams. It returns an
// FNV-64 hash of its trace of "name@time" lines and the number of lines.
func tieModel(seed uint64) (uint64, int) {
	s := New(seed)
	defer s.Close()
	h := fnv.New64a()
	lines := 0
	trace := func(format string, args ...any) {
		fmt.Fprintf(h, format, args...)
		fmt.Fprintf(h, "@%v\n", s.Now())
		lines++
	}
	mail := NewStore[int](s, 3)
	cpu := NewResource(s, 2)
	for i := range 12 {
		name := fmt.Sprint("worker", i)
		rng := s.Rand(name)
		s.Process(name, func(p *Proc) {
			for k := range 8 {
				d := Time(rng.IntN(3)) * Millisecond // many equal delays
				p.Sleep(d)
				trace("%s slept %d", name, k)
				cpu.Acquire(p)
				trace("%s got cpu", name)
				p.Sleep(Millisecond)
				cpu.Release()
				mail.Put(p, i*100+k)
				trace("%s put", name)
				a, b := s.Timeout(Millisecond), s.Timeout(Time(rng.IntN(2))*Millisecond)
				v, _ := p.Wait(s.AnyOf(a, b))
				trace("%s any a=%v", name, v == a)
				p.Wait(s.AllOf(a, b))
				trace("%s all", name)
			}
		})
	}
	for i := range 3 {
		name := fmt.Sprint("reader", i)
		s.Process(name, func(p *Proc) {
			for {
				v, ok, _ := mail.GetTimeout(p, 3*Millisecond)
				trace("%s got %d %v", name, v, ok)
				if !ok && s.Now() > 200*Millisecond {
					return
				}
			}
		})
	}
	s.Schedule(0, func() {
		var tick func()
		tick = func() {
			trace("tick try=%v", mail.TryPut(-1))
			if s.Now() < 50*Millisecond {
				s.Schedule(Millisecond, tick)
			}
		}
		tick()
	})
	if err := s.Run(); err != nil {
		panic(err)
	}
	trace("end")
	return h.Sum64(), lines
}

func TestDeterminism(t *testing.T) {
	h1, n1 := tieModel(7)
	h2, n2 := tieModel(7)
	if h1 != h2 || n1 != n2 {
		t.Fatalf("two runs differ: %x/%d vs %x/%d", h1, n1, h2, n2)
	}
	if n1 < 300 {
		t.Fatalf("model trace too short (%d lines): the test would mean little", n1)
	}
	if h3, _ := tieModel(8); h3 == h1 {
		t.Errorf("seed 8 gives the same trace as seed 7: the hash does not see the model")
	}
	for _, procs := range []int{1, 2} {
		old := runtime.GOMAXPROCS(procs)
		h, n := tieModel(7)
		runtime.GOMAXPROCS(old)
		if h != h1 || n != n1 {
			t.Errorf("GOMAXPROCS(%d): %x/%d, want %x/%d", procs, h, n, h1, n1)
		}
	}
}

// TestCloseLeavesNoGoroutines runs 200 simulations that end with blocked processes and
// checks that Close leaves no goroutine behind.
func TestCloseLeavesNoGoroutines(t *testing.T) {
	before := runtime.NumGoroutine()
	for i := range 200 {
		s := New(uint64(i))
		st := NewStore[int](s, 1)
		for j := range 5 {
			s.Process(fmt.Sprint("p", j), func(p *Proc) {
				st.Put(p, j) // fills, then blocks
				st.Put(p, j)
			})
		}
		s.Process("sleeper", func(p *Proc) { p.Sleep(MaxTime) })
		s.Process("waiter", func(p *Proc) { p.Wait(s.NewEvent()) })
		if err := s.Run(); err != nil {
			t.Fatal(err)
		}
		s.Close()
	}
	// Goroutines end synchronously inside Close; allow the runtime a moment anyway.
	var after int
	for range 50 {
		if after = runtime.NumGoroutine(); after <= before {
			break
		}
		time.Sleep(time.Millisecond)
	}
	if after > before {
		t.Fatalf("goroutines: %d before, %d after 200 closed runs", before, after)
	}
}

// TestRunLeavesBlockedUntilClose: Run returning with an empty queue does not release blocked
// processes; more work can be scheduled and Run called again.
func TestRunLeavesBlockedUntilClose(t *testing.T) {
	s := New(1)
	defer s.Close()
	st := NewStore[string](s, 0)
	var got string
	s.Process("g", func(p *Proc) { got, _ = st.Get(p) })
	run(t, s)
	if got != "" {
		t.Fatal("getter returned early")
	}
	s.Schedule(Second, func() { st.TryPut("late") })
	run(t, s)
	if got != "late" || s.Now() != Second {
		t.Fatalf("got %q at %v, want late at 1s", got, s.Now())
	}
}
