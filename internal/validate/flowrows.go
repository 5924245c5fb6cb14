package validate

import (
	"fmt"
	"math"

	"github.com/edgesim/edgesim/engine"
	"github.com/edgesim/edgesim/flow"
)

// FlowSection names the max-min rows. They are unit-level: package flow, which `-links fair`
// uses (comm's tests check that wiring), run directly on hand-worked cases.
const FlowSection = "9. Max-min sharing (unit level)"

// flowCase is a hand-worked link case: link capacities (Mbit/s), transfers (links crossed,
// bytes), and the expected max-min rates at the start and completion instants, worked by
// hand in the comment of each case.
type flowCase struct {
	name     string
	capacity []float64
	paths    [][]int32
	bytes    []int
	rates    []float64 // at the start
	doneMS   []float64 // completion instants
	changes  []int     // rate changes each transfer lives through (one ns of rounding each)
}

// flowCases are the hand-worked cases. Sizes in MB (1e6 bytes = 8 Mbit), rates in Mbit/s.
var flowCases = []flowCase{
	{
		// Two flows on one 10 Mbit/s link share it, 5 each. The 8 Mbit flow ends at 8/5 =
		// 1.6 s; the other has 16 - 8 = 8 Mbit left and now gets the whole link: 0.8 s more,
		// 2.4 s. (A flow ending frees its share.)
		name: "two flows, one link", capacity: []float64{10},
		paths: [][]int32{{0}, {0}}, bytes: []int{1e6, 2e6},
		rates: []float64{5, 5}, doneMS: []float64{1600, 2400}, changes: []int{0, 1},
	},
	{
		// Three flows of 8, 16 and 24 Mbit on one 10 Mbit/s link: 10/3 each until the first
		// ends at 8/(10/3) = 2.4 s; the others then have 8 and 16 Mbit left at 5 each: the
		// second ends 1.6 s later, at 4.0 s; the third has 8 Mbit left, alone at 10: 4.8 s.
		name: "three flows, one link", capacity: []float64{10},
		paths: [][]int32{{0}, {0}, {0}}, bytes: []int{1e6, 2e6, 3e6},
		rates: []float64{10.0 / 3, 10.0 / 3, 10.0 / 3}, doneMS: []float64{2400, 4000, 4800}, changes: []int{0, 1, 2},
	},
	{
		// Two bottlenecks: link 0 (10) carries f1 and f2, link 1 (100) carries f2 and f3.
		// Link 0 saturates first at 5 each; f3 takes what link 1 has left, 100 - 5 = 95.
		// f3 (8 Mbit) ends at 8/95 s = 84.210526... ms (rounded up to the ns); f1 and f2
		// stay at 5 (link 0 is still their bottleneck) and end at 1.6 s.
		name: "three flows, two bottlenecks", capacity: []float64{10, 100},
		paths: [][]int32{{0}, {0, 1}, {1}}, bytes: []int{1e6, 1e6, 1e6},
		rates: []float64{5, 5, 95}, doneMS: []float64{1600, 1600, 8000.0 / 95}, changes: []int{0, 0, 0},
	},
	{
		// Parking lot: f0 crosses links 0 (10) and 1 (4), f1 link 0 only, f2 link 1 only.
		// Link 1 saturates first at 2 each (f0, f2); f1 gets what link 0 has left, 10 - 2 =
		// 8. f1 (8 Mbit) ends at 1 s; f0 and f2 keep 2 (link 1) and end at 8/2 = 4 s.
		name: "parking lot", capacity: []float64{10, 4},
		paths: [][]int32{{0, 1}, {0}, {1}}, bytes: []int{1e6, 1e6, 1e6},
		rates: []float64{2, 8, 2}, doneMS: []float64{4000, 1000, 4000}, changes: []int{0, 0, 0},
	},
}

// FlowRows runs the hand-worked max-min cases: the rates flow.Solve gives at the start,
// and the completion instants of the transfers run through flow.Net. Both are
// deterministic, so the tolerances are rounding: float64 rounding (1e-12 relative) for a
// rate, and for an instant one nanosecond per rate the transfer lived through (each
// completion instant is rounded up to the nanosecond).
func FlowRows() ([]Row, error) {
	var rows []Row
	for _, c := range flowCases {
		rates := flow.Solve(c.capacity, c.paths)
		for i, want := range c.rates {
			rows = append(rows, Row{Section: FlowSection, Experiment: c.name, Variant: "unit",
				Quantity: fmt.Sprintf("f%d rate (Mbit/s)", i), Oracle: want, Sim: rates[i],
				Tol: 1e-12 * want, Why: "deterministic (flow.Solve): float rounding"})
		}
		sim := engine.New(1)
		net := flow.New(sim)
		for l, mbps := range c.capacity {
			if err := net.SetCapacity(int32(l), mbps); err != nil {
				sim.Close()
				return nil, fmt.Errorf("validate: %s: %w", c.name, err)
			}
		}
		done := make([]engine.Time, len(c.paths))
		for i, p := range c.paths {
			done[i] = -1
			if _, err := net.Start(p, c.bytes[i], func() { done[i] = sim.Now() }); err != nil {
				sim.Close()
				return nil, fmt.Errorf("validate: %s: %w", c.name, err)
			}
		}
		err := sim.Run()
		sim.Close()
		if err != nil {
			return nil, fmt.Errorf("validate: %s: %w", c.name, err)
		}
		for i, want := range c.doneMS {
			got := math.NaN()
			if done[i] >= 0 {
				got = done[i].Milliseconds()
			}
			rows = append(rows, Row{Section: FlowSection, Experiment: c.name, Variant: "unit",
				Quantity: fmt.Sprintf("f%d (%d MB) done at (ms)", i, c.bytes[i]/1e6), Oracle: want, Sim: got,
				Tol: float64(c.changes[i]+1) * 1e-6, Why: fmt.Sprintf("deterministic (flow.Net): %d ns of rounding up", c.changes[i]+1)})
		}
	}
	return rows, nil
}
