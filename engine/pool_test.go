package engine

import "testing"

// A pool reuses its processes: three rounds of two overlapping jobs need two processes, and
// jobs start in the order they were given.
func TestPoolReusesProcesses(t *testing.T) {
	s := New(1)
	defer s.Close()
	tl := &timeline{s: s}
	pl := s.NewPool("job")
	for round := range 3 {
		s.At(Time(round)*10, func() {
			for i := range 2 {
				pl.Go(func(p *Proc) {
					tl.add(string(rune('a' + 2*round + i)))
					p.Sleep(5)
				})
			}
		})
	}
	run(t, s)
	tl.check(t, "a@0s", "b@0s", "c@10ns", "d@10ns", "e@20ns", "f@20ns")
	if pl.Idle() != 2 {
		t.Errorf("%d idle processes, want 2", pl.Idle())
	}
}

// A pool's idle processes wait on events that are reused: giving a job to an idle process
// allocates nothing, and each job runs once, in order.
func TestPoolReusesWakeEvents(t *testing.T) {
	s := New(1)
	defer s.Close()
	pl := s.NewPool("job")
	ran := 0
	job := func(p *Proc) { ran++ }
	var allocs float64
	s.Process("driver", func(p *Proc) {
		pl.Go(job)
		p.Sleep(1)
		allocs = testing.AllocsPerRun(50, func() {
			pl.Go(job)
			p.Sleep(1)
		})
	})
	run(t, s)
	if ran != 52 || allocs != 0 || pl.Idle() != 1 {
		t.Errorf("%d jobs ran (want 52), %v allocations per job (want 0), %d idle (want 1)", ran, allocs, pl.Idle())
	}
}
