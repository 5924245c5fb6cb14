package theory_test

import (
	"fmt"

	"github.com/edgesim/edgesim/theory"
)

// A service with 4 cores, 250 ms of CPU per request on average (mu = 4/s per core), FCFS,
// receiving 12 requests per second.
func ExampleNewMMc() {
	q, err := theory.NewMMc(12, 4, 4)
	if err != nil {
		fmt.Println(err)
		return
	}
	w95, _ := q.WaitQuantile(0.95)
	r95, _ := q.ResponseQuantile(0.95)
	fmt.Printf("utilisation %.2f, P(wait) %.4f\n", q.Utilisation, q.PWait)
	fmt.Printf("mean wait %.4f s, mean response %.4f s, mean number %.4f\n", q.Wait, q.Response, q.Number)
	fmt.Printf("p95 wait %.4f s, p95 response %.4f s\n", w95, r95)

	_, err = theory.NewMMc(16, 4, 4)
	fmt.Println(err)
	// Output:
	// utilisation 0.75, P(wait) 0.5094
	// mean wait 0.1274 s, mean response 0.3774 s, mean number 4.5283
	// p95 wait 0.5803 s, p95 response 1.0320 s
	// theory: M/M/c: unstable: utilisation 1 >= 1 (no steady state)
}

// 50 closed-loop users thinking 1 s between requests; each request needs 100 ms on a 4-core
// CPU and 20 ms on a single disk.
func ExampleMVA() {
	net := theory.ClosedNetwork{
		Think: 1,
		Stations: []theory.ClosedStation{
			{Name: "cpu", Demand: 0.1, Servers: 4},
			{Name: "disk", Demand: 0.02, Servers: 1},
		},
	}
	res, err := theory.MVA(net, 50)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("X = %.4f req/s, R = %.4f s\n", res.Throughput, res.Response)
	for k, st := range net.Stations {
		fmt.Printf("%-4s Q = %.4f U = %.4f\n", st.Name, res.QueueLength[k], res.Utilisation[k])
	}
	lo, hi, _ := theory.ThroughputBounds(net, 50)
	fmt.Printf("bounds [%.4f, %.4f]\n", lo, hi)
	// Output:
	// X = 37.8164 req/s, R = 0.3222 s
	// cpu  Q = 9.3967 U = 0.9454
	// disk Q = 2.7869 U = 0.7563
	// bounds [7.1429, 40.0000]
}

// A request crosses a one-core gateway (2 ms per request) and then a 3-core service (10 ms
// per request per core), at 200 requests per second.
func ExampleTandem() {
	res, err := theory.Tandem(200, []theory.OpenStation{
		{Name: "gateway", Mu: 500, C: 1},
		{Name: "service", Mu: 100, C: 3},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, st := range res.Stations {
		fmt.Printf("rho %.3f response %.2f ms\n", st.Utilisation, 1000*st.Response)
	}
	fmt.Printf("end to end %.2f ms, %.3f requests inside\n", 1000*res.Response, res.Number)
	// Output:
	// rho 0.400 response 3.33 ms
	// rho 0.667 response 14.44 ms
	// end to end 17.78 ms, 3.556 requests inside
}
