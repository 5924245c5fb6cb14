package theory

import (
	"fmt"
	"math"
)

// RelErr returns the relative error |sim - oracle| / |oracle| of a simulated value against
// its theoretical one. When oracle is 0 it returns 0 if sim is 0 too and +Inf otherwise. A
// NaN input gives NaN, which fails every comparison such as RelErr(...) <= tol.
func RelErr(sim, oracle float64) float64 {
	if oracle == 0 {
		if sim == 0 {
			return 0
		}
		return math.Inf(1)
	}
	return math.Abs(sim-oracle) / math.Abs(oracle)
}

// CheckRel returns nil when RelErr(sim, oracle) <= tol and otherwise an error naming what
// was compared, both values and the error, e.g. "theory: M/M/1 response: sim 2.1 vs theory
// 2: relative error 0.05 > tol 0.02". A NaN anywhere is an error.
func CheckRel(what string, sim, oracle, tol float64) error {
	e := RelErr(sim, oracle)
	if e <= tol { // false for NaN
		return nil
	}
	return fmt.Errorf("theory: %s: sim %.6g vs theory %.6g: relative error %.3g > tol %.3g", what, sim, oracle, e, tol)
}
