package report

import (
	"fmt"
	"strings"
)

// Table is one file of a report: its base name (without extension) and its columns.
type Table struct {
	Name    string
	Doc     string
	Columns []Column
}

var latencyCols = []Column{
	{"latency_mean_ms", "mean latency of the workflows completed in the step (empty when none)"},
	{"latency_p50_ms", "median of the same"},
	{"latency_p95_ms", "95th percentile of the same"},
	{"latency_p99_ms", "99th percentile of the same"},
	{"latency_max_ms", "maximum of the same"},
}

// The tables of a report, in the order of Tables.
var (
	StepsTable = Table{"steps", "one row per step: the run as a whole", append([]Column{
		{"variant", "SockShop variant (mpi, rest)"},
		{"step", "step number (StepStats.Step, the first step is 0)"},
		{"time_ms", "virtual time at the end of the step"},
		{"nodes", "nodes of the infrastructure"},
		{"alive_nodes", "nodes up after the step's audit, before its dynamics (when ECLYPSE measures)"},
		{"deployed", "whether the application was deployed during the step"},
		{"placement_changes", "services whose host changed at the boundary before the step"},
		{"completed", "workflows completed in the step"},
		{"failed", "workflows failed in the step"},
	}, latencyCols...)}

	ServicesTable = Table{"services", "one row per step and service, in application order", []Column{
		{"variant", "SockShop variant"},
		{"step", "step number"},
		{"service", "service name"},
		{"cpu", "required cpu"},
		{"gpu", "required gpu"},
		{"ram", "required ram"},
		{"storage", "required storage"},
		{"availability", "required availability"},
		{"processing_time_ms", "processing time of the service"},
		{"node", "host node (empty while undeployed)"},
		{"node_up", "whether the host is up (empty while undeployed)"},
	}}

	InteractionsTable = Table{"interactions", "one row per step and interaction: the application's interactions in their order, then measured caller -> callee pairs that are not application interactions, in measurement order", []Column{
		{"variant", "SockShop variant"},
		{"step", "step number"},
		{"from", "caller (sender) service"},
		{"to", "callee (receiver) service"},
		{"max_latency_ms", "required maximum path latency (empty for pairs outside the application)"},
		{"min_bandwidth_mbps", "required minimum path bandwidth (empty for pairs outside the application)"},
		{"path_hops", "links on the current route between the two hosts, 0 on the same host (empty when undeployed or no route)"},
		{"path_latency_ms", "latency of that route, sum over its links (empty when undeployed or no route)"},
		{"path_bandwidth_mbps", "bandwidth of that route, minimum over its links (empty when undeployed, no route, or 0 hops: unlimited)"},
		{"count", "messages (MPI) or calls (REST) measured from -> to during the step"},
		{"mean_latency_ms", "their mean latency as measured by the simulation (empty when count is 0)"},
	}}

	ApplicationTable = Table{"application", "one row per step: analytic response time next to the measured workflow latency", []Column{
		{"variant", "SockShop variant"},
		{"step", "step number"},
		{"deployed", "whether the application was deployed during the step"},
		{"flows", "number of flows of the application"},
		{"response_time_ms", "analytic response time: maximum over flows of the flow response time (see flows); empty when any flow has none"},
		{"completed", "workflows completed in the step"},
		{"measured_mean_ms", "mean measured workflow latency in the step (empty when none)"},
		{"measured_p95_ms", "95th percentile of the same"},
		{"measured_max_ms", "maximum of the same"},
	}}

	FlowsTable = Table{"flows", "one row per step and flow, in application flow order", []Column{
		{"variant", "SockShop variant"},
		{"step", "step number"},
		{"flow", "flow index in the application, from 0"},
		{"services", "the flow's services joined by '>'"},
		{"response_time_ms", "analytic flow response time (empty when a service is undeployed or a route is missing)"},
	}}

	NodesTable = Table{"nodes", "one row per step and node, in graph node order (current assets)", []Column{
		{"variant", "SockShop variant"},
		{"step", "step number"},
		{"node", "node id"},
		{"up", "whether the node is up"},
		{"cpu", "cpu capacity"},
		{"gpu", "gpu capacity"},
		{"ram", "ram capacity"},
		{"storage", "storage capacity"},
		{"availability", "availability, 0..1 (0 is down)"},
		{"processing_time_ms", "per-message processing time of the node"},
		{"services", "number of services placed on the node"},
	}}

	LinksTable = Table{"links", "one row per step and directed link, in graph link order (current assets)", []Column{
		{"variant", "SockShop variant"},
		{"step", "step number"},
		{"from", "source node"},
		{"to", "target node"},
		{"latency_ms", "link latency"},
		{"bandwidth_mbps", "link bandwidth"},
	}}

	SummaryTable = Table{"summary", "one row: the totals of the run (written when the run ends)", append([]Column{
		{"variant", "SockShop variant"},
	}, MetricColumns...)}
)

// MetricColumns are the summary metrics of one run, shared by the report's summary table and
// the sweep's rows. Fill them with MetricCells.
var MetricColumns = []Column{
	{"workflows", "workflows completed"},
	{"failed", "workflows failed"},
	{"latency_mean_ms", "mean workflow latency"},
	{"latency_p50_ms", "median workflow latency"},
	{"latency_p95_ms", "95th percentile workflow latency"},
	{"latency_p99_ms", "99th percentile workflow latency"},
	{"latency_max_ms", "maximum workflow latency"},
	{"messages", "messages sent (MPI messages, REST requests and responses)"},
	{"bytes", "bytes sent"},
	{"lost", "messages lost in flight plus late replies discarded"},
	{"throughput_per_s", "workflows completed per virtual second (after the warm-up)"},
	{"rejected", "requests refused by a full CPU queue"},
}

// Tables are the per-step tables a Writer writes, in file order; SummaryTable is written by
// Finish.
var Tables = []Table{StepsTable, ServicesTable, InteractionsTable, ApplicationTable, FlowsTable, NodesTable, LinksTable}

// Markdown documents every table and column of a report as markdown (the README section).
func Markdown() string {
	var b strings.Builder
	for _, t := range append(Tables[:len(Tables):len(Tables)], SummaryTable) {
		fmt.Fprintf(&b, "#### `%s.csv` — %s\n\n| column | meaning |\n|---|---|\n", t.Name, t.Doc)
		for _, c := range t.Columns {
			fmt.Fprintf(&b, "| `%s` | %s |\n", c.Name, c.Doc)
		}
		b.WriteString("\n")
	}
	return b.String()
}
