// Package flow shares link bandwidth among concurrent transfers, max-min fairly, in virtual
// time: the flow-level network model of SimGrid.
//
// # Model
//
// A transfer (a flow) moves a number of bytes over a path of directed links, crossing all of
// them at once: it is a fluid stream, not a packet forwarded hop by hop. At any instant each
// live transfer has a rate (Mbit/s), and the rates are the max-min fair allocation of the
// links' capacities: no link carries more than its capacity, and no transfer's rate can be
// raised without lowering the rate of another transfer whose rate is no larger. Equivalently,
// every transfer has a bottleneck: a saturated link on its path on which no other transfer
// gets more. A transfer may also carry a cap on its own rate (StartCapped), which acts as a
// private link of that capacity.
//
// The allocation is computed by progressive filling (Bertsekas and Gallager, Data Networks,
// chapter 6, max-min flow control): raise all rates together; when a link saturates, freeze the transfers
// crossing it at their current rate and go on with the rest. Solve is the pure allocation;
// Net runs transfers through it:
//
//   - Rates are recomputed whenever a transfer starts, ends or is aborted, and whenever a
//     link's capacity changes, and only for the connected component of the change: the
//     links and transfers reachable from it through shared links. Max-min fairness
//     decomposes over components, and the solver's arithmetic on a link depends only on its
//     own component (the next link to saturate is chosen in the strict total order (fair
//     share, link id), and a step charges k transfers to a link as one product k*share), so
//     the incremental result is bit-identical to a full re-solve; tests check this against
//     a naive Net that re-solves everything at every event.
//   - A transfer whose rate did not change (as a float64) keeps its state. One whose rate
//     changed first advances its remaining bytes at the old rate, then gets a new completion
//     instant at the new one.
//   - Completion instants are integer nanoseconds: now plus the ceiling of
//     remaining*8000/rate ns (rate Mbit/s is rate/8000 bytes per ns), where a fraction of a
//     nanosecond below min(1e-3, 1e-13 x the duration) is taken for float noise and dropped,
//     so that an exact quotient (8 Mbit over 8 Mbit/s) stays exactly 1 s. The result is at
//     least 1 ns: between rate changes a live transfer always has bytes left in real
//     arithmetic (the last change came before its completion instant), so there is no
//     zero-length step to loop on, and no transfer completes before the first nanosecond
//     at which its bytes have all moved (bar the sub-picosecond snap). Remaining bytes never
//     go negative (a step moves at most what is left).
//   - At its completion instant a transfer is settled: it stops using its links before
//     anything else happens at that instant (a transfer started at that very instant sees
//     the bandwidth free). Its done callback then runs from the Net's one engine timer, after
//     the re-solve, in start order among transfers completing together; callbacks may start
//     or abort transfers.
//   - A transfer of zero bytes, or over no link without a cap, takes no time: it completes
//     at the instant it started, through the same timer (never inside Start).
//
// The Net keeps exactly one engine timer, at the earliest completion instant, re-armed only
// when that instant changes. Memory is proportional to the live transfers and links:
// transfer slots are recycled (a Transfer handle carries a generation, so a stale handle
// never reaches a later transfer). The cost of an event is linear in the size of its
// component (transfers times path length, plus the component's links times log links): a
// few microseconds when components are small, about 0.1 ms per start+finish when 1000
// transfers all share links (see BenchmarkNet).
//
// Link statistics (LinkStats) count bytes carried exactly (each transfer's bytes are credited
// to every link of its path as they move), the time with at least one transfer, and the
// time-average and maximum number of transfers, over a window restarted by ResetStats.
//
// # Source
//
// SimGrid's network model is this fluid model over its LMM (linear max-min) solver: each link
// is a constraint, each communication a variable, and the solver gives every variable the
// max-min fair value; actions progress at those rates until the next one ends, and only
// the constraints touched since the last solve are re-solved (SimGrid's "selective update",
// our component). Velho, Schnorr, Casanova and Legrand, "On the validity of flow-level TCP
// network models for grid and cloud simulations", ACM TOMACS 23(4), 2013, validate it against
// packet-level simulation; Casanova, Giersch, Legrand, Quinson and Suter, "Versatile,
// scalable, and accurate simulation of distributed applications and platforms", JPDC 74(10),
// 2014, describe the solver. We depart from SimGrid's default network model (LV08) in that
// Net charges no latency (the caller adds propagation and processing delays), applies no
// bandwidth factor (SimGrid scales capacities by 0.97 to account for TCP overhead), puts no
// TCP window bound on rates unless the caller gives a cap, charges nothing for
// acknowledgements on reverse links, and rounds completion instants to whole nanoseconds
// with the rule above where SimGrid compares floats to a precision of 1e-5.
//
// # Compared with store-and-forward
//
// The default cost model (comm.Eclypse) charges a message size*8e-6/bandwidth seconds on every
// hop, one after the other, plus latencies and processing, and links are never shared. Here a
// lone transfer takes size*8e-6/min(bandwidth over its path) seconds, whatever the number of
// hops (the message is pipelined), and concurrent transfers slow each other down. On a
// one-hop path and without contention the transmission times agree; on longer paths the
// flow model's is shorter (8 Mbit over 10, 100 and 5 Mbit/s links: 1.6 s here, 2.48 s
// store-and-forward).
package flow
