// Package placement describes applications (services with requirements, interactions with
// latency and bandwidth bounds, request flows), maps their services onto the nodes of a
// network.Graph with a Strategy, and audits a placement against the current infrastructure.
//
// Strategies (NewStrategy names): "random" (ECLYPSE's random strategy: ignores resources and
// availability, draws from every node, down ones included), "first-fit", "best-fit",
// "round-robin" and "static". The resource-aware strategies place
// services one at a time in application order, keep track of what they have already put on
// each node, and only consider up nodes whose availability is at least the service's; they
// do not look at interactions (latency, bandwidth), which Audit checks. A strategy that
// cannot place every service returns the partial placement together with an
// *UnplacedError listing the services left out, in application order.
//
// Audit implements the feasibility rule of docs/MODEL.md, ECLYPSE's audit (interactions whose paths
// share a link share its bandwidth) without its bug (every interaction's own latency bound
// is checked); its problems come in a fixed order. This package imports network but
// neither engine nor comm; randomness comes from the caller.
package placement
