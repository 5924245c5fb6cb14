package comm

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/url"
	"reflect"
	"strconv"
	"strings"

	"github.com/edgesim/edgesim/cpu"
	"github.com/edgesim/edgesim/engine"
	"github.com/edgesim/edgesim/flow"
	"github.com/edgesim/edgesim/network"
	"github.com/edgesim/edgesim/placement"
)

// ErrUnreachable is matched (errors.Is) by every *UnreachableError.
var ErrUnreachable = errors.New("comm: unreachable")

// ErrLost fails an MPI send whose message was lost in flight.
var ErrLost = errors.New("comm: message lost in flight")

// ErrRejected is matched (errors.Is) by the error of a request refused on arrival because
// its recipient's CPU queue was full (Load.QueueLimit).
var ErrRejected = errors.New("comm: request rejected: queue full")

// UnreachableError says why a message could not be sent.
type UnreachableError struct {
	From, To string
	Reason   string
}

func (e *UnreachableError) Error() string {
	return fmt.Sprintf("comm: %s -> %s unreachable: %s", e.From, e.To, e.Reason)
}

// Is makes errors.Is(err, ErrUnreachable) true.
func (e *UnreachableError) Is(target error) bool { return target == ErrUnreachable }

// Fabric carries messages between the services of one application deployed on one
// infrastructure. It owns the current placement and the counters; MPI and REST sit on it.
type Fabric struct {
	sim   *engine.Sim
	graph *network.Graph
	app   *placement.Application
	model Model
	hosts placement.Placement // nil while undeployed

	// Services have dense ids, their index in the application (names[id]); the send path
	// works on ids so that a message costs no string-keyed lookup beyond its recipient's id.
	ids    map[string]int32 // looked up, never iterated
	names  []string
	hostAt []int32 // per service id, its node's index in the graph; -1 when not placed

	// routes caches, per (from, to, direction) of two services, where a message goes and
	// by which path (see route); an entry holds while the graph's Version and the epoch
	// are those it was computed at.
	routes  pairTable[routeEntry]
	scratch routeEntry // route's answer for a name outside the application

	// Loss in flight is decided by comparing what a message saw when it left with what holds
	// when it arrives: epoch counts deploys and undeploys (an undeploy followed by a redeploy
	// on the same host still loses the messages in flight), downs counts each node's up -> down
	// transitions seen by SyncNodes (a node that goes down and comes back while a message
	// travels still loses it).
	epoch uint64
	downs []uint32
	up    []bool // each node's state at the last SyncNodes

	load      *loadState            // nil: no contention (the reference run)
	sizes     []*sizeWays           // wire sizes by body type (see size)
	jsonSizes bool                  // size rule json (default: eclypse)
	flights   []*flight             // free flights (see transmit)
	flows     *flow.Net             // links shared (Load.Links fair); nil: free links
	keyable   map[reflect.Type]bool // see cacheable
	ns        string                // prefix of the random streams' names (SetNamespace)

	// Total counts the whole run; Step counts since the last ResetStep.
	Total, Step Stats
}

// NewFabric returns a fabric with nothing deployed.
func NewFabric(sim *engine.Sim, g *network.Graph, app *placement.Application, m Model) *Fabric {
	ids := make(map[string]int32, len(app.Services))
	var names []string
	for _, s := range app.Services {
		if _, dup := ids[s.Name]; !dup {
			ids[s.Name] = int32(len(names))
			names = append(names, s.Name)
		}
	}
	f := &Fabric{sim: sim, graph: g, app: app, model: m, ids: ids, names: names}
	f.hostAt = make([]int32, len(names))
	f.routes = newPairTable[routeEntry](2 * len(names) * len(names))
	f.Total.order, f.Step.order = app, app
	f.Total.ids, f.Step.ids = ids, ids
	f.downs = make([]uint32, g.Len())
	f.up = make([]bool, g.Len())
	for i, n := range g.Nodes() {
		f.up[i] = g.Up(n)
	}
	return f
}

// SyncNodes records which nodes went down since the last call. Whoever changes node
// availability while messages may be in flight (the step loop after the dynamics, a scripted
// outage) calls it at once, so that a message towards a node that went down is lost even if
// the node is back by the time the message arrives.
func (f *Fabric) SyncNodes() {
	for i := range f.graph.Len() {
		up := f.graph.UpAt(i)
		if f.up[i] && !up {
			f.downs[i]++
		}
		f.up[i] = up
	}
}

// Sim returns the simulation the fabric schedules on.
func (f *Fabric) Sim() *engine.Sim { return f.sim }

// App returns the application.
func (f *Fabric) App() *placement.Application { return f.app }

// Deploy makes p the current placement (copied).
func (f *Fabric) Deploy(p placement.Placement) {
	f.epoch++
	f.hosts = make(placement.Placement, len(p))
	for _, s := range f.app.Services {
		if n, ok := p[s.Name]; ok {
			f.hosts[s.Name] = n
		}
	}
	for i, name := range f.names {
		f.hostAt[i] = -1
		if n, ok := f.hosts[name]; ok {
			if ni, ok := f.graph.Index(n); ok {
				f.hostAt[i] = int32(ni)
			}
		}
	}
}

// id returns the id of an application service.
func (f *Fabric) id(service string) (int32, bool) {
	i, ok := f.ids[service]
	return i, ok
}

// Undeploy removes the placement: every send fails until the next Deploy, and every message
// in flight is lost on arrival, even if the next Deploy puts its service back on the same node.
func (f *Fabric) Undeploy() {
	f.epoch++
	f.hosts = nil
}

// Deployed reports whether a placement is deployed.
func (f *Fabric) Deployed() bool { return f.hosts != nil }

// Host returns the node of a deployed service.
func (f *Fabric) Host(service string) (string, bool) {
	n, ok := f.hosts[service]
	return n, ok
}

// ResetStep starts a new step's counters.
func (f *Fabric) ResetStep() { f.Step.reset() }

// Sized is a body that knows its size under each size rule, so that the fabric neither
// encodes nor walks it: JSONSize is the length of its canonical JSON encoding (rule json,
// Size), PySize what ECLYPSE charges for it (rule eclypse, PySize). A REST request's url and
// method and a response's status are counted on top, as for any body. A declarative
// application sends such bodies: it knows their sizes, and carries beside them what its
// interpreter needs.
type Sized interface {
	JSONSize() int
	PySize() int
}

// Size is the size of a body on the wire: the length of its canonical JSON encoding
// (encoding/json, compact, struct fields in declaration order, map keys sorted), or its
// JSONSize for a Sized body. A nil body has size 0.
func Size(body any) (int, error) {
	if body == nil {
		return 0, nil
	}
	if s, ok := body.(Sized); ok {
		return max(s.JSONSize(), 0), nil
	}
	b, err := json.Marshal(body)
	if err != nil {
		return 0, fmt.Errorf("comm: encode body %T: %w", body, err)
	}
	return len(b), nil
}

// leg is one message on its way, with what it saw when it left.
type leg struct {
	toIdx int32 // the recipient's node's index in the graph
	size  int
	epoch uint64
	downs uint32 // of the recipient's node
}

// lostOnArrival reports whether l, arriving now, finds its destination changed since it left.
// With the epoch unchanged the placement is the one the message left under, so its
// recipient is still on the node it left for: only that node's state can have changed.
func (f *Fabric) lostOnArrival(l *leg) bool {
	if f.epoch != l.epoch || f.downs[l.toIdx] != l.downs {
		return true
	}
	return !f.graph.UpAt(int(l.toIdx))
}

// carrier is what a message carries for its sender: told when the message arrives at a
// destination that still holds what it left for, or that it was lost on the way.
type carrier interface {
	arrived()
	lost()
}

// flight is one message on its way. Flights are pooled by the fabric and their callbacks
// bound once, so a message costs no allocation for its scheduling.
type flight struct {
	f     *Fabric
	l     leg
	c     carrier
	path  network.Path // fair links: the path to share, then the fixed delay already paid
	land  func()       // bound to (*flight).doLand
	share func()       // bound to (*flight).doShare
}

func (f *Fabric) newFlight() *flight {
	if n := len(f.flights); n > 0 {
		fl := f.flights[n-1]
		f.flights = f.flights[:n-1]
		return fl
	}
	fl := &flight{f: f}
	fl.land, fl.share = fl.doLand, fl.doShare
	return fl
}

// doLand delivers the message, or loses it if its destination changed while it travelled.
func (fl *flight) doLand() {
	f, c, l := fl.f, fl.c, fl.l
	fl.c, fl.path = nil, network.Path{}
	f.flights = append(f.flights, fl)
	if f.lostOnArrival(&l) {
		f.Total.Lost++
		f.Step.Lost++
		c.lost()
		return
	}
	c.arrived()
}

// doShare starts the link-sharing part of a message's delay (fair links).
func (fl *flight) doShare() {
	f := fl.f
	if err := f.share(fl.path, fl.l.size, fl.land); err != nil {
		fl.doLand() // cannot happen for a valid path; landing beats hanging
	}
}

// transmit sends size bytes from service from to service to on behalf of c. It returns an
// *UnreachableError at once (counting it) when the message cannot leave; otherwise c learns
// after the route's delay whether the message arrived or was lost.
//
// With links shared (Load.Links fair) a message first pays the fixed part of its delay (the
// cost model's delay for an empty body: node processing and link latency), then moves its
// bytes over every link of its path at once, at the max-min fair rate it gets among the
// transfers crossing those links (package flow), and arrives when the last byte is through.
func (f *Fabric) transmit(from, to string, size int, c carrier) error {
	return f.transmitOn(f.stat(from), f.stat(to), from, to, false, size, c)
}

// stat is the id of a service for the counters: -1 for a name outside the application.
func (f *Fabric) stat(service string) int32 {
	if i, ok := f.ids[service]; ok {
		return i
	}
	return -1
}

// transmitOn is transmit for ends whose ids are known (fi, ti: -1 for a name outside the
// application); with reverse the message is priced on the route from to's host to from's
// host (a REST response travels, as in ECLYPSE, at the cost of its request's route).
func (f *Fabric) transmitOn(fi, ti int32, from, to string, reverse bool, size int, c carrier) error {
	e := f.route(fi, ti, from, to, reverse)
	if e.reason != "" {
		f.Total.Unreachable++
		f.Step.Unreachable++
		return &UnreachableError{From: from, To: to, Reason: e.reason}
	}
	f.Total.Messages++
	f.Step.Messages++
	f.Total.Bytes += size
	f.Step.Bytes += size
	fl := f.newFlight()
	fl.l = leg{toIdx: e.toIdx, size: size, epoch: f.epoch, downs: f.downs[e.toIdx]}
	fl.c = c
	var delay engine.Time
	if len(e.path.Hops) > 0 {
		if f.flows != nil && size > 0 && f.model.Transmits() {
			fl.path = e.path
			_, err := f.sim.Schedule(f.model.Delay(e.path, 0), fl.share)
			return err
		}
		delay = f.delay(e, size)
	}
	_, err := f.sim.Schedule(delay, fl.land)
	return err
}

// delay is the model's delay of size bytes on e's path, remembered for the next message of
// the same size when the model is the built-in eclypse (a user's model is asked every time).
func (f *Fabric) delay(e *routeEntry, size int) engine.Time {
	if _, pure := f.model.(Eclypse); !pure {
		return f.model.Delay(e.path, size)
	}
	if e.lastSize != size+1 { // +1: the zero entry remembers nothing
		e.lastSize, e.lastDelay = size+1, f.model.Delay(e.path, size)
	}
	return e.lastDelay
}

// routeEntry is a cached outcome of findRoute for two services and a direction.
type routeEntry struct {
	version uint64 // graph version it was computed at
	epoch   uint64 // fabric epoch it was computed at
	valid   bool   // computed at all
	reason  string // why the message cannot leave; "" when it can
	toIdx   int32
	path    network.Path // empty when both ends are on one node

	// The delay of the last size sent on it, under the eclypse model (a pure function of the
	// path and the size: most messages on a route are of the size before them).
	lastSize  int
	lastDelay engine.Time
}

// route finds where a message goes and by which path: findRoute's outcome but the
// size-dependent delay and the state of the recipient's node, which the caller reads when
// the message leaves. For two application services (fi, ti >= 0) it is cached until the
// graph or the placement changes, since it depends on nothing else; for other names it is
// computed into a scratch entry, valid until the next call.
func (f *Fabric) route(fi, ti int32, from, to string, reverse bool) *routeEntry {
	if fi < 0 || ti < 0 {
		f.fill(&f.scratch, from, to, reverse)
		return &f.scratch
	}
	k := 2 * (int(fi)*len(f.names) + int(ti))
	if reverse {
		k++
	}
	e := f.routes.at(k, func() *routeEntry { return new(routeEntry) })
	if !e.valid || e.version != f.graph.Version() || e.epoch != f.epoch {
		f.fill(e, from, to, reverse)
	}
	return e
}

// WarmRoutes recomputes now the cached routes that the last change of the graph or of the
// placement made stale, which the next messages between the same services would otherwise
// recompute on their way. The step loop calls it at each boundary, after the placement and
// the dynamics, so that route searches run there rather than in the process of whichever
// workflow sends first (a search needs a deep stack, which each such process would grow).
// Routes depend only on the graph and the placement, so a run is the same with or without
// it. Only a small application's routes are warmed (see denseKeys); a big one's stay lazy.
func (f *Fabric) WarmRoutes() {
	if f.routes.keys > denseKeys {
		return
	}
	n := len(f.names)
	for k, e := range f.routes.dense {
		if e == nil || !e.valid || (e.version == f.graph.Version() && e.epoch == f.epoch) {
			continue
		}
		pair := k / 2
		f.fill(e, f.names[pair/n], f.names[pair%n], k%2 == 1)
	}
}

// fill computes e with findRoute.
func (f *Fabric) fill(e *routeEntry, from, to string, reverse bool) {
	l, path, _, err := f.findRoute(from, to, reverse, 0)
	*e = routeEntry{version: f.graph.Version(), epoch: f.epoch, valid: true, toIdx: l.toIdx, path: path}
	if err != nil {
		e.reason = err.(*UnreachableError).Reason
	}
}

// findRoute is route without the cache.
func (f *Fabric) findRoute(from, to string, reverse bool, size int) (leg, network.Path, engine.Time, error) {
	unreachable := func(reason string) (leg, network.Path, engine.Time, error) {
		return leg{}, network.Path{}, 0, &UnreachableError{From: from, To: to, Reason: reason}
	}
	if _, ok := f.ids[to]; !ok {
		return unreachable("unknown service")
	}
	if f.hosts == nil {
		return unreachable("application not deployed")
	}
	src, ok := f.hosts[from]
	if !ok {
		return unreachable(from + " not placed")
	}
	dst, ok := f.hosts[to]
	if !ok {
		return unreachable(to + " not placed")
	}
	if !f.graph.Up(src) {
		return unreachable("node " + src + " is down")
	}
	if !f.graph.Up(dst) {
		return unreachable("node " + dst + " is down")
	}
	di, _ := f.graph.Index(dst)
	l := leg{toIdx: int32(di), size: size, epoch: f.epoch, downs: f.downs[di]}
	if src == dst {
		return l, network.Path{}, 0, nil
	}
	if reverse {
		src, dst = dst, src
	}
	path, err := f.graph.Route(src, dst)
	if err != nil {
		return unreachable(err.Error())
	}
	return l, path, f.model.Delay(path, size), nil
}

// The size cache holds, per body type, the sizes of the last sizeWaysN distinct keys sized
// (replaced in turn), for at most sizeTypesCap types: a body type whose values rarely repeat
// (a random transaction id) costs a sizing per message but no memory, and cannot evict the
// sizes of the bodies that do repeat, which are of other types.
const (
	sizeWaysN    = 8
	sizeTypesCap = 64
)

// sizeWays is the size cache of one body type (nil for requests without a body).
type sizeWays struct {
	t     reflect.Type
	ok    bool // values of t can be compared with == (see cacheable)
	n     int  // keys in use
	next  int  // the next to replace once full
	keys  [sizeWaysN]sizeKey
	sizes [sizeWaysN]int
}

// ways returns the size cache of body type t, nil when sizeTypesCap types have one already.
func (f *Fabric) ways(t reflect.Type) *sizeWays {
	for _, w := range f.sizes {
		if w.t == t {
			return w
		}
	}
	if len(f.sizes) >= sizeTypesCap {
		return nil
	}
	w := &sizeWays{t: t, ok: t == nil || f.cacheable(t)}
	f.sizes = append(f.sizes, w)
	return w
}

// cacheable reports whether values of type t can be map keys without a run-time panic:
// comparable, and with no interface inside (whose dynamic value might not be). Answers are
// kept per type.
func (f *Fabric) cacheable(t reflect.Type) bool {
	if ok, seen := f.keyable[t]; seen {
		return ok
	}
	var plain func(t reflect.Type, depth int) bool
	plain = func(t reflect.Type, depth int) bool {
		switch {
		case depth > 8 || !t.Comparable() || t.Kind() == reflect.Interface:
			return false
		case t.Kind() == reflect.Struct:
			for i := range t.NumField() {
				if !plain(t.Field(i).Type, depth+1) {
					return false
				}
			}
		case t.Kind() == reflect.Array:
			return plain(t.Elem(), depth+1)
		}
		return true // pointers are compared by address, whatever they point to
	}
	ok := plain(t, 0)
	if f.keyable == nil {
		f.keyable = make(map[reflect.Type]bool)
	}
	f.keyable[t] = ok
	return ok
}

// SizeRules are the ways a message's size can be counted, default first: eclypse (what
// ECLYPSE 0.9.0 charges: CPython's sys.getsizeof summed over the body's parts, see PySize; a
// REST request adds its url and method, a response its status) and json (the length of the
// body's canonical JSON encoding, about 4.7 times smaller).
var SizeRules = []string{"eclypse", "json"}

// SetSizeRule picks how message sizes are counted (SizeRules; "" is the default, eclypse).
func (f *Fabric) SetSizeRule(rule string) error {
	switch rule {
	case "", "eclypse":
		f.jsonSizes = false
	case "json":
		f.jsonSizes = true
	default:
		return fmt.Errorf("comm: unknown size rule %q (valid: %s)", rule, strings.Join(SizeRules, ", "))
	}
	f.sizes = nil
	return nil
}

// What a size is counted for.
const (
	sizeMessage  = iota // an MPI message: its body
	sizeRequest         // a REST request: method, url, query and body
	sizeResponse        // a REST response: its body (and status)
)

// sizeKey is what a size depends on; it is the size cache's key.
type sizeKey struct {
	kind             uint8
	method, url, raw string // requests: method, "Service/path", raw query
	body             any
}

// size is the size on the wire of what k describes, under the fabric's size rule. Sizing
// means walking or encoding the body, a microsecond or more, so sizes are cached when the body
// is comparable (no slice or map inside, or only behind pointers): a body is a value, and
// what it points to must not change once it has been sent. The cache is looked up by the
// body's type and then by ==, with no hashing and no allocation.
func (f *Fabric) size(k sizeKey) (int, error) {
	if _, ok := k.body.(Sized); ok {
		return f.measure(k) // knows its size: nothing to cache
	}
	w := f.ways(reflect.TypeOf(k.body))
	if w == nil || !w.ok {
		return f.measure(k)
	}
	for i := range w.n {
		if w.keys[i] == k {
			return w.sizes[i], nil
		}
	}
	n, err := f.measure(k)
	if err == nil {
		i := w.n
		if i < sizeWaysN {
			w.n++
		} else {
			i = w.next
			w.next = (w.next + 1) % sizeWaysN
		}
		w.keys[i], w.sizes[i] = k, n
	}
	return n, err
}

// measure computes a size without the cache.
func (f *Fabric) measure(k sizeKey) (int, error) {
	var args any = k.body
	if k.kind == sizeRequest && k.body == nil && k.raw != "" {
		q, err := url.ParseQuery(k.raw)
		if err != nil {
			return 0, err
		}
		if f.jsonSizes {
			args = flatten(q) // the parameters as a JSON object of strings
		} else {
			args = pyArgs(q) // keyword arguments, as ECLYPSE's callers pass them
		}
	}
	switch {
	case f.jsonSizes:
		return Size(args)
	case k.kind == sizeRequest:
		return PyRequestSize(k.url, k.method, args)
	case k.kind == sizeResponse:
		return PyResponseSize(k.body)
	}
	return PySize(k.body)
}

// pyArgs are query parameters as the keyword arguments ECLYPSE's REST callers pass: a value
// that reads as an integer or a float is a number, anything else a string.
func pyArgs(q url.Values) map[string]any {
	m := make(map[string]any, len(q))
	for k, v := range q {
		if n, err := strconv.ParseInt(v[0], 10, 64); err == nil {
			m[k] = n
		} else if x, err := strconv.ParseFloat(v[0], 64); err == nil && !math.IsInf(x, 0) && !math.IsNaN(x) {
			m[k] = x
		} else {
			m[k] = v[0]
		}
	}
	return m
}

// discard counts a reply that arrived for an abandoned exchange.
func (f *Fabric) discard() {
	f.Total.Discarded++
	f.Step.Discarded++
}

// carried adds a message's delay to the network time of the pair (caller -> callee) it
// belongs to; fi and ti are the ends' ids (-1: not an application service).
func (f *Fabric) carried(fi, ti int32, from, to string, d engine.Time) {
	f.Total.pairAt(fi, ti, from, to).Network += d
	f.Step.pairAt(fi, ti, from, to).Network += d
}

// worked adds a request's wait and work at its recipient to the pair's figures and to the
// request's trace.
func (f *Fabric) worked(fi, ti int32, from, to string, j cpu.Job, tr *Trace) {
	if !f.serviceTime() {
		return
	}
	tr.Queue += j.Wait
	tr.Service += j.Work
	for _, s := range [2]*Stats{&f.Total, &f.Step} {
		p := s.pairAt(fi, ti, from, to)
		p.Queue += j.Wait
		p.Service += j.Work
	}
}

// late counts a REST response that arrived after its caller gave up.
func (f *Fabric) late(fi, ti int32, from, to string) {
	f.Total.pairAt(fi, ti, from, to).Late++
	f.Step.pairAt(fi, ti, from, to).Late++
}

// delivered adds one MPI message, delivered after delay: one measured interaction whose
// latency is all network time (record and carried in one lookup of the pair).
func (f *Fabric) delivered(fi, ti int32, from, to string, delay engine.Time) {
	for _, s := range [2]*Stats{&f.Total, &f.Step} {
		p := s.pairAt(fi, ti, from, to)
		p.Count++
		p.Total += delay
		p.Network += delay
	}
}

// record adds one measured interaction.
func (f *Fabric) record(fi, ti int32, from, to string, latency engine.Time) {
	for _, s := range [2]*Stats{&f.Total, &f.Step} {
		p := s.pairAt(fi, ti, from, to)
		p.Count++
		p.Total += latency
	}
}
