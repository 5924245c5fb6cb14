package engine

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
)

// The Loop waits give exactly the runs of their loops of timed waits: random schedules of
// puts (Store) and triggers (Event) at small integer times, with many ties with the
// deadlines, against waiters that ask again every 3 time units until a give-up time; the
// log records every observation of every process and callback, in order.
func TestLoopWaitsMatchLoops(t *testing.T) {
	for seed := range uint64(200) {
		for _, kind := range []string{"store", "event"} {
			want := loopRun(seed, kind, false)
			got := loopRun(seed, kind, true)
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("seed %d, %s: the Loop wait differs from its loop:\n got %v\nwant %v", seed, kind, got, want)
			}
		}
	}
}

func loopRun(seed uint64, kind string, useLoop bool) []string {
	r := rand.New(rand.NewPCG(seed, 7))
	sim := New(seed)
	defer sim.Close()
	var log []string
	note := func(format string, a ...any) {
		log = append(log, fmt.Sprintf("%v ", sim.Now())+fmt.Sprintf(format, a...))
	}
	st := NewStore[int](sim, 0)
	evs := make([]*Event, 4)
	for i := range evs {
		evs[i] = sim.NewEvent()
	}
	for w := range 4 {
		giveUp := Time(5 + r.IntN(25))
		slice := Time(1 + r.IntN(4))
		start := Time(r.IntN(6))
		ev := evs[w]
		sim.At(start, func() {
			sim.Process(fmt.Sprint("w", w), func(p *Proc) {
				again := func() (Time, bool) {
					if p.Now() >= giveUp || (kind == "event" && ev.Triggered()) {
						return 0, false
					}
					return min(slice, giveUp-p.Now()), true
				}
				d := min(slice, giveUp-p.Now())
				for round := 0; p.Now() < giveUp; round++ {
					switch {
					case kind == "store" && useLoop:
						v, ok, _ := st.GetTimeoutLoop(p, d, again)
						if !ok {
							note("w%d gave up", w)
							return
						}
						note("w%d got %d", w, v)
					case kind == "store":
						v, ok, _ := st.GetTimeout(p, d)
						if !ok {
							if d, ok = again(); !ok {
								note("w%d gave up", w)
								return
							}
							continue
						}
						note("w%d got %d", w, v)
					case useLoop:
						v, ok, _ := p.WaitTimeoutLoop(ev, d, again)
						note("w%d waited %v %v", w, v, ok)
						return
					default:
						v, ok, _ := p.WaitTimeout(ev, d)
						if ok {
							note("w%d waited %v %v", w, v, ok)
							return
						}
						var more bool
						if d, more = again(); !more {
							note("w%d waited %v %v", w, nil, false)
							return
						}
						continue
					}
					d = min(slice, giveUp-p.Now())
					if d <= 0 {
						return
					}
				}
			})
		})
	}
	for i := range 12 {
		at := Time(r.IntN(30))
		act := func() {
			if kind == "store" {
				st.TryPut(i)
				note("put %d", i)
				return
			}
			if e := evs[i%4]; !e.Triggered() {
				e.Succeed(i)
				note("trigger %d", i%4)
			}
		}
		if r.IntN(2) == 0 {
			sim.At(at, act)
		} else {
			// Scheduled during the run: queued after deadlines armed before it for the same
			// instant, so it can come between a deadline and the wake-up that follows it.
			d := Time(r.IntN(6))
			sim.At(max(at-d, 0), func() { sim.Schedule(d, act) })
		}
		if r.IntN(3) == 0 { // a same-time follower: ties on both sides of a deadline
			sim.At(at, func() { note("tick") })
		}
	}
	if err := sim.Run(); err != nil {
		log = append(log, err.Error())
	}
	return log
}

// BenchmarkTimedWaitLoop: a getter that waits in slices of 1 ns (as a workflow looks at each
// step boundary) for an item put every 8 ns: the Loop form against GetTimeout called in a
// loop. ns/op is per item got.
func BenchmarkTimedWaitLoop(b *testing.B) {
	for _, loop := range []bool{false, true} {
		name := "process-loop"
		if loop {
			name = "GetTimeoutLoop"
		}
		b.Run(name, func(b *testing.B) {
			sim := New(1)
			defer sim.Close()
			st := NewStore[int](sim, 0)
			n := 0
			again := func() (Time, bool) { return 1, n < b.N }
			sim.Process("getter", func(p *Proc) {
				for n < b.N || st.Len() > 0 {
					if loop {
						if _, _, err := st.GetTimeoutLoop(p, 1, again); err != nil {
							return
						}
						continue
					}
					if _, _, err := st.GetTimeout(p, 1); err != nil {
						return
					}
				}
			})
			var put func()
			put = func() {
				st.TryPut(n)
				if n++; n < b.N {
					_, _ = sim.Schedule(8, put)
				}
			}
			_, _ = sim.Schedule(8, put)
			b.ResetTimer()
			if err := sim.Run(); err != nil {
				b.Fatal(err)
			}
		})
	}
}
