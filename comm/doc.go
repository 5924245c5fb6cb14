// Package comm lets the services of an application talk over an infrastructure in virtual
// time: MPI-style one-way messages (Send, Multicast, Broadcast, Recv) and REST-style
// request/response calls (GET, POST, PUT, DELETE on "Service/path" URLs).
//
// Every message is a delivery event scheduled on the engine after the delay that a cost Model
// gives for the route between the two hosts; the route comes from network.Graph.Route. The
// reference model is ECLYPSE's (see Eclypse). comm computes and schedules; it never blocks
// except inside engine processes, and it does no I/O.
//
// Failure rules (DESIGN.md): a recipient that is not placed, not deployed, on a node that is
// down or with no route makes Send fail and a call return 503 at once, at no cost. A message in
// flight towards a node that went down, or towards a service that moved or was undeployed, is
// lost at its delivery time and counted (Stats.Lost); an MPI send event then fails with
// ErrLost, and a REST call completes with 503 at that virtual time, as a connection reset
// would. A reply that arrives for an abandoned exchange is discarded and counted
// (Stats.Discarded). Every message sent is therefore delivered, lost or discarded.
package comm
