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
// apart afterwards, as ECLYPSE's do). Links() lists links in insertion order, and a link's
// position in it (the index LinkAt takes and Path.LinkIdx holds) never changes; the
// hierarchical generator adds links grouped by source node, the order in which networkx
// lists edges and ECLYPSE exports them. Every mutation bumps Version().
//
// # Routing
//
// Route returns the path networkx's dijkstra_path returns on the same graph, which is the
// path ECLYPSE 0.9.0 takes (its Infrastructure.path runs dijkstra_path over the nodes that
// are up, weight = link latency): the shortest by latency over up nodes, with networkx's
// tie-break. networkx settles nodes from a heap keyed by (distance, push counter), where the
// counter numbers every push of the search; it scans a node's neighbours in the order of its
// adjacency, which is the order its out-links were added (for a node-link file, the order of
// its edges in the file); and it replaces a tentative distance only by a strictly smaller
// one. So among equally short paths the one found first wins, which need not be the one
// with the fewest hops or the smallest nodes. This is the only routing rule; tests check it
// path by path against a transcription of networkx's algorithm and against every path
// ECLYPSE takes on its own seed-22 infrastructure, and check path latencies against a
// Floyd-Warshall reference and gonum's path.DijkstraFrom.
//
// The search from a source stops as soon as the target asked for is settled and resumes
// when a farther one is asked for; networkx fixes a node's path when it settles it, so the
// paths are those of a search run to the end (a test compares them at every pause). Each
// source's search is kept, with the paths already built, until Version changes; its arrays
// are reused by the next search from the same source.
//
// # Layout
//
// Routing reads each node's out-links from a compressed-sparse-row index (a node's links
// contiguous, in insertion order), and cuts them into runs of consecutive target nodes,
// which it scans without reading the targets: the hierarchical generator links a node to
// whole tiers. The structure is shared by a graph and its clones and copied only when one of
// them changes it; link assets are shared until one of them writes them (a drift), so Clone
// costs the node assets only. Link assets are stored as float32 while every value is exactly
// a float32 (the integers of ECLYPSE's generator and dynamics), as float64 from the first
// value that is not. At 10 000 nodes (19.5 million directed links) a generated graph holds
// 234 MB: 4 bytes per link for its target and 8 for its assets.
//
// A Graph is not safe for concurrent use (Route fills its cache); clones are independent
// and may be used from different goroutines.
//
// # Randomness
//
// Every generator and every Dynamics draws from a *rand.Rand (math/rand/v2) given by the
// caller, in the order documented on each function, so the same stream gives the same graph.
//
// This package imports neither engine nor comm.
package network
