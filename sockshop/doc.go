// Package sockshop is the SockShop application of ECLYPSE (builders sock_shop and
// examples/sock_shop, ECLYPSE 0.9.0) in virtual time: its spec (seven services, their
// requirements, interactions and flows) and its services written twice, MPI message passing
// and REST request/response, over package comm. It is a scenario.App; Run runs it through the
// run loop of package scenario.
//
// A workflow is one Frontend iteration: catalog, user, cart, then the order (which pays and
// ships). Its latency runs from the Frontend's first request (its own work, under load) to the
// order's answer. docs/SOCKSHOP.md describes the application and what we copy from ECLYPSE
// and what we do not.
package sockshop
