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
	tr   Trace
	mark engine.Time
}

// NewTracker returns a tracker starting at now with trace tr.
func NewTracker(now engine.Time, tr Trace) *Tracker { return &Tracker{tr: tr, mark: now} }

// Trace is the trace so far.
func (t *Tracker) Trace() Trace { return t.tr }

// Saw records that something with trace tr completed at time at.
func (t *Tracker) Saw(at engine.Time, tr Trace) {
	if t != nil && at >= t.mark {
		t.tr, t.mark = tr, at
	}
}
