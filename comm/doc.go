// Package comm lets the services of an application talk over an infrastructure in virtual
// time: MPI-style one-way messages (Send, Multicast, Broadcast, Recv) and REST-style
// request/response calls (GET, POST, PUT, DELETE on "Service/path" URLs).
//
// Every message is a delivery event scheduled on the engine after the delay that a cost Model
// gives for the route between the two hosts; the route comes from network.Graph.Route. The
// reference model is ECLYPSE's (see Eclypse). comm computes and schedules; it never blocks
// except inside engine processes, and it does no I/O.
//
// Failure rules (docs/MODEL.md): a recipient that is not placed, not deployed, on a node that
// is down or with no route makes Send fail and a call return 503 at once, at no cost. A
// message whose destination node went down, or whose service was undeployed or moved, at any
// time while it travelled is lost at its delivery time and counted (Stats.Lost), even if the
// node is back or the same placement redeployed by then; an MPI send event then fails with
// ErrLost, and a REST call completes with 503 at that virtual time, as a connection reset
// would. A reply that arrives for an abandoned exchange is discarded and counted
// (Stats.Discarded). Every message sent is therefore delivered, lost or discarded.
//
// Load (docs/LOAD.md) adds contention: service time queued on CPU stations (package cpu),
// requests rejected by a full queue (ErrRejected), and links shared max-min fairly (package
// flow). Every message carries a Trace, the split of its exchange's time so far into network,
// queueing and service, along the critical path.
package comm
