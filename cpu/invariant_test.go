package cpu

import (
	"errors"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/edgesim/edgesim/engine"
)

// randomLoad drives st with n jobs at random times (Poisson-like, with ties), random work
// (some zero) and, if withCores, random SetCores calls; it returns the jobs completed, in
// completion order, and the total work admitted (both filled in as the simulation runs).
func randomLoad(t *testing.T, sim *engine.Sim, st *Station, r *rand.Rand, n int, withCores bool) (*[]Job, *engine.Time) {
	t.Helper()
	var done []Job
	admitted := new(engine.Time)
	at := engine.Time(0)
	for range n {
		at += engine.Time(r.IntN(4) * r.IntN(20000))
		work := engine.Time(r.IntN(50000))
		if r.IntN(20) == 0 {
			work = 0
		}
		sim.At(at, func() {
			err := st.Submit(work, func(j Job) { done = append(done, j) })
			switch {
			case err == nil:
				*admitted += work
			case !errors.Is(err, ErrQueueFull):
				t.Error(err)
			}
		})
		if withCores && r.IntN(30) == 0 {
			c := 1 + r.IntN(6)
			sim.At(at, func() { st.SetCores(c) })
		}
	}
	return &done, admitted
}

// TestExactAccounting checks identities that hold exactly on a run that starts and ends
// with the station empty, on the station's integer accumulators and on Stats:
//   - Little's law: the integral of the number of jobs equals the sum of response times;
//   - the integral of the waiting count equals the sum of FCFS waits;
//   - busy core time: FCFS = the work done exactly; PS >= the work and < work + 1 ns per job
//     (a PS job completes at the first whole nanosecond at which it has its work, so it
//     gets less than 1 ns of extra service);
//   - every admitted job completed once, and no record is left.
func TestExactAccounting(t *testing.T) {
	r := rand.New(rand.NewPCG(40, 41))
	for c := range 60 {
		d := Discipline(c % 2)
		sim := engine.New(uint64(c))
		limit := 1 << 20
		if c%3 == 0 {
			limit = 3 + r.IntN(10)
		}
		st := mustStation(t, sim, 1+r.IntN(4), d, limit)
		done, work := randomLoad(t, sim, st, r, 2000, c%4 < 2)
		if err := sim.Run(); err != nil {
			t.Fatal(err)
		}
		var resp, wait, sumWork uint64
		for _, j := range *done {
			resp += uint64(j.Response())
			wait += uint64(j.Wait)
			sumWork += uint64(j.Work)
		}
		s := st.Stats()
		w := st.w
		if s.Completed != uint64(len(*done)) || s.Arrivals != s.Completed || s.Jobs != 0 || sumWork != uint64(*work) {
			t.Fatalf("%v case %d: %+v, %d callbacks, work %v vs %v", d, c, s, len(*done), sumWork, *work)
		}
		if w.jobs != (acc{lo: resp}) || w.resp != (acc{lo: resp}) || w.wait != (acc{lo: wait}) {
			t.Errorf("%v case %d: integral of jobs %v, sum of responses %d (acc %v), waits %d (acc %v)", d, c, w.jobs, resp, w.resp, wait, w.wait)
		}
		if d == FCFS && w.queue != (acc{lo: wait}) {
			t.Errorf("%v case %d: integral of waiting %v, sum of waits %d", d, c, w.queue, wait)
		}
		busy := w.busy.lo
		if w.busy.hi != 0 || busy < sumWork || (d == FCFS && busy != sumWork) || busy >= sumWork+s.Completed {
			t.Errorf("%v case %d: busy core time %v, work %d, %d jobs", d, c, w.busy, sumWork, s.Completed)
		}
		// The same identities through Stats' floats.
		el := float64(s.Elapsed)
		if l, lw := s.MeanJobs, float64(s.Arrivals)/el*s.MeanResponseMS*1e6; math.Abs(l-lw) > 1e-12*l {
			t.Errorf("%v case %d: Little: L %v, lambda W %v", d, c, l, lw)
		}
		if got := s.Utilisation * s.MeanCores * el; math.Abs(got-float64(busy)) > 1e-9*got {
			t.Errorf("%v case %d: Utilisation x capacity %v, busy %d", d, c, got, busy)
		}
		if len(st.jobs) > limit || len(st.free) != len(st.jobs) || st.run.len() != 0 || st.marks.len() != 0 ||
			st.waiting.len() != 0 || len(st.fin) != 0 || st.timerOn {
			t.Errorf("%v case %d: state left: %d records, %d free", d, c, len(st.jobs), len(st.free))
		}
	}
}

// TestSaturation: arrivals at twice the capacity never hang the run. The station fills to its
// limit and rejects the excess; it stays busy; records stay bounded by the limit.
func TestSaturation(t *testing.T) {
	for _, d := range []Discipline{FCFS, PS} {
		sim := engine.New(5)
		const limit = 50
		st := mustStation(t, sim, 2, d, limit)
		e := experiment{lambda: 4, service: expService(1)} // 4 jobs/ms on 2 cores of 1 job/ms
		arrivals, service := sim.Rand("a"), sim.Rand("s")
		var arrive func()
		arrive = func() {
			err := st.Submit(e.service(service), nil)
			if err != nil && !errors.Is(err, ErrQueueFull) {
				t.Error(err)
			}
			sim.Schedule(msToNS(arrivals.ExpFloat64()/e.lambda), arrive)
		}
		sim.Schedule(0, arrive)
		sim.RunUntil(1000 * engine.Millisecond)
		s := st.Stats()
		// About 4000 offered, about 2000 served (2 cores x 1000 ms): about half rejected.
		if s.MaxJobs != limit || s.Rejected < 1500 || s.Utilisation < 0.99 || len(st.jobs) > limit {
			t.Errorf("%v: %+v, %d records", d, s, len(st.jobs))
		}
		if s.Arrivals+s.Rejected < 3500 {
			t.Errorf("%v: only %d offered", d, s.Arrivals+s.Rejected)
		}
		sim.Close()
	}
}

// TestDeterminism runs the same loaded stations twice with one seed: every job record and
// every Stats value must be equal bit for bit (and a different seed must differ, so the
// comparison can fail).
func TestDeterminism(t *testing.T) {
	run := func(seed uint64, d Discipline) (uint64, []Stats) {
		sim := engine.New(seed)
		st := mustStation(t, sim, 3, d, 40)
		arrivals, service := sim.Rand("arrivals"), sim.Rand("service")
		h := fnv.New64a()
		var buf [32]byte
		put := func(b []byte, v engine.Time) {
			for i := range 8 {
				b[i] = byte(uint64(v) >> (8 * i))
			}
		}
		svc := h2Service(1, 4)
		var arrive func()
		arrive = func() {
			st.Submit(svc(service), func(j Job) {
				put(buf[0:], j.Arrived)
				put(buf[8:], j.Finished)
				put(buf[16:], j.Work)
				put(buf[24:], j.Wait)
				h.Write(buf[:])
			})
			sim.Schedule(msToNS(arrivals.ExpFloat64()/2.7), arrive)
		}
		sim.Schedule(0, arrive)
		var stats []Stats
		for k := range 20 {
			sim.RunUntil(engine.Time(k+1) * 50 * engine.Millisecond)
			if k == 7 {
				st.SetCores(2)
			}
			stats = append(stats, st.Stats())
			st.ResetStats()
		}
		sim.Close()
		return h.Sum64(), stats
	}
	for _, d := range []Discipline{FCFS, PS} {
		h1, s1 := run(9, d)
		h2, s2 := run(9, d)
		h3, _ := run(10, d)
		if h1 != h2 {
			t.Errorf("%v: job records differ between two runs with one seed", d)
		}
		for i := range s1 {
			if s1[i] != s2[i] {
				t.Errorf("%v: window %d: Stats differ:\n%+v\n%+v", d, i, s1[i], s2[i])
			}
		}
		if h1 == h3 {
			t.Errorf("%v: seeds 9 and 10 gave the same records", d)
		}
	}
}

// TestObserversDoNotPerturb: reading or resetting the statistics changes no completion time
// (a regression test: the PS clock must not be brought up to date by ResetStats or a
// rejected arrival, which would split its rounding without setting the timer again).
func TestObserversDoNotPerturb(t *testing.T) {
	for c := range 40 {
		d := Discipline(c % 2)
		var fins [2][]Job
		for k := range 2 {
			r := rand.New(rand.NewPCG(uint64(c), 50))
			sim := engine.New(1)
			st := mustStation(t, sim, 1+c%3, d, 4+c%5)
			done, _ := randomLoad(t, sim, st, r, 300, c%4 < 2)
			if k == 1 {
				for at := engine.Time(0); at < 3*engine.Millisecond; at += 1 + engine.Time(r.IntN(3000)) {
					sim.At(at, func() {
						st.Stats()
						st.ResetStats()
					})
				}
			}
			if err := sim.Run(); err != nil {
				t.Fatal(err)
			}
			fins[k] = *done
		}
		if !slices.Equal(fins[0], fins[1]) {
			t.Fatalf("%v case %d: completions differ when statistics are read and reset", d, c)
		}
	}
}
