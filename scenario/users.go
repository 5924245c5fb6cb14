package scenario

import (
	"github.com/edgesim/edgesim/comm"
	"github.com/edgesim/edgesim/cpu"
	"github.com/edgesim/edgesim/engine"
	"github.com/edgesim/edgesim/workload"
)

// usersInProcesses runs the closed loop's users as processes (workload.Start), as they were
// before startUsers: tests set it to check that both give the same run.
var usersInProcesses = false

// A closed-loop user spends most of its life waiting: thinking, for the entry service's
// work on its request, for a step boundary. A process per user would hold a coroutine (and
// its stack, which every garbage collection scans) for each of thousands of users. So a user
// waits as callbacks and takes a worker process (engine.Workers) only to carry a workflow
// out, at the very instant its own process would have been resumed: every wait is the same
// queue entry or event waiter as workload.Start's process makes (a think time is a callback
// due when the process's Sleep would end, the entry work the same completion event, the
// boundary the same waiter on it), so the run is the same, event for event.
type user struct {
	t       *tenant
	think   func() engine.Time
	workers *engine.Workers

	// The workflow under way: admitted, and its entry service's work done (tr) or refused
	// (err).
	fs  flowStart
	tr  comm.Trace
	err error

	// Callbacks bound once.
	wakeFn func()
	nextFn func(*engine.Event)
	workFn func(cpu.Job)
	runFn  func(p *engine.Proc)
}

// startUsers starts the tenant's closed-loop users: each begins now, as a process started
// now would.
func (t *tenant) startUsers(ns string) {
	sim := t.r.sim
	think := workload.ThinkTime(sim, ns, t.workload)
	ws := sim.NewWorkers(t.entry.Service) // named as the users' processes are
	for range t.workload.N() {
		u := &user{t: t, think: think, workers: ws}
		u.wakeFn, u.nextFn, u.workFn, u.runFn = u.wake, u.boundary, u.worked, u.run
		_, _ = sim.Schedule(0, u.wakeFn)
	}
}

// wake runs the top of the user's loop in kernel context: at its start, at the end of a
// think time.
func (u *user) wake() {
	if u.begin() {
		u.carryOut()
	}
}

// boundary is the step boundary the user waited for.
func (u *user) boundary(e *engine.Event) {
	if e.Err() == nil {
		u.wake()
	}
}

// worked is the end of the entry service's work on the user's request (kernel context).
func (u *user) worked(j cpu.Job) {
	u.tr, u.err = comm.Trace{Queue: j.Wait, Service: j.Work}, nil
	u.carryOut()
}

// carryOut runs the admitted workflow in a worker process, from kernel context.
func (u *user) carryOut() {
	_ = u.workers.Run(u.runFn) // fails only once the simulation is closed: nothing runs then
}

// begin is the top of the user's loop: it waits for a boundary while the application is
// undeployed, else admits a workflow and has the entry service work on its request. It
// reports whether the workflow is ready to be carried out now (the work is done at once, or
// failed); false when the user now waits (for the work, or for the next boundary).
func (u *user) begin() bool {
	t := u.t
	if !t.Deployed() {
		u.waitBoundary()
		return false
	}
	fs, ok := t.admit(t.r.sim.Now())
	if !ok {
		u.waitBoundary() // a workflow that ended at once
		return false
	}
	u.fs = fs
	queued, err := t.fabric.WorkThen(t.entry.Service, u.workFn)
	if queued {
		return false
	}
	u.tr, u.err = comm.Trace{}, err
	if err != nil { // ends at once, with no process needed
		t.complete(nil, fs, u.tr, err)
		u.waitBoundary()
		return false
	}
	return true
}

// run carries workflows out in worker process p for as long as the user has no reason to
// wait: one, and the next ones as long as the think time is 0 and the entry service's work
// is done at once.
func (u *user) run(p *engine.Proc) {
	for {
		ok, took := u.t.complete(p, u.fs, u.tr, u.err)
		if !ok || took == 0 {
			u.waitBoundary()
			return
		}
		if d := u.think(); d > 0 {
			sim := u.t.r.sim
			d = min(d, engine.MaxTime-sim.Now()) // as Sleep clamps it
			_, _ = sim.Schedule(d, u.wakeFn)
			return
		}
		if !u.begin() {
			return
		}
	}
}

// waitBoundary waits for the next step boundary. The runner's boundary event is a new
// pending one at every boundary, so the waiter is the one a process waiting on it adds.
func (u *user) waitBoundary() {
	u.t.r.next.OnTrigger(u.nextFn)
}
