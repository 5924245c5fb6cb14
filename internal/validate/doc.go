// Package validate checks the simulator end to end against queueing theory: small
// applications (one station, a tandem, a closed network, a fork-join) run through
// scenario.Run exactly as SockShop is (the same run loop, fabric, CPU stations and workload
// generator), in both variants, and their measurements are compared with the closed-form
// and exact oracles of package theory: M/M/1, M/M/c (Erlang C), M/D/1 (Pollaczek-Khinchine),
// processor sharing on one and several cores with three work distributions (insensitivity),
// a Jackson tandem, a closed network by exact mean value analysis with a multi-core station,
// a two-way fork-join, Little's law on every run, and max-min link sharing on hand-worked
// cases (at unit level, on package flow, until comm offers fair links).
//
// Every run is replicated Replications times with seeds 1..Replications; a row's simulated
// value is the mean over the replications and passes when it is within K standard errors of
// its oracle (Row.Pass). Run returns the rows, Render prints them as the committed
// results/validation.md (markdown), an ASCII table or CSV. Options.Short measures an eighth
// of the workflows, for quick tests: the same rows with wider, still honest, tolerances.
//
// Edge effects of a finite window are corrected, never absorbed into a tolerance: see
// closedThroughput and littleRows.
package validate
