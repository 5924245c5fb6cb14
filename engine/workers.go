package engine

import "fmt"

// Workers runs jobs in reusable processes handed the job at once: Run, called from kernel
// context (a callback, or a function an event calls when processed), resumes an idle worker
// process, or starts a new one, synchronously, exactly as the kernel resumes a process woken
// at that instant, and returns when the job has returned or blocked. Unlike Pool.Go it makes
// no queue entry, so a model whose entities wait as callbacks and need a process only for a
// stretch of blocking code (a closed-loop user between its think times) takes one at the
// instant a process of its own would have been resumed, and the run is the same. A simulation
// of a thousand users then holds as many processes as have work under way, not a thousand.
type Workers struct {
	sim  *Sim
	name string
	idle []*worker
}

type worker struct {
	p   *Proc
	job func(p *Proc)
}

// NewWorkers returns a set of worker processes named name.
func (s *Sim) NewWorkers(name string) *Workers { return &Workers{sim: s, name: name} }

// Run runs job now in an idle worker, or in a new one if none is idle, until it returns or
// blocks. It must be called from kernel context, not from a process (it returns an error
// matching ErrNotRunning then, and ErrClosed after Close; the job does not run). A job that
// panics fails its process as any process does.
func (ws *Workers) Run(job func(p *Proc)) error {
	s := ws.sim
	switch {
	case s.closed:
		return ErrClosed
	case s.cur != nil:
		return fmt.Errorf("engine: Workers.Run inside process %q: %w", s.cur.name, ErrNotRunning)
	case job == nil:
		return fmt.Errorf("engine: Workers.Run: nil job")
	}
	if n := len(ws.idle); n > 0 {
		w := ws.idle[n-1]
		ws.idle[n-1] = nil
		ws.idle = ws.idle[:n-1]
		w.job = job
		s.resume(w.p)
		return nil
	}
	w := &worker{job: job}
	w.p = s.newProc(ws.name, func(p *Proc) { ws.serve(w, p) })
	s.start(w.p)
	return nil
}

// serve is a worker's process: it runs its job, then waits idle for the next.
func (ws *Workers) serve(w *worker, p *Proc) {
	for {
		job := w.job
		w.job = nil
		job(p)
		ws.idle = append(ws.idle, w)
		p.park()
	}
}

// Idle is the number of workers waiting for a job.
func (ws *Workers) Idle() int { return len(ws.idle) }
