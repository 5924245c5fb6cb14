// Package capacity measures how much load an application serves: it runs a grid of
// simulations (variant x placement strategy x offered load), one row per run, and finds in
// each group of rows the saturation point and the highest load that meets a service-level
// objective (SLO). Command experiments/capacity is its thin command line.
//
// # Application
//
// A Spec runs SockShop (sockshop.Run) unless Spec.App names another application: any
// scenario.App, such as a spec file read by apps/spec (command experiments/capacity -app
// FILE). Everything else (the grid, the saturation point, the SLO) is the same for every
// application; the report names a Spec.App in its titles, summary lines, CSV (a first column
// "app") and JSON ("app", "app_file"), and leaves SockShop's output as it always was.
// Group.SaturationThroughput reads the throughput the application sustains once saturated:
// the highest throughput from the saturation point on.
//
// # Offered load
//
// A Spec offers either closed-loop users (Kind Users: N users, each running workflows back to
// back with the base config's think time between them) or an open loop (Kind Rate: workflows
// arriving at R per second of virtual time). Loads are sorted ascending and must be distinct;
// every other parameter comes from Spec.Base.
//
// # Saturation point
//
// The saturation point of a group is the smallest load L_i (rows in ascending load order) at
// which either
//
//  1. a CPU station of the run is saturated: it rejected a request (its queue was full) or
//     was busy at least scenario.SaturatedUtilisation (98%) of the measured window; or
//  2. the throughput grew less than half as fast as the load since the previous row:
//     T_i - T_{i-1} < MinGrowth * T_{i-1} * (L_i - L_{i-1}) / L_{i-1}, with MinGrowth = 0.5
//     and T_{i-1} > 0 (a throughput that falls counts as not growing).
//
// Below saturation a closed loop's throughput grows almost in proportion to its users
// (T = N/(R+Z) with a response time R that barely moves) and an open loop's equals its rate,
// so the ratio of relative growths is close to 1; past the bottleneck's capacity it is close
// to 0. Half-way between is the knee. Criterion 2 compares relative growths, so it does not
// depend on how far apart the loads are; criterion 1 sees what criterion 2 cannot: a
// station already full at a row whose throughput still grew from the previous one, and the
// first row, which can only saturate by criterion 1. When no row saturates, the grid did not reach saturation: offer
// more load. With the infrastructure dynamics on, the application is undeployed part of the
// time, so a station's utilisation over the whole window stays below 98% and criterion 2 is
// the one that fires.
//
// # Service-level objective
//
// An SLO is a set of bounds that must all hold (ParseSLO reads "p95=500ms,p99=1s,failed=1%"):
// latency bounds on the mean, p50, p95 or p99 of the completed workflows' latency (the
// statistic at most the bound), and optionally a bound on the failed fraction, failed /
// (completed + failed). Whatever the bounds, a run meets the SLO only if it completed at
// least one workflow and no request was rejected by a full queue: the latencies of a run that
// turned requests away describe only the requests it let in. Failures are bounded only when
// the SLO says so, because with the dynamics on the infrastructure fails workflows at every
// load (an undeploy aborts every workflow in flight, a node that goes down fails those that
// need it: 11-13% of them already at one user in the reference run), which no load can fix.
//
// The highest load meeting the SLO is the last row of the leading run of rows that meet it:
// the largest L_k such that every row up to and including k meets the SLO. A later row that
// meets it again is not counted: a user planning capacity wants a load below which the
// objective holds everywhere.
//
// # Checked against theory
//
// With the dynamics off, service times exponential and links not shared, the MPI workflow is
// a closed product-form network (N users, a delay of the workflow's network time, seven
// multi-server FCFS stations visited once each), so exact mean value analysis
// (theory.MVA) gives its throughput at every N. TestAgainstMVA runs a study of that network
// and checks each row's throughput against MVA (within 0.5% on the reference seed at 200
// steps; the tolerance, from the run length, is 3.7-7.8% above one user) and that SaturationOf finds the
// same saturation point in the measured rows as in MVA's curve (75 users with no think
// time: the knee of the Catalog and Payment stations, 11 ms on one core each, 90.9/s).
//
// # Determinism
//
// Each run is single-threaded and independent; Run executes them on Options.Workers
// goroutines and stores each result at its grid index, so the Report (and everything written
// from it) does not depend on the number of workers or the order in which runs finish. When
// runs fail, the error reported is that of the first failed run in grid order.
package capacity
