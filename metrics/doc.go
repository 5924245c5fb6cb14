// Package metrics summarises what a run measures without keeping every sample of a long run.
//
// Latency keeps a stream of durations: exactly (every sample, so quantiles are the empirical
// ones) while it holds at most ExactCap samples, and from then on in an HDR histogram
// (github.com/HdrHistogram/hdrhistogram-go, 3 significant digits: every quantile it reports
// is within 0.1% of a value the stream held at that rank), so its memory is bounded whatever
// the run length. The mean and the maximum stay exact in both regimes.
//
// TimeAverage integrates a piecewise-constant quantity over virtual time (workflows in
// flight, jobs at a station), for time averages and Little's law.
package metrics
