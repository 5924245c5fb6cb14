package capacity_test

import (
	"fmt"

	"github.com/edgesim/edgesim/capacity"
)

func ExampleParseSLO() {
	slo, err := capacity.ParseSLO("p99=1s, p95=500ms, failed=1%")
	if err != nil {
		panic(err)
	}
	fmt.Println(slo)
	row := capacity.Row{Load: 50, Workflows: 990, Failed: 10}
	row.Latency.P95, row.Latency.P99 = 480, 1250
	fmt.Println(slo.Check(row))
	// Output:
	// p95=500ms,p99=1s,failed=0.01
	// false p99 1250.000ms > 1s
}

func ExampleSaturationOf() {
	// Throughput of a closed loop against its users: proportional, then flat at 90/s.
	rows := []capacity.Row{{Load: 10, ThroughputPerS: 16}, {Load: 25, ThroughputPerS: 39}, {Load: 50, ThroughputPerS: 69},
		{Load: 75, ThroughputPerS: 83}, {Load: 100, ThroughputPerS: 88}}
	s := capacity.SaturationOf(rows)
	fmt.Println(rows[s.Index].Load, s.Reason)
	// Output:
	// 75 throughput +20.3% for +50% load
}
