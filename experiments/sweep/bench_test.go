package main

import (
	"fmt"
	"io"
	"testing"
)

// BenchmarkSweep1000 runs a real sweep of 1000 runs of 10 steps (250 seeds x 2 variants x
// 2 strategies) with 1 and 2 workers; runs/s is reported as a metric. Run with
//
//	go test ./experiments/sweep -run '^$' -bench Sweep1000 -benchtime 3x
func BenchmarkSweep1000(b *testing.B) {
	args := []string{"-seeds", "1-250", "-variants", "mpi,rest", "-strategies", "random,first-fit", "-steps", "10", "-quiet"}
	for _, w := range []int{1, 2} {
		b.Run(fmt.Sprintf("workers=%d", w), func(b *testing.B) {
			b.ReportAllocs()
			c := realCLI()
			for b.Loop() {
				if code := c.main(append([]string{"-workers", fmt.Sprint(w)}, args...), io.Discard, io.Discard); code != 0 {
					b.Fatalf("exit %d", code)
				}
			}
			b.ReportMetric(float64(1000*b.N)/b.Elapsed().Seconds(), "runs/s")
		})
	}
}
