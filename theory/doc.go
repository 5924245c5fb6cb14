// Package theory gives closed-form and exact numerical results of queueing theory, as an
// oracle for the simulator's tests and for tables that compare simulated and theoretical
// values. It depends on nothing else in the repository (the standard library and gonum
// only) and every function is pure: same inputs, same output, no randomness, no state.
//
// # Units
//
// Rates (lambda, mu, arrival rates) are per second, times (service times, demands, think
// times, waits, responses) are in seconds, all float64; numbers of jobs are means (float64)
// and numbers of servers are ints. The simulator's virtual time is integer nanoseconds:
// convert at the call site (seconds = float64(ns) / 1e9).
//
// # Errors
//
// Bad input never panics and never produces NaN: a negative, NaN or infinite rate or time,
// fewer than one server, a negative population or an inconsistent network returns an error
// matching ErrInvalid; an open queue whose load reaches its capacity returns an
// *UnstableError matching ErrUnstable (with the station and its utilisation). Messages start
// with "theory: " and the model.
//
// # Models, what they assume, where they come from
//
// Single open stations (Poisson arrivals, unlimited waiting room, steady state):
//
//   - NewMM1, NewMMc: exponential service, FCFS, c identical servers. Means, the Erlang C
//     probability of waiting (ErlangC, computed from the Erlang B recursion ErlangB, stable
//     for c in the thousands), waiting and response time tails and quantiles. Kleinrock,
//     Queueing Systems vol. 1 (1975), ch. 3; Harchol-Balter, Performance Modeling and Design
//     of Computer Systems (2013), ch. 14.
//   - MG1, MD1: one FCFS server, any service distribution given by its mean and squared
//     coefficient of variation: the Pollaczek-Khinchine mean wait (Kleinrock 1975, ch. 5).
//   - PS, PSResponseForSize: processor sharing on c cores, each of n jobs served at
//     min(1, c/n) of a core, any service distribution: the mean response is M/M/c's
//     (insensitivity of symmetric queues: Kelly, Reversibility and Stochastic Networks, 1979,
//     ch. 3; Harchol-Balter 2013, ch. 22). Only the mean, not the distribution, is M/M/c's.
//
// Networks (product form, so each station behaves as if alone, fed at its total rate):
//
//   - Jackson, Tandem: open networks with Poisson arrivals and state-independent
//     probabilistic routing; stations FCFS with exponential service (Jackson 1963), or, by
//     the BCMP theorem (Baskett, Chandy, Muntz and Palacios 1975), c-core processor sharing
//     with any service distribution: the per-station means are the same. Not valid for FCFS
//     stations with non-exponential service.
//   - MVA, ThroughputBounds: closed single-class networks of N customers (closed-loop users)
//     with a think time of any distribution, and queueing stations with c_k servers, FCFS
//     exponential or PS with any distribution, given by their service demand per cycle
//     D_k = visits x mean service time. Exact Mean Value Analysis (Reiser and Lavenberg,
//     JACM 1980), load-dependent for multi-server stations, with the marginal probabilities
//     from log-space normalising constants so that it stays exact for N in the thousands
//     (see MVA). Asymptotic bounds: Denning and Buzen (1978).
//
// Fork-join (a request split into K parallel tasks, answered when all are done):
//
//   - ForkJoin2: EXACT mean response for K = 2 homogeneous M/M/1 servers (Flatto and Hahn
//     1984; Nelson and Tantawi 1988).
//   - ForkJoinApprox: Nelson and Tantawi's APPROXIMATION for K > 2 (reported within 5% for
//     K <= 32; measured in our tests within about 2% at K = 4, 8, 16), and ForkJoinBounds,
//     rigorous bounds. Both assume the K queues see only the fork-join stream.
//
// Comparison helpers: RelErr and CheckRel. Choose a tolerance from the simulation's own
// confidence interval (e.g. batch means over a long run after a warm-up), not to make a test
// pass; every formula here is a steady-state mean of an infinite run.
//
// # Determinism
//
// Products that feed a sum are wrapped in explicit float64 conversions so that no platform
// fuses them into a multiply-add: the arithmetic is the same on every machine. The math
// library's Exp and Log may still differ in the last bit between architectures, so tables
// committed to the repository should print a fixed, modest number of digits.
package theory
