package engine

import "fmt"

// Resource has capacity units; processes Acquire one unit each, waiting in FIFO order when
// none is free, and Release it. A released unit passes straight to the oldest waiter, which is
// resumed via the queue at Now, so later arrivals can never overtake it.
type Resource struct {
	sim     *Sim
	cap     int
	inUse   int
	waiters fifo[*Proc]
}

// NewResource returns a resource with the given capacity; a capacity below 1 is treated as 1.
func NewResource(s *Sim, capacity int) *Resource {
	if capacity < 1 {
		capacity = 1
	}
	return &Resource{sim: s, cap: capacity}
}

// Acquire takes one unit, blocking p until one is free (FIFO among waiters).
func (r *Resource) Acquire(p *Proc) error {
	if err := p.check("Resource.Acquire"); err != nil {
		return err
	}
	if r.inUse < r.cap && r.waiters.len() == 0 {
		r.inUse++
		return nil
	}
	r.waiters.push(p)
	p.park()
	return nil
}

// Release returns one unit. It returns an error wrapping ErrNotHeld if no unit is held and
// ErrClosed after Close. It may be called from callbacks.
func (r *Resource) Release() error {
	if r.sim.closed {
		return ErrClosed
	}
	if r.inUse == 0 {
		return fmt.Errorf("engine: Release: %w", ErrNotHeld)
	}
	if r.waiters.len() > 0 {
		r.sim.wake(r.waiters.pop()) // the unit passes to the waiter; inUse unchanged
		return nil
	}
	r.inUse--
	return nil
}

// Capacity returns the number of units.
func (r *Resource) Capacity() int { return r.cap }

// InUse returns the number of units held (including ones handed to waiters not yet resumed).
func (r *Resource) InUse() int { return r.inUse }

// Queued returns the number of processes waiting in Acquire.
func (r *Resource) Queued() int { return r.waiters.len() }
