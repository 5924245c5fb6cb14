package flow

import (
	"errors"
	"fmt"
	"math"

	"github.com/edgesim/edgesim/engine"
)

// Transfer identifies a transfer started by Net.Start. It is a small value (slot and
// generation, like engine.Timer): a handle kept after its transfer ended never refers to a
// later transfer. The zero Transfer is never live.
type Transfer struct {
	slot uint32
	gen  uint32
}

// LinkStats describes a link's use since the last ResetStats (or since New).
type LinkStats struct {
	Capacity  float64     // current capacity, Mbit/s
	Bytes     float64     // bytes carried: the integral of the rates of the flows crossing it
	Busy      engine.Time // time with at least one flow crossing it
	MeanFlows float64     // time-average number of flows crossing it (0 if Span is 0)
	MaxFlows  int         // largest number of flows crossing it at once
	Flows     int         // flows crossing it now
	Span      engine.Time // time since the last ResetStats
}

// Net moves transfers over links in virtual time, sharing each link's bandwidth max-min fairly
// among the transfers crossing it (see the package documentation for the model). A Net is
// driven by its engine.Sim and, like it, is not safe for concurrent use.
//
// Invariants between calls: every live transfer with a finite positive rate is in the ends
// heap at its completion instant; exactly one engine timer is pending when any transfer is
// live or due, at the earliest of those instants (now, if a done callback is pending).
type Net struct {
	core
	sim  *engine.Sim
	fire func() // n.onTimer, bound once so scheduling allocates nothing

	free   []int32 // free transfer slots
	ends   []int32 // binary min-heap of live slots by (end, seq)
	due    []Transfer
	firing []Transfer
	seq    uint64
	active int

	timer    engine.Timer
	timerAt  int64
	timerSet bool

	statsFrom int64
}

// New returns a Net with no links driven by sim.
func New(sim *engine.Sim) *Net {
	n := &Net{sim: sim}
	n.fire = n.onTimer
	return n
}

// MaxLinks bounds link ids (they index a dense table grown to the largest id used): 2^25,
// the most directed links of an infrastructure the commands accept.
const MaxLinks = 1 << 25

// ErrNoCapacity is returned (wrapped) by Start for a link whose capacity was never set.
var ErrNoCapacity = errors.New("flow: link has no capacity")

// SetCapacity sets the bandwidth of link id (a dense id chosen by the caller, >= 0) in Mbit/s;
// the Net grows to hold it. mbps must be finite and > 0. Changing the capacity of a link that
// live transfers cross re-solves their rates from now: bytes moved so far are kept and the
// rest moves at the new rates.
func (n *Net) SetCapacity(id int32, mbps float64) error {
	if id < 0 || id >= MaxLinks {
		return fmt.Errorf("flow: SetCapacity: link id %d out of range [0, %d)", id, MaxLinks)
	}
	if !(mbps > 0) || math.IsInf(mbps, 1) {
		return fmt.Errorf("flow: SetCapacity: link %d: capacity %v Mbit/s is not finite and positive", id, mbps)
	}
	for int(id) >= len(n.links) {
		n.links = append(n.links, link{hpos: -1, since: int64(n.sim.Now())})
	}
	L := &n.links[id]
	if L.capacity == mbps {
		return nil
	}
	now := int64(n.sim.Now())
	n.settle(now)
	L.capacity = mbps
	if len(L.flows) > 0 {
		n.seedLinks = append(n.seedLinks, id)
	}
	n.resolve(now)
	return n.reschedule(now)
}

// Capacity returns the capacity of link in Mbit/s, 0 if it was never set.
func (n *Net) Capacity(link int32) float64 {
	if link < 0 || int(link) >= len(n.links) {
		return 0
	}
	return n.links[link].capacity
}

// Links returns the number of link ids the Net holds (one more than the largest id set).
func (n *Net) Links() int { return len(n.links) }

// Start begins moving bytes over links, all of them at once (a flow: not hop by hop), and
// calls done exactly once, at the completion instant, from an engine callback (never from
// inside Start). The links must be distinct and have a capacity. A transfer of zero bytes, or
// over no link, takes no time: done is called at the current instant, after the caller's
// current callback returns. The transfer's rate is recomputed, with every other rate it
// affects, now and whenever a transfer starts or ends or a capacity changes.
func (n *Net) Start(links []int32, bytes int, done func()) (Transfer, error) {
	return n.StartCapped(links, bytes, math.Inf(1), done)
}

// StartCapped is Start with a cap on the transfer's rate in Mbit/s (> 0; +Inf for none), for
// example a TCP window over the round-trip time. A transfer over no link with a finite cap
// takes bytes*8e-6/maxMbps seconds.
func (n *Net) StartCapped(links []int32, bytes int, maxMbps float64, done func()) (Transfer, error) {
	switch {
	case done == nil:
		return Transfer{}, errors.New("flow: Start: nil done callback")
	case bytes < 0:
		return Transfer{}, fmt.Errorf("flow: Start: negative size %d bytes", bytes)
	case !(maxMbps > 0):
		return Transfer{}, fmt.Errorf("flow: Start: rate cap %v Mbit/s is not positive", maxMbps)
	}
	ep := n.nextEpoch()
	for _, l := range links {
		if l < 0 || int(l) >= len(n.links) || n.links[l].capacity == 0 {
			return Transfer{}, fmt.Errorf("flow: Start: link %d: %w", l, ErrNoCapacity)
		}
		if n.links[l].mark == ep {
			return Transfer{}, fmt.Errorf("flow: Start: link %d listed twice", l)
		}
		n.links[l].mark = ep
	}
	now := int64(n.sim.Now())
	n.settle(now)

	s := n.alloc()
	x := &n.xs[s]
	x.links = append(x.links[:0], links...)
	x.seq = n.seq
	n.seq++
	x.state = xlive
	x.rem, x.rate, x.maxRate = float64(bytes), 0, maxMbps
	x.last, x.done = now, done
	n.active++
	if bytes == 0 || (len(links) == 0 && math.IsInf(maxMbps, 1)) {
		// Instant: shares nothing, completes at the next completion round of this instant.
		x.links = x.links[:0]
		x.rate, x.end = math.Inf(1), now
		n.epush(s)
	} else {
		for _, l := range links {
			n.touchStats(l, now)
		}
		n.attach(s)
		for _, l := range links {
			L := &n.links[l]
			L.maxFlows = max(L.maxFlows, len(L.flows))
		}
		n.seedLinks = append(n.seedLinks, links...)
		if len(links) == 0 {
			n.seedFlows = append(n.seedFlows, s)
		}
	}
	n.resolve(now)
	t := Transfer{slot: uint32(s), gen: x.gen}
	return t, n.reschedule(now)
}

// Abort ends a transfer without calling its done callback, e.g. because an end of it went
// down. The bytes it moved so far stay counted in the link statistics and its share goes to
// the others from now. It returns false if t is not live (already done, already aborted or
// the zero Transfer). A transfer whose completion instant has come but whose done callback
// has not run yet can still be aborted: done is then not called.
func (n *Net) Abort(t Transfer) bool {
	x := n.lookup(t)
	if x == nil {
		return false
	}
	s := int32(t.slot)
	now := int64(n.sim.Now())
	if x.state == xlive {
		n.settle(now) // t itself may be due now
	}
	switch x.state {
	case xdue: // its entry in n.due or n.firing goes stale with the slot's generation
		n.release(s)
	case xlive:
		n.eremove(x.hpos)
		if !math.IsInf(x.rate, 1) { // instants never took a link
			n.finish(s, now, false)
		}
		n.release(s)
	}
	n.resolve(now)
	_ = n.reschedule(now) // fails only after sim.Close, when nothing runs any more
	return true
}

// Active returns the number of transfers started and neither reported done nor aborted.
func (n *Net) Active() int { return n.active }

// Rate returns the current rate of t in Mbit/s: +Inf for an instant transfer, 0 if t is not
// live.
func (n *Net) Rate(t Transfer) float64 {
	if x := n.lookup(t); x != nil && x.state == xlive {
		return x.rate
	}
	return 0
}

// Remaining returns the bytes t has still to move now (0 if t is not live).
func (n *Net) Remaining(t Transfer) float64 {
	x := n.lookup(t)
	if x == nil || x.state != xlive || math.IsInf(x.rate, 1) {
		return 0
	}
	return x.rem - delivered(x.rate, int64(n.sim.Now())-x.last, x.rem)
}

// End returns the completion instant of t if no rate changes before it, and false if t is
// not live or its rate is 0 (it will not complete unless the rates change).
func (n *Net) End(t Transfer) (engine.Time, bool) {
	if x := n.lookup(t); x != nil && x.state == xlive && x.hpos >= 0 {
		return engine.Time(x.end), true
	}
	return 0, false
}

func (n *Net) lookup(t Transfer) *xfer {
	if t.gen == 0 || int(t.slot) >= len(n.xs) {
		return nil
	}
	x := &n.xs[t.slot]
	if x.gen != t.gen || x.state == xfree {
		return nil
	}
	return x
}

func (n *Net) alloc() int32 {
	if k := len(n.free); k > 0 {
		s := n.free[k-1]
		n.free = n.free[:k-1]
		return s
	}
	n.xs = append(n.xs, xfer{gen: 1, hpos: -1})
	return int32(len(n.xs) - 1)
}

// release frees slot s: its handle goes stale and it no longer counts as active.
func (n *Net) release(s int32) {
	x := &n.xs[s]
	x.state, x.done, x.hpos = xfree, nil, -1
	x.gen++
	if x.gen == 0 {
		x.gen = 1
	}
	n.free = append(n.free, s)
	n.active--
}

// delivered is the number of bytes a flow at rate Mbit/s moves in dt ns, at most rem: rate
// Mbit/s is rate/8000 bytes per ns.
func delivered(rate float64, dt int64, rem float64) float64 {
	if dt <= 0 || rate <= 0 {
		return 0
	}
	return min(float64(rate*float64(dt))/8000, rem)
}

// snapNs is the relative tolerance below which a duration's fraction of a nanosecond is taken
// for float noise: about 500 float64 ulps, at most snapMaxNs. A quotient that is an exact
// integer in real arithmetic (8e6 bits over 8 Mbit/s is 1e9 ns) then stays that integer
// instead of gaining a nanosecond.
const (
	snapRel   = 1e-13
	snapMaxNs = 1e-3
)

// transferNs is the number of whole nanoseconds a flow needs to move rem bytes at rate Mbit/s:
// the ceiling of rem*8000/rate, ignoring a fraction below the snap tolerance, and at least 1
// (a live transfer always has bytes left in real arithmetic, see the package documentation,
// and a zero-length step could repeat forever). It returns -1 if the rate is 0 or the
// duration does not fit in engine.Time from now.
func transferNs(rem, rate float64, now int64) int64 {
	if !(rate > 0) {
		return -1
	}
	d := float64(rem*8000) / rate
	if !(d < float64(math.MaxInt64-now)) {
		return -1
	}
	f := math.Floor(d)
	if d-f > min(snapMaxNs, float64(d*snapRel)) {
		f++
	}
	return max(1, int64(f))
}

// advance brings x's remaining bytes up to now at its current rate, crediting the bytes moved
// to the statistics of its links.
func (n *Net) advance(x *xfer, now int64) {
	if d := delivered(x.rate, now-x.last, x.rem); d > 0 {
		x.rem -= d
		for _, l := range x.links {
			n.links[l].bytes += d
		}
	}
	x.last = now
}

// finish takes slot s off its links at now: it advances (or, if complete, credits all its
// remaining bytes), updates the links' statistics and seeds the re-solve of its component.
func (n *Net) finish(s int32, now int64, complete bool) {
	x := &n.xs[s]
	n.advance(x, now)
	if complete && x.rem > 0 {
		for _, l := range x.links {
			n.links[l].bytes += x.rem
		}
		x.rem = 0
	}
	for _, l := range x.links {
		n.touchStats(l, now)
	}
	n.detach(s)
	n.seedLinks = append(n.seedLinks, x.links...)
}

// settle moves every live transfer whose completion instant has come (end <= now) to the due
// list: it stops sharing links at once, so whatever else happens at this instant, before the
// timer delivers its done callback, sees its bandwidth free.
func (n *Net) settle(now int64) {
	for len(n.ends) > 0 {
		s := n.ends[0]
		x := &n.xs[s]
		if x.end > now {
			return
		}
		if x.end < now {
			panic(fmt.Sprintf("flow: internal error: transfer completion at %d ns missed (now %d ns)", x.end, now))
		}
		n.eremove(0)
		if !math.IsInf(x.rate, 1) {
			n.finish(s, now, true)
		}
		x.state = xdue
		n.due = append(n.due, Transfer{slot: uint32(s), gen: x.gen})
	}
}

// resolve re-solves the component reached from the seeds and applies the new rates at now:
// a transfer whose rate changed (as a float64) advances to now at its old rate and gets a new
// completion instant; any other keeps its state untouched.
func (n *Net) resolve(now int64) {
	if len(n.seedLinks) == 0 && len(n.seedFlows) == 0 {
		return
	}
	n.component()
	n.solve()
	for _, s := range n.compFlows {
		x := &n.xs[s]
		if x.newRate == x.rate {
			continue
		}
		n.advance(x, now)
		x.rate = x.newRate
		if d := transferNs(x.rem, x.rate, now); d < 0 {
			n.eremove(x.hpos) // stalled: no completion until a rate changes
		} else {
			x.end = now + d
			if x.hpos < 0 {
				n.epush(s)
			} else {
				n.efix(x.hpos)
			}
		}
	}
}

// reschedule keeps one engine timer at the next instant something is due: now if done
// callbacks are pending, else the earliest completion.
func (n *Net) reschedule(now int64) error {
	want := int64(-1)
	if len(n.due) > 0 {
		want = now
	} else if len(n.ends) > 0 {
		want = n.xs[n.ends[0]].end
	}
	if n.timerSet && want == n.timerAt {
		return nil
	}
	if n.timerSet {
		n.sim.Cancel(n.timer)
		n.timerSet = false
	}
	if want < 0 {
		return nil
	}
	t, err := n.sim.At(engine.Time(want), n.fire)
	if err != nil {
		return fmt.Errorf("flow: %w", err)
	}
	n.timer, n.timerAt, n.timerSet = t, want, true
	return nil
}

// onTimer is the one completion callback: it settles the transfers due now, re-solves once for
// all of them, re-arms the timer and then calls their done callbacks in start order (every
// due transfer completes at this instant, and the ends heap yields equal instants by seq).
// Callbacks may start or abort transfers; those re-solve on their own.
func (n *Net) onTimer() {
	n.timerSet = false
	now := int64(n.sim.Now())
	n.settle(now)
	n.resolve(now)
	n.firing, n.due = n.due, n.firing[:0]
	_ = n.reschedule(now) // fails only after sim.Close, when nothing runs any more
	for i, t := range n.firing {
		n.firing[i] = Transfer{}
		x := n.lookup(t)
		if x == nil || x.state != xdue {
			continue // aborted after it settled
		}
		done := x.done
		n.release(int32(t.slot))
		done()
	}
	n.firing = n.firing[:0]
}

// touchStats brings link l's time integrals up to now; call it before its flow count changes.
func (n *Net) touchStats(l int32, now int64) {
	L := &n.links[l]
	if dt := now - L.since; dt > 0 {
		if k := len(L.flows); k > 0 {
			L.busy += dt
			L.flowNs += float64(float64(k) * float64(dt))
		}
	}
	L.since = now
}

// inflight is the number of bytes the flows on link l have moved since they last advanced:
// not yet credited to L.bytes.
func (n *Net) inflight(l int32, now int64) float64 {
	sum := 0.0
	for _, s := range n.links[l].flows {
		x := &n.xs[s]
		sum += delivered(x.rate, now-x.last, x.rem)
	}
	return sum
}

// LinkStats returns the statistics of link since the last ResetStats (zero for an unknown
// link). Bytes counts exactly the bytes moved across the link, completed transfers for their
// whole size (rounding of the completion instant up to a whole nanosecond adds nothing).
func (n *Net) LinkStats(link int32) LinkStats {
	if link < 0 || int(link) >= len(n.links) {
		return LinkStats{}
	}
	now := int64(n.sim.Now())
	L := &n.links[link]
	st := LinkStats{
		Capacity: L.capacity,
		Bytes:    L.bytes + n.inflight(link, now),
		Busy:     engine.Time(L.busy),
		MaxFlows: L.maxFlows,
		Flows:    len(L.flows),
		Span:     engine.Time(now - n.statsFrom),
	}
	flowNs := L.flowNs
	if dt := now - L.since; dt > 0 && len(L.flows) > 0 {
		st.Busy += engine.Time(dt)
		flowNs += float64(float64(len(L.flows)) * float64(dt))
	}
	if st.Span > 0 {
		st.MeanFlows = flowNs / float64(st.Span)
	}
	return st
}

// ResetStats starts a new statistics window for every link at the current instant.
func (n *Net) ResetStats() {
	now := int64(n.sim.Now())
	n.statsFrom = now
	for i := range n.links {
		L := &n.links[i]
		L.busy, L.flowNs, L.since, L.maxFlows = 0, 0, now, len(L.flows)
		// Bytes moved before now but not yet credited are subtracted here, credited later.
		L.bytes = -n.inflight(int32(i), now)
	}
}

// The ends heap is a binary min-heap of live transfer slots ordered by (end, seq);
// xs[slot].hpos is the slot's position. Invariant: no entry precedes its parent.

func (n *Net) eless(a, b int32) bool {
	xa, xb := &n.xs[a], &n.xs[b]
	return xa.end < xb.end || (xa.end == xb.end && xa.seq < xb.seq)
}

func (n *Net) eswap(i, j int32) {
	h := n.ends
	h[i], h[j] = h[j], h[i]
	n.xs[h[i]].hpos = i
	n.xs[h[j]].hpos = j
}

func (n *Net) epush(s int32) {
	n.xs[s].hpos = int32(len(n.ends))
	n.ends = append(n.ends, s)
	n.eup(int32(len(n.ends) - 1))
}

func (n *Net) eremove(i int32) {
	if i < 0 {
		return
	}
	last := int32(len(n.ends) - 1)
	n.xs[n.ends[i]].hpos = -1
	if i != last {
		n.ends[i] = n.ends[last]
		n.xs[n.ends[i]].hpos = i
	}
	n.ends = n.ends[:last]
	if i != last {
		n.efix(i)
	}
}

func (n *Net) efix(i int32) {
	if !n.eup(i) {
		n.edown(i)
	}
}

func (n *Net) eup(i int32) bool {
	moved := false
	for i > 0 {
		p := (i - 1) / 2
		if !n.eless(n.ends[i], n.ends[p]) {
			break
		}
		n.eswap(i, p)
		i = p
		moved = true
	}
	return moved
}

func (n *Net) edown(i int32) {
	k := int32(len(n.ends))
	for {
		l := 2*i + 1
		if l >= k {
			return
		}
		m := l
		if r := l + 1; r < k && n.eless(n.ends[r], n.ends[l]) {
			m = r
		}
		if !n.eless(n.ends[m], n.ends[i]) {
			return
		}
		n.eswap(i, m)
		i = m
	}
}
