package engine

import (
	"fmt"
	"iter"
	"runtime/debug"
)

// unwind is the sentinel panic value that unwinds a process released by Close.
type unwind struct{}

// Proc is a process: a function run as a coroutine (iter.Pull) driven by the kernel. Only the
// process itself may call its blocking methods (Sleep, Wait and the Store and Resource calls
// that take it). Process code must not start goroutines that touch the simulation, and must
// not call runtime.Goexit (t.FailNow, t.Fatal): Goexit inside a process also ends the
// goroutine that called Run (use t.Error and return instead).
type Proc struct {
	sim      *Sim
	name     string
	fn       func(p *Proc)
	id       uint64
	next     func() (struct{}, bool)
	stop     func()
	yield    func(struct{}) bool
	done     *Event
	live     int // index in sim.live, -1 when not live
	finished bool
	returned bool // fn returned normally (false after a panic or runtime.Goexit)

	// WaitTimeout: the event waited on (nil when not in a timed wait) and its deadline's slot.
	waitEv   *Event
	waitSlot uint32
	waitGen  uint32
	again    func() (Time, bool) // WaitTimeoutLoop's question at each deadline
}

// Process creates a process named name running fn. It starts at the current time through the
// queue (not synchronously inside Process), after the items already due now. Process may be
// called from callbacks and from inside processes. After Close the process never starts.
func (s *Sim) Process(name string, fn func(p *Proc)) *Proc {
	if fn == nil {
		panic("engine: Process " + name + ": nil function")
	}
	p := s.newProc(name, fn)
	if !s.closed {
		i, sl := s.alloc(kindStart)
		sl.proc = p
		s.push(s.now, i)
	}
	return p
}

// newProc makes a process that is not started.
func (s *Sim) newProc(name string, fn func(p *Proc)) *Proc {
	s.nproc++
	return &Proc{sim: s, name: name, fn: fn, id: s.nproc, done: &Event{sim: s}, live: -1}
}

// Name returns the process name.
func (p *Proc) Name() string { return p.name }

// Sim returns the simulation the process belongs to.
func (p *Proc) Sim() *Sim { return p.sim }

// Now returns the current virtual time.
func (p *Proc) Now() Time { return p.sim.now }

// Done returns the event that succeeds (value nil) when the process function returns, or
// fails with a *ProcessError if it panics. It stays pending if the process is released by
// Close.
func (p *Proc) Done() *Event { return p.done }

// Sleep blocks the process for d. It returns ErrNegativeDelay for d < 0 and nil otherwise.
// Sleep allocates nothing.
func (p *Proc) Sleep(d Time) error {
	if err := p.check("Sleep"); err != nil {
		return err
	}
	s := p.sim
	if d < 0 {
		return ErrNegativeDelay
	}
	if d > MaxTime-s.now {
		d = MaxTime - s.now
	}
	i, sl := s.alloc(kindWake)
	sl.proc = p
	s.push(s.now+d, i)
	p.park()
	return nil
}

// Wait blocks until e is processed and returns its value and error. It returns at once if e
// is already processed.
func (p *Proc) Wait(e *Event) (any, error) {
	if err := p.check("Wait"); err != nil {
		return nil, err
	}
	if e.sim != p.sim {
		panic("engine: Wait: event belongs to another simulation")
	}
	if e.state != processed {
		e.addWaiter(waiter{p: p})
		p.park()
	}
	return e.val, e.err
}

// WaitTimeout blocks until e is processed or d has passed, whichever comes first, and
// reports whether e was processed (ok); if so v and err are its value and error. It returns at
// once if e is already processed, and ErrNegativeDelay for d < 0. Unlike waiting on
// AnyOf(e, Timeout(d)) it allocates nothing: a deadline that comes first leaves an inert
// waiter on e, and an event that comes first cancels the deadline.
func (p *Proc) WaitTimeout(e *Event, d Time) (v any, ok bool, err error) {
	if err := p.check("WaitTimeout"); err != nil {
		return nil, false, err
	}
	if e.sim != p.sim {
		panic("engine: WaitTimeout: event belongs to another simulation")
	}
	if e.state == processed {
		return e.val, true, e.err
	}
	if d < 0 {
		return nil, false, ErrNegativeDelay
	}
	p.sim.armTimedWait(p, e, d)
	p.park()
	if e.state == processed {
		return e.val, true, e.err
	}
	return nil, false, nil
}

// WaitTimeoutLoop is WaitTimeout called in a loop while again, asked each time a deadline
// passes first, says to wait again and for how long: it returns once e is processed (ok), or
// with ok false once again says to stop. The run is that of the loop, entry for entry, but
// the process is not resumed for the waits again sends it back to: the question is asked in
// kernel context at the instant the process would have resumed, and the deadline armed as
// the next WaitTimeout would arm it. again must not block and must answer the same when
// asked twice at one instant.
func (p *Proc) WaitTimeoutLoop(e *Event, d Time, again func() (Time, bool)) (v any, ok bool, err error) {
	for {
		p.again = again
		v, ok, err = p.WaitTimeout(e, d)
		p.again = nil
		if ok || err != nil {
			return v, ok, err
		}
		var more bool
		if d, more = again(); !more {
			return nil, false, nil
		}
	}
}

// respin is WaitTimeoutLoop's deadline (kernel context): it reports whether it armed the
// next deadline as the process's next WaitTimeout on e would, instead of resuming it.
func (s *Sim) respin(p *Proc, e *Event) bool {
	if p.again == nil || e.state != pending || s.closed {
		return false
	}
	d, again := p.again()
	if !again || d <= 0 {
		return false
	}
	s.armTimedWait(p, e, d)
	return true
}

// armTimedWait makes p wait on e with a deadline d from now (clamped to MaxTime), as
// WaitTimeout does before it parks.
func (s *Sim) armTimedWait(p *Proc, e *Event, d Time) {
	if d > MaxTime-s.now {
		d = MaxTime - s.now
	}
	p.waitEv = e
	if !e.hasTimedWaiter(p) { // one left by an earlier deadline is reused, not piled up
		e.addWaiter(waiter{p: p, timed: true})
	}
	// A deadline cancelled by the previous wait and due at the same instant is re-armed, so
	// a loop of waits towards one deadline keeps one queue entry.
	if sl, ok := s.rearm(p.waitSlot, p.waitGen, s.now+d, kindTimedWake); ok {
		sl.proc, sl.ev = p, e
		p.waitGen = sl.gen
	} else {
		i, sl := s.alloc(kindTimedWake)
		sl.proc, sl.ev = p, e
		p.waitSlot, p.waitGen = i, sl.gen
		s.push(s.now+d, i)
	}
}

// check verifies that p is the running process.
func (p *Proc) check(op string) error {
	if p == nil {
		return fmt.Errorf("engine: %s: nil process: %w", op, ErrNotRunning)
	}
	s := p.sim
	if s.cur != p {
		if s.closed {
			return ErrClosed
		}
		return fmt.Errorf("engine: %s: process %q: %w", op, p.name, ErrNotRunning)
	}
	return nil
}

// park yields to the kernel until something resumes p. When the simulation is closed it
// unwinds the process instead.
func (p *Proc) park() {
	if p.sim.closed || !p.yield(struct{}{}) {
		panic(unwind{})
	}
}

// start creates the coroutine and runs the process until it first blocks (kernel context).
func (s *Sim) start(p *Proc) {
	p.next, p.stop = iter.Pull(p.body)
	p.live = len(s.live)
	s.live = append(s.live, p)
	s.resume(p)
}

// resume runs p until it blocks or ends (kernel context only).
func (s *Sim) resume(p *Proc) {
	if s.cur != nil {
		panic("engine: internal error: resume of " + p.name + " inside process " + s.cur.name)
	}
	s.cur = p
	p.next()
	s.cur = nil
}

func (p *Proc) body(yield func(struct{}) bool) {
	p.yield = yield
	defer p.finish()
	p.fn(p)
	p.returned = true
}

func (p *Proc) finish() {
	r := recover()
	s := p.sim
	p.finished = true
	p.yield = nil
	if i := p.live; i >= 0 {
		last := len(s.live) - 1
		s.live[i] = s.live[last]
		s.live[i].live = i
		s.live[last] = nil
		s.live = s.live[:last]
		p.live = -1
	}
	switch r.(type) {
	case nil:
		// runtime.Goexit (e.g. t.FailNow in a test) also recovers nil; iter.Pull then
		// re-raises it in the goroutine running the kernel, ending that goroutine too.
		if p.returned && !s.closed {
			p.done.trigger(nil, nil)
		}
	case unwind:
	default:
		perr := &ProcessError{Name: p.name, At: s.now, Value: r, Stack: debug.Stack()}
		if s.err == nil && !s.closed {
			s.err = perr
		}
		if !s.closed {
			p.done.trigger(nil, perr)
		}
	}
}
