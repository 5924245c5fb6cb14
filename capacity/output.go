package capacity

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/edgesim/edgesim/internal/tables"
	"github.com/edgesim/edgesim/network"
)

// Formats are the output formats Write accepts.
var Formats = []string{"table", "markdown", "csv", "json"}

// loadHeader is the name of the load column.
func (k Kind) loadHeader() string {
	if k == Users {
		return "users"
	}
	return "rate_per_s"
}

// Columns are the columns of every row, after the load column (and, in CSV, after variant,
// strategy and the load). slo is "ok" when the row meets the SLO, "miss" otherwise; mark
// names the row that is the saturation point ("saturation") and the row that is the highest
// load meeting the SLO ("slo-max"), space-separated when both.
var Columns = []string{"workflows", "failed", "rejected", "throughput_per_s", "mean_ms", "p50_ms", "p95_ms", "p99_ms", "busiest", "utilisation", "slo", "mark"}

func f3(v float64) string { return strconv.FormatFloat(v, 'f', 3, 64) }

// cells are row i of g in Columns order, after the load.
func (r *Report) cells(g Group, i int) []string {
	row := g.Rows[i]
	busiest := row.Busiest
	if busiest == "" {
		busiest = "-"
	}
	slo := "miss"
	if ok, _ := r.Spec.SLO.Check(row); ok {
		slo = "ok"
	}
	var mark []string
	if i == g.Saturation.Index {
		mark = append(mark, "saturation")
	}
	if i == g.SLO.Index {
		mark = append(mark, "slo-max")
	}
	l := row.Latency
	return []string{loadCell(row.Load), strconv.Itoa(row.Workflows), strconv.Itoa(row.Failed), strconv.Itoa(row.Rejected),
		f3(row.ThroughputPerS), ms3(l.Mean), ms3(l.P50), ms3(l.P95), ms3(l.P99), busiest, f3(row.Utilisation), slo, strings.Join(mark, " ")}
}

// Write writes the report in format (Formats): table and markdown print per group a title,
// its rows and its summary line, then one line with every setting; csv prints one table of
// every row with the group in its first columns; json prints one object (see jsonReport).
func (r *Report) Write(w io.Writer, format string) error {
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(r.toJSON())
	case "csv":
		// With an App, a first column names it (SockShop's CSV keeps its columns).
		var lead []string
		if r.Spec.App != nil {
			lead = []string{r.Spec.AppName()}
		}
		header := append([]string{"variant", "strategy", r.Spec.Kind.loadHeader()}, Columns...)
		if lead != nil {
			header = append([]string{"app"}, header...)
		}
		var rows [][]string
		for _, g := range r.Groups {
			for i := range g.Rows {
				rows = append(rows, append(append(slices.Clone(lead), g.Variant, g.Strategy), r.cells(g, i)...))
			}
		}
		return tables.Render(w, "csv", header, rows)
	case "table", "markdown":
	default:
		return fmt.Errorf("capacity: unknown format %q (valid: %s)", format, strings.Join(Formats, ", "))
	}
	header := append([]string{r.Spec.Kind.loadHeader()}, Columns...)
	for _, g := range r.Groups {
		title := fmt.Sprintf("%s%s, placement %s (latency in virtual ms)", r.Spec.appPrefix(), g.Variant, g.Strategy)
		if format == "markdown" {
			title = "### " + title + "\n"
		}
		if _, err := fmt.Fprintln(w, title); err != nil {
			return err
		}
		rows := make([][]string, len(g.Rows))
		for i := range g.Rows {
			rows[i] = r.cells(g, i)
		}
		if err := tables.Render(w, format, header, rows); err != nil {
			return err
		}
		if _, err := fmt.Fprintf(w, "\n%s\n\n", r.Summary(g)); err != nil {
			return err
		}
	}
	_, err := fmt.Fprintln(w, r.Settings())
	return err
}

// Settings is one line with every parameter of the study.
func (r *Report) Settings() string {
	s := &r.Spec
	c := s.Base
	var b strings.Builder
	if s.App != nil {
		fmt.Fprintf(&b, "application %s", s.AppName())
		if s.AppFile != "" {
			fmt.Fprintf(&b, " (%s)", s.AppFile)
		}
		b.WriteString("; ")
	}
	fmt.Fprintf(&b, "seed %d; ", c.Seed)
	if c.Infra != nil {
		fmt.Fprintf(&b, "infrastructure %s (%d nodes); ", c.InfraFile, len(c.Infra.Nodes()))
	} else {
		fmt.Fprintf(&b, "infrastructure hierarchical n=%d partitioning %s; ", c.Nodes, network.FormatPartitioning(c.Partitioning, ","))
	}
	fmt.Fprintf(&b, "model %s; %d steps x %v", c.Model, c.Steps, c.StepLength)
	if c.Dynamics {
		fmt.Fprintf(&b, "; dynamics on (flap down %g up %g, drift)", c.FlapDown, c.FlapUp)
	} else {
		b.WriteString("; dynamics off")
	}
	wl := c.Workload
	if s.Kind == Users {
		fmt.Fprintf(&b, "; closed loop, think %v (%s)", wl.Think, or(wl.ThinkDist, "const"))
	} else {
		fmt.Fprintf(&b, "; open loop, %s arrivals", or(wl.Arrivals, "poisson"))
	}
	fmt.Fprintf(&b, "; warm-up %v; timeout %v; service %s; cpu %s; sched %s; links %s; queue %d",
		wl.Warmup, c.Timeout, or(c.Load.Service, "none"), or(c.Load.CPU, "service"), or(c.Load.Sched, "fcfs"), or(c.Load.Links, "free"), c.Load.Limit())
	fmt.Fprintf(&b, "; SLO %s and no request rejected", s.SLO)
	return b.String()
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// jsonReport is the -format json document.
type jsonReport struct {
	Config jsonConfig  `json:"config"`
	Groups []jsonGroup `json:"groups"`
}

type jsonConfig struct {
	// App and AppFile name the application of a Spec with an App (absent for SockShop,
	// whose document reads as it always did).
	App          string    `json:"app,omitempty"`
	AppFile      string    `json:"app_file,omitempty"`
	Seed         uint64    `json:"seed"`
	Steps        int       `json:"steps"`
	StepMS       float64   `json:"step_ms"`
	Nodes        int       `json:"nodes"`
	Partitioning []float64 `json:"partitioning"`
	Infra        string    `json:"infra"`
	Dynamics     bool      `json:"dynamics"`
	FlapDown     float64   `json:"flap_down"`
	FlapUp       float64   `json:"flap_up"`
	Model        string    `json:"model"`
	TimeoutMS    float64   `json:"timeout_ms"`
	ThinkMS      float64   `json:"think_ms"`
	ThinkDist    string    `json:"think_dist,omitempty"` // closed loop only
	Arrivals     string    `json:"arrivals,omitempty"`   // open loop only
	WarmupMS     float64   `json:"warmup_ms"`
	Service      string    `json:"service"`
	CPU          string    `json:"cpu"`
	Sched        string    `json:"sched"`
	Links        string    `json:"links"`
	QueueLimit   int       `json:"queue_limit"`
	Variants     []string  `json:"variants"`
	Strategies   []string  `json:"strategies"`
	LoadKind     Kind      `json:"load_kind"`
	Loads        []float64 `json:"loads"`
	SLO          string    `json:"slo"`
}

type jsonRow struct {
	Load           float64     `json:"load"`
	Workflows      int         `json:"workflows"`
	Failed         int         `json:"failed"`
	Rejected       int         `json:"rejected"`
	ThroughputPerS float64     `json:"throughput_per_s"`
	LatencyMS      jsonLatency `json:"latency_ms"`
	Busiest        string      `json:"busiest"`
	Utilisation    float64     `json:"utilisation"`
	Saturated      []string    `json:"saturated_stations"`
	MeetsSLO       bool        `json:"meets_slo"`
}

type jsonLatency struct {
	Mean float64 `json:"mean"`
	P50  float64 `json:"p50"`
	P95  float64 `json:"p95"`
	P99  float64 `json:"p99"`
	Max  float64 `json:"max"`
}

type jsonPoint struct {
	Load   float64 `json:"load"`
	Reason string  `json:"reason"`
}

type jsonGroup struct {
	Variant  string    `json:"variant"`
	Strategy string    `json:"strategy"`
	Rows     []jsonRow `json:"rows"`
	// Saturation is the saturation point, null when no row saturates.
	Saturation *jsonPoint `json:"saturation"`
	// SLOMaxLoad is the highest load meeting the SLO, null when the lowest misses it.
	SLOMaxLoad *float64 `json:"slo_max_load"`
	// SLOMiss is the first row missing the SLO, null when every row meets it.
	SLOMiss        *jsonPoint `json:"slo_miss"`
	PeakLoad       float64    `json:"peak_load"`
	PeakThroughput float64    `json:"peak_throughput_per_s"`
}

// round3 keeps three decimals, so JSON shows the same digits as the tables.
func round3(v float64) float64 {
	r, _ := strconv.ParseFloat(f3(v), 64)
	return r
}

func (r *Report) toJSON() jsonReport {
	s := &r.Spec
	c := s.Base
	infra := "hierarchical"
	nodes := c.Nodes
	if c.Infra != nil {
		infra, nodes = c.InfraFile, len(c.Infra.Nodes())
	}
	wl := c.Workload
	out := jsonReport{Config: jsonConfig{
		AppFile: s.AppFile,
		Seed:    c.Seed, Steps: c.Steps, StepMS: c.StepLength.Milliseconds(), Nodes: nodes,
		Partitioning: c.Partitioning, Infra: infra, Dynamics: c.Dynamics, FlapDown: c.FlapDown, FlapUp: c.FlapUp,
		Model: c.Model, TimeoutMS: c.Timeout.Milliseconds(), ThinkMS: wl.Think.Milliseconds(), WarmupMS: wl.Warmup.Milliseconds(),
		Service: or(c.Load.Service, "none"), CPU: or(c.Load.CPU, "service"), Sched: or(c.Load.Sched, "fcfs"),
		Links: or(c.Load.Links, "free"), QueueLimit: c.Load.Limit(),
		Variants: s.Variants, Strategies: s.Strategies, LoadKind: s.Kind, Loads: s.Loads, SLO: s.SLO.String(),
	}, Groups: []jsonGroup{}}
	if s.App != nil {
		out.Config.App = s.AppName()
	}
	if s.Kind == Users {
		out.Config.ThinkDist = or(wl.ThinkDist, "const")
	} else {
		out.Config.Arrivals = or(wl.Arrivals, "poisson")
	}
	if out.Config.Partitioning == nil {
		out.Config.Partitioning = []float64{}
	}
	for _, g := range r.Groups {
		jg := jsonGroup{Variant: g.Variant, Strategy: g.Strategy, Rows: []jsonRow{}}
		for _, row := range g.Rows {
			ok, _ := s.SLO.Check(row)
			l := row.Latency
			jg.Rows = append(jg.Rows, jsonRow{Load: row.Load, Workflows: row.Workflows, Failed: row.Failed, Rejected: row.Rejected,
				ThroughputPerS: round3(row.ThroughputPerS),
				LatencyMS:      jsonLatency{round3(l.Mean), round3(l.P50), round3(l.P95), round3(l.P99), round3(l.Max)},
				Busiest:        row.Busiest, Utilisation: round3(row.Utilisation), Saturated: append([]string{}, row.Saturated...), MeetsSLO: ok})
		}
		if i := g.Saturation.Index; i >= 0 {
			jg.Saturation = &jsonPoint{Load: g.Rows[i].Load, Reason: g.Saturation.Reason}
		}
		if i := g.SLO.Index; i >= 0 {
			jg.SLOMaxLoad = &g.Rows[i].Load
		}
		if i := g.SLO.Miss; i >= 0 {
			jg.SLOMiss = &jsonPoint{Load: g.Rows[i].Load, Reason: g.SLO.Reason}
		}
		if g.Peak >= 0 {
			jg.PeakLoad, jg.PeakThroughput = g.Rows[g.Peak].Load, round3(g.Rows[g.Peak].ThroughputPerS)
		}
		out.Groups = append(out.Groups, jg)
	}
	return out
}
