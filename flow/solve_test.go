package flow

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

var inf = math.Inf(1)

// close12 reports whether got equals want to 1e-12 relative: the expected values of the hand
// cases are exact rationals such as 22/3, and the solver reaches them through one or two
// roundings (a subtraction and a division), so they agree to a few ulps, far inside 1e-12.
func close12(got, want float64) bool {
	if math.IsInf(want, 1) {
		return math.IsInf(got, 1)
	}
	return math.Abs(got-want) <= 1e-12*math.Abs(want)
}

func TestSolveHandCases(t *testing.T) {
	tests := []struct {
		name     string
		capacity []float64
		flows    [][]int32
		caps     []float64
		want     []float64
	}{
		{"one flow one link", []float64{10}, [][]int32{{0}}, nil, []float64{10}},
		// 10 Mbit/s split evenly between two flows.
		{"two flows one link", []float64{10}, [][]int32{{0}, {0}}, nil, []float64{5, 5}},
		// A path's rate is its narrowest link's: min(10, 100, 5) = 5, not a sum over hops.
		{"series path", []float64{10, 100, 5}, [][]int32{{0, 1, 2}}, nil, []float64{5}},
		// A=10 carries f1,f2: share 5; B=100 carries f2,f3: share 50. A saturates first at 5;
		// B then has 100-5 = 95 left for f3 alone.
		{"one bottleneck", []float64{10, 100}, [][]int32{{0}, {0, 1}, {1}}, nil, []float64{5, 5, 95}},
		// Parking lot: long flow f0 over L0,L1,L2 (10 each), one short flow per link. Every
		// link has share 10/2 = 5 and saturates at once: all flows get 5.
		{"parking lot", []float64{10, 10, 10}, [][]int32{{0, 1, 2}, {0}, {1}, {2}}, nil, []float64{5, 5, 5, 5}},
		// Parking lot with capacities 10, 20, 30: L0 has the smallest share (5): f0 = f1 = 5.
		// Then L1 has 20-5 = 15 for f2, L2 has 30-5 = 25 for f3.
		{"parking lot uneven", []float64{10, 20, 30}, [][]int32{{0, 1, 2}, {0}, {1}, {2}}, nil, []float64{5, 5, 15, 25}},
		// Two bottlenecks: A=10 carries f1,f2 (share 5); B=8 carries f2,f3,f4 (share 8/3).
		// B saturates first: f2 = f3 = f4 = 8/3. A then has 10 - 8/3 = 22/3 for f1, whose
		// bottleneck is A (22/3 is the largest rate on A).
		{"two bottlenecks", []float64{10, 8}, [][]int32{{0}, {0, 1}, {1}, {1}}, nil, []float64{22.0 / 3, 8.0 / 3, 8.0 / 3, 8.0 / 3}},
		// A=12 carries f1,f2,f3 (share 4); B=4 carries f3,f4 (share 2). B first: f3 = f4 = 2;
		// A then has 12-2 = 10 for f1,f2: 5 each.
		{"shared bottleneck frees", []float64{12, 4}, [][]int32{{0}, {0}, {0, 1}, {1}}, nil, []float64{5, 5, 2, 2}},
		// The same without f4: A and B both have share 4, a tie (A, the lower id, goes
		// first): f1 = f2 = f3 = 4, then B has 4-4 = 0 left and no flow.
		{"tie", []float64{12, 4}, [][]int32{{0}, {0}, {0, 1}}, nil, []float64{4, 4, 4}},
		// No link: unlimited, or its cap.
		{"no link", []float64{10}, [][]int32{{}, {0}}, nil, []float64{inf, 10}},
		{"no link capped", []float64{10}, [][]int32{{}, {0}}, []float64{3, inf}, []float64{3, 10}},
		// Link 100: f1 capped at 10 freezes first (10 < share 50); f2 takes the other 90.
		{"cap below share", []float64{100}, [][]int32{{0}, {0}}, []float64{10, inf}, []float64{10, 90}},
		// Cap 80 above the share 100/3: the cap never binds.
		{"cap above share", []float64{100}, [][]int32{{0}, {0}, {0}}, []float64{80, inf, inf}, []float64{100.0 / 3, 100.0 / 3, 100.0 / 3}},
		// Link 2 is crossed by nothing; no flows at all is fine too.
		{"unused link", []float64{10, 20, 30}, [][]int32{{1}}, nil, []float64{20}},
		{"no flows", []float64{10}, nil, nil, []float64{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := SolveCapped(tt.capacity, tt.flows, tt.caps)
			if len(got) != len(tt.want) {
				t.Fatalf("got %d rates, want %d", len(got), len(tt.want))
			}
			for i := range got {
				if !close12(got[i], tt.want[i]) {
					t.Errorf("flow %d: rate %v, want %v", i, got[i], tt.want[i])
				}
			}
			if tt.caps == nil {
				if again := Solve(tt.capacity, tt.flows); !slices.Equal(again, got) {
					t.Errorf("Solve %v != SolveCapped with nil caps %v", again, got)
				}
			}
			checkMaxMin(t, tt.capacity, tt.flows, tt.caps, got)
		})
	}
}

// checkMaxMin checks the definition of max-min fairness: the allocation is feasible (no link
// carries more than its capacity, no flow exceeds its cap) and every flow has a bottleneck:
// its cap is reached, or one of its links is saturated and no flow on that link gets more.
// Tolerance 1e-9 relative: the solver's rounding errors are a few ulps per step (1e-16
// relative), and an instance has at most a few dozen steps.
func checkMaxMin(t *testing.T, capacity []float64, flows [][]int32, caps []float64, rate []float64) {
	t.Helper()
	const eps = 1e-9
	load := make([]float64, len(capacity))
	top := make([]float64, len(capacity))
	for i, f := range flows {
		if !(rate[i] > 0) {
			t.Errorf("flow %d: rate %v is not positive", i, rate[i])
		}
		for _, l := range f {
			load[l] += rate[i]
			top[l] = max(top[l], rate[i])
		}
	}
	for l := range capacity {
		if load[l] > capacity[l]*(1+eps) {
			t.Errorf("link %d: load %v exceeds capacity %v", l, load[l], capacity[l])
		}
	}
	for i, f := range flows {
		c := inf
		if caps != nil {
			c = caps[i]
		}
		if rate[i] > c*(1+eps) {
			t.Errorf("flow %d: rate %v exceeds cap %v", i, rate[i], c)
		}
		if len(f) == 0 && math.IsInf(c, 1) {
			if !math.IsInf(rate[i], 1) {
				t.Errorf("flow %d crosses nothing and has no cap: rate %v, want +Inf", i, rate[i])
			}
			continue
		}
		bottleneck := rate[i] >= c*(1-eps)
		for _, l := range f {
			if load[l] >= capacity[l]*(1-eps) && rate[i] >= top[l]*(1-eps) {
				bottleneck = true
			}
		}
		if !bottleneck {
			t.Errorf("flow %d (rate %v, links %v) has no bottleneck", i, rate[i], f)
		}
	}
}

// randomInstance draws a solver instance: up to 10 links with capacities either round (ties
// are frequent) or arbitrary, up to 30 flows of 0-6 distinct links, some capped.
func randomInstance(rng *rand.Rand) (capacity []float64, flows [][]int32, caps []float64) {
	nl := 1 + rng.IntN(10)
	capacity = make([]float64, nl)
	for l := range capacity {
		if rng.IntN(2) == 0 {
			capacity[l] = []float64{1, 2, 5, 10, 100, 1000}[rng.IntN(6)]
		} else {
			capacity[l] = 0.5 + 999.5*rng.Float64()
		}
	}
	nf := rng.IntN(31)
	flows = make([][]int32, nf)
	caps = make([]float64, nf)
	for i := range flows {
		k := rng.IntN(min(7, nl+1))
		for _, l := range rng.Perm(nl)[:k] {
			flows[i] = append(flows[i], int32(l))
		}
		caps[i] = inf
		if rng.IntN(4) == 0 {
			caps[i] = 0.5 + 200*rng.Float64()
		}
	}
	return capacity, flows, caps
}

// TestSolveRandom compares Solve with naiveSolve on 3000 seeded random instances and checks
// the max-min properties on each. Tolerance 1e-9 relative: the two compute the same real
// numbers through different roundings (levels and sums of frozen rates versus remainders and
// shares), each off by a few ulps per step, with at most 40 steps.
func TestSolveRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for iter := range 3000 {
		capacity, flows, caps := randomInstance(rng)
		if iter%2 == 0 {
			caps = nil
		}
		got := SolveCapped(capacity, flows, caps)
		want := naiveSolve(capacity, flows, caps)
		for i := range got {
			if math.IsInf(want[i], 1) != math.IsInf(got[i], 1) ||
				(!math.IsInf(want[i], 1) && math.Abs(got[i]-want[i]) > 1e-9*want[i]) {
				t.Fatalf("instance %d: capacity %v flows %v caps %v: flow %d rate %v, naive %v",
					iter, capacity, flows, caps, i, got[i], want[i])
			}
		}
		checkMaxMin(t, capacity, flows, caps, got)
		if t.Failed() {
			t.Fatalf("instance %d: capacity %v flows %v caps %v: rates %v", iter, capacity, flows, caps, got)
		}
	}
}

// TestSolveComponentsIndependent checks the claim Net's incremental solve rests on: solving
// two independent instances together gives bit-identical rates to solving each alone, even
// with ties between their shares.
func TestSolveComponentsIndependent(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for iter := range 500 {
		c1, f1, k1 := randomInstance(rng)
		c2, f2, k2 := randomInstance(rng)
		r1 := SolveCapped(c1, f1, k1)
		r2 := SolveCapped(c2, f2, k2)
		// Union: instance 2's links shifted after instance 1's; flows interleaved.
		capacity := slices.Concat(c1, c2)
		var flows [][]int32
		var caps []float64
		var want []float64
		for i := 0; i < max(len(f1), len(f2)); i++ {
			if i < len(f1) {
				flows, caps, want = append(flows, f1[i]), append(caps, k1[i]), append(want, r1[i])
			}
			if i < len(f2) {
				var shifted []int32
				for _, l := range f2[i] {
					shifted = append(shifted, l+int32(len(c1)))
				}
				flows, caps, want = append(flows, shifted), append(caps, k2[i]), append(want, r2[i])
			}
		}
		got := SolveCapped(capacity, flows, caps)
		for i := range got {
			if math.Float64bits(got[i]) != math.Float64bits(want[i]) {
				// Caps tie-break on flow order, which interleaving preserves within each
				// instance; anything else is a real dependence between components.
				t.Fatalf("instance %d flow %d: together %v, alone %v", iter, i, got[i], want[i])
			}
		}
	}
}

func TestSolveDeterministic(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for range 200 {
		capacity, flows, caps := randomInstance(rng)
		a := SolveCapped(capacity, flows, caps)
		b := SolveCapped(capacity, flows, caps)
		for i := range a {
			if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
				t.Fatalf("two solves differ at flow %d: %v vs %v", i, a[i], b[i])
			}
		}
	}
}

func TestSolvePanicsOnBadInput(t *testing.T) {
	tests := []struct {
		name     string
		capacity []float64
		flows    [][]int32
		caps     []float64
	}{
		{"zero capacity", []float64{0}, [][]int32{{0}}, nil},
		{"NaN capacity", []float64{math.NaN()}, nil, nil},
		{"infinite capacity", []float64{inf}, nil, nil},
		{"link out of range", []float64{1}, [][]int32{{1}}, nil},
		{"negative link", []float64{1}, [][]int32{{-1}}, nil},
		{"link twice", []float64{1, 2}, [][]int32{{0, 1, 0}}, nil},
		{"caps length", []float64{1}, [][]int32{{0}}, []float64{}},
		{"zero cap", []float64{1}, [][]int32{{0}}, []float64{0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Errorf("no panic")
				}
			}()
			SolveCapped(tt.capacity, tt.flows, tt.caps)
		})
	}
}
