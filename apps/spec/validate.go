package spec

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"

	"github.com/edgesim/edgesim/comm"
)

// ProbTolerance is how far from 1 the probabilities of a branch or of the entry mix may sum:
// a mix written with decimals (0.6, 0.39, 0.005, 0.005) sums to 1 only up to float rounding,
// about 1e-16 per term; 1e-9 accepts any such rounding and still rejects every typo.
const ProbTolerance = 1e-9

// Bounds on a spec's numbers.
const (
	// MaxSize bounds a payload's size in bytes (4 GiB).
	MaxSize = 1 << 32
	// MaxTimes bounds a repeat's count.
	MaxTimes = 1 << 20
	// MaxSteps bounds the steps of a spec, nested ones included.
	MaxSteps = 1 << 20
	// MaxWorkMS bounds a work step's mean (one virtual day).
	MaxWorkMS = 86_400_000
)

// Methods are the REST methods an endpoint may declare.
var Methods = comm.Methods

var (
	serviceName  = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,199}$`)
	endpointName = regexp.MustCompile(`^[A-Za-z0-9_.~-]+(/[A-Za-z0-9_.~-]+)*$`)
)

// reservedStreams are random streams the run itself draws from: a spec naming one of them
// would shift the run's own draws.
var reservedStreams = []string{"infrastructure", "placement", "placement-check", "dynamics", "think", "arrivals"}

func checkStream(name string) error {
	if name == "" {
		return errors.New("empty stream name (leave it out for the default)")
	}
	if slices.Contains(reservedStreams, name) || strings.HasPrefix(name, "service-time/") {
		return fmt.Errorf("stream %q is the run's own (reserved: %s, service-time/...)", name, strings.Join(reservedStreams, ", "))
	}
	return nil
}

// Validate checks the whole spec and says what is wrong with the first bad element.
func (s *Spec) Validate() error {
	if err := s.validate(); err != nil {
		return fmt.Errorf("apps: %w", err)
	}
	return nil
}

// checker holds what validation has learnt so far.
type checker struct {
	s        *Spec
	services map[string]*Service
	entry    *Service
	steps    int
	answered map[*Endpoint][]string // answerers, memoised: chains of forwards share tails
}

// ref resolves "Service/endpoint".
func (c *checker) ref(to string) (*Service, *Endpoint, error) {
	svc, ep, ok := strings.Cut(to, "/")
	if !ok || svc == "" || ep == "" {
		return nil, nil, fmt.Errorf("call to %q: want \"Service/endpoint\"", to)
	}
	sv := c.services[svc]
	if sv == nil {
		return nil, nil, fmt.Errorf("unknown service %q", svc)
	}
	for i := range sv.Endpoints {
		if sv.Endpoints[i].Name == ep {
			return sv, &sv.Endpoints[i], nil
		}
	}
	return nil, nil, fmt.Errorf("service %q has no endpoint %q", svc, ep)
}

func (s *Spec) validate() error {
	c := &checker{s: s, services: map[string]*Service{}}
	if strings.TrimSpace(s.Name) == "" {
		return errors.New("the application has no name")
	}
	if len(s.Services) == 0 {
		return errors.New("no services")
	}
	for i := range s.Services {
		sv := &s.Services[i]
		if !serviceName.MatchString(sv.Name) {
			return fmt.Errorf("service %d: name %q: want letters, digits, '_', '.' or '-' (at most 200, not starting with a sign)", i+1, sv.Name)
		}
		if c.services[sv.Name] != nil {
			return fmt.Errorf("service %q given twice", sv.Name)
		}
		c.services[sv.Name] = sv
		if err := checkRequirements(sv.Requirements); err != nil {
			return fmt.Errorf("service %q: %w", sv.Name, err)
		}
		if sv.ServiceTime != "" {
			l := comm.Load{Service: sv.ServiceTime}
			if err := l.Validate(); err != nil || !l.ServiceTime() {
				return fmt.Errorf("service %q: service_time %q: want const, exp or lognormal:CV with 0 < CV <= 100", sv.Name, sv.ServiceTime)
			}
		}
		seen := map[string]bool{}
		for j, ep := range sv.Endpoints {
			if !endpointName.MatchString(ep.Name) || len(ep.Name) > 200 {
				return fmt.Errorf("service %q endpoint %d: name %q: want a path of letters, digits, '_', '.', '~' or '-' separated by single '/' (at most 200)", sv.Name, j+1, ep.Name)
			}
			if seen[ep.Name] {
				return fmt.Errorf("endpoint %q given twice", sv.Name+"/"+ep.Name)
			}
			seen[ep.Name] = true
			if ep.Method != "" && !slices.Contains(Methods, ep.Method) {
				return fmt.Errorf("endpoint %q: method %q: want one of %s", sv.Name+"/"+ep.Name, ep.Method, strings.Join(Methods, ", "))
			}
		}
	}
	if err := c.checkEntry(); err != nil {
		return err
	}
	for i := range s.Services {
		sv := &s.Services[i]
		for j := range sv.Endpoints {
			ep := &sv.Endpoints[j]
			where := fmt.Sprintf("endpoint %q", sv.Name+"/"+ep.Name)
			for _, p := range []struct {
				name string
				p    *Payload
			}{{"response", ep.Response}, {"failure", ep.Failure}} {
				if err := checkPayload(p.p); err != nil {
					return fmt.Errorf("%s: %s: %w", where, p.name, err)
				}
			}
			if err := c.checkSteps(sv, ep.Steps, where, true, 0); err != nil {
				return err
			}
		}
	}
	if err := c.checkCycles(); err != nil {
		return err
	}
	if err := c.checkInteractions(); err != nil {
		return err
	}
	for i, f := range s.Flows {
		if len(f) == 0 {
			return fmt.Errorf("flow %d is empty", i+1)
		}
		for _, n := range f {
			if c.services[n] == nil {
				return fmt.Errorf("flow %d: unknown service %q", i+1, n)
			}
		}
	}
	return nil
}

func checkRequirements(r Requirements) error {
	for _, v := range []struct {
		name string
		x    float64
	}{{"cpu", r.CPU}, {"gpu", r.GPU}, {"ram", r.RAM}, {"storage", r.Storage}, {"availability", r.Availability}, {"processing_time_ms", r.ProcessingTimeMS}} {
		if !(v.x >= 0) || math.IsInf(v.x, 0) {
			return fmt.Errorf("requirement %s must be a finite number >= 0, got %v", v.name, v.x)
		}
	}
	if r.Availability > 1 {
		return fmt.Errorf("requirement availability must be at most 1, got %v", r.Availability)
	}
	return nil
}

func checkProbs(what string, ps []float64) error {
	sum := 0.0
	for i, p := range ps {
		if !(p >= 0 && p <= 1) {
			return fmt.Errorf("%s %d: probability %v is not in [0, 1]", what, i+1, p)
		}
		sum += p
	}
	if math.Abs(sum-1) > ProbTolerance {
		return fmt.Errorf("probabilities sum to %v, want 1 (within %g)", sum, ProbTolerance)
	}
	return nil
}

func (c *checker) checkEntry() error {
	e := &c.s.Entry
	sv := c.services[e.Service]
	if sv == nil {
		if e.Service == "" {
			return errors.New("entry: no service")
		}
		return fmt.Errorf("entry: unknown service %q", e.Service)
	}
	c.entry = sv
	if e.Stream != "" {
		if err := checkStream(e.Stream); err != nil {
			return fmt.Errorf("entry: %w", err)
		}
	}
	if len(e.Mix) == 0 {
		return errors.New("entry: the mix has no requests")
	}
	ps := make([]float64, len(e.Mix))
	seen := map[string]bool{}
	for i, m := range e.Mix {
		if _, _, err := c.ref(e.Service + "/" + m.Endpoint); err != nil {
			return fmt.Errorf("entry: mix %d: %w", i+1, err)
		}
		if seen[m.Endpoint] {
			return fmt.Errorf("entry: mix %d: endpoint %q given twice", i+1, m.Endpoint)
		}
		seen[m.Endpoint] = true
		ps[i] = m.P
	}
	if err := checkProbs("request", ps); err != nil {
		return fmt.Errorf("entry: mix: %w", err)
	}
	return nil
}

func checkPayload(p *Payload) error {
	return checkPayloadDepth(p, 0)
}

func checkPayloadDepth(p *Payload, depth int) error {
	if p == nil {
		return nil
	}
	if p.Status != 0 && (p.Status < 100 || p.Status > 599) {
		return fmt.Errorf("status %d is not an HTTP status (100..599)", p.Status)
	}
	given := 0
	for _, x := range []bool{p.Body != nil, p.Query != nil, p.Size != nil} {
		if x {
			given++
		}
	}
	if given > 1 {
		return errors.New("give a body, a query or a size, not more than one")
	}
	if p.Query != nil {
		n, err := parseJSON(p.Query)
		if err != nil {
			return fmt.Errorf("query: %w", err)
		}
		if _, _, err := querySizes(n); err != nil {
			return fmt.Errorf("query: %w", err)
		}
	}
	if p.Size != nil && (*p.Size < 0 || *p.Size > MaxSize) {
		return fmt.Errorf("size %d: must be in 0..%d bytes", *p.Size, int64(MaxSize))
	}
	if p.Body != nil {
		n, err := parseJSON(p.Body)
		if err != nil {
			return fmt.Errorf("body: %w", err)
		}
		_, holes, err := canonical(n)
		if err != nil {
			return fmt.Errorf("body: %w", err)
		}
		if _, err := pySize(n); err != nil {
			return fmt.Errorf("body: %w", err)
		}
		for _, h := range holes {
			if h.stream != "" {
				if err := checkStream(h.stream); err != nil {
					return fmt.Errorf("body: %s: %w", randIntKey, err)
				}
			}
		}
	}
	for _, o := range []struct {
		name string
		p    *Payload
	}{{"mpi", p.MPI}, {"rest", p.REST}} {
		if o.p == nil {
			continue
		}
		if depth > 0 || o.p.MPI != nil || o.p.REST != nil {
			return fmt.Errorf("%s: a style's payload cannot hold another style's", o.name)
		}
		if err := checkPayloadDepth(o.p, depth+1); err != nil {
			return fmt.Errorf("%s: %w", o.name, err)
		}
	}
	return nil
}

// kindOf names the one field a step sets, or says why it is not one.
func kindOf(st *Step) (string, error) {
	var kinds []string
	if st.Work != nil {
		kinds = append(kinds, "work")
	}
	if st.Call != nil {
		kinds = append(kinds, "call")
	}
	if st.Parallel != nil {
		kinds = append(kinds, "parallel")
	}
	if st.Forward != nil {
		kinds = append(kinds, "forward")
	}
	if st.Branch != nil {
		kinds = append(kinds, "branch")
	}
	if st.Repeat != nil {
		kinds = append(kinds, "repeat")
	}
	if st.Fail != nil {
		kinds = append(kinds, "fail")
	}
	if st.Variant != nil {
		kinds = append(kinds, "variant")
	}
	switch len(kinds) {
	case 1:
		return kinds[0], nil
	case 0:
		return "", errors.New("empty step: want one of work, call, parallel, forward, branch, repeat, fail, variant")
	}
	return "", fmt.Errorf("a step does one thing, this one has %s", strings.Join(kinds, " and "))
}

// checkSteps checks a list of steps of service sv; tail says whether the list ends the
// endpoint's program (a forward may only come last there).
func (c *checker) checkSteps(sv *Service, steps []Step, where string, tail bool, depth int) error {
	if depth > MaxDepth/4 {
		return fmt.Errorf("%s: steps nested deeper than %d", where, MaxDepth/4)
	}
	for i := range steps {
		st := &steps[i]
		if c.steps++; c.steps > MaxSteps {
			return fmt.Errorf("%s: more than %d steps in the spec", where, MaxSteps)
		}
		at := fmt.Sprintf("%s step %d", where, i+1)
		kind, err := kindOf(st)
		if err != nil {
			return fmt.Errorf("%s: %w", at, err)
		}
		last := tail && i == len(steps)-1
		switch kind {
		case "work":
			if !(st.Work.MS >= 0 && st.Work.MS <= MaxWorkMS) {
				return fmt.Errorf("%s (work): ms must be in [0, %d], got %v", at, MaxWorkMS, st.Work.MS)
			}
		case "call":
			if err := c.checkCall(sv, st.Call, false); err != nil {
				return fmt.Errorf("%s (call): %w", at, err)
			}
		case "parallel":
			if len(st.Parallel) == 0 {
				return fmt.Errorf("%s (parallel): no calls", at)
			}
			for j := range st.Parallel {
				if err := c.checkCall(sv, &st.Parallel[j], false); err != nil {
					return fmt.Errorf("%s (parallel) call %d: %w", at, j+1, err)
				}
			}
		case "forward":
			if !last {
				return fmt.Errorf("%s (forward): a forward hands the answer on, so it must be the endpoint's last step", at)
			}
			if sv == c.entry {
				return fmt.Errorf("%s (forward): the entry service has no caller to answer: call instead", at)
			}
			if err := c.checkCall(sv, st.Forward, true); err != nil {
				return fmt.Errorf("%s (forward): %w", at, err)
			}
		case "branch":
			b := st.Branch
			if b.Stream != "" {
				if err := checkStream(b.Stream); err != nil {
					return fmt.Errorf("%s (branch): %w", at, err)
				}
			}
			if len(b.Cases) == 0 {
				return fmt.Errorf("%s (branch): no cases", at)
			}
			ps := make([]float64, len(b.Cases))
			for j, cs := range b.Cases {
				ps[j] = cs.P
				if err := c.checkSteps(sv, cs.Steps, fmt.Sprintf("%s case %d", at, j+1), last, depth+1); err != nil {
					return err
				}
			}
			if err := checkProbs("case", ps); err != nil {
				return fmt.Errorf("%s (branch): %w", at, err)
			}
		case "repeat":
			if st.Repeat.Times < 0 || st.Repeat.Times > MaxTimes {
				return fmt.Errorf("%s (repeat): times must be in 0..%d, got %d", at, MaxTimes, st.Repeat.Times)
			}
			if err := c.checkSteps(sv, st.Repeat.Steps, at+" (repeat)", false, depth+1); err != nil {
				return err
			}
		case "fail":
			if err := checkPayload(st.Fail); err != nil {
				return fmt.Errorf("%s (fail): %w", at, err)
			}
		case "variant":
			if err := c.checkSteps(sv, st.Variant.MPI, at+" mpi", last, depth+1); err != nil {
				return err
			}
			if err := c.checkSteps(sv, st.Variant.REST, at+" rest", last, depth+1); err != nil {
				return err
			}
		}
	}
	return nil
}

func (c *checker) checkCall(from *Service, call *Call, forward bool) error {
	to, _, err := c.ref(call.To)
	if err != nil {
		return err
	}
	if to == c.entry {
		return fmt.Errorf("calls the entry service %q, which only starts workflows", to.Name)
	}
	if forward && (call.Async || call.OnFailure != nil) {
		return errors.New("a forward's answer is the callee's: async and on_failure do not apply")
	}
	if call.Async && (call.OnFailure != nil || call.OnError != nil || call.Response != nil) {
		return errors.New("an async call waits for no answer: response, on_failure and on_error do not apply")
	}
	for _, p := range []struct {
		name string
		p    *Payload
	}{{"request", call.Request}, {"response", call.Response}, {"on_failure", call.OnFailure}, {"on_error", call.OnError}} {
		if err := checkPayload(p.p); err != nil {
			return fmt.Errorf("%s: %w", p.name, err)
		}
	}
	return nil
}

// callSite is one call of an endpoint's program, in either style.
type callSite struct {
	call     *Call
	forward  bool
	parallel bool // part of a parallel step
	mpi      bool // runs in MPI
	rest     bool // runs in REST
}

// calls lists the calls of a list of steps in the order written, with the styles they run in.
func calls(steps []Step, mpi, rest bool, out []callSite) []callSite {
	for i := range steps {
		st := &steps[i]
		switch {
		case st.Call != nil:
			out = append(out, callSite{call: st.Call, mpi: mpi, rest: rest})
		case st.Forward != nil:
			out = append(out, callSite{call: st.Forward, forward: true, mpi: mpi, rest: rest})
		case st.Parallel != nil:
			for j := range st.Parallel {
				out = append(out, callSite{call: &st.Parallel[j], parallel: true, mpi: mpi, rest: rest})
			}
		case st.Branch != nil:
			for _, cs := range st.Branch.Cases {
				out = calls(cs.Steps, mpi, rest, out)
			}
		case st.Repeat != nil:
			out = calls(st.Repeat.Steps, mpi, rest, out)
		case st.Variant != nil:
			out = calls(st.Variant.MPI, mpi, false, out)
			out = calls(st.Variant.REST, false, rest, out)
		}
	}
	return out
}

// checkCycles rejects a cycle of calls between endpoints: a request would never end.
func (c *checker) checkCycles() error {
	type key struct{ svc, ep string }
	state := map[key]int{} // 0 new, 1 on the path, 2 done
	var path []key
	var visit func(k key) error
	visit = func(k key) error {
		switch state[k] {
		case 1:
			i := slices.Index(path, k)
			var names []string
			for _, p := range append(path[i:], k) {
				names = append(names, p.svc+"/"+p.ep)
			}
			return fmt.Errorf("endpoint %q: a cycle of calls: %s", k.svc+"/"+k.ep, strings.Join(names, " -> "))
		case 2:
			return nil
		}
		state[k] = 1
		path = append(path, k)
		sv, ep, _ := c.ref(k.svc + "/" + k.ep)
		_ = sv
		for _, cs := range calls(ep.Steps, true, true, nil) {
			s, e, _ := strings.Cut(cs.call.To, "/")
			if err := visit(key{s, e}); err != nil {
				return err
			}
		}
		path = path[:len(path)-1]
		state[k] = 2
		return nil
	}
	for _, sv := range c.s.Services {
		for _, ep := range sv.Endpoints {
			if err := visit(key{sv.Name, ep.Name}); err != nil {
				return err
			}
		}
	}
	return nil
}

// answerers returns the services that may send the answer to a request for sv/ep in MPI:
// the service itself when its program can end without a forward, and the answerers of
// every endpoint it forwards to. Needs an acyclic spec.
func (c *checker) answerers(sv *Service, ep *Endpoint) []string {
	if a, ok := c.answered[ep]; ok {
		return a
	}
	var out []string
	defer func() {
		if c.answered == nil {
			c.answered = map[*Endpoint][]string{}
		}
		c.answered[ep] = out
	}()
	var tails func(steps []Step, mpi bool) bool // reports whether the list can end without a forward
	tails = func(steps []Step, mpi bool) bool {
		if len(steps) == 0 {
			return true
		}
		last := &steps[len(steps)-1]
		switch {
		case last.Forward != nil:
			if mpi {
				fs, fe, _ := c.ref(last.Forward.To)
				for _, a := range c.answerers(fs, fe) {
					if !slices.Contains(out, a) {
						out = append(out, a)
					}
				}
				return false
			}
			return true
		case last.Branch != nil:
			own := false
			for _, cs := range last.Branch.Cases {
				own = tails(cs.Steps, mpi) || own
			}
			return own
		case last.Variant != nil:
			return tails(last.Variant.MPI, mpi)
		}
		return true
	}
	if tails(ep.Steps, true) && !slices.Contains(out, sv.Name) {
		out = append([]string{sv.Name}, out...)
	}
	return out
}

func (c *checker) checkInteractions() error {
	seen := map[[2]string]bool{}
	for i, in := range c.s.Interactions {
		at := fmt.Sprintf("interaction %d (%s -> %s)", i+1, in.From, in.To)
		for _, n := range []string{in.From, in.To} {
			if c.services[n] == nil {
				return fmt.Errorf("%s: unknown service %q", at, n)
			}
		}
		if in.From == in.To {
			return fmt.Errorf("%s: a service does not interact with itself", at)
		}
		for _, v := range []struct {
			name string
			x    *float64
		}{{"latency_ms", in.LatencyMS}, {"bandwidth_mbps", in.BandwidthMbps}} {
			if v.x != nil && (!(*v.x >= 0) || math.IsInf(*v.x, 0)) {
				return fmt.Errorf("%s: %s must be a finite number >= 0, got %v", at, v.name, *v.x)
			}
		}
		pairs := [][2]string{{in.From, in.To}}
		if in.Symmetric {
			pairs = append(pairs, [2]string{in.To, in.From})
		}
		for _, p := range pairs {
			if seen[p] {
				return fmt.Errorf("%s: %s -> %s given twice", at, p[0], p[1])
			}
			seen[p] = true
		}
	}
	return nil
}
