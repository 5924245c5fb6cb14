package spec

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/edgesim/edgesim/comm"
	"github.com/edgesim/edgesim/engine"
	"github.com/edgesim/edgesim/scenario"
)

// program is a spec compiled for one run in one communication style: names resolved to
// pointers, style-specific steps and payloads chosen, random streams bound to the run.
type program struct {
	variant  string
	env      *scenario.Env
	services []*service
	entry    *service
	mix      []mixShare
	mixRng   *rand.Rand // nil with a single request
}

type mixShare struct {
	cum float64 // cumulative probability
	ep  *endpoint
}

type service struct {
	name      string
	endpoints map[string]*endpoint
	list      []*endpoint    // in spec order
	mpi       *comm.Endpoint // MPI: the service's endpoint
}

type endpoint struct {
	svc      *service
	name     string
	method   string
	url      string // "Service/name", for REST calls
	steps    []step
	response *payload
	failure  *payload
}

type stepKind uint8

const (
	sWork stepKind = iota
	sCall
	sParallel
	sForward
	sBranch
	sRepeat
	sFail
)

type step struct {
	kind  stepKind
	work  engine.Time
	calls []*call
	cases []branchCase
	rng   *rand.Rand
	times int
	steps []step   // repeat
	fail  *payload // nil: the endpoint's failure
}

type branchCase struct {
	cum   float64
	steps []step
}

type call struct {
	to        *endpoint
	req       *payload
	resp      *payload // replaces the callee's response; nil: the callee's own
	async     bool
	onFailure *payload // nil: the caller endpoint's failure
	onError   *payload
	wire      *wire // the request as sent, nil when its payload draws random integers
}

// payload is a compiled Payload: its status, its sizes outside random integers under the
// two size rules of comm (json: the canonical JSON length; eclypse: what ECLYPSE charges, see
// comm.PySize), and the random integers it draws.
type payload struct {
	status   int
	json, py int
	holes    []hole
	rngs     []*rand.Rand
	ok       *wire // the payload as a success answer (nil with holes)
	failed   *wire // as a failure answer (nil with holes)
}

// wire is a body on the wire: its sizes (comm.Sized), and what the interpreter carries beside
// the bytes: for an answer whether it is a failure, for a request the endpoint it is for, the
// answer the call asks for, and, for a forwarded MPI request, who is to get the answer.
type wire struct {
	json, py int
	failed   bool

	to        *endpoint
	resp      *payload
	async     bool
	forwarded bool
	origin    string
	originTag uint64
}

// JSONSize implements comm.Sized.
func (w *wire) JSONSize() int { return w.json }

// PySize implements comm.Sized.
func (w *wire) PySize() int { return w.py }

// draw is the sizes of one instance of the payload, drawing its random integers.
func (p *payload) draw() (j, py int) {
	j, py = p.json, p.py
	for i, h := range p.holes {
		v := h.min + p.rngs[i].Int64N(h.max-h.min+1)
		j += digits(v)
		py += pyInt(v)
	}
	return j, py
}

// answer is the payload sent as an answer.
func (p *payload) answer(failed bool) *wire {
	if p.ok != nil {
		if failed {
			return p.failed
		}
		return p.ok
	}
	j, py := p.draw()
	return &wire{json: j, py: py, failed: failed}
}

// request is the call's request as sent.
func (c *call) request() *wire {
	if c.wire != nil {
		return c.wire
	}
	j, py := c.req.draw()
	return &wire{json: j, py: py, to: c.to, resp: c.resp, async: c.async}
}

// forwarded is the call's request handed on from a request whose answer goes to origin.
func (c *call) forwarded(origin string, tag uint64, async bool) *wire {
	j, py := c.req.draw()
	return &wire{json: j, py: py, to: c.to, resp: c.resp, async: async, forwarded: true, origin: origin, originTag: tag}
}

// compiler compiles one spec for one run.
type compiler struct {
	s    *Spec
	prog *program
}

// compile builds the program of s for env's style, bound to env's simulation.
func compile(s *Spec, env *scenario.Env) (*program, error) {
	pr := &program{variant: env.Variant, env: env}
	c := &compiler{s: s, prog: pr}
	byName := map[string]*service{}
	for _, sv := range s.Services {
		x := &service{name: sv.Name, endpoints: map[string]*endpoint{}}
		for _, ep := range sv.Endpoints {
			m := ep.Method
			if m == "" {
				m = "POST"
			}
			e := &endpoint{svc: x, name: ep.Name, method: m, url: sv.Name + "/" + ep.Name}
			x.endpoints[ep.Name] = e
			x.list = append(x.list, e)
		}
		pr.services = append(pr.services, x)
		byName[sv.Name] = x
	}
	pr.entry = byName[s.Entry.Service]
	for i, sv := range s.Services {
		x := pr.services[i]
		for j := range sv.Endpoints {
			ep := &sv.Endpoints[j]
			e := x.list[j]
			stream := "apps/" + s.Name + "/randint/" + e.url
			var err error
			if e.response, err = c.payload(ep.Response, 200, stream, false); err != nil {
				return nil, err
			}
			if e.failure, err = c.payload(ep.Failure, 500, stream, false); err != nil {
				return nil, err
			}
			if e.response == nil {
				e.response = c.empty(200, false)
			}
			if e.failure == nil {
				e.failure = c.empty(500, false)
			}
			if e.steps, err = c.steps(byName, e, ep.Steps, ""); err != nil {
				return nil, err
			}
		}
	}
	cum := 0.0
	for _, m := range s.Entry.Mix {
		cum += m.P
		pr.mix = append(pr.mix, mixShare{cum: cum, ep: pr.entry.endpoints[m.Endpoint]})
	}
	if len(pr.mix) > 1 {
		name := s.Entry.Stream
		if name == "" {
			name = "apps/" + s.Name + "/mix"
		}
		pr.mixRng = env.Rand(name)
	}
	return pr, nil
}

// empty is the payload of nothing to send: 0 bytes of JSON; under the eclypse rule a REST
// request without arguments weighs nothing more than its url and method, while any other
// message without a body carries None (16 bytes), as comm sizes a nil body.
func (c *compiler) empty(status int, request bool) *payload {
	p := &payload{status: status, py: pyNone}
	if request && c.prog.variant == "rest" {
		p.py = 0
	}
	p.ok, p.failed = &wire{py: p.py}, &wire{py: p.py, failed: true}
	return p
}

// payload compiles a payload for the program's style; status is the default status, stream
// the default stream of its random integers, request whether it is a call's request.
func (c *compiler) payload(p *Payload, status int, stream string, request bool) (*payload, error) {
	if p == nil {
		return nil, nil
	}
	switch {
	case c.prog.variant == "mpi" && p.MPI != nil:
		p = p.MPI
	case c.prog.variant == "rest" && p.REST != nil:
		p = p.REST
	}
	out := c.empty(status, request)
	out.ok, out.failed = nil, nil
	if p.Status != 0 {
		out.status = p.Status
	}
	switch {
	case p.Size != nil:
		out.json, out.py = *p.Size, *p.Size
	case p.Query != nil:
		n, err := parseJSON(p.Query)
		if err != nil {
			return nil, err
		}
		if c.prog.variant == "rest" {
			out.json, out.py, err = querySizes(n)
		} else {
			out.json, out.py, err = bodySizes(n)
		}
		if err != nil {
			return nil, err
		}
	case p.Body != nil:
		n, err := parseJSON(p.Body)
		if err != nil {
			return nil, err
		}
		if n.kind == kNull {
			break // no body
		}
		text, holes, err := canonical(n)
		if err != nil {
			return nil, err
		}
		if out.py, err = pySize(n); err != nil {
			return nil, err
		}
		out.json, out.holes = len(text), holes
		for _, h := range holes {
			name := h.stream
			if name == "" {
				name = stream
			}
			out.rngs = append(out.rngs, c.prog.env.Rand(name))
		}
	}
	if len(out.holes) == 0 {
		out.ok, out.failed = &wire{json: out.json, py: out.py}, &wire{json: out.json, py: out.py, failed: true}
	}
	return out, nil
}

// steps compiles the steps of endpoint e; path locates them for default stream names.
func (c *compiler) steps(svcs map[string]*service, e *endpoint, in []Step, path string) ([]step, error) {
	var out []step
	randint := "apps/" + c.s.Name + "/randint/" + e.url
	for i := range in {
		st := &in[i]
		at := path + strconv.Itoa(i+1)
		switch {
		case st.Variant != nil:
			list, label := st.Variant.MPI, ".mpi."
			if c.prog.variant == "rest" {
				list, label = st.Variant.REST, ".rest."
			}
			sub, err := c.steps(svcs, e, list, at+label)
			if err != nil {
				return nil, err
			}
			out = append(out, sub...)
		case st.Work != nil:
			out = append(out, step{kind: sWork, work: engine.FromMilliseconds(st.Work.MS)})
		case st.Call != nil, st.Forward != nil:
			cl, kind := st.Call, sCall
			if st.Forward != nil {
				cl, kind = st.Forward, sForward
			}
			x, err := c.call(svcs, cl, randint, kind == sForward)
			if err != nil {
				return nil, err
			}
			out = append(out, step{kind: kind, calls: []*call{x}})
		case st.Parallel != nil:
			s := step{kind: sParallel}
			for j := range st.Parallel {
				x, err := c.call(svcs, &st.Parallel[j], randint, false)
				if err != nil {
					return nil, err
				}
				s.calls = append(s.calls, x)
			}
			out = append(out, s)
		case st.Branch != nil:
			name := st.Branch.Stream
			if name == "" {
				name = "apps/" + c.s.Name + "/branch/" + e.url + "/" + at
			}
			s := step{kind: sBranch, rng: c.prog.env.Rand(name)}
			cum := 0.0
			for j, cs := range st.Branch.Cases {
				cum += cs.P
				sub, err := c.steps(svcs, e, cs.Steps, at+".c"+strconv.Itoa(j+1)+".")
				if err != nil {
					return nil, err
				}
				s.cases = append(s.cases, branchCase{cum: cum, steps: sub})
			}
			out = append(out, s)
		case st.Repeat != nil:
			sub, err := c.steps(svcs, e, st.Repeat.Steps, at+".r.")
			if err != nil {
				return nil, err
			}
			out = append(out, step{kind: sRepeat, times: st.Repeat.Times, steps: sub})
		case st.Fail != nil:
			p, err := c.payload(st.Fail, 500, randint, false)
			if err != nil {
				return nil, err
			}
			if st.Fail.Body == nil && st.Fail.Query == nil && st.Fail.Size == nil && st.Fail.Status == 0 && st.Fail.MPI == nil && st.Fail.REST == nil {
				p = nil // fail: {} answers the endpoint's failure
			}
			out = append(out, step{kind: sFail, fail: p})
		default:
			return nil, fmt.Errorf("apps: endpoint %q: step %s: empty step", e.url, at)
		}
	}
	return out, nil
}

func (c *compiler) call(svcs map[string]*service, cl *Call, stream string, forward bool) (*call, error) {
	sv, ep, _ := strings.Cut(cl.To, "/")
	x := svcs[sv]
	if x == nil || x.endpoints[ep] == nil {
		return nil, fmt.Errorf("apps: call to unknown endpoint %q", cl.To)
	}
	out := &call{to: x.endpoints[ep], async: cl.Async && !forward}
	var err error
	if out.req, err = c.payload(cl.Request, 200, stream, true); err != nil {
		return nil, err
	}
	if out.req == nil {
		out.req = c.empty(200, true)
	}
	if out.resp, err = c.payload(cl.Response, 200, stream, false); err != nil {
		return nil, err
	}
	if out.onFailure, err = c.payload(cl.OnFailure, 500, stream, false); err != nil {
		return nil, err
	}
	if out.onError, err = c.payload(cl.OnError, 500, stream, false); err != nil {
		return nil, err
	}
	if len(out.req.holes) == 0 && !forward {
		out.wire = &wire{json: out.req.json, py: out.req.py, to: out.to, resp: out.resp, async: out.async}
	}
	return out, nil
}

// pick draws the request of a new workflow from the mix.
func (pr *program) pick() *endpoint {
	if pr.mixRng == nil {
		return pr.mix[0].ep
	}
	u := pr.mixRng.Float64()
	for _, m := range pr.mix {
		if u < m.cum {
			return m.ep
		}
	}
	return pr.mix[len(pr.mix)-1].ep // the probabilities summed to just under 1
}

// choose draws a branch's case.
func (s *step) choose() []step {
	u := s.rng.Float64()
	for _, c := range s.cases {
		if u < c.cum {
			return c.steps
		}
	}
	return s.cases[len(s.cases)-1].steps
}
