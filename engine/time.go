package engine

import (
	"math"
	"time"
)

// Time is virtual time in integer nanoseconds. It is also used for durations (delays).
type Time int64

// Units of virtual time.
const (
	Nanosecond  Time = 1
	Microsecond      = 1000 * Nanosecond
	Millisecond      = 1000 * Microsecond
	Second           = 1000 * Millisecond
)

// MaxTime is the largest representable virtual time.
const MaxTime Time = math.MaxInt64

// FromMilliseconds converts ms to Time, rounding to the nearest nanosecond with halves rounded
// away from zero (math.Round of ms*1e6). This is the one rounding rule for model inputs given
// in milliseconds. NaN converts to 0; values beyond the range of Time saturate at MaxTime or
// -MaxTime-1.
func FromMilliseconds(ms float64) Time { return fromFloat(ms * 1e6) }

// FromSeconds converts s to Time with the same rounding rule as FromMilliseconds
// (math.Round of s*1e9, halves away from zero; NaN -> 0; saturating).
func FromSeconds(s float64) Time { return fromFloat(s * 1e9) }

func fromFloat(ns float64) Time {
	switch {
	case math.IsNaN(ns):
		return 0
	case ns >= 9.223372036854775807e18:
		return MaxTime
	case ns <= -9.223372036854775808e18:
		return math.MinInt64
	}
	return Time(math.Round(ns))
}

// Milliseconds returns t in (fractional) milliseconds.
func (t Time) Milliseconds() float64 { return float64(t) / 1e6 }

// Seconds returns t in (fractional) seconds.
func (t Time) Seconds() float64 { return float64(t) / 1e9 }

// String formats t exactly like time.Duration: "0s", "750ns", "1.5ms", "2.25s", "1m30s".
// The result is exact (no float rounding) and deterministic.
func (t Time) String() string { return time.Duration(t).String() }
