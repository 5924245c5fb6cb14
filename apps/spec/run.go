package spec

import (
	"fmt"

	"github.com/edgesim/edgesim/comm"
	"github.com/edgesim/edgesim/cpu"
	"github.com/edgesim/edgesim/engine"
	"github.com/edgesim/edgesim/scenario"
)

// Start implements scenario.App: it compiles the spec for env's style and run, gives each
// service its own service-time shape, and starts the services: in MPI one process per
// service that serves its mailbox, in REST one handler per endpoint.
func (a *App) Start(env *scenario.Env) (scenario.Entry, error) {
	pr, err := compile(a.s, env)
	if err != nil {
		return scenario.Entry{}, err
	}
	for _, sv := range a.s.Services {
		if sv.ServiceTime != "" {
			if err := env.Fabric.SetServiceTime(sv.Name, sv.ServiceTime); err != nil {
				return scenario.Entry{}, fmt.Errorf("apps: %w", err)
			}
		}
	}
	switch env.Variant {
	case "mpi":
		return startMPI(pr), nil
	case "rest":
		return startREST(pr)
	}
	return scenario.Entry{}, fmt.Errorf("apps: unknown variant %q", env.Variant)
}

// outcome is how a call ended.
type outcome uint8

const (
	answered outcome = iota // a success answer
	refused                 // the callee answered with a failure
	noAnswer                // no answer: unreachable, queue full, lost, given up
)

// classify reads an answer's body.
func classify(body any) outcome {
	w, ok := body.(*wire)
	switch {
	case !ok:
		return noAnswer // an error the REST layer made itself
	case w.failed:
		return refused
	}
	return answered
}

// caller is how a program running in a process (a workflow at the entry, a REST handler)
// reaches other services.
type caller interface {
	call(c *call) outcome
	// parallel starts the calls together and waits for all; outs[i] is call i's outcome.
	parallel(cs []*call, outs []outcome)
	// send starts a call without waiting for it.
	send(c *call)
	// forward calls and returns the answer to relay (REST handlers only).
	forward(c *call) (*comm.Response, outcome)
	work(d engine.Time) bool
}

// ending is how a program ended: with its endpoint's response, with a failure answer, or
// relaying a forwarded call's answer.
type ending struct {
	failed bool
	p      *payload       // the answer; nil: the endpoint's response or failure
	relay  *comm.Response // a REST forward's answer
}

// procRun runs a program in a process.
type procRun struct {
	x    caller
	end  ending
	outs []outcome
}

// run runs steps and reports whether the program ended (a failure or a forward).
func (r *procRun) run(steps []step) bool {
	for i := range steps {
		st := &steps[i]
		switch st.kind {
		case sWork:
			if !r.x.work(st.work) {
				r.end = ending{failed: true}
				return true
			}
		case sCall:
			c := st.calls[0]
			if c.async {
				r.x.send(c)
				continue
			}
			if o := r.x.call(c); o != answered {
				r.fail(c, o)
				return true
			}
		case sParallel:
			r.outs = r.outs[:0]
			var sync []*call
			for _, c := range st.calls {
				if c.async {
					r.x.send(c)
				} else {
					sync = append(sync, c)
				}
			}
			if len(sync) == 0 {
				continue
			}
			r.outs = append(r.outs, make([]outcome, len(sync))...)
			r.x.parallel(sync, r.outs)
			if c, o := worst(sync, r.outs); c != nil {
				r.fail(c, o)
				return true
			}
		case sForward:
			resp, o := r.x.forward(st.calls[0])
			if o == noAnswer {
				r.fail(st.calls[0], o)
			} else {
				r.end = ending{failed: o == refused, relay: resp}
			}
			return true
		case sBranch:
			if r.run(st.choose()) {
				return true
			}
		case sRepeat:
			for range st.times {
				if r.run(st.steps) {
					return true
				}
			}
		case sFail:
			r.end = ending{failed: true, p: st.fail}
			return true
		}
	}
	return false
}

// fail ends the program after call c ended with o.
func (r *procRun) fail(c *call, o outcome) {
	r.end = ending{failed: true, p: c.onFailure}
	if o == noAnswer {
		r.end.p = c.onError
	}
}

// worst picks the call whose outcome decides a parallel step: the first (in step order)
// that got no answer, else the first answered with a failure; nil if all succeeded.
func worst(cs []*call, outs []outcome) (*call, outcome) {
	for i, o := range outs {
		if o == noAnswer {
			return cs[i], o
		}
	}
	for i, o := range outs {
		if o == refused {
			return cs[i], o
		}
	}
	return nil, answered
}

// blockingWork has service do work of mean d in p and extends tr by its wait and work.
func blockingWork(p *engine.Proc, f *comm.Fabric, service string, d engine.Time, tr *comm.Tracker) bool {
	var (
		job  cpu.Job
		done bool
		ev   *engine.Event
	)
	err := f.WorkFor(service, d, func(j cpu.Job) {
		job, done = j, true
		if ev != nil {
			ev.Succeed(nil)
		}
	})
	if err != nil {
		return false
	}
	if !done {
		ev = p.Sim().NewEvent()
		if _, err := p.Wait(ev); err != nil {
			return false
		}
	}
	t := tr.Trace()
	t.Queue += job.Wait
	t.Service += job.Work
	tr.Saw(p.Now(), t)
	return true
}

// mpiEntry is the entry of an MPI workflow: requests go out with Workflow.Ask and AskAny.
type mpiEntry struct {
	pr *program
	w  *scenario.Workflow
	ep *comm.Endpoint
}

func (x *mpiEntry) call(c *call) outcome {
	msg, ok := x.w.Ask(x.ep, c.to.svc.name, c.request())
	if !ok {
		return noAnswer
	}
	return classify(msg.Body)
}

// parallel asks with Workflow.AskAny: a callee that forwards is answered by the end of its
// chain, so answers are taken from any sender, in arrival order. Which call an answer
// belongs to does not matter at the entry: any failure fails the workflow.
func (x *mpiEntry) parallel(cs []*call, outs []outcome) {
	reqs := make([]scenario.Request, len(cs))
	for i, c := range cs {
		reqs[i] = scenario.Request{To: c.to.svc.name, Body: c.request()}
	}
	replies, ok := x.w.AskAny(x.ep, reqs...)
	for i := range outs {
		if !ok {
			outs[i] = noAnswer
		} else {
			outs[i] = classify(replies[i].Body)
		}
	}
}

func (x *mpiEntry) send(c *call) {
	x.ep.SendTrace(c.to.svc.name, x.w.ID, c.request(), x.w.Tracker.Trace())
}

func (x *mpiEntry) forward(*call) (*comm.Response, outcome) { return nil, noAnswer } // rejected by Validate

func (x *mpiEntry) work(d engine.Time) bool {
	return blockingWork(x.w.P, x.pr.env.Fabric, x.pr.entry.name, d, x.w.Tracker)
}

// restCaller makes REST calls from a workflow (w set: waits with its timeout) or from a
// handler (w nil: waits until the answer comes, which the REST layer guarantees).
type restCaller struct {
	pr      *program
	service string
	p       *engine.Proc
	cl      *comm.Client
	tr      *comm.Tracker
	w       *scenario.Workflow
}

func (x *restCaller) do(c *call) *comm.Call { return x.cl.Do(c.to.method, c.to.url, c.request()) }

// wait waits for a call's response; nil when the workflow gave up on it.
func (x *restCaller) wait(c *comm.Call) *comm.Response {
	if x.w == nil {
		return c.Wait(x.p)
	}
	resp, _ := x.w.Await(c)
	return resp
}

func (x *restCaller) call(c *call) outcome {
	resp := x.wait(x.do(c))
	if resp == nil {
		return noAnswer
	}
	return classify(resp.Body)
}

func (x *restCaller) parallel(cs []*call, outs []outcome) {
	calls := make([]*comm.Call, len(cs))
	for i, c := range cs {
		calls[i] = x.do(c)
	}
	gaveUp := false
	for i, c := range calls {
		if gaveUp {
			c.Abandon() // its response, if it comes, is nobody's
			outs[i] = noAnswer
			continue
		}
		resp := x.wait(c)
		if resp == nil {
			gaveUp, outs[i] = true, noAnswer
			continue
		}
		outs[i] = classify(resp.Body)
	}
}

func (x *restCaller) send(c *call) { x.do(c) }

func (x *restCaller) forward(c *call) (*comm.Response, outcome) {
	resp := x.wait(x.do(c))
	if resp == nil {
		return nil, noAnswer
	}
	return resp, classify(resp.Body)
}

func (x *restCaller) work(d engine.Time) bool {
	return blockingWork(x.p, x.pr.env.Fabric, x.service, d, x.tr)
}

// startREST registers a handler per endpoint of every service but the entry, and returns
// the entry's workflow.
func startREST(pr *program) (scenario.Entry, error) {
	rest := pr.env.REST
	for _, sv := range pr.services {
		if sv == pr.entry {
			continue
		}
		for _, ep := range sv.list {
			pattern, h := ep.method+" /"+ep.name, pr.handler(ep)
			var err error
			if len(ep.steps) == 0 && !serveInProcesses {
				// A leaf waits for nothing: it answers in a callback (the same run).
				err = rest.Mux(sv.name).HandleLeaf(pattern, func(req *comm.Request) (*comm.Response, error) { return h(nil, req) })
			} else {
				err = rest.Mux(sv.name).Handle(pattern, h)
			}
			if err != nil {
				return scenario.Entry{}, fmt.Errorf("apps: %s: %w", ep.url, err)
			}
		}
	}
	fe := rest.Client(pr.entry.name)
	return scenario.Entry{Service: pr.entry.name, Run: func(w *scenario.Workflow) bool {
		x := &restCaller{pr: pr, service: pr.entry.name, p: w.P, cl: w.Client(fe), tr: w.Tracker, w: w}
		r := procRun{x: x}
		return !r.run(pr.pick().steps)
	}}, nil
}

// handler is the REST handler of ep: it runs the endpoint's program and answers.
func (pr *program) handler(ep *endpoint) comm.Handler {
	return func(ctx *comm.Context, req *comm.Request) (*comm.Response, error) {
		r := procRun{}
		if len(ep.steps) > 0 { // a leaf answers at once: no caller to make
			r.x = &restCaller{pr: pr, service: ep.svc.name, p: ctx.Proc, cl: ctx.Client, tr: ctx.Tracker}
		}
		if !r.run(ep.steps) {
			p := ep.response
			if rw, ok := req.Body.(*wire); ok && rw.resp != nil {
				p = rw.resp
			}
			return &comm.Response{Status: p.status, Body: p.answer(false)}, nil
		}
		if r.end.relay != nil {
			return &comm.Response{Status: r.end.relay.Status, Body: r.end.relay.Body}, nil
		}
		p := r.end.p
		if p == nil {
			p = ep.failure
		}
		return &comm.Response{Status: p.status, Body: p.answer(true)}, nil
	}
}
