package cpu

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/edgesim/edgesim/engine"
)

// step is one scripted input: a job arriving (work >= 0) or, with cores > 0, a SetCores.
// Steps due at the same instant run in script order (they are scheduled in that order).
type step struct {
	at    engine.Time
	work  engine.Time
	cores int
}

func arrive(at, work engine.Time) step    { return step{at: at, work: work} }
func setCores(at engine.Time, n int) step { return step{at: at, cores: n} }
func mustStation(t testing.TB, sim *engine.Sim, cores int, d Discipline, limit int) *Station {
	t.Helper()
	s, err := NewStation(sim, "cpu0", cores, d, limit)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// outcome of a script: per job (in script order of arrivals) its record, or rejected; and
// the order in which done callbacks ran (job indices).
type outcome struct {
	jobs     []Job
	rejected []bool
	order    []int
	st       *Station
	sim      *engine.Sim
}

func runScript(t *testing.T, d Discipline, cores, limit int, script []step) outcome {
	t.Helper()
	sim := engine.New(1)
	st := mustStation(t, sim, cores, d, limit)
	var o outcome
	o.st, o.sim = st, sim
	for _, s := range script {
		if s.cores > 0 {
			n := s.cores
			sim.At(s.at, func() {
				if err := st.SetCores(n); err != nil {
					t.Error(err)
				}
			})
			continue
		}
		i := len(o.jobs)
		o.jobs = append(o.jobs, Job{Finished: -1})
		o.rejected = append(o.rejected, false)
		work := s.work
		sim.At(s.at, func() {
			err := st.Submit(work, func(j Job) {
				if o.jobs[i].Finished != -1 {
					t.Errorf("job %d: done called twice", i)
				}
				o.jobs[i] = j
				o.order = append(o.order, i)
			})
			if errors.Is(err, ErrQueueFull) {
				o.rejected[i] = true
			} else if err != nil {
				t.Error(err)
			}
		})
	}
	if err := sim.Run(); err != nil {
		t.Fatal(err)
	}
	return o
}

func finishes(o outcome) []engine.Time {
	var f []engine.Time
	for i, j := range o.jobs {
		if o.rejected[i] {
			f = append(f, -2)
			continue
		}
		f = append(f, j.Finished)
	}
	return f
}

// TestTimelines checks hand-worked timelines. Finish times are worked out in the comments.
func TestTimelines(t *testing.T) {
	const R = -2 // rejected
	tests := []struct {
		name   string
		d      Discipline
		cores  int
		limit  int
		script []step
		want   []engine.Time // finish time per job, R if rejected
		order  []int         // completion callback order, if checked
	}{
		{"fcfs 2 cores 3 jobs", FCFS, 2, 10,
			// Jobs 0 and 1 take the two cores at 0; job 2 waits for the first free core (10).
			[]step{arrive(0, 10), arrive(0, 10), arrive(0, 10)},
			[]engine.Time{10, 10, 20}, []int{0, 1, 2}},
		{"fcfs arrival order", FCFS, 1, 10,
			// Job 1 (short) arrives after job 0 and does not overtake it.
			[]step{arrive(0, 10), arrive(1, 2), arrive(1, 3)},
			[]engine.Time{10, 12, 15}, []int{0, 1, 2}},
		{"ps 1 core 10 and 20", PS, 1, 10,
			// Both at rate 1/2 until job 0 has 10 (t=20); job 1 has 10 left alone (t=30).
			[]step{arrive(0, 10), arrive(0, 20)},
			[]engine.Time{20, 30}, nil},
		{"ps arrival mid-way", PS, 1, 10,
			// Job 0 alone on [0,4): 6 left. Shared from 4: it needs 12 more (t=16), job 1 has
			// 6 by then, 4 left alone (t=20).
			[]step{arrive(0, 10), arrive(4, 10)},
			[]engine.Time{16, 20}, nil},
		{"ps 3 jobs 1 core mixed", PS, 1, 10,
			// [0,2): rate 1/2, A and B get 1 (A 5 left, B 2). [2,8): rate 1/3, B gets its 2
			// (t=8), A and C get 2 (A 3 left, C 1). [8,10): rate 1/2, C done (t=10), A 2
			// left, alone: t=12. Work 12 done in 12 ns on one core: never idle.
			[]step{arrive(0, 6), arrive(0, 3), arrive(2, 3)},
			[]engine.Time{12, 8, 10}, []int{1, 2, 0}},
		{"ps 2 cores 3 jobs", PS, 2, 10,
			// Each at 2/3 of a core: 10 of service takes 15.
			[]step{arrive(0, 10), arrive(0, 10), arrive(0, 10)},
			[]engine.Time{15, 15, 15}, []int{0, 1, 2}},
		{"ps 2 cores fewer jobs than cores", PS, 2, 10,
			[]step{arrive(0, 10), arrive(3, 4)},
			[]engine.Time{10, 7}, []int{1, 0}},
		{"ps rounding exact thirds", PS, 1, 10,
			// Three jobs of 1 ns at rate 1/3: exactly 3 ns, no rounding.
			[]step{arrive(0, 1), arrive(0, 1), arrive(0, 1)},
			[]engine.Time{3, 3, 3}, []int{0, 1, 2}},
		{"ps rounding up", PS, 2, 10,
			// Rate 2/3: jobs of 1 need 1.5 ns, rounded up to t=2, where all three have
			// attained 4/3. Job 2 has 2/3 left at rate 1: 2.667, rounded up to 3. (Exact
			// processor sharing would give 1.5, 1.5, 2.5.)
			[]step{arrive(0, 1), arrive(0, 1), arrive(0, 2)},
			[]engine.Time{2, 2, 3}, []int{0, 1, 2}},
		{"ps halves", PS, 1, 10,
			// Rate 1/2: job 0 has 1 at t=2; job 1 has 1 left alone: t=3.
			[]step{arrive(0, 1), arrive(0, 2)},
			[]engine.Time{2, 3}, nil},
		{"fcfs SetCores up", FCFS, 1, 10,
			// At 5 a second core appears and job 1 starts on it (15); job 2 starts when job 0
			// ends (10) and ends at 20.
			[]step{arrive(0, 10), arrive(0, 10), arrive(0, 10), setCores(5, 2)},
			[]engine.Time{10, 15, 20}, nil},
		{"fcfs SetCores down", FCFS, 2, 10,
			// At 5 one core goes: the two running jobs still finish at 10; then the jobs
			// waiting start one at a time on the single core.
			[]step{arrive(0, 10), arrive(0, 10), arrive(0, 10), arrive(0, 10), setCores(5, 1)},
			[]engine.Time{10, 10, 20, 30}, nil},
		{"ps SetCores up", PS, 1, 10,
			// [0,4): each gets 2 (8 left); then one core each: t=12.
			[]step{arrive(0, 10), arrive(0, 10), setCores(4, 2)},
			[]engine.Time{12, 12}, nil},
		{"ps SetCores down", PS, 2, 10,
			// [0,4): each gets 4 (6 left); then half a core each: 12 more, t=16.
			[]step{arrive(0, 10), arrive(0, 10), setCores(4, 1)},
			[]engine.Time{16, 16}, nil},
		{"fcfs zero work waits its turn", FCFS, 1, 10,
			// The zero-work job waits for the core like any job: it starts and ends at 10,
			// after job 0's callback. At 20 the core is idle: it completes at once.
			[]step{arrive(0, 10), arrive(0, 0), arrive(20, 0)},
			[]engine.Time{10, 10, 20}, []int{0, 1, 2}},
		{"ps zero work completes on arrival", PS, 1, 10,
			[]step{arrive(0, 10), arrive(5, 0)},
			[]engine.Time{10, 5}, []int{1, 0}},
		{"fcfs queue limit", FCFS, 1, 2,
			// The third arrival finds 2 jobs (the limit) and is refused. At 15 only job 1 is
			// left: the first arrival at 15 is admitted (it waits, runs 20-21), the second
			// finds 2 jobs again and is refused.
			[]step{arrive(0, 10), arrive(0, 10), arrive(0, 10), arrive(15, 1), arrive(15, 1)},
			[]engine.Time{10, 20, R, 21, R}, nil},
		{"ps queue limit 1", PS, 2, 1,
			// The arrival at 10 ties with job 0's completion; it was scheduled first (when the
			// script was set up, before the completion timer), so by the kernel's (time, seq)
			// order it runs first and finds the station full. At 11 there is room.
			[]step{arrive(0, 10), arrive(0, 10), arrive(10, 5), arrive(11, 5)},
			[]engine.Time{10, R, R, 16}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o := runScript(t, tc.d, tc.cores, tc.limit, tc.script)
			if got := finishes(o); !slices.Equal(got, tc.want) {
				t.Errorf("finish times %v, want %v", got, tc.want)
			}
			if tc.order != nil && !slices.Equal(o.order, tc.order) {
				t.Errorf("completion order %v, want %v", o.order, tc.order)
			}
			checkRecords(t, o, tc.d)
			if n := o.st.Jobs(); n != 0 {
				t.Errorf("%d jobs left at the end", n)
			}
		})
	}
}

// checkRecords checks the invariants of every job record: Wait = Finished - Arrived - Work
// >= 0 (a job never finishes before its work at rate 1), every admitted job completed once.
func checkRecords(t *testing.T, o outcome, d Discipline) {
	t.Helper()
	for i, j := range o.jobs {
		if o.rejected[i] {
			continue
		}
		if j.Finished < 0 {
			t.Errorf("job %d never completed", i)
			continue
		}
		if j.Wait != j.Finished-j.Arrived-j.Work || j.Wait < 0 {
			t.Errorf("job %d: record %+v: Wait inconsistent or negative", i, j)
		}
		if j.Response() != j.Finished-j.Arrived {
			t.Errorf("job %d: Response %v", i, j.Response())
		}
	}
}

func TestFCFSWaitIsStartDelay(t *testing.T) {
	o := runScript(t, FCFS, 2, 10, []step{arrive(0, 10), arrive(0, 10), arrive(3, 10)})
	// Job 2 arrives at 3 and starts at 10: it waited 7.
	want := []engine.Time{0, 0, 7}
	for i, j := range o.jobs {
		if j.Wait != want[i] {
			t.Errorf("job %d: Wait %v, want %v", i, j.Wait, want[i])
		}
	}
}

// TestStatsHandTimeline checks every statistic on timelines small enough to integrate by hand.
func TestStatsHandTimeline(t *testing.T) {
	t.Run("fcfs", func(t *testing.T) {
		sim := engine.New(1)
		st := mustStation(t, sim, 1, FCFS, 5)
		sim.At(0, func() {
			st.Submit(10, nil)
			st.Submit(10, nil)
		})
		sim.RunUntil(20)
		// [0,10): 2 jobs, 1 running, 1 waiting; [10,20): 1 running.
		want := Stats{Name: "cpu0", Discipline: FCFS, Cores: 1, Elapsed: 20, Arrivals: 2,
			Completed: 2, MaxJobs: 2, MeanCores: 1, Utilisation: 1, MeanJobs: 1.5,
			MeanQueue: 0.5, MeanWaitMS: 5e-6, MeanResponseMS: 15e-6}
		if got := st.Stats(); got != want {
			t.Errorf("at 20:\n got %+v\nwant %+v", got, want)
		}
		sim.RunUntil(40)
		// Idle [20,40): the averages halve; completions unchanged.
		want.Elapsed, want.Utilisation, want.MeanJobs, want.MeanQueue = 40, 0.5, 0.75, 0.25
		if got := st.Stats(); got != want {
			t.Errorf("at 40:\n got %+v\nwant %+v", got, want)
		}
	})
	t.Run("ps with SetCores and ResetStats", func(t *testing.T) {
		sim := engine.New(1)
		st := mustStation(t, sim, 2, PS, 5)
		sim.At(0, func() {
			for range 3 {
				st.Submit(10, nil)
			}
		})
		sim.RunUntil(6)
		// [0,6): 3 jobs on 2 cores: busy 2, queue 1; each has 4 of 10.
		want := Stats{Name: "cpu0", Discipline: PS, Cores: 2, Elapsed: 6, Arrivals: 3,
			Jobs: 3, MaxJobs: 3, MeanCores: 2, Utilisation: 1, MeanJobs: 3, MeanQueue: 1}
		if got := st.Stats(); got != want {
			t.Errorf("at 6:\n got %+v\nwant %+v", got, want)
		}
		st.ResetStats()
		st.SetCores(4)
		// From 6: 3 jobs on 4 cores at rate 1, 6 left each: all finish at 12. Then idle.
		sim.RunUntil(16)
		want = Stats{Name: "cpu0", Discipline: PS, Cores: 4, Elapsed: 10, Completed: 3,
			MaxJobs: 3, MeanCores: 4,
			Utilisation:    18.0 / 40, // 3 busy cores for 6 ns over 4 cores x 10 ns
			MeanJobs:       1.8,       // 3 jobs for 6 of 10 ns
			MeanQueue:      0,
			MeanWaitMS:     2e-6, // response 12 - work 10
			MeanResponseMS: 12e-6}
		if got := st.Stats(); got != want {
			t.Errorf("after reset, at 16:\n got %+v\nwant %+v", got, want)
		}
	})
	t.Run("rejections and mean cores", func(t *testing.T) {
		sim := engine.New(1)
		st := mustStation(t, sim, 1, FCFS, 1)
		sim.At(0, func() {
			st.Submit(10, nil)
			if err := st.Submit(10, nil); !errors.Is(err, ErrQueueFull) {
				t.Errorf("second Submit: %v, want ErrQueueFull", err)
			}
		})
		sim.At(5, func() { st.SetCores(3) })
		sim.RunUntil(10)
		got := st.Stats()
		// Cores: 1 on [0,5), 3 on [5,10): mean 2, capacity 20 core-ns, busy 10.
		if got.Rejected != 1 || got.Arrivals != 1 || got.MeanCores != 2 || got.Utilisation != 0.5 {
			t.Errorf("got %+v", got)
		}
	})
}

func TestQueueFullError(t *testing.T) {
	sim := engine.New(1)
	st, err := NewStation(sim, "Catalog@n3", 1, PS, 1)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Submit(5, nil); err != nil {
		t.Fatal(err)
	}
	err = st.Submit(5, func(Job) { t.Error("done called for a rejected job") })
	var qf *QueueFullError
	if !errors.Is(err, ErrQueueFull) || !errors.As(err, &qf) {
		t.Fatalf("err = %v, want a *QueueFullError", err)
	}
	if qf.Station != "Catalog@n3" || qf.Limit != 1 {
		t.Errorf("got %+v", qf)
	}
	if want := `cpu: station "Catalog@n3": queue full (limit 1 jobs)`; err.Error() != want {
		t.Errorf("Error() = %q, want %q", err, want)
	}
	sim.Run()
}

func TestInvalidInput(t *testing.T) {
	sim := engine.New(1)
	for _, tc := range []struct {
		name  string
		sim   *engine.Sim
		cores int
		d     Discipline
		limit int
		want  string
	}{
		{"nil sim", nil, 1, FCFS, 1, "nil simulation"},
		{"zero cores", sim, 0, FCFS, 1, "0 cores"},
		{"bad discipline", sim, 1, Discipline(7), 1, "Discipline(7)"},
		{"zero limit", sim, 1, PS, 0, "queue limit 0"},
	} {
		_, err := NewStation(tc.sim, "x", tc.cores, tc.d, tc.limit)
		if err == nil || !strings.HasPrefix(err.Error(), `cpu: station "x": `) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want one containing %q", tc.name, err, tc.want)
		}
	}
	for _, d := range []Discipline{FCFS, PS} {
		sim := engine.New(1)
		st := mustStation(t, sim, 1, d, 4)
		if err := st.Submit(-1, nil); err == nil || !strings.Contains(err.Error(), "negative work") {
			t.Errorf("%v: Submit(-1) = %v", d, err)
		}
		if err := st.Submit(engine.MaxTime, nil); err != nil {
			t.Errorf("%v: Submit(MaxTime) at 0 = %v, want accepted", d, err)
		}
		sim.RunUntil(1)
		if err := st.Submit(engine.MaxTime, nil); err == nil || !strings.Contains(err.Error(), "beyond") {
			t.Errorf("%v: Submit(MaxTime) at 1 = %v", d, err)
		}
		if err := st.SetCores(0); err == nil || st.Cores() != 1 {
			t.Errorf("%v: SetCores(0) = %v, cores %d", d, err, st.Cores())
		}
		if st.Stats().Rejected != 0 || st.Stats().Arrivals != 1 {
			t.Errorf("%v: invalid submissions counted: %+v", d, st.Stats())
		}
	}
}

// TestDo checks the process form: two processes share one FCFS core; a third is refused.
func TestDo(t *testing.T) {
	for _, d := range []Discipline{FCFS, PS} {
		sim := engine.New(1)
		st := mustStation(t, sim, 1, d, 2)
		got := make([]Job, 2)
		for i := range 2 {
			sim.Process("p", func(p *engine.Proc) {
				p.Sleep(engine.Time(i))
				j, err := st.Do(p, 10)
				if err != nil {
					t.Error(err)
				}
				got[i] = j
				if p.Now() != j.Finished {
					t.Errorf("%v: resumed at %v, job finished at %v", d, p.Now(), j.Finished)
				}
			})
		}
		sim.Process("late", func(p *engine.Proc) {
			p.Sleep(5)
			if _, err := st.Do(p, 1); !errors.Is(err, ErrQueueFull) {
				t.Errorf("%v: third Do: %v, want ErrQueueFull", d, err)
			}
		})
		if err := sim.Run(); err != nil {
			t.Fatal(err)
		}
		// FCFS: 0-10, 10-20. PS: [0,1) alone (9 left), then shared: job 0 done at 19, job 1
		// has 9 by then, 1 left: 20.
		want := map[Discipline][2]engine.Time{FCFS: {10, 20}, PS: {19, 20}}[d]
		for i := range 2 {
			if got[i].Finished != want[i] || got[i].Arrived != engine.Time(i) || got[i].Work != 10 ||
				got[i].Wait != got[i].Finished-got[i].Arrived-10 {
				t.Errorf("%v: job %d = %+v, want finish %v", d, i, got[i], want[i])
			}
		}
		other := engine.New(2)
		other.Process("q", func(p *engine.Proc) {
			if _, err := st.Do(p, 1); err == nil {
				t.Error("Do with a process of another simulation succeeded")
			}
		})
		other.Run()
	}
}

// TestReentrantSubmit: a done callback that submits at once (a closed loop with no think
// time) keeps the station consistent, including several PS completions at one instant.
func TestReentrantSubmit(t *testing.T) {
	for _, d := range []Discipline{FCFS, PS} {
		sim := engine.New(1)
		st := mustStation(t, sim, 2, d, 3)
		left := 30
		var done func(Job)
		done = func(j Job) {
			if left == 0 {
				return
			}
			left--
			if err := st.Submit(6, done); err != nil {
				t.Error(err)
			}
		}
		sim.At(0, func() {
			for range 3 {
				st.Submit(6, done)
			}
		})
		sim.Run()
		// 33 jobs of 6 ns. PS: 3 jobs at 2/3 of a core finish together every 9 ns: 11
		// rounds, 99 ns, both cores always busy. FCFS: 2 jobs every 6 ns with one waiting:
		// 16 pairs then the last job alone, 102 ns, 198 of 204 core-ns busy.
		want := map[Discipline]engine.Time{FCFS: 102, PS: 99}[d]
		s := st.Stats()
		if s.Completed != 33 || s.Jobs != 0 || s.Elapsed != want || s.Utilisation != 198/float64(2*want) {
			t.Errorf("%v: %+v", d, s)
		}
	}
}

func TestSubmitAfterClose(t *testing.T) {
	for _, d := range []Discipline{FCFS, PS} {
		sim := engine.New(1)
		st := mustStation(t, sim, 1, d, 5)
		sim.Close()
		if err := st.Submit(5, nil); !errors.Is(err, engine.ErrClosed) || !strings.HasPrefix(err.Error(), "cpu: station") {
			t.Errorf("%v: Submit after Close: %v", d, err)
		}
	}
}

// Do reuses its events: many processes doing jobs back to back on one station, interleaved,
// each resumed exactly when its own job finishes (never by another's reused event), and a
// Do in steady state allocates nothing.
func TestDoReusesEvents(t *testing.T) {
	for _, d := range []Discipline{FCFS, PS} {
		sim := engine.New(1)
		st := mustStation(t, sim, 2, d, 100)
		done := 0
		for i := range 5 {
			sim.Process("p", func(p *engine.Proc) {
				for k := range 20 {
					work := engine.Time(1 + (i*7+k*3)%11)
					j, err := st.Do(p, work)
					if err != nil || p.Now() != j.Finished || j.Work != work || j.Arrived+j.Wait+work != j.Finished {
						t.Errorf("%v: process %d, job %d: %+v, err %v, resumed at %v", d, i, k, j, err, p.Now())
					}
					done++
				}
			})
		}
		var allocs float64
		sim.Process("alone", func(p *engine.Proc) {
			p.Sleep(10_000) // after the others
			st.Do(p, 1)
			allocs = testing.AllocsPerRun(50, func() { st.Do(p, 1) })
		})
		if err := sim.Run(); err != nil {
			t.Fatal(err)
		}
		if done != 100 || allocs != 0 {
			t.Errorf("%v: %d jobs done (want 100), %v allocations per Do (want 0)", d, done, allocs)
		}
		sim.Close()
	}
}
