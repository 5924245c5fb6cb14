// Package engine is the deterministic discrete-event kernel of the simulator: integer virtual
// time, an event queue ordered by (time, insertion sequence), one-shot events, processes run as
// coroutines, FIFO stores (mailboxes), resources and named random streams.
//
// # Model
//
// The shape follows SimPy's core: events move one way, pending -> triggered -> processed, and
// triggering twice is an error (ErrAlreadyTriggered). A process is a function run as a
// coroutine (iter.Pull) that blocks in Sleep, Wait, Store.Get, Store.Put or Resource.Acquire;
// the kernel resumes it. Exactly one piece of model code runs at a time: the kernel loop, one
// callback or one process. There are no free-running goroutines and nothing depends on the Go
// scheduler, the wall clock, map order, GC or GOMAXPROCS, so the same inputs and seed always
// give the same run.
//
// # Ordering
//
// Every scheduled item (callback, process wake-up, event processing) is due at a time and
// ordered by (time, scheduling order): items due at the same instant run in the order they were
// scheduled. The queue is a 4-ary min-heap keyed by (time, seq) whose nodes are FIFO buckets of
// items due at the same time (see queue), so ties, which discrete-event models are full of,
// cost a slice append and read instead of a heap push and pop. Triggering an event (Succeed,
// Fail) schedules its processing at the current time through the queue; when it is processed,
// its OnTrigger callbacks and waiting processes run in registration order (waiting processes
// are resumed directly, not through another queue round trip).
//
// # Life cycle
//
// Run processes items until the queue is empty or Stop is called; RunUntil(t) processes the
// items due at or before t and then advances the clock to t. Run does not release processes
// that are still blocked when the queue empties: more work may be scheduled and Run called
// again. Close releases them: each blocked call unwinds its process (a sentinel panic recovered
// by the kernel, so the process's deferred calls run) and its goroutine ends. After Close,
// Run, RunUntil, Schedule and At return ErrClosed.
//
// A process that panics makes Run return a *ProcessError (name, virtual time, value, stack) at
// that point; its Done event fails with the same error.
//
// # Differences from simgo and SimPy
//
// Unlike github.com/fschuetz04/simgo (our benchmark baseline), processes are coroutines rather
// than goroutines synchronised by channels, events have no finalizers (a GC can never abort a
// waiting process), and time is integer nanoseconds, not float64.
package engine
