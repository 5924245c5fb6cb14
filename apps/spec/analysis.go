package spec

import "fmt"

// MessagesPerRequest is the expected number of messages one workflow sends in the given
// style ("mpi" or "rest") when every call is answered with success: the entry mix and the
// branches weighted by their probabilities, fail steps taken when a branch leads to one.
// MPI counts a request and an answer per call (one message for an async call, and a
// forward saves the answer of the service that forwards); REST counts a request and a
// response per call, forwards and async calls included. Measured runs count more when
// messages are lost or calls fail and are answered early, and fewer for workflows still
// under way when a run ends.
func (a *App) MessagesPerRequest(variant string) (float64, error) {
	if variant != "mpi" && variant != "rest" {
		return 0, fmt.Errorf("apps: unknown variant %q", variant)
	}
	c := &counter{a: a, mpi: variant == "mpi", memo: map[memoKey]count{}}
	c.ch = &checker{s: a.s, services: map[string]*Service{}}
	for i := range a.s.Services {
		c.ch.services[a.s.Services[i].Name] = &a.s.Services[i]
	}
	total := 0.0
	for _, m := range a.s.Entry.Mix {
		_, ep, _ := c.ch.ref(a.s.Entry.Service + "/" + m.Endpoint)
		e := c.steps(ep.Steps, false)
		total += float64(m.P * e.msgs)
	}
	return total, nil
}

// count is what running a list of steps sends: the expected messages, and the
// probabilities that it ends the program (by a fail step or a forward) and that it ends it by
// a forward (whose answer someone else sends).
type count struct {
	msgs, ended, forwarded float64
}

type counter struct {
	a    *App
	mpi  bool
	ch   *checker
	memo map[memoKey]count // an endpoint's program, run to its end
}

// memoKey is an endpoint run for a caller that waits for the answer or not (in MPI an async
// request's forwards are async too: nobody answers at the end of the chain).
type memoKey struct {
	ep    *Endpoint
	async bool
}

// endpoint is what a request to ep sends until its answer, the answer included.
func (c *counter) endpoint(ep *Endpoint, async bool) float64 {
	async = async && c.mpi
	e, ok := c.memo[memoKey{ep, async}]
	if !ok {
		e = c.steps(ep.Steps, async)
		c.memo[memoKey{ep, async}] = e
	}
	if async {
		return e.msgs // no answer, and a forward's chain answers nobody either
	}
	if c.mpi {
		return e.msgs + (1 - e.forwarded) // the endpoint's own answer unless it forwarded
	}
	return e.msgs + 1 // REST: the response
}

// call is what a call sends, its request included; async says whether the program runs for
// a caller that wants no answer (a forward hands that on).
func (c *counter) call(cl *Call, forward, async bool) float64 {
	_, ep, _ := c.ch.ref(cl.To)
	if !forward {
		async = cl.Async
	}
	return 1 + c.endpoint(ep, async)
}

func (c *counter) steps(steps []Step, async bool) count {
	var out count
	q := 1.0 // probability that the program is still running
	for i := range steps {
		st := &steps[i]
		var e count
		switch {
		case st.Call != nil:
			e.msgs = c.call(st.Call, false, async)
		case st.Parallel != nil:
			for j := range st.Parallel {
				e.msgs += c.call(&st.Parallel[j], false, async)
			}
		case st.Forward != nil:
			e.msgs = c.call(st.Forward, true, async)
			if c.mpi {
				e.ended, e.forwarded = 1, 1
			} else {
				e.ended = 1 // REST relays the answer: the endpoint answers itself
			}
		case st.Branch != nil:
			for _, cs := range st.Branch.Cases {
				sub := c.steps(cs.Steps, async)
				e.msgs += float64(cs.P * sub.msgs)
				e.ended += float64(cs.P * sub.ended)
				e.forwarded += float64(cs.P * sub.forwarded)
			}
		case st.Repeat != nil:
			sub := c.steps(st.Repeat.Steps, async)
			r := 1.0
			for range st.Repeat.Times {
				e.msgs += float64(r * sub.msgs)
				e.ended += float64(r * sub.ended)
				e.forwarded += float64(r * sub.forwarded)
				r *= 1 - sub.ended
				if r == 0 {
					break
				}
			}
		case st.Fail != nil:
			e.ended = 1
		case st.Variant != nil:
			list := st.Variant.REST
			if c.mpi {
				list = st.Variant.MPI
			}
			e = c.steps(list, async)
		}
		out.msgs += float64(q * e.msgs)
		out.ended += float64(q * e.ended)
		out.forwarded += float64(q * e.forwarded)
		q *= 1 - e.ended
		if q == 0 {
			break
		}
	}
	return out
}
