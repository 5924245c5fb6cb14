// Package cpu models CPUs as queueing stations: a Station has cores, a discipline that
// shares them among the jobs present (FCFS or processor sharing) and a limit on the jobs it
// holds. A job asks for an amount of one core's time (its work, in virtual nanoseconds); the
// station tells its caller, at the virtual instant the job completes, how long it took. It
// is how a simulated service spends CPU time under load: each request a service handles is
// a job at the station of its container or of its node, and requests that arrive together
// queue for the cores. The package sits on the kernel (engine) only.
//
// # Model
//
// FCFS: jobs start in arrival order (ties: submission order), each on a free core, and run
// to completion at the full speed of that core; a job waits while every core is busy. With
// c cores and Poisson arrivals this is the M/G/c queue.
//
// PS (processor sharing): each of the n jobs present progresses at min(1, c/n) of a core,
// all at once. This is the idealised round-robin of an operating system's scheduler with a
// vanishing time slice (Kleinrock's processor sharing), generalised to c cores as in the
// M/G/c-PS queue: no job runs faster than one core, and cores never idle while jobs are
// present.
//
// The limit bounds the jobs a station holds at once, in service and waiting. An arrival
// beyond it is rejected at once (Submit returns a *QueueFullError, matching ErrQueueFull),
// so an overloaded station sheds load instead of growing without bound, and a run at
// saturation still ends.
//
// SetCores changes the cores from the current instant, for a node whose CPU capacity drifts
// between steps: under FCFS running jobs finish where they are (more may be running than
// there are cores for a while) and waiting jobs start as the new count allows; under PS every
// job's rate changes at once.
//
// A job with no work is an ordinary job: under FCFS it waits for its turn and completes at
// the instant it would start; under PS it completes at its arrival instant. Completion
// callbacks always run from the kernel's queue (Submit never calls back synchronously), in
// (time, sequence) order like everything else; jobs completing at the same instant call
// back in the order they would have finished (FCFS: start order; PS: finish mark), ties in
// submission order.
//
// # Implementation
//
// FCFS keeps the waiting jobs in a ring buffer and the running ones in a heap by finish time;
// each start schedules one kernel callback at the job's finish time, which never changes.
//
// PS keeps an attained-service clock v: the service each job present has received, which
// grows at min(1, c/n) per nanosecond. A job arriving when the clock reads v completes when
// it reads v + work, its finish mark; marks never change, so the jobs wait in a min-heap of
// marks and each event costs O(log n) rather than an update of every job. A single kernel
// timer is due at the next completion; every arrival, completion and SetCores cancels and
// re-sets it (or keeps it if the instant is unchanged). The clock restarts at 0 whenever the
// station empties.
//
// Rounding: virtual time is whole nanoseconds but c/n is rational. The clock is a 128-bit
// fixed-point number (64 fractional bits); each update adds the service attained since the
// last one rounded down to 2^-64 ns, with exact integer arithmetic (no floating point, so
// every machine agrees). The timer is due at the first whole nanosecond at which the head
// job has attained its work at the current rate (rounded up). Hence a PS job never completes
// before its work is done, and never before arrival + work (its rate is at most 1); it
// completes less than 1 ns after the instant exact processor sharing would give, plus the
// effect of such delays of the jobs that shared the cores with it (the tests measure at most
// about 1.1 ns per departure in the busy period on nanosecond-scale jobs, i.e. nothing for
// jobs of microseconds or more). The clock is updated only where the timer is re-set, so that
// the timer's guarantee is never broken by rounding an interval in two.
//
// Memory is bounded by the most jobs present at once: job records are recycled through a
// free list and the heaps and ring keep their capacity. Submit, a completion and a rejection
// allocate nothing in steady state (the callback passed to Submit is the caller's; a station
// returns one *QueueFullError for every rejection); Do allocates one engine.Event per job.
//
// # Statistics
//
// Stats measure a window, from the station's creation or last ResetStats to the current
// instant. Time averages are exact integrals over integer virtual time (128-bit), divided
// by the window's length at the end:
//
//   - Arrivals: jobs admitted in the window; Rejected: arrivals refused because the station
//     was full; Completed: jobs completed in the window, wherever they arrived.
//   - Utilisation: busy core time / available core time, where available core time is the
//     integral of the number of cores (they change with SetCores) and busy cores are the
//     running jobs (FCFS) or min(n, c) (PS). Under FCFS it can exceed 1 in a window where
//     SetCores removed cores from running jobs.
//   - MeanCores: the time-average number of cores.
//   - MeanJobs: the time-average number of jobs present, L in Little's law.
//   - MeanQueue: the time-average number waiting: FCFS jobs not started; PS max(0, n - c),
//     the jobs beyond one per core (for M/G/c-PS its mean equals M/M/c's Lq).
//   - MeanWaitMS, MeanResponseMS: mean Wait and Response of the jobs completed in the window.
//     A job's Wait is Finished - Arrived - Work, its time at the station beyond its own work:
//     under FCFS the delay before it started, under PS its slowdown from sharing.
//   - MaxJobs: the most jobs present at once in the window; Jobs: those present at its end.
//
// ResetStats ends a warm-up: it forgets what was measured and keeps the jobs.
//
// # Checks against queueing theory
//
// The tests feed stations with Poisson arrivals and compare, by batch means (25 windows,
// |simulated - theory| < 4 standard errors), with closed forms: M/M/1 (mean response
// 1/(mu - lambda), L, Lq, and the exponential tail of the response time at its 99th
// percentile); M/M/c (Erlang C probability of waiting, mean wait C/(c mu - lambda), waiting
// time tail C e^{-(c mu - lambda) t}); M/D/1 and M/H2/1 (Pollaczek-Khinchine mean wait
// lambda E[S^2] / (2 (1 - rho))); and processor sharing's insensitivity: the number of jobs
// at an M/G/c-PS station is the M/M/c birth-death chain whatever the service distribution
// (PS is a symmetric queue in Kelly's sense), so its L, E[max(0, N - c)] and, by Little's
// law, its mean response equal M/M/c's, checked with exponential, deterministic and
// hyperexponential service on 1 and 4 cores. Every run also checks utilisation = lambda/(c mu)
// and Little's law; on runs that start and end empty the tests check exact identities on the
// integrals (the integral of the number of jobs equals the sum of response times, busy core
// time equals the work done). Both disciplines are also compared with naive O(n)-per-event
// references on random scripts (same finish times to the nanosecond) and PS with exact
// rational-time processor sharing.
package cpu
