package flow

import (
	"math"
	"slices"

	"github.com/edgesim/edgesim/engine"
)

// naiveSolve is the textbook water-filling algorithm, written independently of core.solve to
// serve as its reference: every unfrozen flow sits at a common level; raise the level to the
// first point where a link saturates or a cap is reached; freeze the flows there; repeat.
// It works with levels (absolute rates) and per-link sums of frozen rates, where core.solve
// works with per-link remainders and shares, so the two agree to rounding, not to the bit.
func naiveSolve(capacity []float64, flows [][]int32, caps []float64) []float64 {
	const eps = 1e-12
	rate := make([]float64, len(flows))
	frozen := make([]bool, len(flows))
	capOf := func(i int) float64 {
		if caps == nil {
			return math.Inf(1)
		}
		return caps[i]
	}
	left := 0
	for i, f := range flows {
		if len(f) == 0 && math.IsInf(capOf(i), 1) {
			rate[i], frozen[i] = math.Inf(1), true
			continue
		}
		left++
	}
	for left > 0 {
		used := make([]float64, len(capacity))
		active := make([]int, len(capacity))
		for i, f := range flows {
			for _, l := range f {
				if frozen[i] {
					used[l] += rate[i]
				} else {
					active[l]++
				}
			}
		}
		level := math.Inf(1)
		for l := range capacity {
			if active[l] > 0 {
				level = min(level, (capacity[l]-used[l])/float64(active[l]))
			}
		}
		for i := range flows {
			if !frozen[i] {
				level = min(level, capOf(i))
			}
		}
		// Freeze every unfrozen flow that crosses a link saturated at this level or whose
		// cap is this level.
		saturated := make([]bool, len(capacity))
		for l := range capacity {
			if active[l] > 0 && capacity[l]-used[l]-float64(active[l])*level <= eps*capacity[l] {
				saturated[l] = true
			}
		}
		for i, f := range flows {
			if frozen[i] {
				continue
			}
			hit := capOf(i) <= level*(1+eps)
			for _, l := range f {
				hit = hit || saturated[l]
			}
			if hit {
				rate[i], frozen[i] = level, true
				left--
			}
		}
	}
	return rate
}

// refNet is the naive reference of Net: the same model and the same rounding (it calls
// transferNs and delivered), but a full Solve over every live transfer at every event, a
// linear scan for the next completion and a fresh timer every time. It shares with Net only
// the solver, which is checked on its own against naiveSolve.
type refNet struct {
	sim      *engine.Sim
	capacity []float64
	xs       []*refXfer // every transfer started, in start order
	due      []*refXfer
	timer    engine.Timer
	timerAt  engine.Time
	timerSet bool
}

type refXfer struct {
	links                []int32
	rem, rate, maxRate   float64
	last, end            int64 // end < 0: stalled
	live, due, cancelled bool
	done                 func()
}

func newRefNet(sim *engine.Sim) *refNet { return &refNet{sim: sim} }

func (r *refNet) setCapacity(l int32, v float64) {
	for int(l) >= len(r.capacity) {
		r.capacity = append(r.capacity, 0)
	}
	if r.capacity[l] == v {
		return
	}
	r.settle()
	r.capacity[l] = v
	r.resolve()
	r.reschedule()
}

func (r *refNet) start(links []int32, bytes int, maxRate float64, done func()) *refXfer {
	r.settle()
	x := &refXfer{links: slices.Clone(links), rem: float64(bytes), maxRate: maxRate, last: r.now(), live: true, done: done}
	if bytes == 0 || (len(links) == 0 && math.IsInf(maxRate, 1)) {
		x.links, x.rate, x.end = nil, math.Inf(1), r.now()
	}
	r.xs = append(r.xs, x)
	r.resolve()
	r.reschedule()
	return x
}

func (r *refNet) abort(x *refXfer) bool {
	if x.live {
		r.settle()
	}
	switch {
	case x.due && !x.cancelled:
		x.cancelled = true
	case !x.live:
		return false
	}
	x.live = false
	r.resolve()
	r.reschedule()
	return true
}

func (r *refNet) now() int64 { return int64(r.sim.Now()) }

// settle moves the live transfers whose completion instant has come to the due list.
func (r *refNet) settle() {
	for _, x := range r.xs {
		if x.live && x.end >= 0 && x.end <= r.now() && (x.rate > 0) {
			x.live, x.due = false, true
			r.due = append(r.due, x)
		}
	}
}

// resolve solves every live transfer that crosses a link or has a cap, in start order, and
// updates those whose rate changed.
func (r *refNet) resolve() {
	capacity := make([]float64, len(r.capacity))
	for l, v := range r.capacity {
		capacity[l] = v
		if v == 0 {
			capacity[l] = 1 // never set, so no transfer crosses it
		}
	}
	var flows [][]int32
	var caps []float64
	var who []*refXfer
	for _, x := range r.xs {
		if x.live && !math.IsInf(x.rate, 1) {
			flows = append(flows, x.links)
			caps = append(caps, x.maxRate)
			who = append(who, x)
		}
	}
	rates := SolveCapped(capacity, flows, caps)
	now := r.now()
	for i, x := range who {
		if rates[i] == x.rate {
			continue
		}
		x.rem -= delivered(x.rate, now-x.last, x.rem)
		x.last = now
		x.rate = rates[i]
		if d := transferNs(x.rem, x.rate, now); d < 0 {
			x.end = -1
		} else {
			x.end = now + d
		}
	}
}

// reschedule re-arms the timer at the next instant something is due. Like Net, it keeps a
// timer already set at that instant: the timer's place among same-instant events is part of
// the model's observable order.
func (r *refNet) reschedule() {
	want := int64(-1)
	if len(r.due) > 0 {
		want = r.now()
	} else {
		for _, x := range r.xs {
			if x.live && x.end >= 0 && (want < 0 || x.end < want) {
				want = x.end
			}
		}
	}
	if r.timerSet && int64(r.timerAt) == want {
		return
	}
	if r.timerSet {
		r.sim.Cancel(r.timer)
		r.timerSet = false
	}
	if want >= 0 {
		t, err := r.sim.At(engine.Time(want), r.fire)
		if err != nil {
			panic(err)
		}
		r.timer, r.timerAt, r.timerSet = t, engine.Time(want), true
	}
}

func (r *refNet) fire() {
	r.timerSet = false
	r.settle()
	r.resolve()
	due := r.due
	r.due = nil
	r.reschedule()
	for _, x := range due {
		if x.cancelled {
			continue
		}
		x.due = false
		x.done()
	}
}
