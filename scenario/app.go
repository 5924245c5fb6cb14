package scenario

import (
	"math/rand/v2"

	"github.com/edgesim/edgesim/comm"
	"github.com/edgesim/edgesim/engine"
	"github.com/edgesim/edgesim/placement"
)

// App is an application the run loop can drive: its spec (services, requirements,
// interactions) and its services, in either communication style.
type App interface {
	// Spec is the application graph that is placed and audited. The run loop calls it once.
	Spec() *placement.Application
	// Start registers the application's services for env.Variant on env's fabric (starting
	// their processes if they have any) and returns how a workflow runs. It is called once,
	// at virtual time 0, before any workflow.
	Start(env *Env) (Entry, error)
}

// Env is what an application's services are built on.
type Env struct {
	Sim     *engine.Sim
	Fabric  *comm.Fabric
	Variant string
	MPI     *comm.MPI  // set for the "mpi" variant
	REST    *comm.REST // set for the "rest" variant

	streams string // prefix of the application's random streams (see Rand)
}

// Rand returns the application's random stream called name: Sim.Rand(name) for the only
// (or first) application of a run, a stream of its own for each other application of a run
// with several (RunApps), so that two copies of one application draw independently.
func (e *Env) Rand(name string) *rand.Rand { return e.Sim.Rand(e.streams + name) }

// Entry is how one workflow (one user request) runs: Service is the service that receives the
// user's request (it starts every workflow), and Run carries the workflow out in w.P and
// reports whether it succeeded. Run must not return before the workflow is over (succeeded,
// failed or given up).
type Entry struct {
	Service string
	Run     func(w *Workflow) bool
}

// Workflow is one workflow in progress: its correlation ID (the MPI tag of its messages), the
// process that runs it, and the helpers that wait for replies with the run's timeout. It is
// the Entry's until Run returns; the step loop then reuses it, with the clients it bound and
// the REST calls they made (see comm.Tracker.Release), for a later workflow.
type Workflow struct {
	ID uint64
	P  *engine.Proc
	// Tracker follows the workflow's critical path: when the workflow completes, its trace
	// splits the whole latency into network, queueing and service time.
	Tracker *comm.Tracker

	t       *tenant
	epoch   uint64       // the deployment it started on
	tracker comm.Tracker // what Tracker points to
	base    *comm.Client // the client last bound by Client, and its binding
	bound   *comm.Client
	inbox   comm.Inbox // of the exchange under way (see exchange)

	// The wait under way (exchange, Await): its deadline and call, and again bound to its
	// method once.
	deadline engine.Time
	call     *comm.Call
	againFn  func() (engine.Time, bool)
}

// slicedWaitsInProcess makes a workflow's waits wake its process at every step boundary, as
// they did before engine's WaitTimeoutLoop and GetTimeoutLoop: tests set it to check that
// both give the same run.
var slicedWaitsInProcess = false

// again is the question a workflow's wait asks at a step boundary: wait on (until the next
// boundary or the deadline), or stop, when the application was undeployed or replaced, the
// deadline has come, or the call awaited has its response.
func (w *Workflow) again() (engine.Time, bool) {
	now := w.P.Now()
	if w.t.epoch != w.epoch || now >= w.deadline || w.call != nil && w.call.Event().Triggered() {
		return 0, false
	}
	return w.t.r.waitSlice(now, w.deadline), true
}

// Client returns c bound to the workflow's tracker: use it for the workflow's REST calls.
func (w *Workflow) Client(c *comm.Client) *comm.Client {
	if c != w.base { // a reused workflow keeps its binding: the tracker is at the same place
		w.base, w.bound = c, c.Bind(w.Tracker)
	}
	return w.bound
}

// Ask sends body from ep to service to, tagged with the workflow's ID, and waits for the
// reply carrying that tag. It gives up (ok false) when the message cannot leave, when no reply
// comes within the run's Timeout, or at the first step boundary where the application has
// been undeployed or replaced since the workflow started. A late reply is discarded on
// arrival. A request its recipient refuses (queue full) ends the wait at once.
func (w *Workflow) Ask(ep *comm.Endpoint, to string, body any) (reply comm.Message, ok bool) {
	ok = w.exchange(ep, []Request{{To: to, Body: body}}, func(msg comm.Message) (bool, bool) {
		reply = msg
		return true, true
	})
	return reply, ok
}

// Request is one request of AskAll and AskAny.
type Request struct {
	To   string
	Body any
}

// AskAll sends every request at once (fan-out), all tagged with the workflow's ID, and waits
// for one reply from each recipient (fan-in), in whatever order they come, with Ask's rules
// for giving up. The replies are returned in the order of reqs (two requests to one service
// take its replies in arrival order). The workflow's trace follows the reply that came last:
// the critical path.
func (w *Workflow) AskAll(ep *comm.Endpoint, reqs ...Request) (replies []comm.Message, ok bool) {
	waiting := map[string][]int{} // recipient -> indices of reqs still without a reply
	for i, rq := range reqs {
		waiting[rq.To] = append(waiting[rq.To], i)
	}
	replies = make([]comm.Message, len(reqs))
	left := len(reqs)
	ok = w.exchange(ep, reqs, func(msg comm.Message) (bool, bool) {
		idx := waiting[msg.From]
		if len(idx) == 0 {
			ep.Discard(msg) // a second reply from one recipient: not ours to take
			return false, false
		}
		replies[idx[0]] = msg
		waiting[msg.From] = idx[1:]
		left--
		return true, left == 0
	})
	if !ok {
		return nil, false
	}
	return replies, true
}

// AskAny is AskAll for requests whose replies may come from other services than those asked
// (a request handed on along a chain is answered by the end of the chain): it sends every
// request at once, waits for as many replies tagged with the workflow's ID as there were
// requests, from any sender, and returns them in arrival order, with Ask's rules for giving
// up. The workflow's trace follows the reply that came last.
func (w *Workflow) AskAny(ep *comm.Endpoint, reqs ...Request) (replies []comm.Message, ok bool) {
	replies = make([]comm.Message, 0, len(reqs))
	ok = w.exchange(ep, reqs, func(msg comm.Message) (bool, bool) {
		replies = append(replies, msg)
		return true, len(replies) == len(reqs)
	})
	if !ok {
		return nil, false
	}
	return replies, true
}

// exchange sends reqs from ep, tagged with the workflow's ID, and gives every reply to take
// until take says the exchange is done; the workflow's trace follows the replies take
// accepts (the last one sets it: the critical path). It gives up, false, by Ask's rules: a
// request that cannot leave, one refused by its recipient, the Timeout, or a step boundary
// after an undeploy.
func (w *Workflow) exchange(ep *comm.Endpoint, reqs []Request, take func(comm.Message) (accepted, done bool)) bool {
	in := &w.inbox
	ep.OpenInbox(in, w.ID)
	defer in.Close()
	for _, rq := range reqs {
		// A refusal by the recipient comes to the inbox as a notice (msg.Err).
		if err := in.Send(rq.To, rq.Body, w.Tracker.Trace()); err != nil {
			return false // unreachable: fails at once
		}
	}
	p := w.P
	deadline := p.Now() + w.t.r.cfg.Timeout
	w.deadline, w.call = deadline, nil
	for w.t.epoch == w.epoch && p.Now() < deadline {
		var msg comm.Message
		var got bool
		var err error
		if slicedWaitsInProcess {
			msg, got, err = in.RecvTimeout(p, w.t.r.waitSlice(p.Now(), deadline))
		} else {
			msg, got, err = in.RecvTimeoutLoop(p, w.t.r.waitSlice(p.Now(), deadline), w.againFn)
		}
		switch {
		case err != nil || got && msg.Err != nil:
			return false
		case !got:
			continue
		}
		accepted, done := take(msg)
		if accepted {
			w.Tracker.Saw(p.Now(), msg.Trace)
		}
		if done {
			return true
		}
	}
	return false
}

// Await waits for a REST call's response, with the same rules as Ask; a call given up on is
// abandoned (its response, if it ever comes, is discarded). ok is false when it gave up or the
// status is not 2xx.
func (w *Workflow) Await(c *comm.Call) (*comm.Response, bool) {
	p := w.P
	deadline := p.Now() + w.t.r.cfg.Timeout
	w.deadline, w.call = deadline, c
	defer func() { w.call = nil }()
	for w.t.epoch == w.epoch && p.Now() < deadline {
		var resp *comm.Response
		var done bool
		if slicedWaitsInProcess {
			resp, done = c.WaitFor(p, w.t.r.waitSlice(p.Now(), deadline))
		} else {
			resp, done = c.WaitForLoop(p, w.t.r.waitSlice(p.Now(), deadline), w.againFn)
		}
		if done {
			return resp, resp.OK()
		}
	}
	c.Abandon()
	return nil, false
}
