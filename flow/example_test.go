package flow_test

import (
	"fmt"

	"github.com/edgesim/edgesim/engine"
	"github.com/edgesim/edgesim/flow"
)

// Two transfers share a 10 Mbit/s link: 5 Mbit/s each until the first ends, then the second
// gets the whole link.
func Example() {
	sim := engine.New(1)
	net := flow.New(sim)
	if err := net.SetCapacity(0, 10); err != nil {
		fmt.Println(err)
		return
	}
	for _, size := range []int{1_000_000, 2_000_000} { // 8 and 16 Mbit
		_, err := net.Start([]int32{0}, size, func() {
			fmt.Printf("%d bytes done at %v\n", size, sim.Now())
		})
		if err != nil {
			fmt.Println(err)
			return
		}
	}
	if err := sim.Run(); err != nil {
		fmt.Println(err)
	}
	st := net.LinkStats(0)
	fmt.Printf("link: %.0f bytes, busy %v, %.2f flows on average\n", st.Bytes, st.Busy, st.MeanFlows)
	// Output:
	// 1000000 bytes done at 1.6s
	// 2000000 bytes done at 2.4s
	// link: 3000000 bytes, busy 2.4s, 1.67 flows on average
}

// Solve is the allocation alone: link A (10 Mbit/s) carries f1 and f2, link B (100 Mbit/s)
// carries f2 and f3. A is the bottleneck of f1 and f2; f3 takes what B has left.
func ExampleSolve() {
	rates := flow.Solve([]float64{10, 100}, [][]int32{{0}, {0, 1}, {1}})
	fmt.Println(rates)
	// Output:
	// [5 5 95]
}
