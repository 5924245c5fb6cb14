package engine

import (
	"cmp"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
)

// Errors returned by the kernel. Test with errors.Is: some are wrapped with context.
var (
	// ErrNegativeDelay is returned, unwrapped, for a negative delay (Schedule, Sleep,
	// GetTimeout; Timeout returns an event failed with it).
	ErrNegativeDelay = errors.New("engine: negative delay")
	// ErrAlreadyTriggered is returned by Succeed and Fail on an event that is not pending.
	ErrAlreadyTriggered = errors.New("engine: event already triggered")
	// ErrClosed is returned for use of a simulation after Close.
	ErrClosed = errors.New("engine: simulation closed")
	// ErrNotRunning is returned when a process method (Sleep, Wait, Store.Get, ...) is called
	// with a process other than the one currently running, e.g. from a callback.
	ErrNotRunning = errors.New("engine: not called from the running process")
	// ErrNotHeld is returned by Resource.Release when no unit is held.
	ErrNotHeld = errors.New("engine: resource not held")
)

// ProcessError reports a panic inside a process. Run and RunUntil return it (use errors.As)
// and the process's Done event fails with it. If the panic value is an error, Unwrap returns it.
type ProcessError struct {
	Name  string // process name
	At    Time   // virtual time of the panic
	Value any    // value passed to panic
	Stack []byte // stack of the process goroutine at the panic
}

// Error formats as `engine: process "Frontend" panicked at 1.5ms: <value>`.
func (e *ProcessError) Error() string {
	return fmt.Sprintf("engine: process %q panicked at %v: %v", e.Name, e.At, e.Value)
}

// Unwrap returns the panic value if it is an error, else nil.
func (e *ProcessError) Unwrap() error {
	if err, ok := e.Value.(error); ok {
		return err
	}
	return nil
}

// slotKind says what a queue entry does when it is popped.
type slotKind uint8

const (
	kindFree      slotKind = iota
	kindFunc               // call fn (Schedule, At)
	kindCancelled          // a cancelled kindFunc: skip
	kindWake               // resume proc
	kindStart              // start proc
	kindEvent              // process ev (it was triggered)
	kindTimeout            // succeed ev with nil if still pending, then process it
	kindTimedWake          // resume proc if it still waits on ev (WaitTimeout's deadline)
)

// slot holds what a queued entry refers to. Slots are recycled through Sim.free; gen counts
// reuses so that a stale Timer never matches a recycled slot.
type slot struct {
	fn   func()
	proc *Proc
	ev   *Event
	at   Time // when it is due (for rearm)
	gen  uint32
	kind slotKind
}

// Timer identifies a callback scheduled with Schedule or At, for Cancel. The zero Timer is
// never pending.
type Timer struct {
	slot uint32
	gen  uint32
}

// Sim is one simulation: a clock, an event queue, processes and random streams. A Sim is not
// safe for concurrent use; all of its methods must be called from the goroutine running the
// simulation or from its callbacks and processes.
type Sim struct {
	now   Time
	seed  uint64
	q     queue
	slots []slot
	free  []uint32
	rands map[string]*rand.Rand

	cur     *Proc   // process currently running, nil in kernel context
	live    []*Proc // started, unfinished processes
	nproc   uint64  // processes created, for ids
	err     error   // first process panic of the current Run
	running bool
	stopped bool
	closed  bool
	shut    bool
	spare   Timer // the last callback cancelled (see rearmAt)

	spareWaiters []waiter // a processed event's list of further waiters, for reuse
}

// New returns a simulation at time 0 with the given seed (see Rand).
func New(seed uint64) *Sim { return &Sim{seed: seed} }

// Now returns the current virtual time.
func (s *Sim) Now() Time { return s.now }

// Seed returns the seed the simulation was created with.
func (s *Sim) Seed() uint64 { return s.seed }

// Closed reports whether Close has been called.
func (s *Sim) Closed() bool { return s.closed }

// Pending returns the number of queued entries, including cancelled timers not yet popped.
func (s *Sim) Pending() int { return s.q.len() }

func (s *Sim) alloc(k slotKind) (uint32, *slot) {
	var i uint32
	if n := len(s.free); n > 0 {
		i = s.free[n-1]
		s.free = s.free[:n-1]
	} else {
		if len(s.slots) > slotMask {
			panic("engine: too many entries pending at once (2^28)")
		}
		i = uint32(len(s.slots))
		s.slots = append(s.slots, slot{gen: 1})
	}
	sl := &s.slots[i]
	sl.kind = k
	return i, sl
}

func (s *Sim) push(at Time, i uint32) {
	s.slots[i].at = at
	s.q.push(at, i)
}

// rearm turns a cancelled entry (slot i of generation gen, still queued) back into a live one
// of kind k if it is due at exactly at, and reports whether it did. A loop of timed waits
// towards one deadline (a workflow collecting a thousand replies before its timeout) then
// keeps one queue entry instead of leaving one cancelled entry per wait until the deadline.
func (s *Sim) rearm(i, gen uint32, at Time, k slotKind) (*slot, bool) {
	if int(i) >= len(s.slots) {
		return nil, false
	}
	sl := &s.slots[i]
	if gen == 0 || sl.gen != gen || sl.kind != kindCancelled || sl.at != at {
		return nil, false
	}
	// A new generation: a Timer of the cancelled entry must not reach the new one.
	sl.gen++
	if sl.gen == 0 {
		sl.gen = 1
	}
	sl.kind = k
	return sl, true
}

func (s *Sim) wake(p *Proc) {
	i, sl := s.alloc(kindWake)
	sl.proc = p
	s.push(s.now, i)
}

func (s *Sim) scheduleEvent(at Time, e *Event, k slotKind) {
	i, sl := s.alloc(k)
	sl.ev = e
	s.push(at, i)
}

func (s *Sim) at(t Time, fn func()) Timer {
	i, sl := s.alloc(kindFunc)
	sl.fn = fn
	s.push(t, i)
	return Timer{slot: i, gen: sl.gen}
}

// Schedule calls fn after delay (at Now()+delay). Callbacks due at the same time run in the
// order they were scheduled. It returns ErrNegativeDelay for delay < 0 and ErrClosed after
// Close. Scheduling allocates nothing in steady state.
func (s *Sim) Schedule(delay Time, fn func()) (Timer, error) {
	switch {
	case s.closed:
		return Timer{}, ErrClosed
	case delay < 0:
		return Timer{}, ErrNegativeDelay
	case fn == nil:
		return Timer{}, errors.New("engine: Schedule: nil callback")
	case delay > MaxTime-s.now:
		return Timer{}, fmt.Errorf("engine: Schedule(%v) at %v: time overflows", delay, s.now)
	}
	return s.at(s.now+delay, fn), nil
}

// At calls fn at time t. It returns an error if t is before Now() and ErrClosed after Close.
func (s *Sim) At(t Time, fn func()) (Timer, error) {
	switch {
	case s.closed:
		return Timer{}, ErrClosed
	case t < s.now:
		return Timer{}, fmt.Errorf("engine: At(%v): time is before now (%v)", t, s.now)
	case fn == nil:
		return Timer{}, errors.New("engine: At: nil callback")
	}
	return s.at(t, fn), nil
}

// Cancel cancels a callback scheduled with Schedule or At. It returns true if the callback was
// pending and is now cancelled, false if it already ran, was already cancelled or t is the zero
// Timer. A cancelled entry stays in the queue until its time and is then discarded (lazy
// deletion); its slot is only reused after that, and reuse bumps a generation counter so a
// stale Timer can never cancel someone else's callback.
func (s *Sim) Cancel(t Timer) bool {
	if t.gen == 0 || int(t.slot) >= len(s.slots) {
		return false
	}
	sl := &s.slots[t.slot]
	if sl.gen != t.gen || sl.kind != kindFunc {
		return false
	}
	s.spare = t // the last cancelled callback, for rearmAt
	sl.kind = kindCancelled
	sl.fn = nil
	return true
}

// cancelWake makes a pending WaitTimeout deadline (slot i of generation gen) inert.
func (s *Sim) cancelWake(i, gen uint32) {
	if int(i) < len(s.slots) {
		if sl := &s.slots[i]; sl.gen == gen && sl.kind == kindTimedWake {
			sl.kind, sl.proc, sl.ev = kindCancelled, nil, nil
		}
	}
}

// rearmAt schedules fn at t in the entry of the last callback cancelled, if it is still queued
// for exactly t; otherwise as At would. (Store.GetTimeout's deadlines use it.)
func (s *Sim) rearmAt(t Time, fn func()) Timer {
	if sl, ok := s.rearm(s.spare.slot, s.spare.gen, t, kindFunc); ok {
		sl.fn = fn
		tm := Timer{slot: s.spare.slot, gen: sl.gen}
		s.spare = Timer{}
		return tm
	}
	return s.at(t, fn)
}

// dispatch runs the popped item in slot si, due at time at.
func (s *Sim) dispatch(at Time, si uint32) {
	sl := &s.slots[si]
	k, fn, p, ev := sl.kind, sl.fn, sl.proc, sl.ev
	*sl = slot{gen: sl.gen + 1}
	if sl.gen == 0 {
		sl.gen = 1
	}
	s.free = append(s.free, si)
	s.now = at
	switch k {
	case kindFunc:
		fn()
	case kindWake:
		s.resume(p)
	case kindStart:
		s.start(p)
	case kindEvent:
		ev.process()
	case kindTimedWake:
		if p.waitEv == ev && !s.respin(p, ev) {
			p.waitEv = nil
			s.resume(p)
		}
	case kindTimeout:
		if ev.state == pending {
			ev.state = triggered
			ev.process()
		}
	case kindCancelled:
	default:
		panic(fmt.Sprintf("engine: internal error: dispatch of slot kind %d", k))
	}
}

// Run processes queued items in (time, seq) order until the queue is empty, Stop is called or
// a process panics. It returns the *ProcessError of the first panic, if any, else nil.
// Processes still blocked when the queue empties stay blocked (call Close to release them).
// After Close it returns ErrClosed. A callback (not process) that panics propagates the panic.
func (s *Sim) Run() error { return s.run(MaxTime, false) }

// RunUntil processes all items due at or before t and then, if t >= Now() and the run was not
// stopped or failed, sets the clock to t. Errors are as for Run.
func (s *Sim) RunUntil(t Time) error { return s.run(t, true) }

// RunBefore processes all items due strictly before t and then, if t > Now() and the run was
// not stopped or failed, sets the clock to t; items due at t stay queued. A step loop calls it
// to act at an instant before anything else due then, without queueing its boundaries ahead.
// Errors are as for Run.
func (s *Sim) RunBefore(t Time) error {
	if t <= s.now {
		return s.run(s.now-1, false) // nothing is due before now: checks state only
	}
	err := s.run(t-1, false)
	if err == nil && !s.stopped && !s.closed && t > s.now {
		s.now = t
	}
	return err
}

func (s *Sim) run(until Time, advance bool) error {
	if s.closed {
		return ErrClosed
	}
	if s.running {
		return errors.New("engine: Run called while the simulation is running")
	}
	s.running = true
	s.stopped = false
	defer func() { s.running = false }()
	for !s.stopped && s.err == nil && !s.closed {
		at, si, ok := s.q.popUntil(until)
		if !ok {
			break
		}
		s.dispatch(at, si)
	}
	if s.closed {
		s.shutdown()
	}
	err := s.err
	s.err = nil
	if advance && err == nil && !s.stopped && !s.closed && until > s.now {
		s.now = until
	}
	return err
}

// Stop makes the current Run or RunUntil return after the item being processed. It has no
// effect outside a run; the next Run starts afresh.
func (s *Sim) Stop() { s.stopped = true }

// Close ends the simulation: every process that is blocked (or not yet started) is released:
// its pending Sleep, Wait, Get, Put or Acquire unwinds the process function (its deferred calls
// run; blocking calls made while unwinding unwind too) and its goroutine ends. The queue is
// dropped. Afterwards Run, RunUntil, Schedule and At return ErrClosed. Close is idempotent; if
// called from inside a process or callback during Run, the release happens when control returns
// to the kernel (the calling process unwinds at its next blocking call).
func (s *Sim) Close() {
	s.closed = true
	if s.running {
		return // run loop calls shutdown
	}
	s.shutdown()
}

func (s *Sim) shutdown() {
	if s.shut {
		return
	}
	s.shut = true
	live := slices.Clone(s.live)
	slices.SortFunc(live, func(a, b *Proc) int { return cmp.Compare(a.id, b.id) })
	for _, p := range live {
		if p.finished || p.stop == nil {
			continue
		}
		s.cur = p
		p.stop()
		s.cur = nil
	}
	s.live = nil
	s.q = queue{}
	s.slots = nil
	s.free = nil
}
