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
