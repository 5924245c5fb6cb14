package metrics

import (
	"math"
	"math/rand/v2"
	"testing"
)

// While it holds every sample, a Latency summarises exactly as Summarize does.
func TestLatencyExactMatchesSummarize(t *testing.T) {
	var l Latency
	var ms []float64
	r := rand.New(rand.NewPCG(1, 2))
	for range 1000 {
		ns := int64(r.IntN(1e9))
		l.Add(ns)
		ms = append(ms, float64(ns)/1e6)
	}
	if got, want := l.Summary(), Summarize(ms); got != want {
		t.Errorf("summary %+v, want %+v", got, want)
	}
	if !l.Exact() || len(l.Samples()) != 1000 {
		t.Errorf("exact %v with %d samples", l.Exact(), len(l.Samples()))
	}
}

// Beyond its cap a Latency keeps a histogram: mean and max stay exact, and every quantile is
// within the histogram's 0.1% of the exact one (3 significant digits; 0.2% allowed for the
// rank rounding between the two quantile definitions on a dense sample).
func TestLatencyHistogramRegime(t *testing.T) {
	l := NewLatency(100)
	var ms []float64
	r := rand.New(rand.NewPCG(3, 4))
	var sum int64
	for range 50_000 {
		ns := int64(r.ExpFloat64()*50e6) + 1000
		sum += ns
		l.Add(ns)
		ms = append(ms, float64(ns)/1e6)
	}
	if l.Exact() || l.Samples() != nil {
		t.Fatal("still exact beyond the cap")
	}
	got, want := l.Summary(), Summarize(ms)
	if got.Max != want.Max || math.Abs(got.Mean-float64(sum)/5e4/1e6) > 1e-9 {
		t.Errorf("mean/max %v/%v, want %v/%v", got.Mean, got.Max, float64(sum)/5e4/1e6, want.Max)
	}
	for _, q := range []struct {
		name      string
		got, want float64
	}{{"p50", got.P50, want.P50}, {"p95", got.P95, want.P95}, {"p99", got.P99, want.P99}} {
		if rel := math.Abs(q.got-q.want) / q.want; rel > 0.002 {
			t.Errorf("%s %v, exact %v: relative error %.4f > 0.002", q.name, q.got, q.want, rel)
		}
	}
	qs := l.Quantiles([]float64{0.5, 0.99})
	if qs[0] != got.P50 || qs[1] != got.P99 {
		t.Errorf("Quantiles %v, Summary p50 %v p99 %v", qs, got.P50, got.P99)
	}
	l.Reset()
	if l.Count() != 0 || !l.Exact() || l.Summary() != (Summary{}) {
		t.Errorf("after Reset: count %d exact %v summary %+v", l.Count(), l.Exact(), l.Summary())
	}
}

// Memory does not grow with the number of samples beyond the cap: ten million samples fit
// in the exact cap plus one histogram (checked by allocation, not by time).
func TestLatencyBoundedMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("ten million samples")
	}
	l := NewLatency(0)
	for i := range int64(ExactCap + 1) {
		l.Add(i * 1000)
	}
	// AllocsPerRun counts every allocation of the process, so a stray one by the runtime or
	// the test framework on a loaded machine can land in a run; averaged over five runs it
	// rounds away, while one allocation per sample would show as millions.
	allocs := testing.AllocsPerRun(5, func() {
		for i := range int64(10_000_000) {
			l.Add(i % 1_000_000 * 1000)
		}
	})
	if allocs != 0 {
		t.Errorf("%v allocations for ten million samples in the histogram regime, want 0", allocs)
	}
}

func TestTimeAverage(t *testing.T) {
	var a TimeAverage
	a.Set(0, 2)  // 2 over [0, 10)
	a.Add(10, 2) // 4 over [10, 20)
	if got := a.Mean(20); got != 3 {
		t.Errorf("mean %v, want 3", got)
	}
	a.Reset(20) // 4 over [20, 30)
	a.Set(30, 0)
	if got, max := a.Mean(40), a.Max(); got != 2 || max != 4 {
		t.Errorf("mean %v max %v, want 2 and 4", got, max)
	}
	if got := a.Mean(20); got != 0 {
		t.Errorf("empty window mean %v, want the current value 0", got)
	}
}

// A histogram quantile never lies outside the samples: with every sample equal, every
// quantile is that value (a bucket's highest equivalent value would be above it).
func TestLatencyQuantilesWithinSamples(t *testing.T) {
	l := NewLatency(10)
	for range 1000 {
		l.Add(594_203_000)
	}
	s := l.Summary()
	if s.P50 != 594.203 || s.P99 != 594.203 || s.Max != 594.203 || s.Mean != 594.203 {
		t.Errorf("summary %+v, want 594.203 everywhere", s)
	}
}
