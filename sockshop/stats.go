package sockshop

import "github.com/edgesim/edgesim/scenario"

// Summarize computes mean, percentiles (gonum's stat.Empirical quantile: the smallest sample
// with at least that fraction of samples at or below it) and max of latencies in ms. An empty
// input gives all zeros.
func Summarize(ms []float64) Summary { return scenario.Summarize(ms) }
