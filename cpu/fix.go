package cpu

import (
	"math"
	"math/bits"

	"github.com/edgesim/edgesim/engine"
)

// fix is a non-negative amount of service in fixed point: w whole nanoseconds plus f/2^64 of a
// nanosecond. Processor sharing hands each of n jobs c/n of a core, so the service a job
// attains in an integer interval is rational with a denominator that changes at every event;
// 64 fractional bits make the rounding of each increment (always down) smaller than 2^-64 ns,
// so it cannot add up to a nanosecond in any run the kernel can represent, while additions
// and comparisons stay exact, cheap and the same on every machine (no floating point).
type fix struct {
	w, f uint64
}

// add returns a + b. The whole part cannot overflow: it is bounded by virtual time elapsed.
func (a fix) add(b fix) fix {
	f, carry := bits.Add64(a.f, b.f, 0)
	return fix{w: a.w + b.w + carry, f: f}
}

// sub returns a - b; the caller guarantees a >= b.
func (a fix) sub(b fix) fix {
	f, borrow := bits.Sub64(a.f, b.f, 0)
	return fix{w: a.w - b.w - borrow, f: f}
}

// less reports a < b.
func (a fix) less(b fix) bool { return a.w < b.w || a.w == b.w && a.f < b.f }

// share returns floor(dt*c/n) in fixed point: the service each job attains in dt when n > c
// jobs share c cores. Preconditions: dt >= 0, 1 <= c < n, so dt*c/n < dt < 2^63 and both
// divisions below have a quotient that fits (hi < n, r < n).
func share(dt engine.Time, c, n int) fix {
	hi, lo := bits.Mul64(uint64(dt), uint64(c))
	q, r := bits.Div64(hi, lo, uint64(n))
	f, _ := bits.Div64(r, 0, uint64(n))
	return fix{w: q, f: f}
}

// ceilNS returns ceil(r) in nanoseconds: the time a job with r service left needs at rate 1.
// It saturates at engine.MaxTime.
func ceilNS(r fix) engine.Time {
	w := r.w
	if r.f != 0 {
		w++
	}
	if w == 0 && r.f != 0 || w > uint64(math.MaxInt64) {
		return engine.MaxTime
	}
	return engine.Time(w)
}

// stretch returns ceil(r*n/c) in nanoseconds: the time a job with r service left needs at
// rate c/n (n > c). It computes the 192-bit product r*n exactly and divides it by c*2^64
// rounding up, so the job is never credited before it has attained r. It saturates at
// engine.MaxTime.
func stretch(r fix, c, n int) engine.Time {
	// r*n = (r.w*n) + (r.f*n)/2^64 = a1*2^64 + a0 + a_1/2^64, as a 192-bit integer
	// N = a1*2^128 + a0*2^64 + a_1 in units of 2^-64 ns.
	fh, fl := bits.Mul64(r.f, uint64(n))
	a1, a0 := bits.Mul64(r.w, uint64(n))
	var carry uint64
	a0, carry = bits.Add64(a0, fh, 0)
	a1 += carry // r.w*n + fh < 2^128: no overflow
	// Long division of N by c, most significant word first.
	q2, rem := bits.Div64(0, a1, uint64(c))
	q1, rem := bits.Div64(rem, a0, uint64(c))
	q0, rem := bits.Div64(rem, fl, uint64(c))
	if q2 != 0 {
		return engine.MaxTime
	}
	t := q1
	if q0 != 0 || rem != 0 {
		if t == math.MaxUint64 {
			return engine.MaxTime
		}
		t++
	}
	if t > uint64(math.MaxInt64) {
		return engine.MaxTime
	}
	return engine.Time(t)
}
