package engine

import (
	"math"
	"testing"
)

func TestFromMilliseconds(t *testing.T) {
	tests := []struct {
		ms   float64
		want Time
	}{
		{0, 0},
		{1, Millisecond},
		{1.5, 1500 * Microsecond},
		{0.000001, 1},
		{0.0000005, 1},   // half a nanosecond rounds away from zero
		{-0.0000005, -1}, // also for negatives
		{0.0000004, 0},
		{0.1, 100 * Microsecond}, // 0.1*1e6 is 100000.00000000001 in float64
		{25, 25 * Millisecond},
		{-2.25, -2250 * Microsecond},
		{math.NaN(), 0},
		{math.Inf(1), MaxTime},
		{math.Inf(-1), math.MinInt64},
		{1e300, MaxTime},
	}
	for _, tt := range tests {
		if got := FromMilliseconds(tt.ms); got != tt.want {
			t.Errorf("FromMilliseconds(%v) = %d, want %d", tt.ms, got, tt.want)
		}
	}
}

func TestFromSeconds(t *testing.T) {
	tests := []struct {
		s    float64
		want Time
	}{
		{0, 0},
		{1, Second},
		{0.5, 500 * Millisecond},
		{2.25, 2250 * Millisecond},
		{1.5e-9, 2}, // 1.5 ns -> 2 (half away from zero)
		{-1.5e-9, -2},
		{2.5e-9, 3},
		{1e-10, 0},
		{math.NaN(), 0},
	}
	for _, tt := range tests {
		if got := FromSeconds(tt.s); got != tt.want {
			t.Errorf("FromSeconds(%v) = %d, want %d", tt.s, got, tt.want)
		}
	}
}

func TestTimeString(t *testing.T) {
	tests := []struct {
		t    Time
		want string
	}{
		{0, "0s"},
		{750, "750ns"},
		{1500 * Microsecond, "1.5ms"},
		{2250 * Millisecond, "2.25s"},
		{90 * Second, "1m30s"},
		{-Millisecond, "-1ms"},
		{Microsecond, "1µs"},
	}
	for _, tt := range tests {
		if got := tt.t.String(); got != tt.want {
			t.Errorf("Time(%d).String() = %q, want %q", int64(tt.t), got, tt.want)
		}
	}
}

func TestTimeUnits(t *testing.T) {
	if got := (1500 * Microsecond).Milliseconds(); got != 1.5 {
		t.Errorf("Milliseconds = %v, want 1.5", got)
	}
	if got := (2250 * Millisecond).Seconds(); got != 2.25 {
		t.Errorf("Seconds = %v, want 2.25", got)
	}
}

func TestStreamIndependentOfOrder(t *testing.T) {
	draw := func(r interface{ Uint64() uint64 }) [4]uint64 {
		var out [4]uint64
		for i := range out {
			out[i] = r.Uint64()
		}
		return out
	}
	a1 := draw(Stream(7, "a"))
	_ = Stream(7, "b")
	a2 := draw(Stream(7, "a"))
	if a1 != a2 {
		t.Fatalf("Stream(7, a) differs between calls: %v vs %v", a1, a2)
	}
	if b := draw(Stream(7, "b")); b == a1 {
		t.Errorf("streams a and b are equal")
	}
	if c := draw(Stream(8, "a")); c == a1 {
		t.Errorf("seeds 7 and 8 give the same stream")
	}

	// Within a Sim: same name -> same generator; creation order does not matter.
	s1, s2 := New(42), New(42)
	x1 := s1.Rand("x")
	_ = s1.Rand("y")
	_ = s2.Rand("y")
	_ = s2.Rand("z")
	x2 := s2.Rand("x")
	if s1.Rand("x") != x1 {
		t.Errorf("Rand(x) returned a different generator on the second call")
	}
	if draw(x1) != draw(x2) {
		t.Errorf("Rand(x) depends on creation order")
	}
	if draw(Stream(42, "q")) != draw(New(42).Rand("q")) {
		t.Errorf("Sim.Rand differs from Stream(seed, name)")
	}
}
