// Package network models a cloud-edge infrastructure: a directed graph whose nodes and links
// carry assets, with seeded generators, cached deterministic shortest-path routing, dynamics
// that evolve the assets step by step, and networkx node-link JSON and Graphviz DOT files.
//
// # Model
//
// Nodes have string ids kept in insertion order and carry NodeAssets (cpu, gpu, ram,
// storage, availability 0..1, processing_time in ms). A node is up when its availability is
// greater than 0. Links are directed and carry LinkAssets (latency in ms, bandwidth in
// Mbit/s); a symmetric link is two directed links with the same initial values (they drift
// apart afterwards, as ECLYPSE's do). Links() lists links in insertion order. Every mutation
// bumps Version().
//
// # Routing
//
// Route returns the path that is shortest by latency over nodes that are up, with an explicit
// tie-break so that equally short paths never depend on map order: among paths of equal total
// latency (exact float64 equality) the one with the fewest hops wins, and among those the one
// whose node sequence, read as node insertion indices, is lexicographically smallest. Paths
// are computed by a Dijkstra over the insertion-ordered adjacency (one single-source tree per
// source, computed lazily) and cached; the whole cache is invalidated whenever Version
// changes. Tests check the result against a Floyd-Warshall reference and against gonum's
// path.DijkstraFrom run on an order-preserving wrapper of the graph.
//
// A Graph is not safe for concurrent use: Route fills the cache.
//
// # Randomness
//
// Every generator and every Dynamics draws from a *rand.Rand (math/rand/v2) given by the
// caller, in the order documented on each function, so the same stream gives the same graph.
//
// This package imports neither engine nor comm.
package network
