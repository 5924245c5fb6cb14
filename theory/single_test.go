package theory

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"
)

// near fails unless got is within rel relative error of want (absolute when want is 0).
func near(t *testing.T, what string, got, want, rel float64) {
	t.Helper()
	d := math.Abs(got - want)
	if want != 0 {
		d /= math.Abs(want)
	}
	if !(d <= rel) {
		t.Errorf("%s = %.15g, want %.15g (relative error %.3g > %.3g)", what, got, want, d, rel)
	}
}

func TestMM1Textbook(t *testing.T) {
	// Hand-computed from rho = lambda/mu: R = 1/(mu-lambda), W = rho R, L = rho/(1-rho),
	// Lq = rho^2/(1-rho).
	cases := []struct {
		lambda, mu            float64
		resp, wait, num, qlen float64
	}{
		{0.5, 1, 2, 1, 1, 0.5},
		{3, 4, 1, 0.75, 3, 2.25},
		{0, 2, 0.5, 0, 0, 0},
		{9, 10, 1, 0.9, 9, 8.1},
	}
	for _, c := range cases {
		q, err := NewMM1(c.lambda, c.mu)
		if err != nil {
			t.Fatal(err)
		}
		near(t, "R", q.Response, c.resp, 1e-14)
		near(t, "W", q.Wait, c.wait, 1e-14)
		near(t, "L", q.Number, c.num, 1e-14)
		near(t, "Lq", q.QueueLength, c.qlen, 1e-14)
		near(t, "PWait", q.PWait, c.lambda/c.mu, 1e-15)
		// Response is Exp(mu - lambda): the median is ln 2 / (mu - lambda).
		med, err := q.ResponseQuantile(0.5)
		if err != nil {
			t.Fatal(err)
		}
		near(t, "median R", med, math.Ln2/(c.mu-c.lambda), 1e-12)
	}
}

// erlangCDefinition is the textbook definition, summed directly (fine for small c):
// C = (a^c/c!) (c/(c-a)) / (sum_{k<c} a^k/k! + (a^c/c!) (c/(c-a))).
func erlangCDefinition(c int, a float64) float64 {
	sum, term := 0.0, 1.0
	for k := 0; k < c; k++ {
		sum += term
		term *= a / float64(k+1)
	}
	last := term * float64(c) / (float64(c) - a)
	return last / (sum + last)
}

func TestErlangC(t *testing.T) {
	// Values worked by hand from the definition.
	hand := []struct {
		c    int
		a, C float64
	}{
		{1, 0.5, 0.5},                // M/M/1: C = rho
		{2, 1, 1.0 / 3},              // (1/2 * 2) / (1 + 1 + 1)
		{2, 1.5, 0.6428571428571429}, // (9/8 * 4) / (2.5 + 4.5) = 4.5/7
		{3, 2, 4.0 / 9},              // (8/6 * 3) / (1 + 2 + 2 + 4)
	}
	for _, h := range hand {
		got, err := ErlangC(h.c, h.a)
		if err != nil {
			t.Fatal(err)
		}
		near(t, "ErlangC hand", got, h.C, 1e-14)
	}
	// The B-recursion against the direct definition over a grid.
	for c := 1; c <= 12; c++ {
		for _, frac := range []float64{0.01, 0.3, 0.5, 0.8, 0.95, 0.999} {
			a := frac * float64(c)
			got, err := ErlangC(c, a)
			if err != nil {
				t.Fatal(err)
			}
			near(t, "ErlangC grid", got, erlangCDefinition(c, a), 1e-12)
			b, err := ErlangB(c, a)
			if err != nil {
				t.Fatal(err)
			}
			// Erlang B from its own definition: (a^c/c!) / sum_{k<=c} a^k/k!.
			sum, term := 0.0, 1.0
			for k := 0; k <= c; k++ {
				sum += term
				if k < c {
					term *= a / float64(k+1)
				}
			}
			near(t, "ErlangB grid", b, term/sum, 1e-12)
		}
	}
}

// TestErlangCLargeC checks c in the hundreds, where a^c/c! overflows a float64, against the
// definition evaluated in log space with Lgamma (an independent route).
func TestErlangCLargeC(t *testing.T) {
	for _, tc := range []struct {
		c int
		a float64
	}{{100, 90}, {300, 290}, {500, 400}, {500, 499}, {1000, 950}} {
		got, err := ErlangC(tc.c, tc.a)
		if err != nil {
			t.Fatal(err)
		}
		la := math.Log(tc.a)
		logTerm := func(k int) float64 { lg, _ := math.Lgamma(float64(k + 1)); return float64(k)*la - lg }
		mx := logTerm(tc.c)
		sum := 0.0
		for k := 0; k < tc.c; k++ {
			sum += math.Exp(logTerm(k) - mx)
		}
		last := float64(tc.c) / (float64(tc.c) - tc.a)
		want := last / (sum + last)
		near(t, "ErlangC large c", got, want, 1e-9)
	}
}

func TestMMcOneServerEqualsMM1(t *testing.T) {
	for _, lm := range [][2]float64{{0.5, 1}, {0.01, 3}, {7.9, 8}, {0, 1}, {123, 200}} {
		a, err := NewMMc(lm[0], lm[1], 1)
		if err != nil {
			t.Fatal(err)
		}
		b, err := NewMM1(lm[0], lm[1])
		if err != nil {
			t.Fatal(err)
		}
		near(t, "R", a.Response, b.Response, 1e-13)
		near(t, "W", a.Wait, b.Wait, 1e-13)
		near(t, "L", a.Number, b.Number, 1e-13)
		near(t, "Lq", a.QueueLength, b.QueueLength, 1e-13)
		near(t, "PWait", a.PWait, b.PWait, 1e-13)
		near(t, "rho", a.Utilisation, b.Utilisation, 1e-15)
	}
}

func TestMMcLittleAndTails(t *testing.T) {
	for _, tc := range []struct {
		lambda, mu float64
		c          int
	}{{0.5, 1, 1}, {1.5, 1, 2}, {1, 1, 2}, {2.7, 1, 3}, {30, 0.5, 64}, {10, 2, 6}, {0.001, 1, 4}} {
		q, err := NewMMc(tc.lambda, tc.mu, tc.c)
		if err != nil {
			t.Fatal(err)
		}
		near(t, "Little L", q.Number, tc.lambda*q.Response, 1e-12)
		near(t, "Little Lq", q.QueueLength, tc.lambda*q.Wait, 1e-12)
		near(t, "R = W + 1/mu", q.Response, q.Wait+1/tc.mu, 1e-14)

		// The tails must integrate to the means: E[X] = int_0^inf P(X > t) dt (Simpson's rule
		// on [0, 60 E[T]], beyond which the tails are below e^-30).
		integrate := func(tail func(float64) (float64, error)) float64 {
			const n = 20000
			h := 60 * q.Response / n
			s := 0.0
			for i := 0; i <= n; i++ {
				v, err := tail(float64(i) * h)
				if err != nil {
					t.Fatal(err)
				}
				w := 2.0
				if i == 0 || i == n {
					w = 1
				} else if i%2 == 1 {
					w = 4
				}
				s += w * v
			}
			return s * h / 3
		}
		near(t, "int WaitTail", integrate(q.WaitTail), q.Wait, 1e-8)
		near(t, "int ResponseTail", integrate(q.ResponseTail), q.Response, 1e-8)
		if p, _ := q.WaitTail(0); p != q.PWait {
			t.Errorf("WaitTail(0) = %v, want PWait %v", p, q.PWait)
		}
		if p, _ := q.ResponseTail(-1); p != 1 {
			t.Errorf("ResponseTail(-1) = %v, want 1", p)
		}
		// Quantiles invert the tails.
		for _, p := range []float64{0.01, 0.5, 0.9, 0.95, 0.99, 0.9999} {
			tr, err := q.ResponseQuantile(p)
			if err != nil {
				t.Fatal(err)
			}
			back, _ := q.ResponseTail(tr)
			near(t, "ResponseTail(ResponseQuantile(p))", back, 1-p, 1e-11)
			tw, err := q.WaitQuantile(p)
			if err != nil {
				t.Fatal(err)
			}
			if 1-p >= q.PWait {
				if tw != 0 {
					t.Errorf("WaitQuantile(%v) = %v, want 0 (PWait %v)", p, tw, q.PWait)
				}
			} else {
				back, _ := q.WaitTail(tw)
				near(t, "WaitTail(WaitQuantile(p))", back, 1-p, 1e-12)
			}
		}
	}
}

// TestResponseTailOneServer: for c = 1 the mixture formula must collapse to the exponential
// tail e^{-(mu - lambda) t}.
func TestResponseTailOneServer(t *testing.T) {
	q, err := NewMMc(0.7, 1.3, 1)
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range []float64{0, 0.1, 1, 3.3, 20} {
		got, _ := q.ResponseTail(x)
		near(t, "ResponseTail c=1", got, math.Exp(-0.6*x), 1e-12)
	}
	p95, _ := q.ResponseQuantile(0.95)
	near(t, "p95 c=1", p95, -math.Log(0.05)/0.6, 1e-12)
}

// TestResponseTailThetaNearMu: c mu - lambda = mu exactly (here c=2, mu=1, lambda=1) takes the
// limit branch of the hypoexponential tail; the value must be continuous with lambda nearby.
func TestResponseTailThetaNearMu(t *testing.T) {
	at := func(lambda float64) float64 {
		q, err := NewMMc(lambda, 1, 2)
		if err != nil {
			t.Fatal(err)
		}
		v, _ := q.ResponseTail(2.5)
		return v
	}
	mid := at(1)
	near(t, "tail at theta = mu - 1e-9", at(1+1e-9), mid, 1e-8)
	near(t, "tail at theta = mu + 1e-9", at(1-1e-9), mid, 1e-8)
	// By hand: C = 1/3, P(T > t) = (2/3) e^{-t} + (1/3) e^{-t} (1 + t).
	near(t, "tail by hand", mid, math.Exp(-2.5)*(2.0/3+(1+2.5)/3), 1e-14)
}

func TestMG1(t *testing.T) {
	// M/D/1 at rho = 0.5, E[S] = 1: W = rho E[S] / (2(1 - rho)) = 0.5, R = 1.5.
	m, err := MD1(0.5, 1)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "M/D/1 W", m.Wait, 0.5, 1e-15)
	near(t, "M/D/1 R", m.Response, 1.5, 1e-15)
	near(t, "M/D/1 Lq", m.QueueLength, 0.25, 1e-15)
	// M/D/1 with E[S] = 20 ms at 40/s: rho = 0.8, W = 0.8*0.02/(2*0.2) = 0.04 s.
	m, err = MD1(40, 0.02)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "M/D/1 W (ms scale)", m.Wait, 0.04, 1e-13)
	// scv = 1 is M/M/1.
	for _, lm := range [][2]float64{{0.5, 1}, {3, 4}, {0.2, 0.25}} {
		g, err := MG1(lm[0], 1/lm[1], 1)
		if err != nil {
			t.Fatal(err)
		}
		q, _ := NewMM1(lm[0], lm[1])
		near(t, "M/G/1 scv=1 R", g.Response, q.Response, 1e-13)
		near(t, "M/G/1 scv=1 W", g.Wait, q.Wait, 1e-13)
		near(t, "M/G/1 scv=1 L", g.Number, q.Number, 1e-13)
	}
}

func TestPS(t *testing.T) {
	// One core: 1/(mu - lambda) for any distribution.
	m, err := PS(0.5, 1, 1)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "M/G/1-PS R", m.Response, 2, 1e-15)
	// c cores: M/M/c mean response.
	for _, tc := range []struct {
		lambda, s float64
		c         int
	}{{1.5, 1, 2}, {30, 0.1, 4}, {200, 0.3, 64}, {0.5, 1, 1}} {
		p, err := PS(tc.lambda, tc.s, tc.c)
		if err != nil {
			t.Fatal(err)
		}
		q, err := NewMMc(tc.lambda, 1/tc.s, tc.c)
		if err != nil {
			t.Fatal(err)
		}
		near(t, "PS R = M/M/c R", p.Response, q.Response, 1e-13)
		near(t, "PS L = M/M/c L", p.Number, q.Number, 1e-13)
		near(t, "PS Little", p.QueueLength, tc.lambda*p.Wait, 1e-13)
	}
	// Size-conditioned response averaged over exponential sizes is the mean response:
	// E[x]/(1-rho) with E[x] = E[S].
	r, err := PSResponseForSize(0.5, 1, 1)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "PS response for mean size", r, 2, 1e-15)
	r, _ = PSResponseForSize(0.5, 1, 3)
	near(t, "PS response for size 3", r, 6, 1e-15)
}

// batchMeans returns the mean of xs and the standard error of the mean estimated from b
// batch means (Law and Kelton, Simulation Modeling and Analysis, ch. 9): with batches
// much longer than the autocorrelation time the batch means are nearly independent.
func batchMeans(xs []float64, b int) (mean, se float64) {
	size := len(xs) / b
	bm := make([]float64, b)
	for i := range bm {
		s := 0.0
		for _, x := range xs[i*size : (i+1)*size] {
			s += x
		}
		bm[i] = s / float64(size)
		mean += bm[i]
	}
	mean /= float64(b)
	v := 0.0
	for _, m := range bm {
		v += (m - mean) * (m - mean)
	}
	v /= float64(b - 1)
	return mean, math.Sqrt(v / float64(b))
}

// simulatePS simulates a c-core processor-sharing station (each of n jobs progresses at
// min(1, c/n) of a core) with Poisson arrivals and sizes drawn by size, and returns the
// response times of jobs in departure order after a warm-up.
func simulatePS(r *rand.Rand, lambda float64, c, jobs int, size func() float64) []float64 {
	type job struct{ rem, arrived float64 }
	var (
		now, nextArr = 0.0, r.ExpFloat64() / lambda
		in           []job
		out          = make([]float64, 0, jobs)
	)
	warm := jobs / 50
	done := 0
	for done < jobs+warm {
		if len(in) == 0 {
			now = nextArr
			in = append(in, job{size(), now})
			nextArr = now + r.ExpFloat64()/lambda
			continue
		}
		rate := math.Min(1, float64(c)/float64(len(in)))
		first := 0
		for i := range in {
			if in[i].rem < in[first].rem {
				first = i
			}
		}
		finish := now + in[first].rem/rate
		next := math.Min(finish, nextArr)
		for i := range in {
			in[i].rem -= rate * (next - now)
		}
		now = next
		if finish <= nextArr {
			if done >= warm {
				out = append(out, now-in[first].arrived)
			}
			done++
			in = append(in[:first], in[first+1:]...)
		} else {
			in = append(in, job{size(), now})
			nextArr = now + r.ExpFloat64()/lambda
		}
	}
	return out
}

// TestPSInsensitivityBySimulation checks the claim behind PS for c > 1: the mean response of
// the c-core PS station equals M/M/c's for constant and for highly variable sizes.
// Tolerance: 4 standard errors of the batch-means estimate (20 batches of >= 10^4 jobs, each
// far longer than the station's relaxation time at rho = 0.6), about a 1e-4 chance of a false
// alarm for a correct formula; the seed is fixed so the test is deterministic. Plausible
// wrong answers are many standard errors away: FCFS with constant sizes (M/D/3 waits about
// half as long as M/M/3, a response about 11% lower) or one core three times as fast
// (M/M/1 at rate 3: 1/(3 - 1.8) = 0.83).
func TestPSInsensitivityBySimulation(t *testing.T) {
	jobs := 400000
	if testing.Short() {
		jobs = 200000
	}
	const lambda, c = 1.8, 3 // rho = 0.6 with E[S] = 1
	want, err := PS(lambda, 1, c)
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(1, 2))
	sizes := map[string]func() float64{
		"constant": func() float64 { return 1 },
		// Two-phase hyperexponential, mean 1, scv 4 (p = 0.1 of mean 5.5, else mean 0.5).
		"hyperexp": func() float64 {
			if r.Float64() < 0.1 {
				return 5.5 * r.ExpFloat64()
			}
			return 0.5 * r.ExpFloat64()
		},
	}
	for _, name := range []string{"constant", "hyperexp"} {
		resp := simulatePS(r, lambda, c, jobs, sizes[name])
		mean, se := batchMeans(resp, 20)
		if d := math.Abs(mean - want.Response); d > 4*se {
			t.Errorf("%s sizes: simulated mean response %.5f +- %.5f (se), PS theory %.5f: off by %.1f se",
				name, mean, se, want.Response, d/se)
		} else {
			t.Logf("%s sizes: simulated %.5f +- %.5f (se), theory %.5f", name, mean, se, want.Response)
		}
	}
}

func TestBadInputs(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	mmcZero := MMc{}
	q, _ := NewMMc(1, 1, 2)
	type call func() (float64, error)
	first := func(v MMc, err error) (float64, error) { return v.Response, err }
	means := func(v Means, err error) (float64, error) { return v.Response, err }
	cases := []struct {
		name string
		f    call
		want error
	}{
		{"MM1 rho=1", func() (float64, error) { return first(NewMM1(1, 1)) }, ErrUnstable},
		{"MM1 rho>1", func() (float64, error) { return first(NewMM1(2, 1)) }, ErrUnstable},
		{"MM1 lambda<0", func() (float64, error) { return first(NewMM1(-1, 1)) }, ErrInvalid},
		{"MM1 mu=0", func() (float64, error) { return first(NewMM1(0, 0)) }, ErrInvalid},
		{"MM1 NaN", func() (float64, error) { return first(NewMM1(nan, 1)) }, ErrInvalid},
		{"MM1 Inf mu", func() (float64, error) { return first(NewMM1(1, inf)) }, ErrInvalid},
		{"MMc c=0", func() (float64, error) { return first(NewMMc(1, 1, 0)) }, ErrInvalid},
		{"MMc c<0", func() (float64, error) { return first(NewMMc(1, 1, -3)) }, ErrInvalid},
		{"MMc rho=1", func() (float64, error) { return first(NewMMc(4, 2, 2)) }, ErrUnstable},
		{"MMc mu<0", func() (float64, error) { return first(NewMMc(1, -2, 2)) }, ErrInvalid},
		{"ErlangC a=c", func() (float64, error) { return ErlangC(3, 3) }, ErrUnstable},
		{"ErlangC a<0", func() (float64, error) { return ErlangC(3, -1) }, ErrInvalid},
		{"ErlangB c=0", func() (float64, error) { return ErlangB(0, 1) }, ErrInvalid},
		{"ErlangB NaN", func() (float64, error) { return ErlangB(2, nan) }, ErrInvalid},
		{"zero MMc WaitTail", func() (float64, error) { return mmcZero.WaitTail(1) }, ErrInvalid},
		{"zero MMc quantile", func() (float64, error) { return mmcZero.ResponseQuantile(0.5) }, ErrInvalid},
		{"WaitTail NaN", func() (float64, error) { return q.WaitTail(nan) }, ErrInvalid},
		{"ResponseTail NaN", func() (float64, error) { return q.ResponseTail(nan) }, ErrInvalid},
		{"WaitQuantile p=1", func() (float64, error) { return q.WaitQuantile(1) }, ErrInvalid},
		{"ResponseQuantile p<0", func() (float64, error) { return q.ResponseQuantile(-0.1) }, ErrInvalid},
		{"ResponseQuantile NaN", func() (float64, error) { return q.ResponseQuantile(nan) }, ErrInvalid},
		{"MG1 rho=1", func() (float64, error) { return means(MG1(1, 1, 0.5)) }, ErrUnstable},
		{"MG1 scv<0", func() (float64, error) { return means(MG1(0.5, 1, -1)) }, ErrInvalid},
		{"MG1 mean=0", func() (float64, error) { return means(MG1(0.5, 0, 1)) }, ErrInvalid},
		{"MD1 rho>1", func() (float64, error) { return means(MD1(3, 1)) }, ErrUnstable},
		{"PS rho=1", func() (float64, error) { return means(PS(2, 1, 2)) }, ErrUnstable},
		{"PS c=0", func() (float64, error) { return means(PS(1, 1, 0)) }, ErrInvalid},
		{"PS lambda Inf", func() (float64, error) { return means(PS(inf, 1, 2)) }, ErrInvalid},
		{"PSResponseForSize x<0", func() (float64, error) { return PSResponseForSize(0.5, 1, -1) }, ErrInvalid},
		{"PSResponseForSize rho=1", func() (float64, error) { return PSResponseForSize(1, 1, 1) }, ErrUnstable},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v, err := c.f()
			if !errors.Is(err, c.want) {
				t.Fatalf("err = %v, want errors.Is %v", err, c.want)
			}
			if v != 0 {
				t.Errorf("value %v returned with the error, want 0", v)
			}
		})
	}
	// An *UnstableError carries the utilisation.
	_, err := NewMMc(5, 1, 4)
	var u *UnstableError
	if !errors.As(err, &u) || u.Rho != 1.25 || u.Model != "M/M/c" {
		t.Errorf("NewMMc(5, 1, 4): err = %#v, want *UnstableError with Rho 1.25", err)
	}
}
