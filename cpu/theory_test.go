package cpu

import (
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"

	"github.com/edgesim/edgesim/engine"
)

// Statistical checks against queueing theory. A Poisson source (exponential interarrival
// times from a seeded stream, rounded to whole nanoseconds) feeds one station; service times
// come from another stream. Time is in milliseconds in the formulas, the mean service time
// 1/mu is 1 ms, so a job is a million nanoseconds and rounding to nanoseconds changes the
// moments by about 1e-9.
//
// Method (batch means): after a warm-up of 2 batch lengths (then ResetStats), the run is cut
// into B = 25 windows of equal virtual length, each about jobsPerBatch completions long; each
// window gives one estimate of every quantity (Stats of the window, job counts of the jobs
// completed in it). Windows that long (thousands of service times, against a relaxation time
// of about 1/(mu (1 - sqrt(rho))^2) = 90 service times for M/M/1 at rho = 0.8, the slowest
// here) are nearly independent, so the standard error of the mean of the 25 estimates is
// their standard deviation over sqrt(25). A check passes when |simulated - theory| < 4 SE: a
// correct model fails it with probability below 1e-3 per check (Student t with 24 degrees of
// freedom: 5e-4), and the runs are seeded, so a pass or failure is reproducible. Each check
// logs theory, simulated value, relative error and SE (go test -v -run Theory ./cpu/).

// erlangC is the probability that an arrival waits in M/M/c with offered load a = lambda/mu
// (a < c): the Erlang C formula, computed with the stable recursion on Erlang B,
// B(0) = 1, B(k) = a B(k-1) / (k + a B(k-1)), C = c B / (c - a (1 - B)).
func erlangC(c int, a float64) float64 {
	b := 1.0
	for k := 1; k <= c; k++ {
		b = a * b / (float64(k) + a*b)
	}
	return float64(c) * b / (float64(c) - a*(1-b))
}

// mmc holds the M/M/c results (mu = 1/ms): Erlang C, mean wait Wq = C/(c mu - lambda), mean
// response W = Wq + 1/mu, and by Little L = lambda W, Lq = lambda Wq.
type mmc struct {
	c, wq, w, l, lq float64
}

func mmcResults(c int, lambda, mu float64) mmc {
	pc := erlangC(c, lambda/mu)
	wq := pc / (float64(c)*mu - lambda)
	w := wq + 1/mu
	return mmc{c: pc, wq: wq, w: w, l: lambda * w, lq: lambda * wq}
}

type sampler func(r *rand.Rand) engine.Time

func msToNS(ms float64) engine.Time { return engine.Time(math.Round(ms * 1e6)) }

func expService(mean float64) sampler {
	return func(r *rand.Rand) engine.Time { return msToNS(r.ExpFloat64() * mean) }
}

func detService(mean float64) sampler {
	return func(*rand.Rand) engine.Time { return msToNS(mean) }
}

// h2Service is a two-phase hyperexponential with balanced means (each branch carries half
// the mean) and squared coefficient of variation scv: branch 1 with probability
// p = (1 + sqrt((scv-1)/(scv+1)))/2 has mean m/(2p), branch 2 mean m/(2(1-p)).
func h2Service(mean, scv float64) sampler {
	p := (1 + math.Sqrt((scv-1)/(scv+1))) / 2
	m1, m2 := mean/(2*p), mean/(2*(1-p))
	return func(r *rand.Rand) engine.Time {
		if r.Float64() < p {
			return msToNS(r.ExpFloat64() * m1)
		}
		return msToNS(r.ExpFloat64() * m2)
	}
}

// experiment is one station fed by Poisson arrivals.
type experiment struct {
	d            Discipline
	cores        int
	lambda       float64 // arrivals per ms
	service      sampler
	jobsPerBatch int
	waitOver     []float64 // thresholds t (ms) for the fraction of jobs with Wait > t
	respOver     []float64 // thresholds t (ms) for the fraction with response > t
	keepResp     bool      // keep every response time (for a quantile)
}

// batch is what one window measured.
type batch struct {
	st       Stats
	waitOver []float64 // fractions of the jobs completed in the window
	respOver []float64
}

type result struct {
	batches []batch
	resp    []float64 // every response time after warm-up, ms, if keepResp
	total   Stats     // Stats over all windows (one window from the end of warm-up)
}

const nBatches = 25

func (e experiment) run(seed uint64) result {
	sim := engine.New(seed)
	st, err := NewStation(sim, "theory", e.cores, e.d, 1<<30)
	if err != nil {
		panic(err)
	}
	arrivals, service := sim.Rand("arrivals"), sim.Rand("service")
	var res result
	wo := make([]uint64, len(e.waitOver))
	ro := make([]uint64, len(e.respOver))
	waitOver := make([]engine.Time, len(e.waitOver))
	for i, t := range e.waitOver {
		waitOver[i] = msToNS(t)
	}
	respOver := make([]engine.Time, len(e.respOver))
	for i, t := range e.respOver {
		respOver[i] = msToNS(t)
	}
	measuring := false
	done := func(j Job) {
		for i, t := range waitOver {
			if j.Wait > t {
				wo[i]++
			}
		}
		for i, t := range respOver {
			if j.Response() > t {
				ro[i]++
			}
		}
		if e.keepResp && measuring {
			res.resp = append(res.resp, j.Response().Milliseconds())
		}
	}
	var arrive func()
	arrive = func() {
		if err := st.Submit(e.service(service), done); err != nil {
			panic(err)
		}
		sim.Schedule(msToNS(arrivals.ExpFloat64()/e.lambda), arrive)
	}
	sim.Schedule(msToNS(arrivals.ExpFloat64()/e.lambda), arrive)

	length := msToNS(float64(e.jobsPerBatch) / e.lambda)
	sim.RunUntil(2 * length)
	st.ResetStats()
	measuring = true
	// A second station-independent window: everything after warm-up, for Little's law.
	start := sim.Now()
	var whole struct {
		arrivals, completed uint64
		jobsTime, respSum   float64
	}
	for b := range nBatches {
		clear(wo)
		clear(ro)
		sim.RunUntil(start + engine.Time(b+1)*length)
		s := st.Stats()
		st.ResetStats()
		bt := batch{st: s}
		for _, n := range wo {
			bt.waitOver = append(bt.waitOver, float64(n)/float64(s.Completed))
		}
		for _, n := range ro {
			bt.respOver = append(bt.respOver, float64(n)/float64(s.Completed))
		}
		res.batches = append(res.batches, bt)
		whole.arrivals += s.Arrivals
		whole.completed += s.Completed
		whole.jobsTime += s.MeanJobs * float64(s.Elapsed)
		whole.respSum += s.MeanResponseMS * float64(s.Completed)
		if s.Rejected != 0 {
			panic("theory run rejected jobs")
		}
	}
	el := sim.Now() - start
	res.total = Stats{Elapsed: el, Arrivals: whole.arrivals, Completed: whole.completed,
		MeanJobs: whole.jobsTime / float64(el), MeanResponseMS: whole.respSum / float64(whole.completed)}
	sim.Close()
	return res
}

// meanSE returns the mean of xs and its standard error (sample standard deviation over
// sqrt(len)).
func meanSE(xs []float64) (mean, se float64) {
	for _, x := range xs {
		mean += x
	}
	mean /= float64(len(xs))
	var ss float64
	for _, x := range xs {
		d := x - mean
		ss += float64(d * d)
	}
	return mean, math.Sqrt(ss / float64(len(xs)-1) / float64(len(xs)))
}

// check asserts |mean(xs) - theory| < 4 SE and logs the comparison.
func check(t *testing.T, what string, xs []float64, theory float64) {
	t.Helper()
	m, se := meanSE(xs)
	rel := (m - theory) / theory
	z := (m - theory) / se
	t.Logf("%-34s theory %10.5f  sim %10.5f  rel %+7.3f%%  SE %.5f  z %+5.2f", what, theory, m, 100*rel, se, z)
	if !(math.Abs(m-theory) < 4*se) {
		t.Errorf("%s: simulated %.5f, theory %.5f: off by %.1f SE (rel %+.3f%%)", what, m, theory, z, 100*rel)
	}
}

func column(r result, f func(b batch) float64) []float64 {
	var xs []float64
	for _, b := range r.batches {
		xs = append(xs, f(b))
	}
	return xs
}

// checkCommon checks what every run must satisfy: utilisation = lambda/(c mu) and Little's
// law L = lambda W on the whole measured period. Little's law holds exactly on a period that
// starts and ends empty; here the jobs present at the two ends (about L of them, each for
// about W) make the two sides differ by about 2 L W / T relative, below 1e-3 for these runs
// of more than 10^5 mean response times, so 0.5% is a tolerance that only a real accounting
// error can exceed (TestLittleExact checks the exact identity).
func checkCommon(t *testing.T, r result, e experiment, mu float64) {
	t.Helper()
	check(t, "utilisation", column(r, func(b batch) float64 { return b.st.Utilisation }), e.lambda/(float64(e.cores)*mu))
	lam := float64(r.total.Arrivals) / r.total.Elapsed.Milliseconds()
	l, lw := r.total.MeanJobs, lam*r.total.MeanResponseMS
	t.Logf("%-34s L %10.5f  lambda W %10.5f  rel %+7.4f%%", "Little's law", l, lw, 100*(lw-l)/l)
	if math.Abs(lw-l) > 0.005*l {
		t.Errorf("Little's law: L = %.5f, lambda W = %.5f", l, lw)
	}
}

// size returns full unless -short or under the race detector, where it returns short: the
// short runs are as honest (their SE is larger and the tolerance follows it) but less sharp.
func size(full, short int) int {
	if testing.Short() || raceEnabled {
		return short
	}
	return full
}

func respMean(b batch) float64  { return b.st.MeanResponseMS }
func waitMean(b batch) float64  { return b.st.MeanWaitMS }
func jobsMean(b batch) float64  { return b.st.MeanJobs }
func queueMean(b batch) float64 { return b.st.MeanQueue }

// TestTheoryMM1 checks M/M/1 FCFS at rho = 0.8 (lambda 0.8/ms, mu 1/ms): mean response
// 1/(mu - lambda) = 5 ms, L = rho/(1-rho) = 4, Lq = rho^2/(1-rho) = 3.2, and the response
// time's tail: it is exponential with rate mu - lambda, so its p99 is ln(100)/(mu - lambda)
// = 23.03 ms and P(R > p99) = 0.01 (checked as a fraction per window; the sample p99 is
// logged too). 25 windows of 100 000 jobs (2.5 million; 20 000 per window under -short).
func TestTheoryMM1(t *testing.T) {
	const lambda, mu = 0.8, 1.0
	p99 := math.Log(100) / (mu - lambda)
	e := experiment{d: FCFS, cores: 1, lambda: lambda, service: expService(1 / mu),
		jobsPerBatch: size(100000, 20000), respOver: []float64{p99}, keepResp: true}
	r := e.run(1)
	rho := lambda / mu
	check(t, "M/M/1 mean response (ms)", column(r, respMean), 1/(mu-lambda))
	check(t, "M/M/1 mean wait (ms)", column(r, waitMean), rho/(mu-lambda))
	check(t, "M/M/1 L", column(r, jobsMean), rho/(1-rho))
	check(t, "M/M/1 Lq", column(r, queueMean), rho*rho/(1-rho))
	check(t, "M/M/1 P(R > p99)", column(r, func(b batch) float64 { return b.respOver[0] }), 0.01)
	slices.Sort(r.resp)
	q := r.resp[int(math.Ceil(0.99*float64(len(r.resp))))-1]
	t.Logf("%-34s theory %10.5f  sim %10.5f  rel %+7.3f%%  (sample quantile of %d)", "M/M/1 p99 response (ms)", p99, q, 100*(q-p99)/p99, len(r.resp))
	checkCommon(t, r, e, mu)
}

// TestTheoryMMc checks M/M/4 FCFS at rho = 0.8 (lambda 3.2/ms) against Erlang C:
// P(wait) = C(4, 3.2) = 0.5964, mean wait C/(c mu - lambda), and the waiting-time tail
// P(W > t) = C e^{-(c mu - lambda) t} at t = 0.5 and 2 ms; L and Lq by Little. 25 windows of
// 100 000 jobs (2.5 million; 20 000 per window under -short).
func TestTheoryMMc(t *testing.T) {
	const c, lambda, mu = 4, 3.2, 1.0
	th := mmcResults(c, lambda, mu)
	ts := []float64{0.5, 2}
	e := experiment{d: FCFS, cores: c, lambda: lambda, service: expService(1 / mu),
		jobsPerBatch: size(100000, 20000), waitOver: append([]float64{0}, ts...)}
	r := e.run(2)
	check(t, "M/M/4 P(wait > 0) = Erlang C", column(r, func(b batch) float64 { return b.waitOver[0] }), th.c)
	for i, x := range ts {
		check(t, "M/M/4 P(W > "+ftoa(x)+" ms)", column(r, func(b batch) float64 { return b.waitOver[i+1] }), th.c*math.Exp(-(c*mu-lambda)*x))
	}
	check(t, "M/M/4 mean wait (ms)", column(r, waitMean), th.wq)
	check(t, "M/M/4 mean response (ms)", column(r, respMean), th.w)
	check(t, "M/M/4 L", column(r, jobsMean), th.l)
	check(t, "M/M/4 Lq", column(r, queueMean), th.lq)
	checkCommon(t, r, e, mu)
}

func ftoa(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

// TestTheoryMD1 checks M/D/1 FCFS at rho = 0.7 against Pollaczek-Khinchine:
// Wq = rho/(2 mu (1 - rho)) = 1.1667 ms, W = Wq + 1/mu, Lq = lambda Wq. 25 windows of 60 000
// jobs (1.5 million; 12 000 per window under -short).
func TestTheoryMD1(t *testing.T) {
	const lambda, mu = 0.7, 1.0
	rho := lambda / mu
	wq := rho / (2 * mu * (1 - rho))
	e := experiment{d: FCFS, cores: 1, lambda: lambda, service: detService(1 / mu), jobsPerBatch: size(60000, 12000)}
	r := e.run(3)
	check(t, "M/D/1 mean wait (ms)", column(r, waitMean), wq)
	check(t, "M/D/1 mean response (ms)", column(r, respMean), wq+1/mu)
	check(t, "M/D/1 Lq", column(r, queueMean), lambda*wq)
	checkCommon(t, r, e, mu)
}

// TestTheoryMH1 checks M/G/1 FCFS with the hyperexponential service of TestTheoryPS (mean
// 1 ms, squared coefficient of variation 4, so E[S^2] = 5 ms^2) at rho = 0.7 against
// Pollaczek-Khinchine, Wq = lambda E[S^2] / (2 (1 - rho)) = 5.833 ms: unlike PS, FCFS is
// sensitive to the service variance (its mean response, 6.83 ms, is twice PS's 3.33 ms at
// the same load). 25 windows of 60 000 jobs (1.5 million; 12 000 under -short).
func TestTheoryMH1(t *testing.T) {
	const lambda, mu, scv = 0.7, 1.0, 4.0
	rho := lambda / mu
	es2 := (1 + scv) / (mu * mu)
	wq := lambda * es2 / (2 * (1 - rho))
	e := experiment{d: FCFS, cores: 1, lambda: lambda, service: h2Service(1/mu, scv), jobsPerBatch: size(60000, 12000)}
	r := e.run(4)
	check(t, "M/H2/1 mean wait (ms)", column(r, waitMean), wq)
	check(t, "M/H2/1 mean response (ms)", column(r, respMean), wq+1/mu)
	check(t, "M/H2/1 Lq", column(r, queueMean), lambda*wq)
	checkCommon(t, r, e, mu)
}

// TestTheoryPS checks processor sharing's insensitivity: the number of jobs at an M/G/c-PS
// station where each of n jobs gets min(1, c/n) of a core is the birth-death chain with
// death rate min(n, c) mu, the M/M/c chain, whatever the service distribution beyond its
// mean (PS is a symmetric queue in Kelly's sense). So L, E[max(0, N - c)] and, by Little,
// the mean response equal M/M/c's: for c = 1, W = (1/mu)/(1 - rho). Each case runs with
// exponential, deterministic and hyperexponential (squared coefficient of variation 4)
// service of mean 1 ms: the same means within the tolerance. c = 1 at rho = 0.7 and c = 4 at
// rho = 0.8; 25 windows of 40 000 jobs per run (1 million; 8000 per window under -short).
func TestTheoryPS(t *testing.T) {
	const mu = 1.0
	for _, tc := range []struct {
		c      int
		lambda float64
	}{{1, 0.7}, {4, 3.2}} {
		th := mmcResults(tc.c, tc.lambda, mu)
		for i, svc := range []struct {
			name string
			s    sampler
		}{{"exp", expService(1 / mu)}, {"det", detService(1 / mu)}, {"H2 scv 4", h2Service(1/mu, 4)}} {
			t.Run(ftoa(float64(tc.c))+" cores "+svc.name, func(t *testing.T) {
				e := experiment{d: PS, cores: tc.c, lambda: tc.lambda, service: svc.s, jobsPerBatch: size(40000, 8000)}
				r := e.run(uint64(10*tc.c + i))
				name := "M/" + svc.name + "/" + ftoa(float64(tc.c)) + "-PS"
				check(t, name+" mean response (ms)", column(r, respMean), th.w)
				check(t, name+" L", column(r, jobsMean), th.l)
				check(t, name+" E[(N-c)+]", column(r, queueMean), th.lq)
				checkCommon(t, r, e, mu)
			})
		}
	}
}

// TestTheoryFormulas pins the closed forms on textbook values, so a wrong formula cannot
// make a wrong simulation pass.
func TestTheoryFormulas(t *testing.T) {
	// Erlang C for c = 2, a = 1: (1/2)(2) / (1 + 1 + 1) = 1/3.
	if got := erlangC(2, 1); math.Abs(got-1.0/3) > 1e-15 {
		t.Errorf("erlangC(2, 1) = %v, want 1/3", got)
	}
	// c = 1: C = rho.
	if got := erlangC(1, 0.7); math.Abs(got-0.7) > 1e-15 {
		t.Errorf("erlangC(1, 0.7) = %v", got)
	}
	// M/M/4 at a = 3.2: a^4/4! * 4/(4-3.2) = 21.845 over 1 + 3.2 + 5.12 + 5.4613 + 21.845.
	num := math.Pow(3.2, 4) / 24 * 4 / 0.8
	want := num / (1 + 3.2 + 3.2*3.2/2 + math.Pow(3.2, 3)/6 + num)
	if got := erlangC(4, 3.2); math.Abs(got-want) > 1e-12 {
		t.Errorf("erlangC(4, 3.2) = %v, want %v", got, want)
	}
	m := mmcResults(1, 0.8, 1)
	if math.Abs(m.w-5) > 1e-12 || math.Abs(m.l-4) > 1e-12 || math.Abs(m.lq-3.2) > 1e-12 {
		t.Errorf("M/M/1 rho 0.8: %+v", m)
	}
	// The H2 sampler has the requested mean and SCV (moments of the mixture).
	p := (1 + math.Sqrt(3.0/5)) / 2
	m1, m2 := 1/(2*p), 1/(2*(1-p))
	mean := p*m1 + (1-p)*m2
	second := 2 * (p*m1*m1 + (1-p)*m2*m2)
	if math.Abs(mean-1) > 1e-12 || math.Abs(second/(mean*mean)-1-4) > 1e-12 {
		t.Errorf("H2: mean %v, scv %v", mean, second/(mean*mean)-1)
	}
}
