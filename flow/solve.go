package flow

import (
	"cmp"
	"fmt"
	"math"
	"slices"
)

// link is one directed link: its capacity, the transfers crossing it, the solver's scratch
// state and (for Net) its statistics.
type link struct {
	capacity float64 // Mbit/s; 0 until set
	flows    []int32 // slots of the transfers attached to this link, unordered

	// Solver scratch, meaningful only for links of the component being solved.
	mark  uint32  // == core.epoch when the link belongs to the current component
	rem   float64 // capacity not yet given to frozen flows
	share float64 // max(rem, 0) / cnt: the rate every unfrozen flow would get here
	cnt   int32   // unfrozen flows crossing the link
	k     int32   // flows frozen in the current step that cross the link
	hpos  int32   // position in core.lheap, -1 if absent

	// Statistics (Net only), since the last ResetStats; integrals are brought up to date at
	// `since`, the last time the number of attached flows changed.
	bytes    float64 // bytes delivered, credited when a transfer advances (see Net.inflight)
	busy     int64   // ns with at least one flow attached
	flowNs   float64 // integral of the number of attached flows over time (flow x ns)
	maxFlows int
	since    int64
}

// xfer is one transfer (a flow). Net recycles them through a free list; gen tells a stale
// Transfer handle from the current occupant of the slot.
type xfer struct {
	// Fields the component search and the solver touch, first: one cache line.
	links   []int32 // the path's links, distinct
	mark    uint32  // == core.epoch when the transfer belongs to the current component
	hpos    int32   // position in Net.ends, -1 if absent
	frozen  bool    // solver scratch: rate fixed in the current solve
	state   xstate
	newRate float64 // solver output
	rate    float64 // Mbit/s in force since last (0 before the first solve, +Inf if instant)
	maxRate float64 // per-transfer cap in Mbit/s, +Inf if none

	pos  []int32 // pos[i] is this transfer's index in links[i].flows
	seq  uint64  // start order: the tie-break among equal caps and equal completion instants
	gen  uint32
	rem  float64 // bytes left at time last
	last int64   // virtual time (ns) at which rem was computed
	end  int64   // completion instant (ns) at the current rate
	done func()
}

type xstate uint8

const (
	xfree    xstate = iota
	xlive           // moving bytes (or instant, waiting for its completion instant)
	xdue            // completion instant reached, done not yet called
	xsolving        // used only by Solve
)

// core holds links and transfers and solves max-min fairness on a connected component. Net
// embeds it; Solve builds a throw-away one, so both run exactly the same arithmetic.
type core struct {
	links []link
	xs    []xfer
	epoch uint32

	// Scratch reused by every solve (no allocation in steady state).
	compLinks []int32
	compFlows []int32
	seedLinks []int32
	seedFlows []int32
	lheap     []int32 // links of the component with unfrozen flows, min (share, id) first
	capped    []int32 // capped flows of the component, sorted by (maxRate, seq)
	touched   []int32 // links whose k > 0 in the current step
}

// nextEpoch starts a new marking round. When the counter wraps, every mark is cleared so an
// old mark can never equal the new epoch.
func (c *core) nextEpoch() uint32 {
	c.epoch++
	if c.epoch == 0 {
		for i := range c.links {
			c.links[i].mark = 0
		}
		for i := range c.xs {
			c.xs[i].mark = 0
		}
		c.epoch = 1
	}
	return c.epoch
}

// attach appends slot s to the flow list of every link on its path.
func (c *core) attach(s int32) {
	x := &c.xs[s]
	x.pos = x.pos[:0]
	for _, l := range x.links {
		L := &c.links[l]
		x.pos = append(x.pos, int32(len(L.flows)))
		L.flows = append(L.flows, s)
	}
}

// detach removes slot s from the flow list of every link on its path in O(path length): the
// last entry of each list moves into the hole and its pos is updated.
func (c *core) detach(s int32) {
	x := &c.xs[s]
	for i, l := range x.links {
		L := &c.links[l]
		p, last := x.pos[i], int32(len(L.flows)-1)
		moved := L.flows[last]
		L.flows[p] = moved
		L.flows = L.flows[:last]
		if p != last {
			m := &c.xs[moved]
			for j, ml := range m.links {
				if ml == l {
					m.pos[j] = p
					break
				}
			}
		}
	}
}

// component collects into compLinks and compFlows everything reachable from the seed links
// and seed flows through shared links: the only part of the allocation a change can affect.
// Max-min fairness decomposes over connected components, so solving one component alone
// gives the same rates as solving the whole network (see solve for why they are the same
// bits, not just the same reals).
func (c *core) component() {
	ep := c.nextEpoch()
	c.compLinks, c.compFlows = c.compLinks[:0], c.compFlows[:0]
	for _, l := range c.seedLinks {
		if L := &c.links[l]; L.mark != ep {
			L.mark = ep
			c.compLinks = append(c.compLinks, l)
		}
	}
	for _, s := range c.seedFlows {
		if x := &c.xs[s]; x.mark != ep && x.state != xfree && len(x.links) == 0 {
			x.mark = ep
			c.compFlows = append(c.compFlows, s)
		}
	}
	c.seedLinks, c.seedFlows = c.seedLinks[:0], c.seedFlows[:0]
	for i := 0; i < len(c.compLinks); i++ {
		for _, s := range c.links[c.compLinks[i]].flows {
			x := &c.xs[s]
			if x.mark == ep {
				continue
			}
			x.mark = ep
			c.compFlows = append(c.compFlows, s)
			for _, m := range x.links {
				if M := &c.links[m]; M.mark != ep {
					M.mark = ep
					c.compLinks = append(c.compLinks, m)
				}
			}
		}
	}
}

// solve sets newRate for every flow of the component by progressive filling.
//
// All unfrozen flows grow at the same pace; the first constraint to saturate is the link
// whose fair share rem/cnt is smallest (or a flow's own cap, if smaller). Its unfrozen flows
// are frozen at that share, the share is charged to every other link they cross, and the
// process repeats until every flow is frozen. Each step freezes at least one flow and
// removes at least one link or cap, so there are at most links+caps steps.
//
// Determinism: the next constraint is the minimum in the strict total order (share, link id),
// with a cap winning only if strictly smaller than the best link share, then (cap, seq) among
// caps. A link's rem changes only when a step freezes flows crossing it, by k*share with k
// the number of such flows (one product, not k subtractions, so the order of flows in a
// link's list does not matter). Hence a link's values depend only on the steps of its own
// component, in an order fixed by the total order: solving one component alone or the whole
// network gives bit-identical rates.
func (c *core) solve() {
	c.lheap, c.capped = c.lheap[:0], c.capped[:0]
	for _, l := range c.compLinks {
		L := &c.links[l]
		L.rem, L.cnt, L.k, L.hpos = L.capacity, int32(len(L.flows)), 0, -1
		if L.cnt > 0 {
			L.share = L.rem / float64(L.cnt)
			c.lpush(l)
		}
	}
	for _, s := range c.compFlows {
		x := &c.xs[s]
		x.frozen = false
		x.newRate = math.Inf(1)
		if !math.IsInf(x.maxRate, 1) {
			c.capped = append(c.capped, s)
		}
	}
	if len(c.capped) > 1 {
		xs := c.xs
		slices.SortFunc(c.capped, func(a, b int32) int {
			if r := cmp.Compare(xs[a].maxRate, xs[b].maxRate); r != 0 {
				return r
			}
			return cmp.Compare(xs[a].seq, xs[b].seq)
		})
	}
	ci := 0
	for {
		for ci < len(c.capped) && c.xs[c.capped[ci]].frozen {
			ci++
		}
		if len(c.lheap) == 0 && ci == len(c.capped) {
			break
		}
		var s float64
		if ci < len(c.capped) && (len(c.lheap) == 0 || c.xs[c.capped[ci]].maxRate < c.links[c.lheap[0]].share) {
			f := c.capped[ci]
			ci++
			s = c.xs[f].maxRate
			c.freeze(f, s)
		} else {
			L := &c.links[c.lheap[0]]
			s = L.share
			for _, f := range L.flows {
				if !c.xs[f].frozen {
					c.freeze(f, s)
				}
			}
		}
		// Charge the step to every link it touched. The saturated link itself is among
		// them; its cnt drops to 0 and it leaves the heap.
		for _, m := range c.touched {
			M := &c.links[m]
			M.rem -= float64(float64(M.k) * s)
			M.cnt -= M.k
			M.k = 0
			if M.cnt == 0 {
				c.lremove(M.hpos)
				continue
			}
			// In exact arithmetic rem >= cnt*s here, so the share never drops below s;
			// rounding can push rem a hair below zero only if s is below the float noise of
			// the capacity (capacities 1e15 apart): the share is then clamped at 0.
			M.share = max(M.rem, 0) / float64(M.cnt)
			c.lfix(M.hpos)
		}
		c.touched = c.touched[:0]
	}
}

// freeze fixes flow f at rate s and counts it on each of its links for the current step.
func (c *core) freeze(f int32, s float64) {
	x := &c.xs[f]
	x.frozen = true
	x.newRate = s
	for _, m := range x.links {
		M := &c.links[m]
		if M.k == 0 {
			c.touched = append(c.touched, m)
		}
		M.k++
	}
}

// The link heap is a binary min-heap of link ids ordered by (share, id); links[id].hpos is
// the id's position. Invariant: no entry precedes its parent.

func (c *core) lless(a, b int32) bool {
	sa, sb := c.links[a].share, c.links[b].share
	return sa < sb || (sa == sb && a < b)
}

func (c *core) lswap(i, j int32) {
	h := c.lheap
	h[i], h[j] = h[j], h[i]
	c.links[h[i]].hpos = i
	c.links[h[j]].hpos = j
}

func (c *core) lpush(l int32) {
	c.links[l].hpos = int32(len(c.lheap))
	c.lheap = append(c.lheap, l)
	c.lup(int32(len(c.lheap) - 1))
}

func (c *core) lremove(i int32) {
	if i < 0 {
		return
	}
	last := int32(len(c.lheap) - 1)
	c.links[c.lheap[i]].hpos = -1
	if i != last {
		c.lheap[i] = c.lheap[last]
		c.links[c.lheap[i]].hpos = i
	}
	c.lheap = c.lheap[:last]
	if i != last {
		c.lfix(i)
	}
}

func (c *core) lfix(i int32) {
	if !c.lup(i) {
		c.ldown(i)
	}
}

func (c *core) lup(i int32) bool {
	moved := false
	for i > 0 {
		p := (i - 1) / 2
		if !c.lless(c.lheap[i], c.lheap[p]) {
			break
		}
		c.lswap(i, p)
		i = p
		moved = true
	}
	return moved
}

func (c *core) ldown(i int32) {
	n := int32(len(c.lheap))
	for {
		l := 2*i + 1
		if l >= n {
			return
		}
		m := l
		if r := l + 1; r < n && c.lless(c.lheap[r], c.lheap[l]) {
			m = r
		}
		if !c.lless(c.lheap[m], c.lheap[i]) {
			return
		}
		c.lswap(i, m)
		i = m
	}
}

// Solve returns the max-min fair rate of each flow, in the unit of the capacities (Mbit/s).
// capacity[l] is the capacity of link l (finite, > 0); flows[i] lists the distinct links flow
// i crosses. A flow crossing no link gets +Inf. Rates are computed by progressive filling
// (see the package documentation); equal inputs always give the same bits. Invalid input
// (a capacity that is not finite and positive, a link index out of range, a link listed
// twice by one flow) is a programmer error and panics.
func Solve(capacity []float64, flows [][]int32) []float64 {
	return SolveCapped(capacity, flows, nil)
}

// SolveCapped is Solve with a cap on each flow's rate: flow i never gets more than caps[i]
// (> 0; +Inf for no cap). caps may be nil (no caps); otherwise len(caps) must equal
// len(flows). A flow crossing no link gets its cap. A cap acts as a private link of that
// capacity crossed by that flow alone (SimGrid's variable bound).
func SolveCapped(capacity []float64, flows [][]int32, caps []float64) []float64 {
	if caps != nil && len(caps) != len(flows) {
		panic(fmt.Sprintf("flow: SolveCapped: %d caps for %d flows", len(caps), len(flows)))
	}
	c := &core{links: make([]link, len(capacity)), xs: make([]xfer, len(flows))}
	for l, v := range capacity {
		if !(v > 0) || math.IsInf(v, 1) {
			panic(fmt.Sprintf("flow: Solve: link %d: capacity %v is not finite and positive", l, v))
		}
		c.links[l].capacity = v
		c.links[l].hpos = -1
	}
	ep := c.nextEpoch()
	for i, path := range flows {
		x := &c.xs[i]
		x.seq, x.state, x.maxRate = uint64(i), xsolving, math.Inf(1)
		if caps != nil {
			if v := caps[i]; !(v > 0) {
				panic(fmt.Sprintf("flow: SolveCapped: flow %d: cap %v is not positive", i, v))
			}
			x.maxRate = caps[i]
		}
		ep = c.nextEpoch()
		for _, l := range path {
			if l < 0 || int(l) >= len(capacity) {
				panic(fmt.Sprintf("flow: Solve: flow %d: link %d out of range [0, %d)", i, l, len(capacity)))
			}
			if c.links[l].mark == ep {
				panic(fmt.Sprintf("flow: Solve: flow %d lists link %d twice", i, l))
			}
			c.links[l].mark = ep
		}
		x.links = path
		c.attach(int32(i))
		if len(path) == 0 {
			c.seedFlows = append(c.seedFlows, int32(i))
		}
	}
	for l := range capacity {
		c.seedLinks = append(c.seedLinks, int32(l))
	}
	c.component()
	c.solve()
	rates := make([]float64, len(flows))
	for i := range c.xs {
		rates[i] = c.xs[i].newRate
		if len(c.xs[i].links) == 0 && math.IsInf(c.xs[i].maxRate, 1) {
			rates[i] = math.Inf(1) // not in any component: nothing limits it
		}
	}
	return rates
}
