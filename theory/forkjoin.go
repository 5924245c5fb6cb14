package theory

// MaxBranches is the largest K the fork-join functions accept (Harmonic costs O(K); the
// approximation itself was validated only up to K = 32).
const MaxBranches = 1 << 20

// Harmonic returns the harmonic number H_k = 1 + 1/2 + ... + 1/k (0 for k <= 0).
func Harmonic(k int) float64 {
	h := 0.0
	for i := k; i >= 1; i-- { // smallest terms first
		h += 1 / float64(i)
	}
	return h
}

func checkForkJoin(model string, k int, lambda, mu float64) (rho float64, err error) {
	if k < 1 || k > MaxBranches {
		return 0, invalid(model, "K = %d branches: must be in [1, %d]", k, MaxBranches)
	}
	if err := checkRate(model, "lambda", lambda, false); err != nil {
		return 0, err
	}
	if err := checkRate(model, "mu", mu, true); err != nil {
		return 0, err
	}
	rho = lambda / mu
	if rho >= 1 {
		return 0, &UnstableError{Model: model, Rho: rho}
	}
	return rho, nil
}

// ForkJoin2 returns the exact mean response time of a fork-join system of K = 2 homogeneous
// M/M/1 queues: each job arriving at rate lambda (Poisson) forks into two tasks, one per
// FCFS server of rate mu, and leaves when both are done. With rho = lambda/mu < 1,
//
//	R_2 = (12 - rho)/8 * 1/(mu - lambda) = (H_2 - rho/8) * 1/(mu - lambda).
//
// This is exact: Flatto and Hahn (SIAM J. Appl. Math. 1984) solved the two-server system and
// Nelson and Tantawi (IEEE Trans. Computers 37(6), 1988, eq. for K = 2) derived this mean; it
// exceeds the M/M/1 response 1/(mu - lambda) by the synchronisation delay
// (1/2)(1 - rho/4)/(mu - lambda).
func ForkJoin2(lambda, mu float64) (float64, error) {
	rho, err := checkForkJoin("fork-join", 2, lambda, mu)
	if err != nil {
		return 0, err
	}
	v := (12 - rho) / 8 / (mu - lambda)
	if err := finiteResult("fork-join", v); err != nil {
		return 0, err
	}
	return v, nil
}

// ForkJoinApprox returns Nelson and Tantawi's scaling approximation (1988) of the mean
// response time of a fork-join system of K >= 1 homogeneous M/M/1 queues (arrival rate
// lambda, service rate mu each, rho = lambda/mu < 1):
//
//	R_K ~ [ H_K/H_2 + (4/11)(1 - H_K/H_2) rho ] R_2,   R_2 = ForkJoin2(lambda, mu)
//
// APPROXIMATE for K > 2. Their observation: upper and lower bounds on R_K grow with K at
// the same rate, so R_K is R_2 scaled by a factor exact at rho = 0 (where R_K = H_K/mu, the
// mean of the largest of K exponential service times) with a linear correction in rho whose
// slope 4/11 they fitted to simulations; they report relative errors under 5% for
// K <= 32 (see also Thomasian, "Analysis of fork/join and related queueing systems", ACM
// Computing Surveys 47(2), 2014, Table I). It is exact for K = 2 (the bracket is 1) and we
// return 1/(mu - lambda) for K = 1 (a single M/M/1 queue).
func ForkJoinApprox(k int, lambda, mu float64) (float64, error) {
	rho, err := checkForkJoin("fork-join", k, lambda, mu)
	if err != nil {
		return 0, err
	}
	v := 1 / (mu - lambda)
	if k > 1 {
		ratio := Harmonic(k) / Harmonic(2)
		r2 := (12 - rho) / 8 / (mu - lambda)
		v = (ratio + float64(float64(4.0/11.0*(1-ratio))*rho)) * r2
	}
	if err := finiteResult("fork-join", v); err != nil {
		return 0, err
	}
	return v, nil
}

// ForkJoinBounds returns bounds on the exact mean response time R_K of the fork-join system
// of ForkJoinApprox. Lower: R_K >= max(1/(mu - lambda), H_K/mu), since a job waits for each of
// its tasks (each an M/M/1 sojourn) and at least for the largest of its K service times.
// Upper: R_K <= H_K/(mu - lambda), the mean of the maximum of K independent M/M/1 sojourn
// times; the real sojourns are positively correlated (associated) through the common
// arrivals, which can only lower the mean maximum (Nelson and Tantawi 1988).
func ForkJoinBounds(k int, lambda, mu float64) (lower, upper float64, err error) {
	if _, err := checkForkJoin("fork-join", k, lambda, mu); err != nil {
		return 0, 0, err
	}
	h := Harmonic(k)
	lower, upper = max(1/(mu-lambda), h/mu), h/(mu-lambda)
	if err := finiteResult("fork-join", lower, upper); err != nil {
		return 0, 0, err
	}
	return lower, upper, nil
}
