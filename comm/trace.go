package comm

import "github.com/edgesim/edgesim/engine"

// Trace splits the time an exchange has taken so far into where it went: on the network
// (message delays: node processing, link latency, transmission and link sharing), waiting for a
// core (Queue) and being served by one (Service). A trace is cumulative along a causal chain: a
// message carries the trace of everything that led to it, and its recipient continues it, so
// the trace of the reply that completes a workflow accounts for the workflow's whole latency
// along its critical path.
type Trace struct {
	Network engine.Time `json:"network_ns"`
	Queue   engine.Time `json:"queue_ns"`
	Service engine.Time `json:"service_ns"`
}

// Total is Network + Queue + Service.
func (t Trace) Total() engine.Time { return t.Network + t.Queue + t.Service }

// Plus adds two traces.
func (t Trace) Plus(u Trace) Trace {
	return Trace{Network: t.Network + u.Network, Queue: t.Queue + u.Queue, Service: t.Service + u.Service}
}

// Tracker follows the critical path of one exchange in progress (a workflow, a REST handler):
// its trace is that of the latest event it has seen complete. Calls and requests started from
// it carry its trace at their start; when one completes at or after the latest instant seen so
// far, its trace (which includes the tracker's trace at its start) becomes the tracker's. So
// for calls made one after the other the traces add up, and for calls that overlap only the
// one that ended last counts: the critical path. Time the exchange spends idle (a user's
// think time) is not traced.
type Tracker struct {
	tr    Trace
	mark  engine.Time
	calls []*Call // made by clients bound to it, until Release
}

// NewTracker returns a tracker starting at now with trace tr.
func NewTracker(now engine.Time, tr Trace) *Tracker { return &Tracker{tr: tr, mark: now} }

// Start makes t a tracker starting at now with trace tr, as NewTracker would, keeping what it
// holds for reuse (call Release first if it was used).
func (t *Tracker) Start(now engine.Time, tr Trace) { t.tr, t.mark = tr, now }

// Trace is the trace so far.
func (t *Tracker) Trace() Trace { return t.tr }

// Saw records that something with trace tr completed at time at.
func (t *Tracker) Saw(at engine.Time, tr Trace) {
	if t != nil && at >= t.mark {
		t.tr, t.mark = tr, at
	}
}

// Release ends the tracker's exchange for the REST calls made through clients bound to it
// (Client.Bind): those that are over (their response came or they failed) are recycled by
// their layer, so that steady traffic allocates no calls. Neither those calls nor the
// responses they returned may be used afterwards. A call still on its way (abandoned) is
// left alone. The tracker may be used again. The step loop releases a workflow's tracker
// when the workflow ends, the REST layer a handler's when the handler returns.
func (t *Tracker) Release() {
	for i, c := range t.calls {
		if c.ev.Processed() {
			c.r.recycle(c)
		}
		t.calls[i] = nil
	}
	t.calls = t.calls[:0]
}
