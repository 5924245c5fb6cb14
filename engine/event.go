package engine

import (
	"errors"
)

type evState uint8

const (
	pending evState = iota
	triggered
	processed
)

// waiter is an OnTrigger callback (fn) or a process blocked in Wait or WaitTimeout (p;
// timed for WaitTimeout, whose waiter is stale once the process stopped waiting on the event).
type waiter struct {
	fn    func(*Event)
	p     *Proc
	timed bool
}

// Event is a one-shot event: pending -> triggered -> processed. Succeed or Fail trigger it and
// schedule its processing at the current time; when processed, its OnTrigger callbacks and
// waiting processes run in registration order. The zero Event is not usable: create events
// with Sim.NewEvent, Sim.Timeout, Sim.AnyOf, Sim.AllOf or Proc.Done.
type Event struct {
	sim   *Sim
	val   any
	err   error
	w0    waiter   // first waiter, inline: a single waiter costs no allocation
	more  []waiter // further waiters
	nw    int      // number of waiters
	state evState
}

// NewEvent returns a pending event.
func (s *Sim) NewEvent() *Event { return &Event{sim: s} }

// InitEvent makes *e a pending event of s, as NewEvent would make one, for an Event held by
// value inside a larger struct (one allocation for both). e must be a zero Event, or one
// whose use is over (processed, with nothing left that refers to it); an Event must not be
// copied once initialised.
func (s *Sim) InitEvent(e *Event) { *e = Event{sim: s} }

// Timeout returns an event that succeeds with value nil d after Now() (it is pending until
// then and processed at Now()+d). A negative d gives an event failed with ErrNegativeDelay
// (processed at the current time).
func (s *Sim) Timeout(d Time) *Event {
	e := &Event{sim: s}
	switch {
	case d < 0:
		e.state = triggered
		e.err = ErrNegativeDelay
		s.scheduleEvent(s.now, e, kindEvent)
	case d > MaxTime-s.now:
		// Never due: stays pending.
	default:
		s.scheduleEvent(s.now+d, e, kindTimeout)
	}
	return e
}

// AnyOf returns an event that succeeds when the first of evs is processed; its value is that
// *Event (it succeeds even if that event failed: inspect its Err). If some of evs are already
// processed, the first of them in argument order is the value and the result triggers at once.
// AnyOf() of nothing succeeds at once with value nil.
func (s *Sim) AnyOf(evs ...*Event) *Event {
	r := &Event{sim: s}
	if len(evs) == 0 {
		r.trigger(nil, nil)
		return r
	}
	for _, e := range evs {
		if e.state == processed {
			r.trigger(e, nil)
			return r
		}
	}
	cb := func(e *Event) {
		if r.state == pending {
			r.trigger(e, nil)
		}
	}
	for _, e := range evs {
		e.OnTrigger(cb)
	}
	return r
}

// AllOf returns an event that succeeds, with a []any of the values in argument order, when all
// of evs have succeeded, or fails with the error of the first of them to fail (in processing
// order; among events already processed, in argument order). AllOf() of nothing succeeds at
// once with an empty []any.
func (s *Sim) AllOf(evs ...*Event) *Event {
	r := &Event{sim: s}
	vals := make([]any, len(evs))
	n := 0
	for i, e := range evs {
		if e.state != processed {
			n++
			continue
		}
		if e.err != nil {
			r.trigger(nil, e.err)
			return r
		}
		vals[i] = e.val
	}
	if n == 0 {
		r.trigger(vals, nil)
		return r
	}
	for i, e := range evs {
		if e.state == processed {
			continue
		}
		e.OnTrigger(func(e *Event) {
			if r.state != pending {
				return
			}
			if e.err != nil {
				r.trigger(nil, e.err)
				return
			}
			vals[i] = e.val
			n--
			if n == 0 {
				r.trigger(vals, nil)
			}
		})
	}
	return r
}

// trigger sets the outcome and schedules processing at the current time.
func (e *Event) trigger(v any, err error) {
	e.state = triggered
	e.val, e.err = v, err
	e.sim.scheduleEvent(e.sim.now, e, kindEvent)
}

// Succeed triggers the event with value v. It returns ErrAlreadyTriggered if the event is not
// pending and ErrClosed after Close.
func (e *Event) Succeed(v any) error {
	if e.state != pending {
		return ErrAlreadyTriggered
	}
	if e.sim.closed {
		return ErrClosed
	}
	e.trigger(v, nil)
	return nil
}

// Fail triggers the event with error err (which must not be nil). Processes waiting on it get
// err from Wait. It returns ErrAlreadyTriggered if the event is not pending and ErrClosed
// after Close.
func (e *Event) Fail(err error) error {
	if err == nil {
		return errors.New("engine: Fail: nil error")
	}
	if e.state != pending {
		return ErrAlreadyTriggered
	}
	if e.sim.closed {
		return ErrClosed
	}
	e.trigger(nil, err)
	return nil
}

// Triggered reports whether the event has been triggered (it may not be processed yet).
func (e *Event) Triggered() bool { return e.state != pending }

// Processed reports whether the event has been processed (its callbacks have run).
func (e *Event) Processed() bool { return e.state == processed }

// Value returns the value the event succeeded with (nil while pending or if it failed).
func (e *Event) Value() any { return e.val }

// Err returns the error the event failed with (nil while pending or if it succeeded).
func (e *Event) Err() error { return e.err }

// OnTrigger registers fn to be called with e when e is processed, in registration order
// together with waiting processes. On an already processed event, fn is scheduled through the
// queue at the current time (it does not run synchronously inside OnTrigger). After Close it
// does nothing.
func (e *Event) OnTrigger(fn func(e *Event)) {
	if fn == nil {
		panic("engine: OnTrigger: nil callback")
	}
	if e.state == processed {
		if !e.sim.closed {
			e.sim.at(e.sim.now, func() { fn(e) })
		}
		return
	}
	e.addWaiter(waiter{fn: fn})
}

func (e *Event) addWaiter(w waiter) {
	if e.nw == 0 {
		e.w0 = w
	} else {
		if e.more == nil {
			e.more, e.sim.spareWaiters = e.sim.spareWaiters, nil
		}
		e.more = append(e.more, w)
	}
	e.nw++
}

// hasTimedWaiter reports whether p already has a WaitTimeout waiter on e.
func (e *Event) hasTimedWaiter(p *Proc) bool {
	if e.nw > 0 && e.w0.p == p && e.w0.timed {
		return true
	}
	for _, w := range e.more {
		if w.p == p && w.timed {
			return true
		}
	}
	return false
}

// process runs at the event's processing entry (kernel context).
func (e *Event) process() {
	e.state = processed
	if e.nw == 0 {
		return
	}
	w0, more := e.w0, e.more
	e.w0, e.more, e.nw = waiter{}, nil, 0
	s := e.sim
	s.runWaiter(e, w0)
	for _, w := range more {
		s.runWaiter(e, w)
	}
	// The list goes to the next event that has more than one waiter (a step boundary that
	// many processes wait for comes again and again).
	if cap(more) > cap(s.spareWaiters) {
		clear(more)
		s.spareWaiters = more[:0]
	}
}

func (s *Sim) runWaiter(e *Event, w waiter) {
	switch {
	case s.closed:
	case w.p != nil:
		if w.timed {
			if w.p.waitEv != e {
				return // the deadline came first: this wait is over
			}
			w.p.waitEv = nil
			s.cancelWake(w.p.waitSlot, w.p.waitGen)
		}
		s.resume(w.p)
	default:
		w.fn(e)
	}
}
