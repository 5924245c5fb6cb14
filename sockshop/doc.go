// Package sockshop is the SockShop application of ECLYPSE (builders sock_shop and
// examples/sock_shop, ECLYPSE 0.9.0) in virtual time: its spec (seven services, their
// requirements, interactions and flows), its services written twice (MPI message passing and
// REST request/response, over package comm), and the run loop that steps the infrastructure,
// audits the placement and measures workflows.
//
// A workflow is one Frontend iteration: catalog, user, cart, then the order (which pays and
// ships). Its latency runs from the Frontend's first request to the order's answer. See
// /work/shared/SOCKSHOP.md and the README for what we copy from ECLYPSE and what we do not.
package sockshop
