// Package report writes the report directory of a run: config.json (every parameter, the
// seeds and the program version) and one table file per kind of entity, with one row per
// step and entity, covering what ECLYPSE reports by default (application, service,
// interaction, infrastructure, node and link metrics) plus the measured traffic.
//
// # Layout
//
//	DIR/config.json              WriteConfig: program, version, report_format, extra, runs
//	DIR/<variant>/steps.csv      one Writer per variant (mpi, rest), see below
//	DIR/<variant>/services.csv
//	DIR/<variant>/interactions.csv
//	DIR/<variant>/application.csv
//	DIR/<variant>/flows.csv
//	DIR/<variant>/nodes.csv
//	DIR/<variant>/links.csv
//	DIR/<variant>/summary.csv    written by Writer.Finish
//
// Every table also carries the variant as its first column, so the files of both variants
// can be concatenated (skipping the second header). With Format JSONL the files end in
// .jsonl and hold one JSON object per row, keys in column order, empty cells as null.
//
// # Encoding
//
// CSV follows RFC 4180 (a field is quoted only when it holds a comma, quote or newline), one
// header line, lines end in "\n". Floats are written by Float: fixed notation rounded to 6
// digits after the point, trailing zeros removed; a missing value (undeployed, no route, no
// sample) is the empty field. Booleans are true/false. Rows of a step follow the order of
// the application (services, interactions, flows) and of the graph (nodes, links), never a
// map's, so the same run writes the same bytes.
//
// # Analytic response time
//
// FlowResponseTime of a flow s0..sk (App().Flows) under placement P on graph G is
//
//	sum_i (processing_time(s_i) + processing_time(P(s_i))) + sum_i latency(G.Route(P(s_i), P(s_i+1)))
//
// with a route latency of 0 between services on the same host; it is missing when a service
// is unplaced or a route fails. ResponseTime is the maximum over flows (missing when any flow
// is). The application table puts it next to the measured workflow latency of the step.
//
// # Tables and columns
//
// steps.csv: one row per step: the run as a whole.
//
//   - variant: SockShop variant (mpi, rest)
//   - step: step number (StepStats.Step, the first step is 0)
//   - time_ms: virtual time at the end of the step
//   - nodes: nodes of the infrastructure
//   - alive_nodes: nodes up after the step's audit, before its dynamics (when ECLYPSE measures)
//   - deployed: whether the application was deployed during the step
//   - placement_changes: services whose host changed at the boundary before the step
//   - completed: workflows completed in the step
//   - failed: workflows failed in the step
//   - latency_mean_ms: mean latency of the workflows completed in the step (empty when none)
//   - latency_p50_ms: median of the same
//   - latency_p95_ms: 95th percentile of the same
//   - latency_p99_ms: 99th percentile of the same
//   - latency_max_ms: maximum of the same
//
// services.csv: one row per step and service, in application order.
//
//   - variant: SockShop variant
//   - step: step number
//   - service: service name
//   - cpu: required cpu
//   - gpu: required gpu
//   - ram: required ram
//   - storage: required storage
//   - availability: required availability
//   - processing_time_ms: processing time of the service
//   - node: host node (empty while undeployed)
//   - node_up: whether the host is up (empty while undeployed)
//
// interactions.csv: one row per step and interaction: the application's interactions in their order, then measured caller -> callee pairs that are not application interactions, in measurement order.
//
//   - variant: SockShop variant
//   - step: step number
//   - from: caller (sender) service
//   - to: callee (receiver) service
//   - max_latency_ms: required maximum path latency (empty for pairs outside the application)
//   - min_bandwidth_mbps: required minimum path bandwidth (empty for pairs outside the application)
//   - path_hops: links on the current route between the two hosts, 0 on the same host (empty when undeployed or no route)
//   - path_latency_ms: latency of that route, sum over its links (empty when undeployed or no route)
//   - path_bandwidth_mbps: bandwidth of that route, minimum over its links (empty when undeployed, no route, or 0 hops: unlimited)
//   - count: messages (MPI) or calls (REST) measured from -> to during the step
//   - mean_latency_ms: their mean latency as measured by the simulation (empty when count is 0)
//
// application.csv: one row per step: analytic response time next to the measured workflow latency.
//
//   - variant: SockShop variant
//   - step: step number
//   - deployed: whether the application was deployed during the step
//   - flows: number of flows of the application
//   - response_time_ms: analytic response time: maximum over flows of the flow response time (see flows); empty when any flow has none
//   - completed: workflows completed in the step
//   - measured_mean_ms: mean measured workflow latency in the step (empty when none)
//   - measured_p95_ms: 95th percentile of the same
//   - measured_max_ms: maximum of the same
//
// flows.csv: one row per step and flow, in application flow order.
//
//   - variant: SockShop variant
//   - step: step number
//   - flow: flow index in the application, from 0
//   - services: the flow's services joined by '>'
//   - response_time_ms: analytic flow response time (empty when a service is undeployed or a route is missing)
//
// nodes.csv: one row per step and node, in graph node order (current assets).
//
//   - variant: SockShop variant
//   - step: step number
//   - node: node id
//   - up: whether the node is up
//   - cpu: cpu capacity
//   - gpu: gpu capacity
//   - ram: ram capacity
//   - storage: storage capacity
//   - availability: availability, 0..1 (0 is down)
//   - processing_time_ms: per-message processing time of the node
//   - services: number of services placed on the node
//
// links.csv: one row per step and directed link, in graph link order (current assets).
//
//   - variant: SockShop variant
//   - step: step number
//   - from: source node
//   - to: target node
//   - latency_ms: link latency
//   - bandwidth_mbps: link bandwidth
//
// summary.csv: one row: the totals of the run (written when the run ends).
//
//   - variant: SockShop variant
//   - workflows: workflows completed
//   - failed: workflows failed
//   - latency_mean_ms: mean workflow latency
//   - latency_p50_ms: median workflow latency
//   - latency_p95_ms: 95th percentile workflow latency
//   - latency_p99_ms: 99th percentile workflow latency
//   - latency_max_ms: maximum workflow latency
//   - messages: messages sent (MPI messages, REST requests and responses)
//   - bytes: bytes sent
//   - lost: messages lost in flight plus late replies discarded
//   - throughput_per_s: workflows completed per virtual second (after the warm-up)
//   - rejected: requests refused by a full CPU queue
package report
