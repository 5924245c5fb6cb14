package sockshop

import (
	"slices"

	"gonum.org/v1/gonum/stat"
)

// Summarize computes mean, percentiles (gonum's stat.Empirical quantile: the smallest sample
// with at least that fraction of samples at or below it) and max of latencies in ms. An empty
// input gives all zeros.
func Summarize(ms []float64) Summary {
	if len(ms) == 0 {
		return Summary{}
	}
	sorted := slices.Clone(ms)
	slices.Sort(sorted)
	return Summary{
		Mean: stat.Mean(sorted, nil),
		P50:  stat.Quantile(0.50, stat.Empirical, sorted, nil),
		P95:  stat.Quantile(0.95, stat.Empirical, sorted, nil),
		P99:  stat.Quantile(0.99, stat.Empirical, sorted, nil),
		Max:  sorted[len(sorted)-1],
	}
}
