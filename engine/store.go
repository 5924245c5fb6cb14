package engine

// fifo is a slice-backed FIFO queue with amortised O(1) push and pop.
type fifo[T any] struct {
	buf  []T
	head int
}

func (f *fifo[T]) len() int { return len(f.buf) - f.head }

func (f *fifo[T]) push(v T) { f.buf = append(f.buf, v) }

func (f *fifo[T]) pop() T {
	var zero T
	v := f.buf[f.head]
	f.buf[f.head] = zero
	f.head++
	if f.head == len(f.buf) {
		f.buf = f.buf[:0]
		f.head = 0
	} else if f.head >= 64 && 2*f.head >= len(f.buf) {
		n := copy(f.buf, f.buf[f.head:])
		clear(f.buf[n:])
		f.buf = f.buf[:n]
		f.head = 0
	}
	return v
}

// remove deletes the first element equal to v (by ==) and reports whether it was found.
func remove[T comparable](f *fifo[T], v T) bool {
	for i := f.head; i < len(f.buf); i++ {
		if f.buf[i] == v {
			copy(f.buf[i:], f.buf[i+1:])
			var zero T
			f.buf[len(f.buf)-1] = zero
			f.buf = f.buf[:len(f.buf)-1]
			if f.head == len(f.buf) {
				f.buf = f.buf[:0]
				f.head = 0
			}
			return true
		}
	}
	return false
}

// getWaiter is a blocked Get; the item is handed straight into v. Waiters are pooled per
// store; expire, GetTimeout's deadline callback, is bound once per waiter so that a timed get
// allocates nothing in steady state.
type getWaiter[T any] struct {
	st     *Store[T]
	p      *Proc
	v      T
	ok     bool
	timed  bool
	timer  Timer
	expire func() // bound to (*getWaiter).onDeadline
	// GetTimeoutLoop: asked when the deadline comes whether to wait again, and how long.
	again  func() (Time, bool)
	respin func() // bound to (*getWaiter).onRespin
}

// onDeadline withdraws a timed get whose deadline came first and wakes its process.
func (w *getWaiter[T]) onDeadline() {
	if remove(&w.st.getters, w) {
		if w.again != nil {
			w.st.sim.at(w.st.sim.now, w.respin) // where the wake-up would be queued
			return
		}
		w.st.sim.wake(w.p)
	}
}

// onRespin is GetTimeoutLoop's wake-up after a deadline, in kernel context: if its process
// would only get again and find the store empty, the getter is registered again as that
// GetTimeout would register it, and the process sleeps on; otherwise it is resumed.
func (w *getWaiter[T]) onRespin() {
	st, s := w.st, w.st.sim
	d, again := w.again()
	if !again || d <= 0 || st.items.len() > 0 || s.closed {
		s.resume(w.p)
		return
	}
	if d > MaxTime-s.now {
		d = MaxTime - s.now
	}
	w.timer = s.rearmAt(s.now+d, w.expire)
	st.getters.push(w)
}

// putWaiter is a blocked Put of v.
type putWaiter[T any] struct {
	p *Proc
	v T
}

// Store is a FIFO mailbox of items of type T with an optional capacity.
//
// Invariants: if getters are waiting the buffer is empty; if putters are waiting the buffer is
// full. Items go to getters in FIFO order of both items and getters. Waiter records are pooled,
// so blocking Get and Put allocate nothing in steady state.
type Store[T any] struct {
	sim     *Sim
	cap     int
	items   fifo[T]
	getters fifo[*getWaiter[T]]
	putters fifo[*putWaiter[T]]
	gpool   []*getWaiter[T]
	ppool   []*putWaiter[T]
}

// NewStore returns an empty store; capacity <= 0 means unbounded.
func NewStore[T any](s *Sim, capacity int) *Store[T] {
	return &Store[T]{sim: s, cap: capacity}
}

// Len returns the number of items in the store (not counting blocked Puts).
func (st *Store[T]) Len() int { return st.items.len() }

// Cap returns the capacity (<= 0: unbounded).
func (st *Store[T]) Cap() int { return st.cap }

func (st *Store[T]) full() bool { return st.cap > 0 && st.items.len() >= st.cap }

// handOff gives v to the oldest waiting getter, if any, and schedules its wake-up at Now.
func (st *Store[T]) handOff(v T) bool {
	if st.getters.len() == 0 {
		return false
	}
	w := st.getters.pop()
	w.v, w.ok = v, true
	if w.timed {
		st.sim.Cancel(w.timer)
	}
	st.sim.wake(w.p)
	return true
}

// Put adds v, blocking p while the store is full. Blocked putters are served in FIFO order.
// If a getter is waiting, v goes straight to the oldest one (resumed via the queue at Now).
func (st *Store[T]) Put(p *Proc, v T) error {
	if err := p.check("Store.Put"); err != nil {
		return err
	}
	if st.handOff(v) {
		return nil
	}
	if !st.full() {
		st.items.push(v)
		return nil
	}
	var w *putWaiter[T]
	if n := len(st.ppool); n > 0 {
		w = st.ppool[n-1]
		st.ppool = st.ppool[:n-1]
	} else {
		w = new(putWaiter[T])
	}
	w.p, w.v = p, v
	st.putters.push(w)
	p.park()
	*w = putWaiter[T]{}
	st.ppool = append(st.ppool, w)
	return nil
}

// TryPut adds v without blocking and reports whether it did; it returns false if the store is
// full or the simulation is closed. It may be called from callbacks. If a getter is waiting, v
// goes straight to the oldest one, which is resumed via the queue at Now.
func (st *Store[T]) TryPut(v T) bool {
	if st.sim.closed {
		return false
	}
	if st.handOff(v) {
		return true
	}
	if st.full() {
		return false
	}
	st.items.push(v)
	return true
}

// take removes the oldest item and admits the oldest blocked putter, if any.
func (st *Store[T]) take() T {
	v := st.items.pop()
	if st.putters.len() > 0 {
		w := st.putters.pop()
		st.items.push(w.v)
		st.sim.wake(w.p)
	}
	return v
}

// TryGet removes and returns the oldest item without blocking; ok is false when the store is
// empty. It may be called from callbacks.
func (st *Store[T]) TryGet() (v T, ok bool) {
	if st.items.len() == 0 {
		return v, false
	}
	return st.take(), true
}

func (st *Store[T]) getWaiter(p *Proc) *getWaiter[T] {
	var w *getWaiter[T]
	if n := len(st.gpool); n > 0 {
		w = st.gpool[n-1]
		st.gpool = st.gpool[:n-1]
	} else {
		w = &getWaiter[T]{st: st}
		w.expire, w.respin = w.onDeadline, w.onRespin
	}
	w.p = p
	return w
}

// recycle clears w (keeping its binding) and returns it to the pool.
func (st *Store[T]) recycle(w *getWaiter[T]) {
	*w = getWaiter[T]{st: st, expire: w.expire, respin: w.respin}
	st.gpool = append(st.gpool, w)
}

// Get removes and returns the oldest item, blocking p while the store is empty. Blocked
// getters are served in FIFO order.
func (st *Store[T]) Get(p *Proc) (T, error) {
	if err := p.check("Store.Get"); err != nil {
		var zero T
		return zero, err
	}
	if st.items.len() > 0 {
		return st.take(), nil
	}
	w := st.getWaiter(p)
	st.getters.push(w)
	p.park()
	v := w.v
	st.recycle(w)
	return v, nil
}

// GetTimeout is Get with a deadline: if no item arrives within d it returns ok=false and the
// pending get is withdrawn (a later put is not consumed by it). With d == 0 and an empty store
// it yields once and returns ok=false at the same time. It returns ErrNegativeDelay for d < 0.
func (st *Store[T]) GetTimeout(p *Proc, d Time) (v T, ok bool, err error) {
	return st.getTimeout(p, d, nil)
}

// GetTimeoutLoop is GetTimeout called in a loop while again, asked each time d passes with
// nothing got, says to wait again and for how long: it returns an item, or ok=false once
// again says to stop. The run is that of the loop, entry for entry, but the process is not
// resumed for the waits again sends it back to: the question is asked in kernel context at
// the instant the process would have resumed, and the getter registered again as the next
// GetTimeout would register it (the process is resumed when the store holds an item then,
// and asks again itself). again must not block and must answer the same when asked twice at
// one instant.
func (st *Store[T]) GetTimeoutLoop(p *Proc, d Time, again func() (Time, bool)) (v T, ok bool, err error) {
	for {
		if v, ok, err = st.getTimeout(p, d, again); ok || err != nil {
			return v, ok, err
		}
		var more bool
		if d, more = again(); !more {
			return v, false, nil
		}
	}
}

func (st *Store[T]) getTimeout(p *Proc, d Time, again func() (Time, bool)) (v T, ok bool, err error) {
	if err := p.check("Store.GetTimeout"); err != nil {
		return v, false, err
	}
	if d < 0 {
		return v, false, ErrNegativeDelay
	}
	if st.items.len() > 0 {
		return st.take(), true, nil
	}
	s := st.sim
	w := st.getWaiter(p)
	w.timed, w.again = true, again
	if d > MaxTime-s.now {
		d = MaxTime - s.now
	}
	w.timer = s.rearmAt(s.now+d, w.expire)
	st.getters.push(w)
	p.park()
	v, ok = w.v, w.ok
	st.recycle(w)
	return v, ok, nil
}
