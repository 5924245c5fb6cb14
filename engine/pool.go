package engine

// Pool runs short jobs in reusable processes: a job runs in an idle process of the pool, or
// in a new one when none is idle, and the process then waits for the next job. A process per
// job would create a coroutine (and grow its stack) each time; a pool pays that once per
// process it ever needs at once. Jobs start in the same queue order as Process would start
// them: one queue item at Now per job.
type Pool struct {
	sim  *Sim
	name string
	idle []*poolWorker
}

// poolWorker is one process of a pool. Its wake event is private to the pool and its use is
// over once the worker has been resumed by it, so it is re-initialised for the next wait
// instead of allocating an event per job.
type poolWorker struct {
	job  func(p *Proc)
	wake Event
}

// NewPool returns a pool whose processes are named name.
func (s *Sim) NewPool(name string) *Pool { return &Pool{sim: s, name: name} }

// Go runs job in one of the pool's processes, starting at Now.
func (pl *Pool) Go(job func(p *Proc)) {
	if n := len(pl.idle); n > 0 {
		w := pl.idle[n-1]
		pl.idle = pl.idle[:n-1]
		w.job = job
		w.wake.Succeed(nil)
		return
	}
	w := &poolWorker{job: job}
	pl.sim.Process(pl.name, func(p *Proc) {
		for {
			job := w.job
			w.job = nil
			job(p)
			p.sim.InitEvent(&w.wake)
			pl.idle = append(pl.idle, w)
			if _, err := p.Wait(&w.wake); err != nil {
				return
			}
		}
	})
}

// Idle is the number of processes waiting for a job.
func (pl *Pool) Idle() int { return len(pl.idle) }
