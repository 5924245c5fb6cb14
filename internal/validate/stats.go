package validate

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/edgesim/edgesim/theory"
)

// K is the number of standard errors a simulated mean may stray from its oracle: with
// Replications = 10 independent replications the standardised error follows Student's t
// with 9 degrees of freedom, and P(|t_9| > 4) = 0.003, so a correct simulator fails a row
// about once in 300, while a bias of a few standard errors is caught.
const K = 4

// Estimate is a quantity measured over independent replications: the mean of the
// per-replication values and its standard error (sample standard deviation / sqrt(N)).
type Estimate struct {
	Mean float64
	SE   float64
	N    int
}

// Replicated estimates the mean of xs, one value per independent replication. The sums
// run in index order, so equal inputs give equal bits.
func Replicated(xs []float64) Estimate {
	n := len(xs)
	if n == 0 {
		return Estimate{Mean: math.NaN(), SE: math.NaN()}
	}
	sum := 0.0
	for _, x := range xs {
		sum += x
	}
	mean := sum / float64(n)
	if n == 1 {
		return Estimate{Mean: mean, SE: math.NaN(), N: 1}
	}
	ss := 0.0
	for _, x := range xs {
		d := x - mean
		ss += float64(d * d)
	}
	return Estimate{Mean: mean, SE: math.Sqrt(ss / float64(n-1) / float64(n)), N: n}
}

// HalfWidth95 is the half-width of the two-sided 95% confidence interval of the mean,
// t_{0.975, N-1} x SE (NaN with fewer than two replications).
func (e Estimate) HalfWidth95() float64 {
	if e.N < 2 {
		return math.NaN()
	}
	return distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(e.N - 1)}.Quantile(0.975) * e.SE
}

// Row is one line of the validation table: a simulated quantity against its oracle.
type Row struct {
	Section    string // the experiment group, e.g. "1. M/M/1"
	Experiment string // the run within it, e.g. "rho=0.8"
	Variant    string // "mpi", "rest", or "unit" for a unit-level check
	Quantity   string
	Oracle     float64
	Sim        float64
	// Tol is the absolute tolerance: the row passes when |Sim - Oracle| <= Tol.
	Tol float64
	// Why says why Tol is honest: how it was derived, the run length, the CI.
	Why string
}

// Diff is Sim - Oracle.
func (r Row) Diff() float64 { return r.Sim - r.Oracle }

// RelErr is |Sim - Oracle| / |Oracle| (theory.RelErr).
func (r Row) RelErr() float64 { return theory.RelErr(r.Sim, r.Oracle) }

// RelTol is Tol / |Oracle|, the tolerance on the scale of RelErr.
func (r Row) RelTol() float64 {
	if r.Oracle == 0 {
		return math.Inf(1)
	}
	return r.Tol / math.Abs(r.Oracle)
}

// Pass reports whether |Sim - Oracle| <= Tol. Any NaN, and a negative or NaN tolerance,
// fails: a row whose statistics could not be computed never passes.
func (r Row) Pass() bool {
	d := math.Abs(r.Sim - r.Oracle)
	return r.Tol >= 0 && d <= r.Tol
}

// statRow is the row of a quantity estimated over replications against an oracle, passing
// within K standard errors.
func statRow(base Row, oracle float64, e Estimate, why string) Row {
	base.Oracle, base.Sim = oracle, e.Mean
	base.Tol = K * e.SE
	base.Why = why
	return base
}
