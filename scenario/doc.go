// Package scenario is the run loop of every application: it builds (or clones) the
// infrastructure, places and audits the application at every step boundary, evolves the
// infrastructure, runs the workload (package workload) and measures what happens, in virtual
// time, deterministically from the seed.
//
// An application is an App: its placement graph (Spec) and its services in either
// communication style (Start), which carry out one workflow at a time per Workflow. Run runs
// one application; RunApps runs several at once on one infrastructure, each with its own
// placement, fabric, workload and Result, sharing the clock, the infrastructure and, with
// comm.Load's CPU node and fair links, the nodes' cores and the links' bandwidth; each
// application is placed on what the ones already deployed leave (see RunApps).
//
// Workflows ask services with Ask, AskAll and AskAny (MPI) or Await (REST), which give up
// after the run's timeout or at a step boundary where the application has been undeployed.
// A Result holds the totals; the per-step figures go to an Observer (StepLog keeps them).
//
// A Workflow, its REST calls (through Workflow.Client) and their responses belong to the
// Entry until Run returns: the loop reuses them for later workflows. Closed-loop users wait
// as callbacks and carry workflows out in pooled worker processes (see users.go), and a
// workflow's waits look at each step boundary without waking its process; both give the run
// a process per user and per wait would (tested), with a coroutine per workflow under way
// instead of one per user.
package scenario
