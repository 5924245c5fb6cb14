package spec

import (
	"errors"

	"github.com/edgesim/edgesim/comm"
	"github.com/edgesim/edgesim/cpu"
	"github.com/edgesim/edgesim/engine"
	"github.com/edgesim/edgesim/scenario"
)

// The MPI style.
//
// Every service but the entry runs one process that serves its mailbox, in the manner of
// SockShop's Order service: each request starts a frame (the state of one run of an
// endpoint's program) and runs it at once, in the serving process, until it must wait for
// answers or for the CPU; an answer resumes the frame it belongs to, found by its tag. Each
// request a frame sends has a tag of its own (one counter per run), so any number of
// requests, of any workflows, can be under way at one service, and two calls of one workflow
// to one service never take each other's answers. No process is created per request.
//
// A frame never waits for an answer that cannot come: a request that cannot leave, or that
// its recipient refuses (full queue), is a call with no answer, and the frame goes on as the
// spec says (on_error); a request or an answer lost in flight (its destination went down or
// was undeployed) abandons the frame silently, and the frame that waits for the abandoned
// one's answer after it, up the chain, as nothing will answer them (their callers time out,
// as SockShop's do). An answer that arrives for an abandoned frame is discarded and counted.

// mpiRT is the MPI side of one run.
type mpiRT struct {
	pr      *program
	fabric  *comm.Fabric
	pending map[uint64]slot // tag of a request under way -> the frame waiting for its answer
	next    uint64          // the last tag given
	free    []*frame
}

// slot is a frame waiting for the answer to its call i.
type slot struct {
	f *frame
	i int
}

// testHookMPI, when set (by tests), sees the MPI side of every run as it starts.
var testHookMPI func(*mpiRT)

// startMPI starts the receive loop of every service but the entry and returns the entry's
// workflow.
func startMPI(pr *program) scenario.Entry {
	m := pr.env.MPI
	rt := &mpiRT{pr: pr, fabric: pr.env.Fabric, pending: map[uint64]slot{}}
	if testHookMPI != nil {
		testHookMPI(rt)
	}
	for _, sv := range pr.services {
		sv.mpi = m.Endpoint(sv.name)
		if sv == pr.entry || len(sv.list) == 0 {
			continue
		}
		if serveInProcesses {
			pr.env.Sim.Process(sv.name, func(p *engine.Proc) {
				for {
					msg, err := sv.mpi.Recv(p)
					if err != nil {
						return
					}
					rt.serve(sv, msg)
				}
			})
			continue
		}
		// A callback receive loop: the run of a serving process, without a process
		// switch per message (see comm.Endpoint.Handle).
		sv.mpi.Handle(func(msg comm.Message) { rt.serve(sv, msg) })
	}
	fe := pr.entry.mpi
	return scenario.Entry{Service: pr.entry.name, Run: func(w *scenario.Workflow) bool {
		r := procRun{x: &mpiEntry{pr: pr, w: w, ep: fe}}
		return !r.run(pr.pick().steps)
	}}
}

// serveInProcesses runs every service's receive loop as a process, as before
// comm.Endpoint.Handle, and every REST leaf as a handler in a process, as before
// comm.Mux.HandleLeaf: tests set it to check that both give the same run.
var serveInProcesses = false

// serve is service s's receipt of msg, the messages of its mailbox taken in turn.
func (rt *mpiRT) serve(s *service, msg comm.Message) {
	w, _ := msg.Body.(*wire)
	switch {
	case msg.Reply:
		rt.answer(s, msg, w)
	case w != nil && w.to != nil && w.to.svc == s:
		rt.request(msg, w)
	default:
		s.mpi.Discard(msg) // not one of ours: nothing can answer it
	}
}

// request starts a frame for a request and runs it as far as it goes.
func (rt *mpiRT) request(msg comm.Message, w *wire) {
	f := rt.frame()
	f.ep, f.async, f.resp = w.to, w.async, w.resp
	f.origin, f.originTag = msg.From, msg.Tag
	if w.forwarded {
		f.origin, f.originTag = w.origin, w.originTag
	}
	f.tr, f.mark = msg.Trace, rt.pr.env.Sim.Now()
	f.stack = append(f.stack, cursor{steps: w.to.steps, left: 1})
	f.run()
}

// answer hands an answer to the frame waiting for it.
func (rt *mpiRT) answer(s *service, msg comm.Message, w *wire) {
	sl, ok := rt.pending[msg.Tag]
	if !ok {
		s.mpi.Discard(msg) // its frame was abandoned
		return
	}
	delete(rt.pending, msg.Tag)
	f := sl.f
	f.saw(rt.pr.env.Sim.Now(), msg.Trace)
	f.outs[sl.i] = answered
	if w == nil || w.failed {
		f.outs[sl.i] = refused
	}
	f.settleOne(msg.Tag)
}

// sent is told how a frame's request fared: refused by its recipient, the call has no
// answer; lost in flight, the frame is abandoned.
func (rt *mpiRT) sent(tag uint64, err error) {
	if err == nil {
		return
	}
	sl, ok := rt.pending[tag]
	if !ok {
		return
	}
	if !errors.Is(err, comm.ErrRejected) {
		rt.abandon(tag)
		return
	}
	delete(rt.pending, tag)
	sl.f.outs[sl.i] = noAnswer
	sl.f.settleOne(tag)
}

// abandon drops the frame waiting for the answer tagged tag, and, as it will never answer,
// the frame waiting for its own answer, up the chain.
func (rt *mpiRT) abandon(tag uint64) {
	for {
		sl, ok := rt.pending[tag]
		if !ok {
			return
		}
		f := sl.f
		for _, t := range f.tags {
			delete(rt.pending, t)
		}
		up, next := !f.async && f.origin != rt.pr.entry.name, f.originTag
		rt.release(f)
		if !up {
			return
		}
		tag = next
	}
}

// onSent returns the callback that watches the send event of the request tagged tag.
func (rt *mpiRT) onSent(tag uint64) func(*engine.Event) {
	return func(e *engine.Event) { rt.sent(tag, e.Err()) }
}

// cursor is a position in a list of steps, repeated left times.
type cursor struct {
	steps []step
	i     int
	left  int
}

// frame is one run of an endpoint's program for one MPI request.
type frame struct {
	rt        *mpiRT
	ep        *endpoint
	async     bool     // the caller wants no answer
	resp      *payload // the answer the call asked for (nil: the endpoint's)
	origin    string   // who gets the answer
	originTag uint64   // with which tag
	tr        comm.Trace
	mark      engine.Time // tr is that of the latest completion seen, at mark (comm.Tracker's rule)
	stack     []cursor
	// the step under way
	calls   []*call
	outs    []outcome
	tags    []uint64 // its requests still without an answer
	waiting int
	// work: whether the CPU finished it before WorkFor returned
	inWork, workDone bool
	onWork           func(cpu.Job) // bound to (*frame).worked
}

func (rt *mpiRT) frame() *frame {
	if n := len(rt.free); n > 0 {
		f := rt.free[n-1]
		rt.free = rt.free[:n-1]
		return f
	}
	f := &frame{rt: rt}
	f.onWork = f.worked
	return f
}

func (rt *mpiRT) release(f *frame) {
	*f = frame{rt: rt, onWork: f.onWork, stack: f.stack[:0], outs: f.outs[:0], tags: f.tags[:0]}
	rt.free = append(rt.free, f)
}

// saw follows the critical path: the trace of the latest completion is the frame's.
func (f *frame) saw(at engine.Time, tr comm.Trace) {
	if at >= f.mark {
		f.tr, f.mark = tr, at
	}
}

// run runs the program until it must wait or ends.
func (f *frame) run() {
	for {
		if len(f.stack) == 0 {
			f.finish(false, nil)
			return
		}
		c := &f.stack[len(f.stack)-1]
		if c.i == len(c.steps) {
			if c.left--; c.left > 0 {
				c.i = 0
			} else {
				f.stack = f.stack[:len(f.stack)-1]
			}
			continue
		}
		st := &c.steps[c.i]
		c.i++
		switch st.kind {
		case sWork:
			f.inWork, f.workDone = true, false
			err := f.rt.fabric.WorkFor(f.ep.svc.name, st.work, f.onWork)
			f.inWork = false
			if err != nil {
				f.finish(true, nil)
				return
			}
			if !f.workDone {
				return // worked resumes the frame
			}
		case sCall, sParallel:
			if !f.start(st.calls) {
				return
			}
		case sForward:
			f.forward(st.calls[0])
			return
		case sBranch:
			f.stack = append(f.stack, cursor{steps: st.choose(), left: 1})
		case sRepeat:
			if st.times > 0 {
				f.stack = append(f.stack, cursor{steps: st.steps, left: st.times})
			}
		case sFail:
			f.finish(true, st.fail)
			return
		}
	}
}

// worked continues the frame once its work is done.
func (f *frame) worked(j cpu.Job) {
	f.tr.Queue += j.Wait
	f.tr.Service += j.Work
	f.mark = f.rt.pr.env.Sim.Now()
	if f.inWork {
		f.workDone = true
		return
	}
	f.run()
}

// start sends a step's requests; it reports whether the frame can go on at once (nothing to
// wait for, and nothing failed).
func (f *frame) start(cs []*call) bool {
	rt, ep := f.rt, f.ep.svc.mpi
	f.calls, f.outs, f.tags, f.waiting = cs, f.outs[:0], f.tags[:0], 0
	for _, c := range cs {
		i := len(f.outs)
		f.outs = append(f.outs, answered)
		rt.next++
		tag := rt.next
		ev := ep.SendTrace(c.to.svc.name, tag, c.request(), f.tr)
		if c.async {
			continue // nobody waits: whatever becomes of it
		}
		if ev.Err() != nil {
			f.outs[i] = noAnswer // could not leave
			continue
		}
		rt.pending[tag] = slot{f: f, i: i}
		f.tags = append(f.tags, tag)
		f.waiting++
		ev.OnTrigger(rt.onSent(tag))
	}
	if f.waiting > 0 {
		return false
	}
	return f.settle()
}

// settleOne counts an answer (or its absence) to the request tagged tag, and goes on when
// the step has them all.
func (f *frame) settleOne(tag uint64) {
	for i, t := range f.tags {
		if t == tag {
			f.tags[i] = f.tags[len(f.tags)-1]
			f.tags = f.tags[:len(f.tags)-1]
			break
		}
	}
	if f.waiting--; f.waiting == 0 && f.settle() {
		f.run()
	}
}

// settle ends the frame if the step failed; true if the program goes on.
func (f *frame) settle() bool {
	if c, o := worst(f.calls, f.outs); c != nil {
		p := c.onFailure
		if o == noAnswer {
			p = c.onError
		}
		f.finish(true, p)
		return false
	}
	return true
}

// finish answers (unless the caller wants no answer) and releases the frame: p is the
// answer, nil for the endpoint's response or failure.
func (f *frame) finish(failed bool, p *payload) {
	rt := f.rt
	if !f.async {
		if p == nil {
			switch {
			case failed:
				p = f.ep.failure
			case f.resp != nil:
				p = f.resp
			default:
				p = f.ep.response
			}
		}
		ev := f.ep.svc.mpi.ReplyTo(comm.Message{Tag: f.originTag, Trace: f.tr}, f.origin, p.answer(failed))
		if f.origin != rt.pr.entry.name {
			// The caller is a frame: if the answer cannot reach it, nothing will.
			if ev.Err() != nil {
				tag := f.originTag
				rt.release(f)
				rt.abandon(tag)
				return
			}
			ev.OnTrigger(rt.onLost(f.originTag))
		}
	}
	rt.release(f)
}

// onLost returns the callback that abandons the frame waiting for tag if its answer is lost.
func (rt *mpiRT) onLost(tag uint64) func(*engine.Event) {
	return func(e *engine.Event) {
		if e.Err() != nil {
			rt.abandon(tag)
		}
	}
}

// forward hands the request on: the callee answers the frame's caller.
func (f *frame) forward(c *call) {
	rt, ep := f.rt, f.ep.svc.mpi
	ev := ep.SendTrace(c.to.svc.name, f.originTag, c.forwarded(f.origin, f.originTag, f.async), f.tr)
	if ev.Err() != nil {
		f.finish(true, c.onError)
		return
	}
	fw := &forwarded{rt: rt, ep: f.ep, origin: f.origin, tag: f.originTag, async: f.async, tr: f.tr, onError: c.onError}
	ev.OnTrigger(fw.sent)
	rt.release(f)
}

// forwarded remembers a forward after its frame is gone, to answer for it if the callee
// refuses the request.
type forwarded struct {
	rt      *mpiRT
	ep      *endpoint
	origin  string
	tag     uint64
	async   bool
	tr      comm.Trace
	onError *payload
}

func (fw *forwarded) sent(e *engine.Event) {
	err := e.Err()
	switch {
	case err == nil:
	case errors.Is(err, comm.ErrRejected):
		f := fw.rt.frame()
		f.ep, f.async, f.origin, f.originTag, f.tr = fw.ep, fw.async, fw.origin, fw.tag, fw.tr
		f.finish(true, fw.onError)
	case !fw.async && fw.origin != fw.rt.pr.entry.name:
		fw.rt.abandon(fw.tag)
	}
}
