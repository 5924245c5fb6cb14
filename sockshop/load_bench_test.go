package sockshop

import (
	"testing"

	"github.com/edgesim/edgesim/engine"
)

// loadConfig is SockShop under load: 1000 closed-loop users with exponential think times
// (mean 10 s), exponential service times, a CPU station per service (FCFS), the reference
// infrastructure and dynamics, 100 steps of 500 ms. The Frontend (2 cores, 20 ms per
// workflow) is the bottleneck: about 100 workflows/s at most.
func loadConfig(v, links string) Config {
	cfg := DefaultConfig(v)
	cfg.Workload.Users = 1000
	cfg.Workload.Think = 10 * engine.Second
	cfg.Workload.ThinkDist = "exp"
	cfg.Load.Service = "exp"
	cfg.Load.Links = links
	return cfg
}

// BenchmarkLoad1000 reports the CPU cost of simulating SockShop at 1000 users with
// contention on: simulated messages per second of process CPU time (user + system, every
// thread) and CPU microseconds per simulated message.
func BenchmarkLoad1000(b *testing.B) {
	for _, links := range []string{"free"} {
		for _, v := range Variants {
			b.Run(v+"/links="+links, func(b *testing.B) {
				b.ReportAllocs()
				msgs := 0
				start := cpuTime()
				for i := 0; i < b.N; i++ {
					res, err := Run(loadConfig(v, links))
					if err != nil {
						b.Fatal(err)
					}
					msgs += res.Messages
				}
				cpu := float64(cpuTime() - start)
				b.ReportMetric(float64(msgs)/(cpu/1e9), "msgs/cpu-s")
				b.ReportMetric(cpu/1e3/float64(msgs), "cpu-us/msg")
			})
		}
	}
}
