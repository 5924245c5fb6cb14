package cpu

import (
	"math"
	"math/big"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/edgesim/edgesim/engine"
)

// Differential tests of the fixed-point, heap, ring and accumulator helpers against math/big
// and sorting, on edge cases and random values.

var two64 = new(big.Int).Lsh(big.NewInt(1), 64)

func fixBig(a fix) *big.Int {
	x := new(big.Int).SetUint64(a.w)
	x.Mul(x, two64)
	return x.Add(x, new(big.Int).SetUint64(a.f))
}

func bigFix(x *big.Int) fix {
	q, r := new(big.Int).QuoRem(x, two64, new(big.Int))
	return fix{w: q.Uint64(), f: r.Uint64()}
}

// ceilDiv returns ceil(a/b) saturated at MaxTime, as engine.Time.
func ceilDiv(a, b *big.Int) engine.Time {
	q, r := new(big.Int).QuoRem(a, b, new(big.Int))
	if r.Sign() != 0 {
		q.Add(q, big.NewInt(1))
	}
	if q.Cmp(big.NewInt(math.MaxInt64)) > 0 {
		return engine.MaxTime
	}
	return engine.Time(q.Int64())
}

func randFix(r *rand.Rand) fix {
	switch r.IntN(4) {
	case 0:
		return fix{w: r.Uint64N(100), f: r.Uint64()}
	case 1:
		return fix{w: r.Uint64N(1 << 40), f: 0}
	case 2:
		return fix{w: r.Uint64() >> r.IntN(64), f: r.Uint64()}
	default:
		return fix{w: math.MaxUint64 >> r.IntN(3), f: r.Uint64() >> r.IntN(64)}
	}
}

func TestFixArithmetic(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 20000 {
		a, b := randFix(r), randFix(r)
		if a.w > 1<<62 || b.w > 1<<62 {
			a.w >>= 2
			b.w >>= 2
		}
		if got, want := a.add(b), bigFix(new(big.Int).Add(fixBig(a), fixBig(b))); got != want {
			t.Fatalf("%d: %v + %v = %v, want %v", i, a, b, got, want)
		}
		lo, hi := a, b
		if hi.less(lo) {
			lo, hi = hi, lo
		}
		if fixBig(hi).Cmp(fixBig(lo)) < 0 || (lo.less(hi) != (fixBig(lo).Cmp(fixBig(hi)) < 0)) {
			t.Fatalf("%d: less(%v, %v) wrong", i, lo, hi)
		}
		if got, want := hi.sub(lo), bigFix(new(big.Int).Sub(fixBig(hi), fixBig(lo))); got != want {
			t.Fatalf("%d: %v - %v = %v, want %v", i, hi, lo, got, want)
		}
	}
}

func TestShare(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	type in struct {
		dt   engine.Time
		c, n int
	}
	cases := []in{{0, 1, 2}, {1, 1, 3}, {3, 1, 3}, {1, 2, 3}, {engine.MaxTime, 1, 2},
		{engine.MaxTime, math.MaxInt32, math.MaxInt32 + 1}, {engine.MaxTime, 1, math.MaxInt64}}
	for range 20000 {
		n := 2 + r.IntN(1<<r.IntN(31))
		cases = append(cases, in{engine.Time(r.Int64N(int64(engine.MaxTime)) >> r.IntN(63)), 1 + r.IntN(n-1), n})
	}
	for _, tc := range cases {
		// want = floor(dt*c*2^64/n)
		x := new(big.Int).Mul(big.NewInt(int64(tc.dt)), big.NewInt(int64(tc.c)))
		x.Mul(x, two64)
		x.Quo(x, big.NewInt(int64(tc.n)))
		if got, want := share(tc.dt, tc.c, tc.n), bigFix(x); got != want {
			t.Fatalf("share(%d, %d, %d) = %v, want %v", tc.dt, tc.c, tc.n, got, want)
		}
	}
}

func TestStretchAndCeil(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	type in struct {
		rem  fix
		c, n int
	}
	cases := []in{{fix{}, 1, 2}, {fix{w: 1}, 1, 3}, {fix{f: 1}, 1, 2}, {fix{w: 10}, 2, 3},
		{fix{w: math.MaxUint64, f: math.MaxUint64}, 1, 2}, {fix{w: math.MaxInt64}, 1, 2},
		{fix{w: math.MaxInt64 / 2}, 1, 2}, {fix{w: math.MaxInt64/2 + 1}, 1, 2},
		{fix{w: math.MaxUint64, f: math.MaxUint64}, math.MaxInt64 - 1, math.MaxInt64}}
	for range 20000 {
		n := 2 + r.IntN(1<<r.IntN(31))
		cases = append(cases, in{randFix(r), 1 + r.IntN(n-1), n})
	}
	for _, tc := range cases {
		R := fixBig(tc.rem)
		num := new(big.Int).Mul(R, big.NewInt(int64(tc.n)))
		den := new(big.Int).Mul(big.NewInt(int64(tc.c)), two64)
		if got, want := stretch(tc.rem, tc.c, tc.n), ceilDiv(num, den); got != want {
			t.Fatalf("stretch(%v, %d, %d) = %d, want %d", tc.rem, tc.c, tc.n, got, want)
		}
		if got, want := ceilNS(tc.rem), ceilDiv(R, two64); got != want {
			t.Fatalf("ceilNS(%v) = %d, want %d", tc.rem, got, want)
		}
	}
}

// TestMarkHeap checks the heap invariant after every operation and that pops come out in
// sorted (key, seq) order, against a sorted slice.
func TestMarkHeap(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	var h markHeap
	var ref []mark
	cmp := func(a, b mark) int {
		switch {
		case a.before(&b):
			return -1
		case b.before(&a):
			return 1
		}
		return 0
	}
	seq := uint64(0)
	for i := range 20000 {
		// Pushes outnumber pops in the first half, then pops do: the heap grows to ~3000
		// and drains.
		push := r.IntN(3) > 0
		if i >= 10000 {
			push = !push
		}
		if push || h.len() == 0 {
			seq++
			m := mark{key: fix{w: r.Uint64N(50), f: r.Uint64N(3)}, seq: seq, id: int32(i)}
			h.push(m)
			at, _ := slices.BinarySearchFunc(ref, m, cmp)
			ref = slices.Insert(ref, at, m)
		} else {
			got := h.pop()
			if got != ref[0] {
				t.Fatalf("op %d: pop %+v, want %+v", i, got, ref[0])
			}
			ref = ref[1:]
		}
		if i%7 == 0 || h.len() < 64 {
			for j := 1; j < h.len(); j++ {
				if h.a[j].before(&h.a[(j-1)/2]) {
					t.Fatalf("op %d: heap invariant broken at %d", i, j)
				}
			}
		}
		if h.len() != len(ref) {
			t.Fatalf("op %d: len %d, want %d", i, h.len(), len(ref))
		}
	}
}

func TestRing(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	var q ring
	var ref []int32
	for i := range 100000 {
		if r.IntN(2) == 0 || q.len() == 0 {
			q.push(int32(i))
			ref = append(ref, int32(i))
		} else {
			if got := q.pop(); got != ref[0] {
				t.Fatalf("op %d: pop %d, want %d", i, got, ref[0])
			}
			ref = ref[1:]
		}
		if q.len() != len(ref) {
			t.Fatalf("op %d: len %d, want %d", i, q.len(), len(ref))
		}
	}
}

func TestAcc(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	var a acc
	want := new(big.Int)
	for range 10000 {
		x, y := r.Uint64(), r.Uint64N(1<<50) // the sum stays below 2^128
		a.addMul(x, y)
		want.Add(want, new(big.Int).Mul(new(big.Int).SetUint64(x), new(big.Int).SetUint64(y)))
		z := r.Uint64()
		a.add(z)
		want.Add(want, new(big.Int).SetUint64(z))
	}
	got := new(big.Int).Lsh(new(big.Int).SetUint64(a.hi), 64)
	got.Add(got, new(big.Int).SetUint64(a.lo))
	if got.Cmp(want) != 0 {
		t.Fatalf("acc = %v, want %v", got, want)
	}
	f, _ := new(big.Float).SetInt(want).Float64()
	if math.Abs(a.float()-f) > f*0x1p-52 {
		t.Errorf("float %v, want %v", a.float(), f)
	}
}
