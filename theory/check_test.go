package theory

import (
	"math"
	"strings"
	"testing"
)

func TestRelErrAndCheckRel(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	for _, tc := range []struct {
		sim, oracle, want float64
	}{
		{2.1, 2, 0.05},
		{1.9, 2, 0.05},
		{-1, -2, 0.5},
		{0, 0, 0},
		{1e-300, 0, inf},
		{3, 3, 0},
	} {
		got := RelErr(tc.sim, tc.oracle)
		if math.Abs(got-tc.want) > 1e-12 && got != tc.want {
			t.Errorf("RelErr(%v, %v) = %v, want %v", tc.sim, tc.oracle, got, tc.want)
		}
	}
	if !math.IsNaN(RelErr(nan, 1)) || !math.IsNaN(RelErr(1, nan)) {
		t.Error("RelErr with a NaN input must be NaN")
	}
	if err := CheckRel("R", 2.03, 2, 0.02); err != nil {
		t.Errorf("CheckRel within tolerance: %v", err)
	}
	err := CheckRel("M/M/1 response", 2.1, 2, 0.02)
	if err == nil || !strings.Contains(err.Error(), "theory: M/M/1 response: sim 2.1 vs theory 2") {
		t.Errorf("CheckRel outside tolerance: %v", err)
	}
	for _, bad := range [][3]float64{{nan, 1, 0.1}, {1, nan, 0.1}, {1, 1, nan}, {1, 0, 0.5}} {
		if CheckRel("x", bad[0], bad[1], bad[2]) == nil {
			t.Errorf("CheckRel(%v) = nil, want an error", bad)
		}
	}
}
