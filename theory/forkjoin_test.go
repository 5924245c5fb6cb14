package theory

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

func TestHarmonic(t *testing.T) {
	near(t, "H_1", Harmonic(1), 1, 0)
	near(t, "H_2", Harmonic(2), 1.5, 0)
	near(t, "H_4", Harmonic(4), 25.0/12, 1e-15)
	if Harmonic(0) != 0 {
		t.Errorf("H_0 = %v", Harmonic(0))
	}
}

func TestForkJoin2(t *testing.T) {
	for _, lm := range [][2]float64{{0.5, 1}, {0, 1}, {0.9, 1}, {3, 10}} {
		lambda, mu := lm[0], lm[1]
		got, err := ForkJoin2(lambda, mu)
		if err != nil {
			t.Fatal(err)
		}
		// Written as M/M/1 response plus the synchronisation delay S_2 = (1/2)(1 - rho/4) R
		// (Thomasian 2014, eq. 8), an independent arrangement of the same exact result.
		rho := lambda / mu
		r := 1 / (mu - lambda)
		near(t, fmt.Sprintf("R_2(%v, %v)", lambda, mu), got, r+0.5*(1-rho/4)*r, 1e-14)
		approx, _ := ForkJoinApprox(2, lambda, mu)
		near(t, "approximation exact at K=2", approx, got, 1e-15)
	}
	// By hand: rho = 0.5, mu = 1: (11.5/8) * 2 = 2.875.
	got, _ := ForkJoin2(0.5, 1)
	near(t, "R_2 by hand", got, 2.875, 1e-15)
}

// TestForkJoinApproxShape: R_K grows with K, lies within the bounds, and equals H_K/mu at
// rho = 0 (the mean of the largest of K exponential service times, exact there).
func TestForkJoinApproxShape(t *testing.T) {
	for _, rho := range []float64{0, 0.1, 0.3, 0.5, 0.7, 0.9, 0.99} {
		prev := 0.0
		for k := 1; k <= 64; k++ {
			r, err := ForkJoinApprox(k, rho, 1)
			if err != nil {
				t.Fatal(err)
			}
			lo, hi, err := ForkJoinBounds(k, rho, 1)
			if err != nil {
				t.Fatal(err)
			}
			if r < lo*(1-1e-14) || r > hi*(1+1e-14) {
				t.Errorf("rho=%v K=%d: R_K %v outside [%v, %v]", rho, k, r, lo, hi)
			}
			if r < prev {
				t.Errorf("rho=%v K=%d: R_K %v < R_{K-1} %v", rho, k, r, prev)
			}
			prev = r
			if rho == 0 {
				near(t, fmt.Sprintf("R_%d at rho=0", k), r, Harmonic(k), 1e-14)
			}
		}
	}
}

// simulateForkJoin returns the response times of jobs forking into k tasks over k FCFS
// M/M/1 queues fed by one Poisson stream, using Lindley's recursion per queue
// (W' = max(0, W + S - A)); a job's response is the largest sojourn of its tasks.
func simulateForkJoin(r *rand.Rand, k int, lambda, mu float64, jobs int) []float64 {
	wait := make([]float64, k)
	svc := make([]float64, k)
	out := make([]float64, 0, jobs)
	warm := jobs / 50
	for i := 0; i < jobs+warm; i++ {
		a := r.ExpFloat64() / lambda
		worst := 0.0
		for q := 0; q < k; q++ {
			if i > 0 {
				wait[q] = math.Max(0, wait[q]+svc[q]-a)
			}
			svc[q] = r.ExpFloat64() / mu
			worst = math.Max(worst, wait[q]+svc[q])
		}
		if i >= warm {
			out = append(out, worst)
		}
	}
	return out
}

// TestForkJoinBySimulation: the exact K = 2 formula within 4 batch-means standard errors
// (20 batches of >= 5e3 jobs, each much longer than the relaxation time at rho <= 0.7;
// about a 1e-4 false-alarm chance for a correct formula, fixed seed), and the K > 2
// approximation within Nelson and Tantawi's reported 5% plus the same statistical margin.
func TestForkJoinBySimulation(t *testing.T) {
	scale := 1
	if testing.Short() {
		scale = 2
	}
	r := rand.New(rand.NewPCG(3, 4))
	for _, tc := range []struct {
		k    int
		rho  float64
		jobs int
	}{{2, 0.5, 1000000}, {2, 0.7, 1000000}, {4, 0.5, 300000}, {8, 0.6, 300000}, {16, 0.3, 200000}} {
		resp := simulateForkJoin(r, tc.k, tc.rho, 1, tc.jobs/scale)
		mean, se := batchMeans(resp, 20)
		var want, slack float64
		if tc.k == 2 {
			want, _ = ForkJoin2(tc.rho, 1)
		} else {
			want, _ = ForkJoinApprox(tc.k, tc.rho, 1)
			slack = 0.05 * want
		}
		d := math.Abs(mean - want)
		t.Logf("K=%d rho=%v: simulated %.4f +- %.4f (se), formula %.4f (%.2f%%)", tc.k, tc.rho, mean, se, want, 100*d/want)
		if d > slack+4*se {
			t.Errorf("K=%d rho=%v: simulated %.4f +- %.4f, formula %.4f: off by more than %.4f", tc.k, tc.rho, mean, se, want, slack+4*se)
		}
	}
}

func TestForkJoinBadInputs(t *testing.T) {
	for _, tc := range []struct {
		name       string
		k          int
		lambda, mu float64
		want       error
	}{
		{"K=0", 0, 0.5, 1, ErrInvalid},
		{"lambda<0", 2, -0.5, 1, ErrInvalid},
		{"mu=0", 2, 0.5, 0, ErrInvalid},
		{"NaN", 3, math.NaN(), 1, ErrInvalid},
		{"rho=1", 2, 1, 1, ErrUnstable},
		{"rho>1", 5, 2, 1, ErrUnstable},
	} {
		if _, err := ForkJoinApprox(tc.k, tc.lambda, tc.mu); !errors.Is(err, tc.want) {
			t.Errorf("%s: ForkJoinApprox err = %v, want %v", tc.name, err, tc.want)
		}
		if _, _, err := ForkJoinBounds(tc.k, tc.lambda, tc.mu); !errors.Is(err, tc.want) {
			t.Errorf("%s: ForkJoinBounds err = %v, want %v", tc.name, err, tc.want)
		}
		if tc.k != 0 {
			if _, err := ForkJoin2(tc.lambda, tc.mu); !errors.Is(err, tc.want) {
				t.Errorf("%s: ForkJoin2 err = %v, want %v", tc.name, err, tc.want)
			}
		}
	}
}
