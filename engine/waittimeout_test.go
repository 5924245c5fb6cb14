package engine

import (
	"fmt"
	"testing"
)

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

// A loop of timed waits towards one deadline, each ended early by its event, keeps one queue
// entry: the cancelled deadline is re-armed instead of a new one queued each time (a
// workflow collecting a thousand replies would otherwise leave a thousand dead entries until
// its timeout). The same holds for Store.GetTimeout, and a re-armed entry cannot be cancelled
// through the Timer of the entry it replaced.
func TestTimedWaitsRearm(t *testing.T) {
	s := New(1)
	defer s.Close()
	box := NewStore[int](s, 0)
	var pendingWT, pendingGT int
	s.Process("w", func(p *Proc) {
		deadline := 1000 * Second
		for i := range 1000 {
			ev := s.NewEvent()
			s.Schedule(1, func() { ev.Succeed(i) })
			if _, ok, _ := p.WaitTimeout(ev, deadline-p.Now()); !ok {
				t.Error("event lost")
			}
		}
		pendingWT = s.Pending()
		for i := range 1000 {
			s.Schedule(1, func() { box.TryPut(i) })
			if _, ok, _ := box.GetTimeout(p, deadline-p.Now()); !ok {
				t.Error("item lost")
			}
		}
		pendingGT = s.Pending()
	})
	if err := s.RunUntil(10 * Second); err != nil {
		t.Fatal(err)
	}
	if pendingWT > 2 || pendingGT > 3 {
		t.Errorf("queue holds %d entries after 1000 WaitTimeouts and %d after 1000 GetTimeouts, want a few", pendingWT, pendingGT)
	}
	// A cancelled timer's Timer does not reach the callback that reused its entry.
	hit := false
	tm, _ := s.At(20*Second, func() { t.Error("cancelled callback ran") })
	s.Cancel(tm)
	s.Process("g", func(p *Proc) {
		if _, ok, _ := box.GetTimeout(p, 20*Second-p.Now()); !ok {
			hit = true
		}
	})
	s.Schedule(0, func() {
		if s.Cancel(tm) {
			t.Error("the old Timer cancelled the re-armed entry")
		}
	})
	if err := s.RunUntil(30 * Second); err != nil {
		t.Fatal(err)
	}
	if !hit {
		t.Error("GetTimeout's deadline did not fire")
	}
}

// Store waiters are pooled: a waiter whose get is over, by an item or by its deadline, is
// reused by the next get, and a deadline of an earlier get (cancelled, or re-armed for the
// same instant) never withdraws a later one. A timed get allocates nothing in steady state.
func TestGetTimeoutPooledWaiter(t *testing.T) {
	s := New(1)
	defer s.Close()
	st := NewStore[int](s, 0)
	tl := &timeline{s: s}
	s.Schedule(5, func() { st.TryPut(1) })
	s.Schedule(50, func() { st.TryPut(2) })
	s.Process("g", func(p *Proc) {
		get := func(d Time) {
			if v, ok, _ := st.GetTimeout(p, d); ok {
				tl.add(fmt.Sprint("got ", v))
			} else {
				tl.add("timeout")
			}
		}
		get(10)  // item at 5; its deadline at 10 is cancelled
		get(5)   // deadline at 10 again: re-armed, must fire for this get
		get(3)   // deadline at 13
		get(100) // the old deadlines are gone: the item at 50 comes
		allocs := testing.AllocsPerRun(100, func() { st.GetTimeout(p, 1) })
		if allocs != 0 {
			t.Errorf("%v allocations per GetTimeout, want none", allocs)
		}
	})
	run(t, s)
	tl.check(t, "got 1@5ns", "timeout@10ns", "timeout@13ns", "got 2@50ns")
}

// InitEvent makes an Event held by value usable as NewEvent's, and again once its use is
// over: waiters are resumed by value and OnTrigger callbacks run, each time.
func TestInitEvent(t *testing.T) {
	s := New(1)
	defer s.Close()
	var holder struct {
		n  int
		ev Event
	}
	tl := &timeline{s: s}
	s.Process("w", func(p *Proc) {
		for i := range 3 {
			s.InitEvent(&holder.ev)
			holder.ev.OnTrigger(func(e *Event) { holder.n++ })
			s.Schedule(5, func() { holder.ev.Succeed(i) })
			v, err := p.Wait(&holder.ev)
			if err != nil {
				t.Error(err)
			}
			tl.add(fmt.Sprint("got ", v))
		}
	})
	run(t, s)
	tl.check(t, "got 0@5ns", "got 1@10ns", "got 2@15ns")
	if holder.n != 3 {
		t.Errorf("OnTrigger ran %d times, want 3", holder.n)
	}
}
