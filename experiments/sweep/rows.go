package main

import (
	"strconv"
	"strings"

	"github.com/edgesim/edgesim/internal/report"
	"github.com/edgesim/edgesim/sockshop"
)

// paramColumns are the parameters of a run, as written in every row (effective values,
// defaults included). Every column but seed identifies the run's group.
var paramColumns = []report.Column{
	{Name: "variant", Doc: "SockShop variant"},
	{Name: "strategy", Doc: "placement strategy"},
	{Name: "nodes", Doc: "infrastructure size (generator n)"},
	{Name: "partitioning", Doc: "generator tier fractions joined by ':'"},
	{Name: "flap_down", Doc: "probability that an up node goes down at a step"},
	{Name: "flap_up", Doc: "probability that a down node comes back at a step"},
	{Name: "steps", Doc: "steps of the run"},
	{Name: "step_ms", Doc: "step length (virtual ms)"},
	{Name: "model", Doc: "communication cost model"},
	{Name: "think_ms", Doc: "Frontend think time between workflows (virtual ms)"},
	{Name: "timeout_ms", Doc: "workflow/call timeout (virtual ms)"},
	{Name: "decline_prob", Doc: "payment decline probability"},
	{Name: "users", Doc: "closed-loop users (1 with an open loop)"},
	{Name: "rate_per_s", Doc: "open-loop arrival rate (workflows per virtual second; 0: closed loop)"},
	{Name: "service", Doc: "service-time distribution (none: handlers take no time)"},
	{Name: "cpu", Doc: "CPU stations: per service or per node"},
	{Name: "sched", Doc: "CPU scheduling: fcfs or ps"},
	{Name: "links", Doc: "links: free or fair (shared max-min fairly)"},
	{Name: "seed", Doc: "seed of the run"},
}

// header is the sweep file's header: run, runs, the parameters, the metrics, error.
func header() []string {
	h := []string{"run", "runs"}
	for _, c := range paramColumns {
		h = append(h, c.Name)
	}
	for _, c := range report.MetricColumns {
		h = append(h, c.Name)
	}
	return append(h, "error")
}

// Column positions in a row.
var (
	colRun     = 0
	colRuns    = 1
	colParam0  = 2
	colSeed    = colParam0 + len(paramColumns) - 1
	colMetric0 = colParam0 + len(paramColumns)
	colError   = colMetric0 + len(report.MetricColumns)
)

// paramCells are the parameter cells of a config.
func paramCells(c sockshop.Config) []report.Cell {
	return []report.Cell{
		report.Str(c.Variant), report.Str(c.Strategy), report.Int(c.Nodes), report.Str(joinFloats(c.Partitioning)),
		report.Num(c.FlapDown), report.Num(c.FlapUp), report.Int(c.Steps), report.Num(c.StepLength.Milliseconds()),
		report.Str(c.Model), report.Num(c.Workload.Think.Milliseconds()), report.Num(c.Timeout.Milliseconds()),
		report.Num(c.DeclineProb), report.Int(c.Workload.N()), report.Num(c.Workload.Rate), report.Str(c.Load.Service),
		report.Str(c.Load.CPU), report.Str(c.Load.Sched), report.Str(c.Load.Links), report.Uint(c.Seed),
	}
}

// rowLine is the CSV line of run k (0-based) of total: parameters, then metrics (empty on
// error), then the error text on one line.
func rowLine(k, total int, c sockshop.Config, res *sockshop.Result, err error) string {
	cells := []report.Cell{report.Int(k + 1), report.Int(total)}
	cells = append(cells, paramCells(c)...)
	if err != nil || res == nil {
		for range report.MetricColumns {
			cells = append(cells, report.Null())
		}
		msg := "no result"
		if err != nil {
			msg = err.Error()
		}
		cells = append(cells, report.Str(strings.Join(strings.Fields(msg), " ")))
	} else {
		cells = append(cells, report.MetricCells(res)...)
		cells = append(cells, report.Null())
	}
	return report.CSVLine(cells)
}

// record is one parsed row: what summaries and plots read.
type record struct {
	run     int
	fields  []string  // every column, as text
	metrics []float64 // MetricColumns, NaN when empty
	err     string
}

// groupKey is the text of every parameter but the seed.
func (r record) groupKey() string {
	return strings.Join(r.fields[colParam0:colSeed], "\x00")
}

func parseRecord(fields []string) (record, bool) {
	if len(fields) != len(header()) {
		return record{}, false
	}
	run, err := strconv.Atoi(fields[colRun])
	if err != nil {
		return record{}, false
	}
	r := record{run: run, fields: fields, err: fields[colError]}
	for i := range report.MetricColumns {
		v, err := strconv.ParseFloat(fields[colMetric0+i], 64)
		if err != nil {
			v = nan
		}
		r.metrics = append(r.metrics, v)
	}
	return r, true
}
