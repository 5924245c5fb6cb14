package flow

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/edgesim/edgesim/engine"
)

// A script is a random sequence of starts, aborts and capacity changes at given instants, and
// a pool of transfers that done callbacks start (so starts also happen inside callbacks).
type script struct {
	capacity []float64
	actions  []action
	chained  []action // started, in order, by done callbacks whose transfer has chain set
}

type action struct {
	at     engine.Time
	kind   int // 0 start, 1 abort, 2 capacity change
	links  []int32
	bytes  int
	cap    float64
	chain  bool
	target int     // abort: index of the transfer among all started so far (mod count)
	link   int32   // capacity change
	mbps   float64 // capacity change
}

func randomStart(rng *rand.Rand, nl int) action {
	a := action{kind: 0, cap: inf, chain: rng.IntN(3) == 0}
	k := rng.IntN(7)
	if k > nl {
		k = nl
	}
	for _, l := range rng.Perm(nl)[:k] {
		a.links = append(a.links, int32(l))
	}
	switch r := rng.IntN(20); {
	case r == 0:
		a.bytes = 0
	case r < 5:
		a.bytes = 1 + rng.IntN(2000) // small messages, sub-millisecond
	default:
		a.bytes = 1 + rng.IntN(2_000_000)
	}
	if rng.IntN(5) == 0 || (k == 0 && rng.IntN(2) == 0) {
		a.cap = []float64{1, 10, 0.5 + 99*rng.Float64()}[rng.IntN(3)]
	}
	return a
}

func randomCapacity(rng *rand.Rand) float64 {
	if rng.IntN(2) == 0 {
		return []float64{1, 10, 100}[rng.IntN(3)]
	}
	return 0.5 + 200*rng.Float64()
}

func randomScript(rng *rand.Rand) script {
	nl := 1 + rng.IntN(12)
	sc := script{capacity: make([]float64, nl)}
	for l := range sc.capacity {
		sc.capacity[l] = randomCapacity(rng)
	}
	na := 5 + rng.IntN(80)
	for range na {
		var a action
		switch r := rng.IntN(20); {
		case r < 2:
			a = action{kind: 1, target: rng.IntN(1 << 20)}
		case r < 3:
			a = action{kind: 2, link: int32(rng.IntN(nl)), mbps: randomCapacity(rng)}
		default:
			a = randomStart(rng, nl)
		}
		// Instants: often on a 10 ms grid, so many actions share an instant (and often
		// coincide with completions); otherwise any nanosecond.
		if rng.IntN(2) == 0 {
			a.at = engine.Time(rng.IntN(300)) * 10 * engine.Millisecond
		} else {
			a.at = engine.Time(rng.Int64N(int64(3 * engine.Second)))
		}
		sc.actions = append(sc.actions, a)
	}
	for range 40 {
		sc.chained = append(sc.chained, randomStart(rng, nl))
	}
	return sc
}

// driver is the part of Net the script uses, so Net and refNet run the same script.
type driver interface {
	setCapacity(l int32, v float64)
	start(links []int32, bytes int, cap float64, done func()) int
	abort(h int) bool
	rate(h int) float64
	check(t *testing.T)
}

type fastDriver struct {
	n  *Net
	hs []Transfer
}

func (d *fastDriver) setCapacity(l int32, v float64) {
	if err := d.n.SetCapacity(l, v); err != nil {
		panic(err)
	}
}

func (d *fastDriver) start(links []int32, bytes int, cap float64, done func()) int {
	h, err := d.n.StartCapped(links, bytes, cap, done)
	if err != nil {
		panic(err)
	}
	d.hs = append(d.hs, h)
	return len(d.hs) - 1
}
func (d *fastDriver) abort(h int) bool   { return d.n.Abort(d.hs[h]) }
func (d *fastDriver) rate(h int) float64 { return d.n.Rate(d.hs[h]) }
func (d *fastDriver) check(t *testing.T) { checkNet(t, d.n) }

type refDriver struct {
	r  *refNet
	hs []*refXfer
}

func (d *refDriver) setCapacity(l int32, v float64) { d.r.setCapacity(l, v) }
func (d *refDriver) start(links []int32, bytes int, cap float64, done func()) int {
	d.hs = append(d.hs, d.r.start(links, bytes, cap, done))
	return len(d.hs) - 1
}
func (d *refDriver) abort(h int) bool { return d.r.abort(d.hs[h]) }
func (d *refDriver) rate(h int) float64 {
	if x := d.hs[h]; x.live {
		return x.rate
	}
	return 0
}
func (d *refDriver) check(*testing.T) {}

// runScript runs sc and returns its trace: one line per completion ("done id at") and, after
// every scripted action, the exact bits of every transfer's rate.
func runScript(t *testing.T, sc script, fast bool) []string {
	sim := engine.New(1)
	var d driver
	if fast {
		d = &fastDriver{n: New(sim)}
	} else {
		d = &refDriver{r: newRefNet(sim)}
	}
	for l, c := range sc.capacity {
		d.setCapacity(int32(l), c)
	}
	var trace []string
	nchained := 0
	started := 0
	var start func(a action)
	start = func(a action) {
		id := started
		started++
		d.start(a.links, a.bytes, a.cap, func() {
			trace = append(trace, fmt.Sprintf("done %d at %d", id, sim.Now()))
			if a.chain && nchained < len(sc.chained) {
				nchained++
				start(sc.chained[nchained-1])
			}
		})
	}
	for _, a := range sc.actions {
		sim.At(a.at, func() {
			switch a.kind {
			case 0:
				start(a)
			case 1:
				if started > 0 {
					h := a.target % started
					trace = append(trace, fmt.Sprintf("abort %d at %d: %v", h, sim.Now(), d.abort(h)))
				}
			case 2:
				d.setCapacity(a.link, a.mbps)
			}
			line := fmt.Sprintf("rates at %d:", sim.Now())
			for h := range started {
				line += fmt.Sprintf(" %x", math.Float64bits(d.rate(h)))
			}
			trace = append(trace, line)
			d.check(t)
		})
	}
	if err := sim.Run(); err != nil {
		t.Fatal(err)
	}
	d.check(t)
	return trace
}

// TestNetMatchesReference runs 300 random scripts (100 with -short) on Net and on refNet (full re-solve at
// every event) and requires identical traces: the same completion instants to the
// nanosecond, in the same order, and bit-identical rates after every action. Exact equality
// is the right test: both apply the same rounding rule to the same float64 operations, and
// the component solve is bit-identical to the full one (TestSolveComponentsIndependent).
func TestNetMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	completions, scripts := 0, 300
	if testing.Short() {
		scripts = 100
	}
	for iter := range scripts {
		sc := randomScript(rng)
		got := runScript(t, sc, true)
		want := runScript(t, sc, false)
		for i := range max(len(got), len(want)) {
			var g, w string
			if i < len(got) {
				g = got[i]
			}
			if i < len(want) {
				w = want[i]
			}
			if g != w {
				t.Fatalf("script %d, trace line %d:\nnet: %s\nref: %s", iter, i, g, w)
			}
		}
		for _, line := range got {
			if len(line) > 4 && line[:4] == "done" {
				completions++
			}
		}
	}
	// Guard against a generator that stopped exercising the Net (about 30 completions per
	// script are expected).
	if completions < 15*scripts {
		t.Errorf("only %d completions over all scripts", completions)
	}
}

// TestNetDeterministic: the same script twice gives the same trace.
func TestNetDeterministic(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	for iter := range 50 {
		sc := randomScript(rng)
		a, b := runScript(t, sc, true), runScript(t, sc, true)
		if fmt.Sprint(a) != fmt.Sprint(b) {
			t.Fatalf("script %d: two runs differ", iter)
		}
	}
}

// TestNetBytesConserved: with no aborts, every link has carried exactly the sizes of the
// transfers that crossed it, to 1e-9 relative (the credited pieces are each one rounding off,
// and there are at most a few hundred per link).
func TestNetBytesConserved(t *testing.T) {
	rng := rand.New(rand.NewPCG(31, 32))
	for iter := range 50 {
		sc := randomScript(rng)
		sim := engine.New(1)
		n := New(sim)
		for l, c := range sc.capacity {
			must(t, n.SetCapacity(int32(l), c))
		}
		want := make([]float64, len(sc.capacity))
		for _, a := range sc.actions {
			if a.kind == 1 {
				continue
			}
			sim.At(a.at, func() {
				if a.kind == 2 {
					must(t, n.SetCapacity(a.link, a.mbps))
					return
				}
				_, err := n.StartCapped(a.links, a.bytes, a.cap, func() {})
				must(t, err)
				if a.bytes > 0 {
					for _, l := range a.links {
						want[l] += float64(a.bytes)
					}
				}
			})
		}
		must(t, sim.Run())
		for l := range want {
			st := n.LinkStats(int32(l))
			if math.Abs(st.Bytes-want[l]) > 1e-9*want[l] || (want[l] == 0 && st.Bytes != 0) {
				t.Fatalf("script %d link %d: carried %v bytes, want %v", iter, l, st.Bytes, want[l])
			}
			if st.Flows != 0 || st.Busy > st.Span || st.MeanFlows > float64(st.MaxFlows) {
				t.Fatalf("script %d link %d: inconsistent stats %+v", iter, l, st)
			}
		}
	}
}

// checkNet checks Net's structural invariants: link flow lists and positions agree, the ends
// heap is a heap and holds exactly the live transfers with a completion instant, rates are
// feasible and the counts add up.
func checkNet(t *testing.T, n *Net) {
	t.Helper()
	now := int64(n.sim.Now())
	live := 0
	for s := range n.xs {
		x := &n.xs[s]
		switch x.state {
		case xfree:
			if x.hpos != -1 {
				t.Fatalf("free slot %d in the ends heap", s)
			}
			continue
		case xdue:
			live++
			continue
		}
		live++
		for i, l := range x.links {
			if p := x.pos[i]; int(p) >= len(n.links[l].flows) || n.links[l].flows[p] != int32(s) {
				t.Fatalf("slot %d: link %d position %d wrong", s, l, p)
			}
		}
		if x.hpos >= 0 != (x.rate > 0) {
			t.Fatalf("slot %d: rate %v but heap position %d", s, x.rate, x.hpos)
		}
		if x.hpos >= 0 && x.end < now {
			t.Fatalf("slot %d: completion %d before now %d", s, x.end, now)
		}
	}
	if live != n.active {
		t.Fatalf("%d live or due slots, active %d", live, n.active)
	}
	for i := range n.ends {
		if p := (i - 1) / 2; i > 0 && n.eless(n.ends[i], n.ends[p]) {
			t.Fatalf("ends heap: entry %d precedes its parent", i)
		}
		if n.xs[n.ends[i]].hpos != int32(i) {
			t.Fatalf("ends heap: entry %d has hpos %d", i, n.xs[n.ends[i]].hpos)
		}
	}
	for l := range n.links {
		L := &n.links[l]
		sum := 0.0
		for _, s := range L.flows {
			sum += n.xs[s].rate
		}
		if sum > L.capacity*(1+1e-9) {
			t.Fatalf("link %d: rates sum to %v > capacity %v", l, sum, L.capacity)
		}
	}
	if (len(n.ends) > 0 || len(n.due) > 0) != n.timerSet {
		t.Fatalf("timer set %v with %d ends and %d due", n.timerSet, len(n.ends), len(n.due))
	}
}

// TestNetMemoryBounded runs 20,000 transfers (5,000 with -short) through a closed loop of 100
// and checks that the
// Net's tables track the live transfers, not the history: slots are recycled (exactly 100,
// since a done callback runs after its slot is freed and starts the next transfer in it),
// and the engine queue stays small. Cancelled timers stay in the engine queue until their
// instant (the engine deletes lazily), so the queue can exceed one entry; 29 were measured
// at most on the shared topology, and the bound of 300 would catch any leak, which over
// thousands of re-arms would leave thousands of entries.
func TestNetMemoryBounded(t *testing.T) {
	for _, topo := range []string{"shared", "pods"} {
		const conc = 100
		w := newBenchWork(topo, conc)
		sim := engine.New(1)
		n := New(sim)
		for l, c := range w.capacity {
			must(t, n.SetCapacity(int32(l), c))
		}
		total := 20000
		if testing.Short() {
			total = 5000
		}
		next, completed, maxPending := 0, 0, 0
		var done func()
		start := func() {
			i := next % len(w.paths)
			next++
			_, err := n.Start(w.paths[i], w.sizes[i], done)
			must(t, err)
		}
		done = func() {
			completed++
			maxPending = max(maxPending, sim.Pending())
			if completed < total {
				start()
			}
		}
		for range conc {
			start()
		}
		must(t, sim.Run())
		if len(n.xs) != conc || cap(n.ends) > 2*conc || maxPending > 3*conc {
			t.Errorf("%s: %d slots, ends capacity %d, engine queue up to %d (want %d, <= %d, <= %d)",
				topo, len(n.xs), cap(n.ends), maxPending, conc, 2*conc, 3*conc)
		}
	}
}
