package theory

import (
	"errors"
	"fmt"
	"math"
)

// ErrInvalid is matched (errors.Is) by every error about a bad input: a negative, NaN or
// infinite rate or time, fewer than one server, a negative population, a routing row that
// sums to more than one, and so on.
var ErrInvalid = errors.New("theory: invalid input")

// ErrUnstable is matched (errors.Is) by every *UnstableError: an open queue whose offered
// load reaches its capacity has no steady state, so no mean can be returned.
var ErrUnstable = errors.New("theory: unstable")

// UnstableError says which queue is overloaded and by how much.
type UnstableError struct {
	Model   string  // the function's model, e.g. "M/M/c" or "Jackson"
	Station string  // the station, for networks ("" for a single queue)
	Rho     float64 // per-server utilisation lambda/(c mu); >= 1 here
}

func (e *UnstableError) Error() string {
	where := e.Model
	if e.Station != "" {
		where += ": station " + e.Station
	}
	return fmt.Sprintf("theory: %s: unstable: utilisation %.6g >= 1 (no steady state)", where, e.Rho)
}

// Is makes errors.Is(err, ErrUnstable) true.
func (e *UnstableError) Is(target error) bool { return target == ErrUnstable }

// invalid builds an error wrapping ErrInvalid, with the model and the offending input.
func invalid(model, format string, args ...any) error {
	return fmt.Errorf("theory: %s: %w: %s", model, ErrInvalid, fmt.Sprintf(format, args...))
}

// finite reports whether x is neither NaN nor infinite.
func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// checkRate accepts a finite x >= 0 (positive when positive is set).
func checkRate(model, name string, x float64, positive bool) error {
	switch {
	case !finite(x):
		return invalid(model, "%s = %v: must be finite", name, x)
	case positive && x <= 0:
		return invalid(model, "%s = %v: must be > 0", name, x)
	case x < 0:
		return invalid(model, "%s = %v: must be >= 0", name, x)
	}
	return nil
}

// MaxServers is the largest number of servers a station may have (Erlang B costs O(c)).
const MaxServers = 1 << 20

// checkServers accepts 1 <= c <= MaxServers.
func checkServers(model string, c int) error {
	if c < 1 || c > MaxServers {
		return invalid(model, "c = %d servers: must be in [1, %d]", c, MaxServers)
	}
	return nil
}

// finiteResult returns an error matching ErrInvalid when a computed value overflowed (or
// became NaN): inputs near the ends of the float64 range can do that, and a caller must
// never receive such a value silently.
func finiteResult(model string, vals ...float64) error {
	for _, v := range vals {
		if !finite(v) {
			return invalid(model, "result %v out of float64 range: inputs too extreme", v)
		}
	}
	return nil
}
