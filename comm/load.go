package comm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"

	"github.com/edgesim/edgesim/cpu"
	"github.com/edgesim/edgesim/engine"
	"github.com/edgesim/edgesim/flow"
	"github.com/edgesim/edgesim/network"
)

// Service-time distributions, CPU modes and link modes (Load's fields), default first.
var (
	ServiceDists = []string{"none", "const", "exp", "lognormal:CV"}
	CPUModes     = []string{"service", "node"}
	LinkModes    = []string{"free", "fair"}
)

// DefaultQueueLimit is the most jobs a CPU station holds at once unless Load.QueueLimit says
// otherwise: generous, so only a saturated station reaches it, and bounded, so a saturated
// station rejects work instead of growing memory without bound.
const DefaultQueueLimit = 10_000

// MaxQueueLimit bounds Load.QueueLimit.
const MaxQueueLimit = 10_000_000

// Load switches on the contention a run models beyond path costs. The zero value is the
// reference run: handlers take no time and links are not shared.
type Load struct {
	// Service is the distribution of the CPU work a service does per request, with mean its
	// processing_time requirement: none (no work; the default), const (exactly that), exp
	// (exponential) or lognormal:CV (lognormal with coefficient of variation CV > 0).
	Service string `json:"service"`
	// CPU is where the work queues: service (each service has max(1, cpu requirement)
	// cores of its own, like a container limit; the default) or node (the services on a
	// node share its max(1, floor(cpu)) cores, following the node's cpu as it drifts).
	CPU string `json:"cpu"`
	// Sched is how a station shares its cores: fcfs (the default) or ps (processor
	// sharing).
	Sched string `json:"sched"`
	// Links is free (the cost model's delay, links never shared; the default) or fair
	// (transfers crossing a link share its bandwidth max-min fairly).
	Links string `json:"links"`
	// QueueLimit is the most jobs a station holds at once (0: DefaultQueueLimit); a request
	// beyond it is rejected: a REST call gets 503, an MPI send fails with ErrRejected.
	QueueLimit int `json:"queue_limit,omitempty"`
}

// ServiceTime reports whether services do CPU work.
func (l *Load) ServiceTime() bool { return l.Service != "" && l.Service != "none" }

// Limit is the effective queue limit.
func (l *Load) Limit() int {
	if l.QueueLimit <= 0 {
		return DefaultQueueLimit
	}
	return l.QueueLimit
}

// Validate checks every field and names the valid values of the first bad one.
func (l *Load) Validate() error {
	if _, err := parseServiceDist(l.Service); err != nil {
		return err
	}
	one := func(what, v string, valid []string) error {
		if v != "" && !slices.Contains(valid, v) {
			return fmt.Errorf("comm: unknown %s %q (valid: %s)", what, v, strings.Join(valid, ", "))
		}
		return nil
	}
	if err := one("CPU mode", l.CPU, CPUModes); err != nil {
		return err
	}
	if err := one("scheduling", l.Sched, cpu.Disciplines); err != nil {
		return err
	}
	if err := one("link mode", l.Links, LinkModes); err != nil {
		return err
	}
	if l.QueueLimit < 0 || l.QueueLimit > MaxQueueLimit {
		return fmt.Errorf("comm: queue limit must be in 1..%d (0: %d), got %d", MaxQueueLimit, DefaultQueueLimit, l.QueueLimit)
	}
	return nil
}

// serviceDist is a parsed Load.Service.
type serviceDist struct {
	kind string  // none, const, exp, lognormal
	cv   float64 // lognormal only
}

func parseServiceDist(s string) (serviceDist, error) {
	switch s {
	case "", "none":
		return serviceDist{kind: "none"}, nil
	case "const", "exp":
		return serviceDist{kind: s}, nil
	}
	if v, ok := strings.CutPrefix(s, "lognormal:"); ok {
		cv, err := strconv.ParseFloat(v, 64)
		if err == nil && cv > 0 && cv <= 100 {
			return serviceDist{kind: "lognormal", cv: cv}, nil
		}
		return serviceDist{}, fmt.Errorf("comm: service time %q: the coefficient of variation must be a number in (0, 100]", s)
	}
	return serviceDist{}, fmt.Errorf("comm: unknown service-time distribution %q (valid: %s)", s, strings.Join(ServiceDists, ", "))
}

// loadState is a fabric's contention machinery.
type loadState struct {
	cfg      Load
	dist     serviceDist
	disc     cpu.Discipline
	svc      []*svcLoad     // by service id
	byNode   []*cpu.Station // CPU node: per node index, created on first use
	services []*cpu.Station // CPU service: in application order
}

// svcLoad is one service's work: its mean, the shape of its distribution and its own random
// stream (named after the service, so adding a service does not shift the others' draws).
type svcLoad struct {
	mean    engine.Time
	dist    serviceDist // the run's Load.Service unless SetServiceTime changed it
	rng     *rand.Rand
	station *cpu.Station // CPU service only
}

// draw is the work of one request.
func (l *loadState) draw(s *svcLoad) engine.Time { return l.drawMean(s, s.mean) }

// drawMean is one draw of s's distribution shape with the given mean.
func (l *loadState) drawMean(s *svcLoad, mean engine.Time) engine.Time {
	switch s.dist.kind {
	case "exp":
		return engine.FromSeconds(float64(s.rng.ExpFloat64() * mean.Seconds()))
	case "lognormal":
		if mean <= 0 {
			return 0
		}
		// mean m and coefficient of variation cv: sigma^2 = ln(1 + cv^2), mu = ln m - sigma^2/2.
		s2 := math.Log1p(float64(s.dist.cv * s.dist.cv))
		mu := math.Log(mean.Seconds()) - s2/2
		return engine.FromSeconds(math.Exp(mu + float64(math.Sqrt(s2)*s.rng.NormFloat64())))
	}
	return mean
}

// SetLoad switches contention on (call it before the run starts). It validates l.
func (f *Fabric) SetLoad(l Load) error {
	if err := l.Validate(); err != nil {
		return err
	}
	dist, _ := parseServiceDist(l.Service)
	disc := cpu.FCFS
	if l.Sched != "" {
		disc, _ = cpu.ParseDiscipline(l.Sched)
	}
	st := &loadState{cfg: l, dist: dist, disc: disc, svc: make([]*svcLoad, len(f.names))}
	if dist.kind != "none" {
		for _, s := range f.app.Services {
			if st.svc[f.ids[s.Name]] != nil {
				continue // a duplicate name: the first one's requirements hold
			}
			sl := &svcLoad{mean: engine.FromMilliseconds(s.Requirements.ProcessingTimeMS), dist: dist, rng: f.sim.Rand(f.ns + "service-time/" + s.Name)}
			if l.CPU != "node" {
				cores := max(1, int(math.Ceil(s.Requirements.CPU)))
				station, err := cpu.NewStation(f.sim, s.Name, cores, disc, l.Limit())
				if err != nil {
					return fmt.Errorf("comm: %w", err)
				}
				sl.station = station
				st.services = append(st.services, station)
			}
			st.svc[f.ids[s.Name]] = sl
		}
		if l.CPU == "node" {
			st.byNode = make([]*cpu.Station, f.graph.Len())
		}
	}
	if l.Links == "fair" {
		f.flows = flow.New(f.sim)
	}
	f.load = st
	return nil
}

// nodeCores is the number of cores a node offers its services: max(1, floor(cpu)).
func (f *Fabric) nodeCores(i int) int {
	a, _ := f.graph.Node(f.graph.Nodes()[i])
	if !(a.CPU >= 1) {
		return 1
	}
	return int(min(a.CPU, 1<<20))
}

// station is where the work of service id queues now.
func (f *Fabric) station(id int32, sl *svcLoad) (*cpu.Station, error) {
	if sl.station != nil {
		return sl.station, nil
	}
	service := f.names[id]
	host, ok := f.hosts[service]
	if !ok {
		return nil, &UnreachableError{From: service, To: service, Reason: "not placed"}
	}
	i, _ := f.graph.Index(host)
	st := f.load.byNode[i]
	if st == nil {
		var err error
		if st, err = cpu.NewStation(f.sim, "node "+host, f.nodeCores(i), f.load.disc, f.load.cfg.Limit()); err != nil {
			return nil, fmt.Errorf("comm: %w", err)
		}
		f.load.byNode[i] = st
	}
	return st, nil
}

// SyncCores makes the stations of CPU node follow their nodes' current cpu (call it after
// the dynamics change the infrastructure).
func (f *Fabric) SyncCores() {
	if f.load == nil {
		return
	}
	for i, st := range f.load.byNode {
		if st != nil && st.Cores() != f.nodeCores(i) {
			_ = st.SetCores(f.nodeCores(i)) // cores >= 1: cannot fail
		}
	}
}

// Stations returns the measurements of every CPU station: with CPU service one per service
// in application order, with CPU node one per node that ran work, in node order. None with
// service time off.
func (f *Fabric) Stations() []cpu.Stats {
	if f.load == nil {
		return nil
	}
	var out []cpu.Stats
	for _, st := range f.load.services {
		out = append(out, st.Stats())
	}
	for _, st := range f.load.byNode {
		if st != nil {
			out = append(out, st.Stats())
		}
	}
	return out
}

// ResetLoadStats starts the stations' and links' measurement windows afresh (at the end of
// a warm-up).
func (f *Fabric) ResetLoadStats() {
	if f.flows != nil {
		f.flows.ResetStats()
	}
	if f.load == nil {
		return
	}
	for _, st := range f.load.services {
		st.ResetStats()
	}
	for _, st := range f.load.byNode {
		if st != nil {
			st.ResetStats()
		}
	}
}

// serviceTime reports whether services do CPU work.
func (f *Fabric) serviceTime() bool { return f.load != nil && f.load.dist.kind != "none" }

// work has service to work on a request and calls onJob with the job's record when it is
// done; with service time off (the reference run) it calls onJob at once, synchronously, with
// a zero record. It returns an error matching ErrRejected, without calling onJob, when the
// service's queue is full. The caller accounts for the job (worked).
func (f *Fabric) work(to int32, onJob func(cpu.Job)) error {
	if !f.serviceTime() {
		onJob(cpu.Job{})
		return nil
	}
	sl := f.load.svc[to]
	st, err := f.station(to, sl)
	if err != nil {
		return err
	}
	if err := st.Submit(f.load.draw(sl), onJob); err != nil {
		return f.rejected(err)
	}
	return nil
}

// rejected counts a job its station refused (queue full) and returns the error the sender
// sees.
func (f *Fabric) rejected(err error) error {
	f.Total.Rejected++
	f.Step.Rejected++
	return fmt.Errorf("%w: %w", ErrRejected, err)
}

// entryStation is the station of a request to service from outside the application (a
// user's, to the entry service) and the work it asks for.
func (f *Fabric) entryStation(service string) (*cpu.Station, engine.Time, error) {
	id, ok := f.id(service)
	if !ok {
		return nil, 0, &UnreachableError{From: service, To: service, Reason: "unknown service"}
	}
	sl := f.load.svc[id]
	st, err := f.station(id, sl)
	if err != nil {
		return nil, 0, err
	}
	return st, f.load.draw(sl), nil
}

// Work has service do the work of a request it received from outside the application (a
// user's request to the entry service) in process p, and returns tr extended by the wait and
// the work. With service time off it returns tr at once.
func (f *Fabric) Work(p *engine.Proc, service string, tr Trace) (Trace, error) {
	if !f.serviceTime() {
		return tr, nil
	}
	st, work, err := f.entryStation(service)
	if err != nil {
		return tr, err
	}
	j, err := st.Do(p, work)
	if err != nil {
		return tr, f.rejected(err)
	}
	tr.Queue += j.Wait
	tr.Service += j.Work
	return tr, nil
}

// WorkThen is Work for a caller without a process: with service time on and the job
// admitted it returns queued true, and then gets the job's record in kernel context where
// Work would resume its process (see cpu.Station.Await); otherwise it returns at once what
// Work would (queued false; a zero record, or Work's error) and then is never called.
func (f *Fabric) WorkThen(service string, then func(cpu.Job)) (queued bool, err error) {
	if !f.serviceTime() {
		return false, nil
	}
	st, work, err := f.entryStation(service)
	if err != nil {
		return false, err
	}
	if err := st.Await(work, then); err != nil {
		return false, f.rejected(err)
	}
	return true, nil
}

// SetServiceTime gives one service its own service-time distribution shape (a name of
// ServiceDists: const, exp or lognormal:CV) in place of the run's Load.Service; the mean
// stays the service's processing_time. Call it after SetLoad and before the run starts. With
// service time off (Load.Service none) it only validates: the run's switch decides whether
// services work at all, the service's own setting only how the work is distributed.
func (f *Fabric) SetServiceTime(service, dist string) error {
	d, err := parseServiceDist(dist)
	if err != nil {
		return err
	}
	id, ok := f.id(service)
	if !ok {
		return fmt.Errorf("comm: service time of %s: unknown service", service)
	}
	if d.kind == "none" {
		return fmt.Errorf("comm: service time of %s: %q is not a distribution (valid: const, exp, lognormal:CV)", service, dist)
	}
	if f.serviceTime() {
		f.load.svc[id].dist = d
	}
	return nil
}

// WorkFor has service do CPU work of the given mean, drawn from the service's service-time
// distribution, on the station where its requests queue, on behalf of a request it already
// received (an application's own "work" step, on top of the processing_time comm charges per
// request). done is called with the job's record when the work is over; with service time
// off (the reference run) at once, synchronously, with a zero record. It returns an error
// matching ErrRejected, without calling done, when the station's queue is full, and an
// *UnreachableError when the service is unknown or, with CPU node, not placed. The caller
// accounts for the job (its wait and work) in its own trace.
func (f *Fabric) WorkFor(service string, mean engine.Time, done func(cpu.Job)) error {
	id, ok := f.id(service)
	if !ok {
		return &UnreachableError{From: service, To: service, Reason: "unknown service"}
	}
	if !f.serviceTime() {
		done(cpu.Job{})
		return nil
	}
	sl := f.load.svc[id]
	st, err := f.station(id, sl)
	if err != nil {
		return err
	}
	if err := st.Submit(f.load.drawMean(sl, max(mean, 0)), done); err != nil {
		f.Total.Rejected++
		f.Step.Rejected++
		return fmt.Errorf("%w: %w", ErrRejected, err)
	}
	return nil
}

// share moves size bytes over the links of path at the fair rate, then calls land. The
// links' capacities follow the path's current bandwidths (they drift at step boundaries).
func (f *Fabric) share(path network.Path, size int, land func()) error {
	for i, id := range path.LinkIdx {
		if bw := path.Hops[i].BandwidthMbps; f.flows.Capacity(id) != bw {
			if err := f.flows.SetCapacity(id, bw); err != nil {
				return fmt.Errorf("comm: link %s -> %s: %w", path.Hops[i].From, path.Hops[i].To, err)
			}
		}
	}
	_, err := f.flows.Start(path.LinkIdx, size, land)
	return err
}

// Links returns the measurements of every link that carried a transfer with links shared
// (Load.Links fair), in the graph's link order; none otherwise.
func (f *Fabric) Links() []LinkStats {
	if f.flows == nil {
		return nil
	}
	var out []LinkStats
	for i := range min(f.flows.Links(), f.graph.NumLinks()) {
		st := f.flows.LinkStats(int32(i))
		if st.Bytes == 0 && st.Flows == 0 {
			continue
		}
		l := f.graph.LinkAt(int32(i))
		out = append(out, LinkStats{From: l.From, To: l.To, LinkStats: st})
	}
	return out
}

// LinkStats is the measurement of one directed link with links shared.
type LinkStats struct {
	From, To string
	flow.LinkStats
}
