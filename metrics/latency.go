package metrics

import (
	"math"
	"slices"

	"github.com/HdrHistogram/hdrhistogram-go"
	"gonum.org/v1/gonum/stat"
)

// ExactCap is the number of samples a Latency keeps exactly before it switches to its
// histogram: 100 000 samples, 800 KB. The SockShop reference run (about 150 workflows) and
// any run of that size report exact empirical quantiles.
const ExactCap = 100_000

// The histogram covers 1 us .. about 11.6 days with 3 significant digits (about 200 KB).
const (
	histLowestNS  = 1_000
	histHighestNS = 1_000_000_000_000_000
	histDigits    = 3
)

// Summary of a latency distribution, in milliseconds.
type Summary struct {
	Mean float64 `json:"mean"`
	P50  float64 `json:"p50"`
	P95  float64 `json:"p95"`
	P99  float64 `json:"p99"`
	Max  float64 `json:"max"`
}

// Latency summarises a stream of non-negative durations in nanoseconds. The zero value is
// ready to use.
type Latency struct {
	exact []float64 // in ms, while n <= ExactCap; nil once the histogram took over
	hist  *hdrhistogram.Histogram
	n     int64
	sumNS int64
	maxNS int64
	minNS int64
	cap   int // 0: ExactCap
}

// NewLatency returns a Latency that keeps at most exactCap samples exactly (<= 0: ExactCap).
// A smaller cap is for tests of the histogram regime.
func NewLatency(exactCap int) *Latency { return &Latency{cap: exactCap} }

func (l *Latency) limit() int {
	if l.cap <= 0 {
		return ExactCap
	}
	return l.cap
}

// Add records one sample; negative samples count as 0.
func (l *Latency) Add(ns int64) {
	ns = max(ns, 0)
	l.n++
	if l.sumNS <= math.MaxInt64-ns {
		l.sumNS += ns
	} else {
		l.sumNS = math.MaxInt64 // saturate: 292 years of summed latency
	}
	l.maxNS = max(l.maxNS, ns)
	if l.n == 1 || ns < l.minNS {
		l.minNS = ns
	}
	if l.hist == nil && len(l.exact) < l.limit() {
		l.exact = append(l.exact, float64(ns)/1e6)
		return
	}
	if l.hist == nil {
		l.hist = hdrhistogram.New(histLowestNS, histHighestNS, histDigits)
		for _, ms := range l.exact {
			l.record(int64(math.Round(ms * 1e6)))
		}
		l.exact = nil
	}
	l.record(ns)
}

func (l *Latency) record(ns int64) {
	_ = l.hist.RecordValue(min(max(ns, histLowestNS), histHighestNS)) // clamped: cannot fail
}

// Count is the number of samples.
func (l *Latency) Count() int64 { return l.n }

// SumNS is the sum of the samples in ns (saturating at math.MaxInt64).
func (l *Latency) SumNS() int64 { return l.sumNS }

// Exact reports whether every sample is still held (quantiles are exact).
func (l *Latency) Exact() bool { return l.hist == nil }

// Samples returns the samples in ms, in arrival order, while Exact; nil afterwards. The slice
// is the Latency's own: do not modify it.
func (l *Latency) Samples() []float64 {
	if l.hist != nil {
		return nil
	}
	return l.exact
}

// Summary returns mean, p50, p95, p99 and max in ms (all zeros with no sample). While Exact,
// quantiles are gonum's stat.Empirical ones (the smallest sample with at least that fraction
// of samples at or below it) and the mean is taken over the sorted samples; afterwards the
// mean and max are exact and the quantiles are the histogram's (within 0.1%).
func (l *Latency) Summary() Summary {
	if l.n == 0 {
		return Summary{}
	}
	if l.hist == nil {
		return Summarize(l.exact)
	}
	q := func(p float64) float64 { return l.histQuantile(p) }
	return Summary{
		Mean: float64(l.sumNS) / float64(l.n) / 1e6,
		P50:  q(50), P95: q(95), P99: q(99),
		Max: float64(l.maxNS) / 1e6,
	}
}

// Quantiles returns the value in ms at each fraction in qs (0..1), by the same rules as
// Summary. It is for CDF plots of runs too long to keep every sample.
func (l *Latency) Quantiles(qs []float64) []float64 {
	out := make([]float64, len(qs))
	if l.n == 0 {
		return out
	}
	if l.hist == nil {
		sorted := slices.Clone(l.exact)
		slices.Sort(sorted)
		for i, q := range qs {
			out[i] = stat.Quantile(q, stat.Empirical, sorted, nil)
		}
		return out
	}
	for i, q := range qs {
		out[i] = l.histQuantile(100 * q)
	}
	return out
}

// histQuantile is the histogram's value at percentile p in ms, kept within the exact minimum
// and maximum (a bucket's highest equivalent value can lie above every sample in it).
func (l *Latency) histQuantile(p float64) float64 {
	v := min(max(l.hist.ValueAtQuantile(p), l.minNS), l.maxNS)
	return float64(v) / 1e6
}

// Reset forgets every sample and keeps the memory for reuse.
func (l *Latency) Reset() {
	l.exact = l.exact[:0]
	if l.hist != nil {
		l.hist = nil // back to the exact regime; the next long stream makes a new histogram
		l.exact = nil
	}
	l.n, l.sumNS, l.maxNS, l.minNS = 0, 0, 0, 0
}

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
