package engine

import "testing"

func TestWaitTimeout(t *testing.T) {
	s := New(1)
	defer s.Close()
	tl := &timeline{s: s}
	ev := s.NewEvent()
	s.Schedule(25, func() { ev.Succeed("v") })
	s.Process("w", func(p *Proc) {
		// The deadline comes first twice; the stale waiters it leaves on ev must not wake
		// the process early in the later waits on the same event.
		for _, d := range []Time{10, 10, 100} {
			v, ok, err := p.WaitTimeout(ev, d)
			if ok {
				tl.add("got " + v.(string))
			} else {
				tl.add("timeout")
			}
			if err != nil {
				t.Error(err)
			}
		}
		// Already processed: at once.
		if _, ok, _ := p.WaitTimeout(ev, 5); ok {
			tl.add("again")
		}
		// The event came first: its deadline is cancelled, so a later sleep is undisturbed.
		p.Sleep(200)
		tl.add("slept")
		if _, _, err := p.WaitTimeout(s.NewEvent(), -1); err != ErrNegativeDelay {
			t.Errorf("negative delay: %v", err)
		}
	})
	run(t, s)
	tl.check(t, "timeout@10ns", "timeout@20ns", "got v@25ns", "again@25ns", "slept@225ns")
}

func TestWaitTimeoutAllocatesNothing(t *testing.T) {
	s := New(1)
	defer s.Close()
	ev := s.NewEvent()
	var allocs float64
	s.Process("w", func(p *Proc) {
		p.WaitTimeout(ev, 1) // warm the slot table
		allocs = testing.AllocsPerRun(100, func() { p.WaitTimeout(ev, 1) })
	})
	run(t, s)
	if allocs != 0 {
		t.Errorf("%v allocations per WaitTimeout, want none", allocs)
	}
}
