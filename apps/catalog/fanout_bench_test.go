package catalog

import (
	"fmt"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/edgesim/edgesim/scenario"
)

// cpuTime is the process's user + system CPU time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkFanout runs uqSim's fan-out (1000 leaves, 8000 requests per second) for a
// thousandth (0.06 s), a hundredth (0.6 s) and a tenth (6 s) of the published 60 s, and reports simulated messages
// per second of process CPU time. A thousandth runs by default; the hundredth and the tenth
// only with EDGESIM_FANOUT=long, and the tenth is long (run it alone, -benchtime 1x):
//
//	EDGESIM_FANOUT=long go test ./apps/catalog -run '^$' -bench 'Fanout/tenth' -benchtime 1x
//
// EDGESIM_FANOUT=full runs only the published run itself, 60 s of virtual time (an hour or
// more of CPU per style; go test's default 10-minute timeout must be lifted):
//
//	EDGESIM_FANOUT=full go test ./apps/catalog -run '^$' -bench 'Fanout/full/mpi' -benchtime 1x -timeout 0
func BenchmarkFanout(b *testing.B) {
	sizes := []struct {
		name    string
		seconds float64
	}{{"thousandth", FanoutSeconds / 1000}}
	// The hundredth (about a minute a style) and the tenth (about ten) only on request, so
	// that one pass over every benchmark (CI) stays short.
	switch os.Getenv("EDGESIM_FANOUT") {
	case "full":
		sizes = []struct {
			name    string
			seconds float64
		}{{"full", FanoutSeconds}}
	case "long":
		sizes = append(sizes, struct {
			name    string
			seconds float64
		}{"hundredth", FanoutSeconds / 100}, struct {
			name    string
			seconds float64
		}{"tenth", FanoutSeconds / 10})
	}
	for _, size := range sizes {
		for _, v := range scenario.Variants {
			b.Run(fmt.Sprintf("%s/%s", size.name, v), func(b *testing.B) {
				cfg, a, err := FanoutScenario(v, FanoutLeaves, size.seconds)
				if err != nil {
					b.Fatal(err)
				}
				b.ReportAllocs()
				b.ResetTimer()
				msgs, wfs := 0, 0
				start := cpuTime()
				for range b.N {
					res, err := scenario.Run(cfg, a)
					if err != nil {
						b.Fatal(err)
					}
					msgs += res.Messages
					wfs += res.Workflows
				}
				cpu := cpuTime() - start
				b.ReportMetric(float64(msgs)/cpu.Seconds(), "msgs/cpu-s")
				b.ReportMetric(float64(wfs)/float64(b.N), "workflows/op")
				b.ReportMetric(float64(msgs)/float64(b.N), "msgs/op")
			})
		}
	}
}
