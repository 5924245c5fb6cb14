package comm

import (
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/edgesim/edgesim/cpu"
	"github.com/edgesim/edgesim/engine"
)

// HTTP status codes used by the REST layer (the same numbers as net/http).
const (
	StatusOK                  = 200
	StatusCreated             = 201
	StatusBadRequest          = 400
	StatusNotFound            = 404
	StatusMethodNotAllowed    = 405
	StatusInternalServerError = 500
	StatusServiceUnavailable  = 503
)

// Methods are the methods a pattern may name.
var Methods = []string{"GET", "POST", "PUT", "DELETE"}

// Request is one REST call as its handler sees it.
type Request struct {
	Method  string
	Service string     // callee
	Path    string     // "/catalog"
	Query   url.Values // parsed from the URL; shared between calls: read only
	Body    any
	From    string // caller
	Trace   Trace  // the exchange's trace on arrival (request leg included)
}

// Param returns the first value of a query parameter.
func (r *Request) Param(name string) string { return r.Query.Get(name) }

// Response is a status code and a body.
type Response struct {
	Status int
	Body   any
	// Trace is filled in by the layer: the exchange's trace when the response reached the
	// caller (whatever a handler puts here is replaced).
	Trace Trace
}

// OK reports a 2xx status.
func (r *Response) OK() bool { return r.Status >= 200 && r.Status < 300 }

// errorBody is the body of every error response the layer makes itself.
type errorBody struct {
	Error string   `json:"error"`
	Allow []string `json:"allow,omitempty"`
}

// Handler serves one method and path. An error becomes a 500 response. The layer copies the
// returned Response as soon as the handler returns, so a handler may return the same
// *Response every time (filled just before returning, without blocking in between). The
// Context, and the calls made through its Client with their responses, are the handler's
// until it returns: they are reused afterwards (the calls by Tracker.Release).
type Handler func(ctx *Context, req *Request) (*Response, error)

// Leaf serves one method and path without waiting for anything: it has no context (no
// process, no client) and answers as soon as it is called. An error becomes a 500 response;
// the returned Response is copied at once, as a Handler's is.
type Leaf func(req *Request) (*Response, error)

// AsyncHandler serves one method and path in callbacks: it may call other services through
// ctx.Client, wait for their responses with ctx.Await, and must answer once with ctx.Reply.
// It runs where a Handler's process would: it starts at the instant and in the order the
// handler would start, and each Await continues at the processing of the call's event, where
// a handler's Call.Wait would resume its process (at once when the response is already in).
// So a handler written this way runs exactly as the same handler written as a process,
// without a process. A panic in it is a panic in a callback.
type AsyncHandler func(ctx *AsyncContext, req *Request)

// AsyncContext is what an AsyncHandler may use. It is the handler's until it replies: it is
// reused afterwards, and so are the calls made through its Client (see Tracker.Release).
type AsyncContext struct {
	Client  *Client
	Tracker *Tracker
	x       *exchange
	replied bool
}

// Await calls then with c's response once it is in, in kernel context (see AsyncHandler),
// the tracker following it as Call.Wait's does.
func (ctx *AsyncContext) Await(c *Call, then func(*Response)) {
	if c.ev.Processed() {
		then(c.answer())
		return
	}
	r := ctx.x.r
	var a *awaitingCall
	if n := len(r.awaits); n > 0 {
		a, r.awaits = r.awaits[n-1], r.awaits[:n-1]
	} else {
		a = &awaitingCall{r: r}
		a.fire = a.done
	}
	a.c, a.then = c, then
	c.ev.OnTrigger(a.fire)
}

// Reply answers the request (an error or a nil response is a 500, as from a Handler). Only
// the first reply counts.
func (ctx *AsyncContext) Reply(resp *Response, err error) {
	if ctx.replied {
		return
	}
	ctx.replied = true
	x := ctx.x
	hs := x.hs
	x.respond(handled(resp, err), hs.tracker.Trace())
	hs.tracker.Release()
}

// awaitingCall is an Await on its way; pooled by the REST layer, its callback bound once.
type awaitingCall struct {
	r    *REST
	c    *Call
	then func(*Response)
	fire func(*engine.Event)
}

func (a *awaitingCall) done(*engine.Event) {
	c, then := a.c, a.then
	a.c, a.then = nil, nil
	a.r.awaits = append(a.r.awaits, a)
	then(c.answer())
}

// answer is the response of a call whose event is processed, as Wait returns it.
func (c *Call) answer() *Response {
	if err := c.ev.Err(); err != nil {
		return &Response{Status: StatusServiceUnavailable, Body: errorBody{Error: err.Error()}}
	}
	resp := c.ev.Value().(*Response)
	c.tr.Saw(c.arrived, resp.Trace)
	return resp
}

// Context is what a handler may use: its process (to wait), its service's client (to call
// other services) and the tracker of the exchange, which its client's calls follow.
type Context struct {
	Proc    *engine.Proc
	Client  *Client
	Tracker *Tracker
}

// Mux routes a service's requests by method and exact path, in the manner of net/http's
// ServeMux: patterns are parsed once, conflicts are refused at registration, and an unknown
// path (404) is told apart from a known path with another method (405, listing the allowed
// methods).
type Mux struct {
	routes map[string]map[string]route // path -> method -> handler
	flat   []flatRoute                 // the same, in registration order, for a quick scan
}

// flatRoute is one registered pattern.
type flatRoute struct {
	method, path string
	r            route
}

// flatMax is the most patterns a Mux scans before its maps: a service has a few.
const flatMax = 8

// route is what a pattern is served by: a handler or a leaf.
type route struct {
	h     Handler
	leaf  Leaf
	async AsyncHandler
}

func (r route) none() bool { return r.h == nil && r.leaf == nil && r.async == nil }

// Handle registers h for pattern "METHOD /path".
func (m *Mux) Handle(pattern string, h Handler) error {
	if h == nil {
		return fmt.Errorf("comm: pattern %q: nil handler", pattern)
	}
	return m.add(pattern, route{h: h})
}

// HandleLeaf registers a leaf for pattern "METHOD /path". The layer calls it in a callback
// at the instant, and in the order, in which it would start a Handler in a process of the
// service's pool (one queue entry at that instant), so a service whose handlers never wait
// runs exactly as with Handle, without two process switches per request.
func (m *Mux) HandleLeaf(pattern string, h Leaf) error {
	if h == nil {
		return fmt.Errorf("comm: pattern %q: nil handler", pattern)
	}
	return m.add(pattern, route{leaf: h})
}

// HandleAsync registers an AsyncHandler for pattern "METHOD /path".
func (m *Mux) HandleAsync(pattern string, h AsyncHandler) error {
	if h == nil {
		return fmt.Errorf("comm: pattern %q: nil handler", pattern)
	}
	return m.add(pattern, route{async: h})
}

func (m *Mux) add(pattern string, h route) error {
	method, path, ok := strings.Cut(pattern, " ")
	if !ok || !slices.Contains(Methods, method) || !strings.HasPrefix(path, "/") || strings.ContainsAny(path, " ?") {
		return fmt.Errorf("comm: bad pattern %q: want \"METHOD /path\" with METHOD one of %s", pattern, strings.Join(Methods, ", "))
	}
	if m.routes == nil {
		m.routes = make(map[string]map[string]route)
	}
	byMethod := m.routes[path]
	if byMethod == nil {
		byMethod = make(map[string]route)
		m.routes[path] = byMethod
	}
	if _, dup := byMethod[method]; dup {
		return fmt.Errorf("comm: pattern %q conflicts with one already registered", pattern)
	}
	byMethod[method] = h
	m.flat = append(m.flat, flatRoute{method, path, h})
	return nil
}

// lookup finds the handler, or the error response to send instead.
func (m *Mux) lookup(method, path string) (route, *Response) {
	if len(m.flat) <= flatMax {
		for i := range m.flat {
			if f := &m.flat[i]; f.path == path && f.method == method {
				return f.r, nil
			}
		}
	}
	byMethod := m.routes[path]
	if byMethod == nil {
		return route{}, &Response{Status: StatusNotFound, Body: errorBody{Error: "not found: " + path}}
	}
	if h, ok := byMethod[method]; ok {
		return h, nil
	}
	var allow []string
	for _, meth := range Methods { // fixed order, not map order
		if _, ok := byMethod[meth]; ok {
			allow = append(allow, meth)
		}
	}
	return route{}, &Response{Status: StatusMethodNotAllowed, Body: errorBody{Error: "method not allowed: " + method + " " + path, Allow: allow}}
}

// REST carries request/response calls over a fabric.
type REST struct {
	f         *Fabric
	muxes     map[string]*Mux
	muxAt     []*Mux                 // muxes by service id, as requests find them
	poolAt    []*engine.Pool         // per service id, its handler processes
	exchanges []*exchange            // free exchanges (see Do)
	calls     []*Call                // free calls (see Tracker.Release)
	urls      map[string]*parsedURL  // see parse
	errBodies map[unreachableKey]any // see errorBody
	awaits    []*awaitingCall        // free records of AsyncContext.Await
	spareURL  parsedURL
}

// handle runs job in a handler process of service. Handler processes are pooled per service
// (engine.Pool), so a busy service does not create a coroutine per request.
func (r *REST) handle(id int32, job func(p *engine.Proc)) {
	pl := r.poolAt[id]
	if pl == nil {
		pl = r.f.sim.NewPool(r.f.names[id] + " handler")
		r.poolAt[id] = pl
	}
	pl.Go(job)
}

// NewREST returns the REST layer of a fabric.
func NewREST(f *Fabric) *REST {
	return &REST{f: f, muxes: make(map[string]*Mux), muxAt: make([]*Mux, len(f.names)), poolAt: make([]*engine.Pool, len(f.names))}
}

// Mux returns the router of a service, creating it on first use.
func (r *REST) Mux(service string) *Mux {
	m := r.muxes[service]
	if m == nil {
		m = &Mux{}
		r.muxes[service] = m
		if id, ok := r.f.id(service); ok {
			r.muxAt[id] = m
		}
	}
	return m
}

// Client returns the calling side of a service.
func (r *REST) Client(service string) *Client {
	return &Client{r: r, from: service, fi: r.f.stat(service)}
}

// Client issues calls from one service.
type Client struct {
	r    *REST
	from string
	fi   int32    // from's id, -1 for a caller outside the application
	tr   *Tracker // nil: calls start with an empty trace and report to nobody
}

// Bind returns a client whose calls start with t's trace and report their completion to t
// when waited for (see Tracker).
func (c *Client) Bind(t *Tracker) *Client { return &Client{r: c.r, from: c.from, fi: c.fi, tr: t} }

// Get calls GET on url ("Service/path?k=v").
func (c *Client) Get(url string) *Call { return c.Do("GET", url, nil) }

// Post calls POST with a body.
func (c *Client) Post(url string, body any) *Call { return c.Do("POST", url, body) }

// Put calls PUT with a body.
func (c *Client) Put(url string, body any) *Call { return c.Do("PUT", url, body) }

// Delete calls DELETE.
func (c *Client) Delete(url string) *Call { return c.Do("DELETE", url, nil) }

// Call is a call in progress. Start several before waiting on any to overlap them.
//
// A call holds its event, its request and its response by value: one allocation per call,
// and none in steady state for the calls of a bound client (see Tracker.Release).
type Call struct {
	ev        engine.Event // succeeds with the *Response (&resp, or an error response)
	req       Request      // what the callee's handler sees
	resp      Response     // the callee's response as it travels back
	from, to  string
	fi, ti    int32 // from's and to's ids (-1: outside the application)
	sent      engine.Time
	abandoned bool
	tr        *Tracker    // of the client that made it
	arrived   engine.Time // when the response reached the caller (or the call failed)
	sim       *engine.Sim
	r         *REST // the layer that made it, which recycles it
}

// newCall returns a zero call of the layer, recycled when one is free.
func (r *REST) newCall() *Call {
	if n := len(r.calls); n > 0 {
		c := r.calls[n-1]
		r.calls[n-1] = nil
		r.calls = r.calls[:n-1]
		return c
	}
	return new(Call)
}

// recycle takes back a call whose use is over: its event processed (so its exchange is
// released and nothing in the queue refers to it) and its caller done with it.
func (r *REST) recycle(c *Call) {
	*c = Call{}
	r.calls = append(r.calls, c)
}

// Event is the call's completion event; its value is the *Response. It never fails:
// failures are status codes.
func (c *Call) Event() *engine.Event { return &c.ev }

// Wait blocks p until the response arrives.
func (c *Call) Wait(p *engine.Proc) *Response {
	if _, err := p.Wait(&c.ev); err != nil {
		return &Response{Status: StatusServiceUnavailable, Body: errorBody{Error: err.Error()}}
	}
	return c.answer()
}

// WaitFor waits at most d for the response; ok is false if it has not come yet. The call
// stays live: wait again, or Abandon it.
func (c *Call) WaitFor(p *engine.Proc, d engine.Time) (resp *Response, ok bool) {
	if !c.ev.Triggered() {
		if _, ok, err := p.WaitTimeout(&c.ev, d); err != nil || !ok {
			return nil, false
		}
	}
	return c.Wait(p), true
}

// WaitForLoop is WaitFor in a loop while again says to wait again and how long (see
// engine.Proc.WaitTimeoutLoop): ok is false once again says to stop. For the loop to be
// WaitFor's, again must say stop once the call's event is triggered.
func (c *Call) WaitForLoop(p *engine.Proc, d engine.Time, again func() (engine.Time, bool)) (resp *Response, ok bool) {
	if !c.ev.Triggered() {
		if _, ok, err := p.WaitTimeoutLoop(&c.ev, d, again); err != nil || !ok {
			return nil, false
		}
	}
	return c.Wait(p), true
}

// Abandon marks the call as given up: its response, if it ever arrives, is discarded and
// counted.
func (c *Call) Abandon() { c.abandoned = true }

// WaitTimeout is Wait that gives up after d and then abandons the call. ok is false when it
// gave up.
func (c *Call) WaitTimeout(p *engine.Proc, d engine.Time) (resp *Response, ok bool) {
	resp, ok = c.WaitFor(p, d)
	if !ok {
		c.Abandon()
	}
	return resp, ok
}

// parsedURL is a URL as Do uses it, cached per raw URL (a few distinct URLs recur in every
// workflow; parsing them each time would dominate a call's cost).
type parsedURL struct {
	service, path string
	query         url.Values
	err           error
	target        string // service + path, as a request's size counts it
	raw           string // the raw query
	ti            int32  // the service's id; -1 outside the application
}

// urlCacheCap bounds the URL cache: a run that makes ever new URLs stops caching.
const urlCacheCap = 4096

// parse is ParseURL through the cache. The query it returns is shared: handlers must only
// read it (Request.Query).
func (r *REST) parse(raw string) *parsedURL {
	if u, ok := r.urls[raw]; ok {
		return u
	}
	u := &r.spareURL // valid until the next parse, once the cache is full
	if len(r.urls) < urlCacheCap {
		u = new(parsedURL)
	}
	*u = parsedURL{ti: -1}
	u.service, u.path, u.query, u.err = ParseURL(raw)
	u.target = u.service + u.path
	if i := strings.IndexByte(raw, '?'); i >= 0 {
		u.raw = raw[i+1:]
	}
	if ti, ok := r.f.id(u.service); ok {
		u.ti = ti
	}
	if len(r.urls) < urlCacheCap {
		if r.urls == nil {
			r.urls = make(map[string]*parsedURL)
		}
		r.urls[raw] = u
	}
	return u
}

// ParseURL splits "Service/path?query" into its parts.
func ParseURL(raw string) (service, path string, query url.Values, err error) {
	rest, rawQuery, _ := strings.Cut(raw, "?")
	service, path, _ = strings.Cut(rest, "/")
	path = "/" + path
	if service == "" {
		return "", "", nil, fmt.Errorf("comm: bad URL %q: want Service/path", raw)
	}
	query, err = url.ParseQuery(rawQuery)
	if err != nil {
		return "", "", nil, fmt.Errorf("comm: bad URL %q: %w", raw, err)
	}
	return service, path, query, nil
}

// Do issues a call. The request travels to the callee's host, the callee's handler runs as a
// process of its own, and the response travels back. A malformed URL gets 400 and an unknown
// service 404, at once; a callee that cannot be reached gets 503 at once. The request's
// size is its body's, or, without a body, that of its query parameters as a JSON object.
func (c *Client) Do(method, rawURL string, body any) *Call {
	f := c.r.f
	call := c.r.newCall() // a zero call: its fields are set one by one, not copied whole
	call.from, call.fi, call.ti, call.sent, call.tr, call.sim, call.r = c.from, c.fi, -1, f.sim.Now(), c.tr, f.sim, c.r
	f.sim.InitEvent(&call.ev)
	var start Trace
	if c.tr != nil {
		start = c.tr.Trace()
		c.tr.calls = append(c.tr.calls, call)
	}
	u := c.r.parse(rawURL)
	if u.err != nil {
		call.finish(&Response{Status: StatusBadRequest, Body: errorBody{Error: u.err.Error()}})
		return call
	}
	service, path, query, ti := u.service, u.path, u.query, u.ti
	call.to = service
	if ti < 0 {
		call.finish(&Response{Status: StatusNotFound, Body: errorBody{Error: "unknown service " + service}})
		return call
	}
	call.ti = ti
	size, err := f.size(sizeKey{kind: sizeRequest, method: method, url: u.target, raw: u.raw, body: body})
	if err != nil {
		call.finish(&Response{Status: StatusBadRequest, Body: errorBody{Error: err.Error()}})
		return call
	}
	req := &call.req
	req.Method, req.Service, req.Path, req.Query, req.Body, req.From, req.Trace = method, service, path, query, body, c.from, start
	x := c.r.newExchange()
	x.call, x.req = call, req
	if err := f.transmitOn(c.fi, ti, c.from, service, false, size, x); err != nil {
		x.release()
		call.finish(c.r.unavailable(call, err))
	}
	return call
}

// exchange is one REST call on its way: the request leg, the callee's work and handler, and
// the response leg. Exchanges are pooled by the REST layer and their callbacks bound once.
type exchange struct {
	r        *REST
	call     *Call
	req      *Request
	h        route
	resp     *Response
	tr       Trace       // the exchange's trace when the response left
	left     engine.Time // when the response left
	response bool        // on the response leg
	onJob    func(cpu.Job)
	run      func(p *engine.Proc)
	runLeaf  func()
	hs       *handlerState // the callee's handler's context, kept with the exchange for reuse
}

func (r *REST) newExchange() *exchange {
	if n := len(r.exchanges); n > 0 {
		x := r.exchanges[n-1]
		r.exchanges = r.exchanges[:n-1]
		return x
	}
	x := &exchange{r: r}
	x.onJob, x.run, x.runLeaf = x.worked, x.handle, x.leaf
	return x
}

func (x *exchange) release() {
	r := x.r
	*x = exchange{r: r, onJob: x.onJob, run: x.run, runLeaf: x.runLeaf, hs: x.hs}
	r.exchanges = append(r.exchanges, x)
}

func (x *exchange) arrived() {
	if x.response {
		x.responded()
	} else {
		x.requested()
	}
}

func (x *exchange) lost() {
	call, body := x.call, requestLost
	if x.response {
		body = responseLost
	}
	x.release()
	call.resp = Response{Status: StatusServiceUnavailable, Body: body}
	call.finish(&call.resp)
}

// requested runs at the callee when the request arrives: the callee works on it (service
// time), then its handler runs; an unknown path or method is answered at once.
func (x *exchange) requested() {
	r, req := x.r, x.req
	leg := r.f.sim.Now() - x.call.sent
	req.Trace.Network += leg
	r.f.carried(x.call.fi, x.call.ti, req.From, req.Service, leg)
	var resp *Response
	if m := r.muxAt[x.call.ti]; m != nil {
		x.h, resp = m.lookup(req.Method, req.Path)
	} else {
		resp = &Response{Status: StatusNotFound, Body: errorBody{Error: "no handlers on " + req.Service}}
	}
	if x.h.none() {
		x.respond(resp, req.Trace)
		return
	}
	if err := r.f.work(x.call.ti, x.onJob); err != nil {
		x.respond(&Response{Status: StatusServiceUnavailable, Body: r.errorBody(err)}, req.Trace)
	}
}

// worked starts the handler once the callee has worked on the request.
func (x *exchange) worked(j cpu.Job) {
	x.r.f.worked(x.call.fi, x.call.ti, x.req.From, x.req.Service, j, &x.req.Trace)
	if x.h.leaf != nil || x.h.async != nil {
		// As the pool would start a handler: one queue entry now (none once closed).
		_, _ = x.r.f.sim.Schedule(0, x.runLeaf)
		return
	}
	x.r.handle(x.call.ti, x.run)
}

// leaf runs a Leaf or an AsyncHandler where a handler's process would run it.
func (x *exchange) leaf() {
	req := x.req
	if x.h.async != nil {
		hs := x.state(x.r.f.sim.Now())
		hs.actx = AsyncContext{Client: &hs.client, Tracker: &hs.tracker, x: x}
		x.h.async(&hs.actx, req)
		return
	}
	resp, err := x.h.leaf(req)
	x.respond(handled(resp, err), req.Trace) // a leaf calls nothing: the trace is the request's
}

// handled is what a handler's result sends back: an error or no response is a 500.
func handled(resp *Response, err error) *Response {
	switch {
	case err != nil:
		return &Response{Status: StatusInternalServerError, Body: errorBody{Error: err.Error()}}
	case resp == nil:
		return &Response{Status: StatusInternalServerError, Body: errorBody{Error: "handler returned no response"}}
	}
	return resp
}

// handlerState is what a handler's Context points to, in one allocation.
type handlerState struct {
	ctx     Context
	actx    AsyncContext
	client  Client
	tracker Tracker
}

// state readies the exchange's handler state for a handler starting at now.
func (x *exchange) state(now engine.Time) *handlerState {
	r, req := x.r, x.req
	hs := x.hs
	if hs == nil {
		hs = new(handlerState)
		x.hs = hs
	}
	calls := hs.tracker.calls[:0]
	hs.tracker = Tracker{tr: req.Trace, mark: now, calls: calls}
	hs.client = Client{r: r, from: req.Service, fi: x.call.ti, tr: &hs.tracker}
	return hs
}

// handle runs the handler in a handler process of the callee. The handler's context is the
// exchange's, reused by the next exchange once this one is over (a handler must not keep it,
// nor the calls it made and their responses, once it returns: see Handler).
func (x *exchange) handle(p *engine.Proc) {
	req := x.req
	hs := x.state(p.Now())
	hs.ctx = Context{Proc: p, Client: &hs.client, Tracker: &hs.tracker}
	defer hs.tracker.Release()
	resp, err := x.h.h(&hs.ctx, req)
	x.respond(handled(resp, err), hs.tracker.Trace())
}

// respond sends resp back to the caller; tr is the exchange's trace when it leaves.
func (x *exchange) respond(resp *Response, tr Trace) {
	f, req := x.r.f, x.req
	x.call.resp = *resp // the handler's value stays its own
	x.resp = &x.call.resp
	size, err := f.size(sizeKey{kind: sizeResponse, body: x.resp.Body})
	if err != nil {
		x.resp = &Response{Status: StatusInternalServerError, Body: errorBody{Error: err.Error()}}
		size, _ = f.size(sizeKey{kind: sizeResponse, body: x.resp.Body})
	}
	x.tr, x.left, x.response = tr, f.sim.Now(), true
	if err := f.transmitOn(x.call.ti, x.call.fi, req.Service, req.From, true, size, x); err != nil {
		call, r := x.call, x.r
		x.release()
		call.finish(r.unavailable(call, err))
	}
}

// responded runs at the caller when the response arrives.
func (x *exchange) responded() {
	f, call, resp := x.r.f, x.call, x.resp
	call.arrived = f.sim.Now()
	resp.Trace = x.tr
	resp.Trace.Network += call.arrived - x.left
	f.carried(call.fi, call.ti, call.from, call.to, call.arrived-x.left)
	if call.abandoned {
		// The caller gave up: its interaction saw no response, so this one is counted
		// apart (Pair.Late) and kept out of the pair's latency.
		f.discard()
		f.late(call.fi, call.ti, call.from, call.to)
	} else {
		f.record(call.fi, call.ti, call.from, call.to, call.arrived-call.sent)
	}
	x.release()
	call.finish(resp)
}

// unavailable makes c's response the 503 that err stops it with. The body, the error's
// text, is made once per distinct unreachable pair and reason (a loaded run refuses
// thousands of sends for a handful of reasons) and shared: a body is a value.
func (r *REST) unavailable(c *Call, err error) *Response {
	c.resp = Response{Status: StatusServiceUnavailable, Body: r.errorBody(err)}
	return &c.resp
}

// errBodiesCap bounds the error bodies a REST layer keeps.
const errBodiesCap = 1024

type unreachableKey struct{ from, to, reason string }

func (r *REST) errorBody(err error) any {
	ue, ok := err.(*UnreachableError)
	if !ok {
		return errorBody{Error: err.Error()}
	}
	k := unreachableKey{ue.From, ue.To, ue.Reason}
	if b, ok := r.errBodies[k]; ok {
		return b
	}
	var b any = errorBody{Error: ue.Error()}
	if len(r.errBodies) < errBodiesCap {
		if r.errBodies == nil {
			r.errBodies = make(map[unreachableKey]any)
		}
		r.errBodies[k] = b
	}
	return b
}

// The bodies of the 503s of messages lost in flight.
var (
	requestLost  any = errorBody{Error: "request lost in flight"}
	responseLost any = errorBody{Error: "response lost in flight"}
)

// flatten turns query values into a JSON-able map (first value of each key).
func flatten(q url.Values) map[string]string {
	m := make(map[string]string, len(q))
	for k, v := range q {
		m[k] = v[0] // json.Marshal sorts keys, so map order never shows
	}
	return m
}

func (c *Call) finish(resp *Response) {
	if c.arrived == 0 {
		c.arrived = c.sim.Now()
	}
	c.ev.Succeed(resp)
}
