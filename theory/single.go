package theory

import "math"

// Means holds the steady-state means of one open queueing station. Times are in seconds,
// numbers are job counts. They obey Little's law: Number = lambda*Response and
// QueueLength = lambda*Wait.
type Means struct {
	Utilisation float64 // rho = lambda/(c mu): the long-run fraction of time each server is busy
	Wait        float64 // mean time from arrival to the start of service (FCFS); for PS, Response - E[S]
	Response    float64 // mean sojourn time: arrival to departure
	Number      float64 // mean number of jobs in the station, queued and in service
	QueueLength float64 // mean number of jobs waiting (FCFS); for PS, Number - c*rho
}

// finite checks every mean (and extra values) for overflow.
func (m Means) finite(model string, extra ...float64) error {
	return finiteResult(model, append([]float64{m.Utilisation, m.Wait, m.Response, m.Number, m.QueueLength}, extra...)...)
}

// ErlangB returns the Erlang B (loss) probability B(c, a) of c servers offered a = lambda/mu
// erlangs: the probability that an arrival finds every server busy in the M/M/c/c loss system.
//
// It uses the recursion B(0) = 1, B(k) = a B(k-1) / (k + a B(k-1)), which only adds and
// divides positive numbers, so it is accurate for any c and a (the textbook
// (a^c/c!) / sum_k a^k/k! overflows for c of a few hundred). Source: any teletraffic text,
// e.g. Kleinrock, Queueing Systems vol. 1 (1975), ch. 3.
func ErlangB(c int, a float64) (float64, error) {
	const model = "Erlang B"
	if err := checkServers(model, c); err != nil {
		return 0, err
	}
	if err := checkRate(model, "a", a, false); err != nil {
		return 0, err
	}
	return erlangB(c, a), nil
}

func erlangB(c int, a float64) float64 {
	b := 1.0
	for k := 1; k <= c; k++ {
		ab := float64(a * b)
		b = ab / (float64(k) + ab)
	}
	return b
}

// ErlangC returns the Erlang C probability C(c, a) that an arrival to an M/M/c queue with
// offered load a = lambda/mu < c erlangs has to wait. It is computed from Erlang B by the
// identity C = c B / (c - a (1 - B)) (Kleinrock 1975, ch. 3), which stays accurate for c
// up to thousands. It returns an *UnstableError when a >= c.
func ErlangC(c int, a float64) (float64, error) {
	const model = "Erlang C"
	if err := checkServers(model, c); err != nil {
		return 0, err
	}
	if err := checkRate(model, "a", a, false); err != nil {
		return 0, err
	}
	if a >= float64(c) {
		return 0, &UnstableError{Model: model, Rho: a / float64(c)}
	}
	return erlangC(c, a), nil
}

func erlangC(c int, a float64) float64 {
	b := erlangB(c, a)
	cf := float64(c)
	return float64(cf*b) / (cf - float64(a*(1-b)))
}

// MMc is an M/M/c FCFS queue in steady state: Poisson arrivals at rate Lambda (1/s), c
// identical servers with exponential service at rate Mu (1/s) each, unlimited waiting room.
// Build it with NewMMc or NewMM1; its methods give the waiting and response time
// distributions.
type MMc struct {
	Lambda float64 // arrival rate, 1/s
	Mu     float64 // service rate of one server, 1/s
	C      int     // number of servers
	PWait  float64 // probability that an arrival waits: Erlang C (rho for c = 1)
	Means
}

// NewMMc solves the M/M/c queue (Kleinrock 1975, ch. 3; Harchol-Balter, Performance
// Modeling and Design of Computer Systems, 2013, ch. 14). With a = lambda/mu and
// rho = a/c < 1:
//
//	PWait    = ErlangC(c, a)
//	Wait     = PWait / (c mu - lambda)
//	Response = Wait + 1/mu
//	QueueLength = lambda Wait,  Number = QueueLength + a
//
// lambda = 0 is allowed (an empty queue: Response = 1/mu). It returns an error matching
// ErrInvalid for a bad input and an *UnstableError when rho >= 1.
func NewMMc(lambda, mu float64, c int) (MMc, error) { return newMMc("M/M/c", lambda, mu, c) }

func newMMc(model string, lambda, mu float64, c int) (MMc, error) {
	if err := checkRate(model, "lambda", lambda, false); err != nil {
		return MMc{}, err
	}
	if err := checkRate(model, "mu", mu, true); err != nil {
		return MMc{}, err
	}
	if err := checkServers(model, c); err != nil {
		return MMc{}, err
	}
	a := lambda / mu
	rho := a / float64(c)
	if rho >= 1 {
		return MMc{}, &UnstableError{Model: model, Rho: rho}
	}
	pw := erlangC(c, a)
	wait := pw / (float64(float64(c)*mu) - lambda)
	lq := float64(lambda * wait)
	q := MMc{
		Lambda: lambda, Mu: mu, C: c, PWait: pw,
		Means: Means{
			Utilisation: rho,
			Wait:        wait,
			Response:    wait + 1/mu,
			Number:      lq + a,
			QueueLength: lq,
		},
	}
	if err := q.Means.finite(model, pw); err != nil {
		return MMc{}, err
	}
	return q, nil
}

// NewMM1 solves the M/M/1 queue with its own closed forms (rho = lambda/mu < 1):
// Response = 1/(mu - lambda), Wait = rho/(mu - lambda), Number = rho/(1 - rho),
// QueueLength = rho^2/(1 - rho), PWait = rho (Kleinrock 1975, ch. 3). It equals
// NewMMc(lambda, mu, 1) up to rounding; the formulas are kept separate so that each checks
// the other in the tests.
func NewMM1(lambda, mu float64) (MMc, error) {
	const model = "M/M/1"
	if err := checkRate(model, "lambda", lambda, false); err != nil {
		return MMc{}, err
	}
	if err := checkRate(model, "mu", mu, true); err != nil {
		return MMc{}, err
	}
	rho := lambda / mu
	if rho >= 1 {
		return MMc{}, &UnstableError{Model: model, Rho: rho}
	}
	q := MMc{
		Lambda: lambda, Mu: mu, C: 1, PWait: rho,
		Means: Means{
			Utilisation: rho,
			Wait:        rho / (mu - lambda),
			Response:    1 / (mu - lambda),
			Number:      rho / (1 - rho),
			QueueLength: float64(rho*rho) / (1 - rho),
		},
	}
	if err := q.Means.finite(model, rho); err != nil {
		return MMc{}, err
	}
	return q, nil
}

// check rejects an MMc that was not built by NewMMc or NewMM1.
func (q MMc) check() error {
	if !finite(q.Mu) || q.Mu <= 0 || q.C < 1 || !finite(q.Lambda) || q.Lambda < 0 ||
		q.Lambda >= float64(float64(q.C)*q.Mu) || !(q.PWait >= 0 && q.PWait <= 1) {
		return invalid("M/M/c", "queue %+v was not built by NewMMc", q)
	}
	return nil
}

// theta is the decay rate c mu - lambda of the conditional waiting time.
func (q MMc) theta() float64 { return float64(float64(q.C)*q.Mu) - q.Lambda }

// WaitTail returns P(W > t), the probability that an arrival waits longer than t seconds
// before service starts: PWait exp(-(c mu - lambda) t) for t >= 0 (given that it waits, an
// arrival waits an exponential time with rate c mu - lambda; Kleinrock 1975, ch. 3), and
// 1 for t < 0.
func (q MMc) WaitTail(t float64) (float64, error) {
	if err := q.check(); err != nil {
		return 0, err
	}
	if math.IsNaN(t) {
		return 0, invalid("M/M/c", "t = NaN")
	}
	if t < 0 {
		return 1, nil
	}
	return q.PWait * math.Exp(-q.theta()*t), nil
}

// WaitQuantile returns the p-quantile of the waiting time, the smallest t >= 0 with
// P(W <= t) >= p, for p in [0, 1): 0 when p <= 1 - PWait (that fraction of arrivals does
// not wait at all), else ln(PWait/(1-p)) / (c mu - lambda).
func (q MMc) WaitQuantile(p float64) (float64, error) {
	if err := q.check(); err != nil {
		return 0, err
	}
	if !(p >= 0 && p < 1) {
		return 0, invalid("M/M/c", "quantile p = %v: must be in [0, 1)", p)
	}
	if 1-p >= q.PWait {
		return 0, nil
	}
	v := math.Log(q.PWait/(1-p)) / q.theta()
	if err := finiteResult("M/M/c", v); err != nil {
		return 0, err
	}
	return v, nil
}

// ResponseTail returns P(T > t) for the response (sojourn) time T = W + S of an FCFS
// M/M/c queue, where the service time S ~ Exp(mu) is independent of the wait W. With
// theta = c mu - lambda and PWait = C:
//
//	P(T > t) = (1 - C) e^{-mu t} + C P(Exp(theta) + Exp(mu) > t)
//	P(Exp(a) + Exp(b) > t) = e^{-a t} (1 + a (1 - e^{-(b-a) t}) / (b - a)),  a = min, b = max
//
// The second line is the hypoexponential tail (b e^{-a t} - a e^{-b t})/(b - a), factored on
// the slower rate and written with expm1 so that it neither overflows nor cancels, and tends
// to e^{-a t}(1 + a t) as b approaches a. For c = 1 the whole reduces to e^{-(mu - lambda) t}.
// It returns 1 for t < 0.
func (q MMc) ResponseTail(t float64) (float64, error) {
	if err := q.check(); err != nil {
		return 0, err
	}
	if math.IsNaN(t) {
		return 0, invalid("M/M/c", "t = NaN")
	}
	if t < 0 {
		return 1, nil
	}
	return q.responseTail(t), nil
}

func (q MMc) responseTail(t float64) float64 {
	a, b := q.theta(), q.Mu
	if a > b {
		a, b = b, a
	}
	// g = (1 - e^{-(b-a) t}) / (b - a), in [0, t], tending to t as b - a -> 0.
	g := t
	if d := b - a; d > 0 {
		g = -math.Expm1(-d*t) / d
	}
	// e^{-x}(1 + a g) with a g <= x = a t underflows to 0 for x > 800; testing first avoids
	// 0 * Inf when a t overflows.
	hypo := 0.0
	if x := a * t; x <= 800 {
		hypo = math.Exp(-x) * (1 + float64(a*g))
	}
	return float64((1-q.PWait)*math.Exp(-q.Mu*t)) + float64(q.PWait*hypo)
}

// ResponseQuantile returns the p-quantile of the response time, the smallest t >= 0 with
// P(T <= t) >= p, for p in [0, 1). It has no closed form for c > 1; it is found by bisection
// on ResponseTail (continuous and strictly decreasing) to a relative width of 1e-14, so the
// result is deterministic and accurate to about 13 significant digits.
func (q MMc) ResponseQuantile(p float64) (float64, error) {
	if err := q.check(); err != nil {
		return 0, err
	}
	if !(p >= 0 && p < 1) {
		return 0, invalid("M/M/c", "quantile p = %v: must be in [0, 1)", p)
	}
	if p == 0 {
		return 0, nil
	}
	target := 1 - p
	// P(T > hi) <= target: start at the mean scale and double.
	hi := 1/q.Mu + 1/q.theta()
	for q.responseTail(hi) > target {
		hi *= 2
	}
	lo := 0.0
	for i := 0; i < 200 && hi-lo > 1e-14*hi; i++ {
		mid := lo + float64((hi-lo)/2) // the compiler may turn /2 into *0.5: keep it unfused
		if q.responseTail(mid) > target {
			lo = mid
		} else {
			hi = mid
		}
	}
	if err := finiteResult("M/M/c", hi); err != nil {
		return 0, err
	}
	return hi, nil
}

// MG1 solves the M/G/1 FCFS queue by the Pollaczek-Khinchine mean-value formula: Poisson
// arrivals at rate lambda (1/s), one server, i.i.d. service times S with mean meanService
// (seconds) and squared coefficient of variation scv = Var(S)/E[S]^2 (0 for constant
// service, 1 for exponential). With rho = lambda E[S] < 1:
//
//	Wait = rho E[S] (1 + scv) / (2 (1 - rho))   ( = lambda E[S^2] / (2 (1 - rho)) )
//
// Response = Wait + E[S], and Little's law gives the numbers (Kleinrock 1975, ch. 5;
// Harchol-Balter 2013, ch. 23). scv = 1 gives the M/M/1 values, scv = 0 the M/D/1 ones.
func MG1(lambda, meanService, scv float64) (Means, error) {
	return mg1("M/G/1", lambda, meanService, scv)
}

func mg1(model string, lambda, meanService, scv float64) (Means, error) {
	if err := checkRate(model, "lambda", lambda, false); err != nil {
		return Means{}, err
	}
	if err := checkRate(model, "meanService", meanService, true); err != nil {
		return Means{}, err
	}
	if err := checkRate(model, "scv", scv, false); err != nil {
		return Means{}, err
	}
	rho := float64(lambda * meanService)
	if rho >= 1 {
		return Means{}, &UnstableError{Model: model, Rho: rho}
	}
	wait := float64(rho*meanService) * (1 + scv) / (2 * (1 - rho))
	resp := wait + meanService
	return newMeans(model, lambda, rho, wait, resp)
}

// MD1 solves the M/D/1 queue (constant service time meanService): MG1 with scv = 0, so
// Wait = rho E[S] / (2 (1 - rho)), half the M/M/1 wait at the same load.
func MD1(lambda, meanService float64) (Means, error) {
	return mg1("M/D/1", lambda, meanService, 0)
}

// PS solves a processor-sharing station with c cores: Poisson arrivals at rate lambda
// (1/s), i.i.d. service demands of any distribution with mean meanService (seconds of one
// core), and with n jobs present each progresses at min(1, c/n) of a core. With
// rho = lambda meanService / c < 1:
//
//   - c = 1 (M/G/1-PS): Response = E[S] / (1 - rho) = 1/(mu - lambda), the M/M/1 value for
//     every service distribution (Kleinrock 1976, Queueing Systems vol. 2, ch. 4;
//     Harchol-Balter 2013, ch. 22).
//   - c >= 1: when n jobs are present the station completes work at rate min(n, c), so with
//     exponential demands the number in system is the birth-death chain of M/M/c (birth
//     rate lambda, death rate min(n, c) mu). This discipline is a symmetric queue in Kelly's
//     sense (the arrival joins a uniformly random position and every position receives the
//     same share), and symmetric queues are insensitive: the distribution of the number in
//     system depends on the demand distribution only through its mean (Kelly, Reversibility
//     and Stochastic Networks, 1979, ch. 3; the PS case of the BCMP theorem, Baskett et al.
//     1975). So Number is M/M/c's mean number and, by Little's law, Response equals M/M/c's
//     mean response time, for any demand distribution.
//
// Only the means coincide with M/M/c FCFS: the response time distribution does not. Wait is
// reported as Response - E[S] (the mean slowdown penalty) and QueueLength as lambda*Wait,
// so Little's law holds field by field.
func PS(lambda, meanService float64, c int) (Means, error) {
	const model = "PS"
	if err := checkRate(model, "lambda", lambda, false); err != nil {
		return Means{}, err
	}
	if err := checkRate(model, "meanService", meanService, true); err != nil {
		return Means{}, err
	}
	if err := checkServers(model, c); err != nil {
		return Means{}, err
	}
	rho := float64(lambda*meanService) / float64(c)
	if rho >= 1 {
		return Means{}, &UnstableError{Model: model, Rho: rho}
	}
	var resp float64
	if c == 1 {
		resp = meanService / (1 - rho)
	} else {
		q, err := newMMc(model, lambda, 1/meanService, c)
		if err != nil {
			return Means{}, err
		}
		resp = q.Response
	}
	wait := resp - meanService
	return newMeans(model, lambda, rho, wait, resp)
}

// PSResponseForSize returns the mean response time of a job of size x seconds (its service
// time alone on the core) in an M/G/1-PS queue: x / (1 - rho), with rho = lambda meanService
// < 1. Response grows linearly with size whatever the distribution (Kleinrock 1976,
// ch. 4; Harchol-Balter 2013, ch. 22). It has no such simple form for c > 1 cores.
func PSResponseForSize(lambda, meanService, x float64) (float64, error) {
	const model = "M/G/1-PS"
	if err := checkRate(model, "lambda", lambda, false); err != nil {
		return 0, err
	}
	if err := checkRate(model, "meanService", meanService, true); err != nil {
		return 0, err
	}
	if err := checkRate(model, "x", x, false); err != nil {
		return 0, err
	}
	rho := float64(lambda * meanService)
	if rho >= 1 {
		return 0, &UnstableError{Model: model, Rho: rho}
	}
	v := x / (1 - rho)
	if err := finiteResult(model, v); err != nil {
		return 0, err
	}
	return v, nil
}

// newMeans completes the means of a queue from its utilisation, mean wait and mean response,
// by Little's law (L = lambda R, Lq = lambda W), and refuses a non-finite result.
func newMeans(model string, lambda, rho, wait, resp float64) (Means, error) {
	m := Means{
		Utilisation: rho,
		Wait:        wait,
		Response:    resp,
		Number:      float64(lambda * resp),
		QueueLength: float64(lambda * wait),
	}
	if err := m.finite(model); err != nil {
		return Means{}, err
	}
	return m, nil
}
