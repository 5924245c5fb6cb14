package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/edgesim/edgesim/internal/cli"
	"github.com/edgesim/edgesim/internal/plots"
	"github.com/edgesim/edgesim/internal/report"
	"github.com/edgesim/edgesim/internal/tables"
	"github.com/edgesim/edgesim/network"
	"github.com/edgesim/edgesim/placement"
	"github.com/edgesim/edgesim/scenario"
	"github.com/edgesim/edgesim/sockshop"
)

// run is the command, testable: it returns the exit code (0 ok, 1 the run or an output
// failed, 2 a bad flag, value or input file).
func run(args []string, stdout, stderr io.Writer) int {
	o, err := parse(args, stderr)
	if err == nil {
		err = execute(o, stdout)
	}
	return cli.Report(stderr, "compare", err)
}

// execute opens every output, runs the variants, prints the results and puts the outputs in
// place. The outputs are written to temporary files first: a failure leaves none half
// written.
func execute(o *options, stdout io.Writer) error {
	var dir *cli.ReportDir
	if o.out != "" {
		var err error
		if dir, err = cli.PrepareReportDir("-out", o.out, "compare", knownReportFile); err != nil {
			return err
		}
		defer dir.Abort()
	}
	var cdf *cli.Output
	if o.cdf != "" {
		var err error
		if cdf, err = cli.CreateOutput("-cdf", o.cdf); err != nil {
			return err
		}
		defer cdf.Abort()
	}
	// Each variant generates the same infrastructure from the seed's "infrastructure" stream
	// (0.4 s at 10 000 nodes) rather than cloning one kept here: a pristine copy kept beside a
	// run's drifting one would cost about 70 MB more at 10 000 nodes.
	var opts []report.Option
	if o.linkRows {
		opts = append(opts, report.LinkRows())
	}
	progress := newProgress(o)
	defer progress.done()
	results := make([]*sockshop.Result, 0, len(o.variants))
	for _, v := range o.variants {
		cfg := o.cfg
		cfg.Variant = v
		cfg.Observer = progress.observer(v)
		if o.apps != nil {
			var rs []*sockshop.Result
			var err error
			if dir != nil {
				rs, err = report.RunApps(o.runApps, len(o.apps), cfg, dir.Tmp, o.report, opts...)
			} else {
				rs, err = o.runApps(cfg)
			}
			if err != nil {
				return err
			}
			results = append(results, rs...)
			continue
		}
		var res *sockshop.Result
		var err error
		if dir != nil {
			res, err = report.Run(o.runner(), cfg, dir.Tmp, o.report, opts...)
		} else {
			res, err = o.runner()(cfg)
		}
		if err != nil {
			return err
		}
		results = append(results, res)
	}
	if err := write(stdout, o, results); err != nil {
		return fmt.Errorf("write: %w", err)
	}
	if dir != nil {
		if err := writeDir(dir.Tmp, o, results); err != nil {
			return err
		}
		if err := dir.Commit(); err != nil {
			return err
		}
	}
	if cdf != nil {
		series := make([]plots.Series, len(results))
		for i, r := range results {
			series[i] = plots.Series{Name: label(results, r), Values: r.LatenciesMS}
		}
		p, err := plots.LatencyCDFPlot(series)
		if err == nil {
			err = plots.Render(p, mustFormat(o.cdf), cdf)
		}
		if err != nil {
			return fmt.Errorf("-cdf %s: %w", o.cdf, err)
		}
		if err := cdf.Commit(); err != nil {
			return err
		}
	}
	return nil
}

// runner runs one variant: SockShop, or the application of -app (the run's scenario, with
// SockShop's configuration type carrying it; its decline probability is not used).
func (o *options) runner() func(sockshop.Config) (*sockshop.Result, error) {
	if o.app == nil {
		return sockshop.Run
	}
	return func(c sockshop.Config) (*sockshop.Result, error) {
		res, err := scenario.Run(c.Config, o.app)
		if err != nil {
			return nil, err
		}
		return &sockshop.Result{Result: *res, Config: c}, nil
	}
}

// runApps runs every application of -app at once in one variant.
func (o *options) runApps(c sockshop.Config) ([]*sockshop.Result, error) {
	rs, err := scenario.RunApps(c.Config, o.apps)
	if err != nil {
		return nil, err
	}
	out := make([]*sockshop.Result, len(rs))
	for i, r := range rs {
		out[i] = &sockshop.Result{Result: *r, Config: c}
	}
	return out, nil
}

// plotFormat is the figure format of -cdf's file name.
func plotFormat(path string) (string, error) {
	f, err := plots.FormatOf(path)
	if err != nil {
		return "", cli.Usagef("-cdf %s: want a file name ending in .svg or .png", path)
	}
	return f, nil
}

func mustFormat(path string) string { f, _ := plots.FormatOf(path); return f }

// write prints the results in the chosen format.
func write(w io.Writer, o *options, results []*sockshop.Result) error {
	switch o.format {
	case "json":
		return writeJSON(w, o, results)
	case "csv":
		for i, t := range []struct {
			h    []string
			rows func(*sockshop.Result) [][]string
		}{
			{summaryHeader, summaryRows("")},
			{interactionLongHeader, interactionLongRows},
			{throughputHeader, throughputRows("")},
			{stationHeader, nil},
		} {
			if i > 0 {
				fmt.Fprintln(w)
			}
			h, rows := stationTable(o, results)
			if t.rows != nil {
				h, rows = tableOf(results, t.h, t.rows)
			}
			if err := tables.Render(w, "csv", h, rows); err != nil {
				return err
			}
		}
		return nil
	}
	md := o.format == "markdown"
	title := func(s string) {
		if md {
			fmt.Fprintf(w, "### %s\n\n", s)
		} else {
			fmt.Fprintf(w, "%s\n", s)
		}
	}
	title("Workflows per variant (latency in virtual ms)")
	if err := render(w, o.format, results, summaryHeader, summaryRows("-")); err != nil {
		return err
	}
	fmt.Fprintln(w)
	title("Interactions, caller -> callee (MPI: one message; REST: request to response)")
	h, rows := interactionWideRows(o, results)
	if err := tables.Render(w, o.format, h, rows); err != nil {
		return err
	}
	fmt.Fprintln(w)
	if loadOn(o.cfg) {
		title("Throughput (completed workflows per virtual second after the warm-up) and where the time goes (mean ms per completed workflow)")
		if err := render(w, o.format, results, throughputHeader, throughputRows("-")); err != nil {
			return err
		}
		fmt.Fprintln(w)
		if h, rows := stationTable(o, results); len(rows) > 0 {
			title("CPU stations (utilisation, time-average jobs and jobs waiting, mean wait and response)")
			if err := tables.Render(w, o.format, h, rows); err != nil {
				return err
			}
			fmt.Fprintln(w)
		}
	}
	for _, r := range results {
		fmt.Fprintln(w, deployment(results, r))
	}
	fmt.Fprintln(w, settings(o, results))
	return nil
}

// multiApp reports whether the results are of several applications: then every table has
// an app column first, and every line names the application.
func multiApp(results []*sockshop.Result) bool {
	for _, r := range results {
		if r.Application != results[0].Application {
			return true
		}
	}
	return false
}

// label names a result in lines and plots: its variant, and its application when there are
// several.
func label(results []*sockshop.Result, r *sockshop.Result) string {
	if multiApp(results) {
		return r.Variant + " " + r.Application
	}
	return r.Variant
}

// tableOf builds a table of the results: rows(r) are r's rows. With several applications the
// table has an app column first.
func tableOf(results []*sockshop.Result, header []string, rows func(r *sockshop.Result) [][]string) ([]string, [][]string) {
	multi := multiApp(results)
	if multi {
		header = append([]string{"app"}, header...)
	}
	var out [][]string
	for _, r := range results {
		for _, row := range rows(r) {
			if multi {
				row = append([]string{r.Application}, row...)
			}
			out = append(out, row)
		}
	}
	return header, out
}

// render writes a table of the results (tableOf) in format.
func render(w io.Writer, format string, results []*sockshop.Result, header []string, rows func(r *sockshop.Result) [][]string) error {
	h, body := tableOf(results, header, rows)
	return tables.Render(w, format, h, body)
}

// deployment is one line per variant on how long the application ran and what went wrong.
func deployment(results []*sockshop.Result, r *sockshop.Result) string {
	line := fmt.Sprintf("%s: deployed in %d of %d steps (%d placements, %d undeployed by the audit); %d sends refused at once, %d messages lost in flight, %d late replies discarded",
		label(results, r), r.DeployedSteps, r.StepsRun, r.Placements, r.Undeploys, r.Unreachable, r.LostInFlight, r.Discarded)
	if r.DeployedSteps == 0 && len(r.LastProblems) > 0 {
		const most = 3
		probs := r.LastProblems
		more := ""
		if len(probs) > most {
			more = fmt.Sprintf(" (and %d more)", len(probs)-most)
			probs = probs[:most]
		}
		found := "the last audit found"
		if multiApp(results) {
			found += " (on what the other applications leave)"
		}
		line += "; never deployed, " + found + ": " + strings.Join(probs, "; ") + more
	}
	return line
}

var summaryHeader = []string{"variant", "workflows", "failed", "mean_ms", "p50_ms", "p95_ms", "p99_ms", "max_ms", "messages", "bytes", "lost"}

func ms(v float64) string { return strconv.FormatFloat(v, 'f', 3, 64) }

// summaryRows are r's row of the summary table. A latency of a variant that completed no
// workflow has no value: the cell holds none (the empty string in CSV, "-" in the tables for
// people), never 0.000.
func summaryRows(none string) func(r *sockshop.Result) [][]string {
	return func(r *sockshop.Result) [][]string {
		l := r.Latency
		lat := []string{none, none, none, none, none}
		if r.Workflows > 0 {
			lat = []string{ms(l.Mean), ms(l.P50), ms(l.P95), ms(l.P99), ms(l.Max)}
		}
		row := append([]string{r.Variant, strconv.Itoa(r.Workflows), strconv.Itoa(r.Failed)}, lat...)
		return [][]string{append(row, strconv.Itoa(r.Messages), strconv.Itoa(r.Bytes), strconv.Itoa(r.Lost))}
	}
}

var interactionLongHeader = []string{"variant", "from", "to", "count", "mean_ms", "late", "network_ms", "queue_ms", "service_ms"}

// interactionLongRows: per pair the count and mean latency, the late REST responses, and the
// mean network, queueing and service time per sample.
func interactionLongRows(r *sockshop.Result) [][]string {
	var rows [][]string
	for _, in := range r.Interactions {
		rows = append(rows, []string{r.Variant, in.From, in.To, strconv.Itoa(in.Count), ms(in.MeanMS), strconv.Itoa(in.Late),
			ms(perSample(in.NetworkMS, in.Count)), ms(perSample(in.QueueMS, in.Count)), ms(perSample(in.ServiceMS, in.Count))})
	}
	return rows
}

func perSample(sum float64, n int) float64 {
	if n == 0 {
		return 0
	}
	return sum / float64(n)
}

// interactionWideRows puts the variants side by side, one row per pair in application
// interaction order (pairs a variant never used show "-"); with several applications, one
// row per application and pair, the applications in their order.
func interactionWideRows(o *options, results []*sockshop.Result) ([]string, [][]string) {
	multi := multiApp(results)
	h := []string{"from", "to"}
	if multi {
		h = append([]string{"app"}, h...)
	}
	var variants []string
	for _, r := range results {
		if !slices.Contains(variants, r.Variant) {
			variants = append(variants, r.Variant)
			h = append(h, r.Variant+"_count", r.Variant+"_mean_ms")
		}
	}
	type key struct{ app, from, to string }
	var order []key
	seen := map[key]bool{}
	add := func(k key) {
		if !seen[k] {
			seen[k] = true
			order = append(order, k)
		}
	}
	graphs := []*placement.Application{o.appGraph}
	names := []string{results[0].Application}
	if multi {
		graphs, names = nil, nil
		for _, m := range o.apps {
			graphs, names = append(graphs, m.App.Spec()), append(names, m.Name)
		}
	}
	for i, g := range graphs {
		for _, in := range g.Interactions {
			add(key{names[i], in.From, in.To})
		}
		for _, r := range results {
			if r.Application == names[i] {
				for _, in := range r.Interactions {
					add(key{names[i], in.From, in.To})
				}
			}
		}
	}
	var rows [][]string
	for _, k := range order {
		row := []string{k.from, k.to}
		if multi {
			row = append([]string{k.app}, row...)
		}
		any := false
		for _, v := range variants {
			c, m := "-", "-"
			for _, r := range results {
				if r.Variant != v || r.Application != k.app {
					continue
				}
				for _, in := range r.Interactions {
					if in.From == k.from && in.To == k.to {
						c, m, any = strconv.Itoa(in.Count), ms(in.MeanMS), true
					}
				}
			}
			row = append(row, c, m)
		}
		if any {
			rows = append(rows, row)
		}
	}
	return h, rows
}

// settings is the one line that says how the numbers were made.
func settings(o *options, results []*sockshop.Result) string {
	c := o.cfg
	var b strings.Builder
	switch {
	case o.apps != nil:
		b.WriteString("applications ")
		own := 0
		for i, m := range o.apps {
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "%s (%s", m.Name, o.appFiles[i])
			if m.Workload != nil {
				fmt.Fprintf(&b, ", %s", workloadText(*m.Workload))
				own++
			}
			b.WriteString(")")
		}
		switch own {
		case len(o.apps):
			b.WriteString(", each with its own workload")
		case 0:
			b.WriteString(", each with the workload below")
		default:
			b.WriteString(", the others each with the workload below")
		}
		b.WriteString(", placed in this order; ")
	case o.app != nil:
		fmt.Fprintf(&b, "application %s (%s); ", o.appGraph.Name, o.appFile)
	}
	fmt.Fprintf(&b, "seed %d; ", c.Seed)
	if c.Infra != nil {
		fmt.Fprintf(&b, "infrastructure %s (%d nodes); ", c.InfraFile, len(c.Infra.Nodes()))
	} else {
		fmt.Fprintf(&b, "infrastructure hierarchical n=%d partitioning %s; ", c.Nodes, network.FormatPartitioning(c.Partitioning, ","))
	}
	fmt.Fprintf(&b, "placement %s", c.Strategy)
	switch {
	case o.apps != nil:
		// The first variant's first placement of each application.
		var firsts []string
		for i, m := range o.apps {
			if i < len(results) && len(results[i].FirstPlacement) > 0 {
				firsts = append(firsts, m.Name+": "+formatPlacement(m.App.Spec(), results[i].FirstPlacement))
			}
		}
		if len(firsts) > 0 {
			fmt.Fprintf(&b, " (first: %s)", strings.Join(firsts, "; "))
		}
	case len(results) > 0 && len(results[0].FirstPlacement) > 0:
		fmt.Fprintf(&b, " (first: %s)", formatPlacement(o.appGraph, results[0].FirstPlacement))
	}
	fmt.Fprintf(&b, "; model %s, sizes %s; %d steps x %v", c.Model, c.Size, c.Steps, o.step)
	if c.Dynamics {
		fmt.Fprintf(&b, "; dynamics on (flap down %g up %g, drift)", c.FlapDown, c.FlapUp)
	} else {
		b.WriteString("; dynamics off")
	}
	for _, out := range c.Outages {
		fmt.Fprintf(&b, "; outage %s at %v", out.Node, time.Duration(out.At))
		if out.For > 0 {
			fmt.Fprintf(&b, " for %v", time.Duration(out.For))
		}
	}
	fmt.Fprintf(&b, "; think %v; timeout %v; decline %g", o.think, o.timeout, c.DeclineProb)
	if loadOn(c) {
		b.WriteString("; " + loadSettings(c))
	}
	if len(results) > 1 {
		b.WriteString("; both variants on the same infrastructure, dynamics and placement (ECLYPSE runs REST on another partitioning)")
	}
	return b.String()
}

func formatPlacement(app *placement.Application, hosts []string) string {
	parts := make([]string, len(hosts))
	for i, h := range hosts {
		parts[i] = strings.TrimSuffix(app.Services[i].Name, "Service") + "=" + h
	}
	return strings.Join(parts, " ")
}

// jsonOutput is the -format json document; other tools rely on exactly these fields.
type jsonOutput struct {
	Config   jsonConfig    `json:"config"`
	Variants []jsonVariant `json:"variants"`
}

type jsonConfig struct {
	Seed         uint64            `json:"seed"`
	Steps        int               `json:"steps"`
	StepMS       float64           `json:"step_ms"`
	Nodes        int               `json:"nodes"`
	Partitioning []float64         `json:"partitioning"`
	Infra        string            `json:"infra"`
	Strategy     string            `json:"strategy"`
	Place        map[string]string `json:"place"`
	Dynamics     bool              `json:"dynamics"`
	FlapDown     float64           `json:"flap_down"`
	FlapUp       float64           `json:"flap_up"`
	Model        string            `json:"model"`
	Size         string            `json:"size"`
	App          string            `json:"app,omitempty"`  // the -app spec file; absent: SockShop
	Apps         []string          `json:"apps,omitempty"` // with several -app: every file, in order
	ThinkMS      float64           `json:"think_ms"`
	TimeoutMS    float64           `json:"timeout_ms"`
	DeclineProb  float64           `json:"decline_prob"`
	Variants     []string          `json:"variants"`
	Outages      []jsonOutage      `json:"outages"`
	Users        int               `json:"users"`
	ThinkDist    string            `json:"think_dist"`
	RatePerS     float64           `json:"rate_per_s"`
	Arrivals     string            `json:"arrivals"`
	WarmupMS     float64           `json:"warmup_ms"`
	Service      string            `json:"service"`
	CPU          string            `json:"cpu"`
	Sched        string            `json:"sched"`
	Links        string            `json:"links"`
	Queue        int               `json:"queue"`
}

type jsonOutage struct {
	Node  string  `json:"node"`
	AtMS  float64 `json:"at_ms"`
	ForMS float64 `json:"for_ms"`
}

type jsonVariant struct {
	Variant      string            `json:"variant"`
	App          string            `json:"app,omitempty"` // with several applications: which one
	Workflows    int               `json:"workflows"`
	Failed       int               `json:"failed"`
	LatencyMS    jsonLatency       `json:"latency_ms"`
	Messages     int               `json:"messages"`
	Bytes        int               `json:"bytes"`
	Lost         int               `json:"lost"`
	Interactions []jsonInteraction `json:"interactions"`
	jsonLoad
}

// jsonLatency is the latency summary of a variant in ms; every field is null when no
// workflow completed.
type jsonLatency struct {
	Mean *float64 `json:"mean"`
	P50  *float64 `json:"p50"`
	P95  *float64 `json:"p95"`
	P99  *float64 `json:"p99"`
	Max  *float64 `json:"max"`
}

func latencyJSON(r *sockshop.Result) jsonLatency {
	if r.Workflows == 0 {
		return jsonLatency{}
	}
	p := func(v float64) *float64 { v = round3(v); return &v }
	l := r.Latency
	return jsonLatency{p(l.Mean), p(l.P50), p(l.P95), p(l.P99), p(l.Max)}
}

type jsonInteraction struct {
	From      string  `json:"from"`
	To        string  `json:"to"`
	Count     int     `json:"count"`
	MeanMS    float64 `json:"mean_ms"`
	Late      int     `json:"late"`
	NetworkMS float64 `json:"network_ms"` // means per sample
	QueueMS   float64 `json:"queue_ms"`
	ServiceMS float64 `json:"service_ms"`
}

// round3 keeps three decimals (a microsecond, in ms), so JSON shows the same digits as the
// tables.
func round3(v float64) float64 {
	r, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'f', 3, 64), 64)
	return r
}

func toJSON(o *options, results []*sockshop.Result) jsonOutput {
	c := o.cfg
	infra := "hierarchical"
	if c.Infra != nil {
		infra = c.InfraFile
	}
	out := jsonOutput{Config: jsonConfig{
		Seed: c.Seed, Steps: c.Steps, StepMS: c.StepLength.Milliseconds(), Nodes: c.Nodes,
		Partitioning: c.Partitioning, Infra: infra, Strategy: c.Strategy, Place: c.Static,
		Dynamics: c.Dynamics, FlapDown: c.FlapDown, FlapUp: c.FlapUp, Model: c.Model, Size: c.Size, App: o.appFile,
		ThinkMS: c.Workload.Think.Milliseconds(), TimeoutMS: c.Timeout.Milliseconds(),
		DeclineProb: c.DeclineProb, Variants: o.variants,
		Users: c.Workload.N(), ThinkDist: c.Workload.ThinkDist, RatePerS: c.Workload.Rate, Arrivals: c.Workload.Arrivals,
		WarmupMS: c.Workload.Warmup.Milliseconds(), Service: c.Load.Service, CPU: c.Load.CPU, Sched: c.Load.Sched,
		Links: c.Load.Links, Queue: c.Load.Limit(),
	}, Variants: []jsonVariant{}}
	if c.Infra != nil {
		out.Config.Nodes = len(c.Infra.Nodes())
	}
	out.Config.Outages = []jsonOutage{}
	for _, o := range c.Outages {
		out.Config.Outages = append(out.Config.Outages, jsonOutage{o.Node, o.At.Milliseconds(), o.For.Milliseconds()})
	}
	if o.apps != nil {
		out.Config.Apps = o.appFiles
	}
	multi := multiApp(results)
	for _, r := range results {
		v := jsonVariant{Variant: r.Variant, Workflows: r.Workflows, Failed: r.Failed, LatencyMS: latencyJSON(r),
			Messages: r.Messages, Bytes: r.Bytes, Lost: r.Lost, Interactions: []jsonInteraction{}, jsonLoad: toJSONLoad(r)}
		for _, in := range r.Interactions {
			v.Interactions = append(v.Interactions, jsonInteraction{in.From, in.To, in.Count, round3(in.MeanMS), in.Late,
				round3(perSample(in.NetworkMS, in.Count)), round3(perSample(in.QueueMS, in.Count)), round3(perSample(in.ServiceMS, in.Count))})
		}
		if multi {
			v.App = r.Application
		}
		out.Variants = append(out.Variants, v)
	}
	return out
}

func writeJSON(w io.Writer, o *options, results []*sockshop.Result) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(toJSON(o, results))
}

// reportFiles are the files compare writes at the top of a report directory (the variants'
// directories hold the tables of internal/report).
var reportFiles = []string{"config.json", "summary.csv", "interactions.csv", "compare.json"}

// knownReportFile says whether rel is a name compare writes in a report directory: one of
// reportFiles or a name of internal/report (a variant's directory and tables). Only a
// directory holding nothing else is replaced by a new report.
func knownReportFile(rel string, isDir bool) bool {
	return (!isDir && slices.Contains(reportFiles, rel)) || report.IsReportFile(rel, isDir)
}

// writeDir writes the results as files into dir (the temporary report directory).
func writeDir(dir string, o *options, results []*sockshop.Result) error {
	files := []struct {
		name  string
		write func(io.Writer) error
	}{
		{"summary.csv", func(w io.Writer) error { return render(w, "csv", results, summaryHeader, summaryRows("")) }},
		{"interactions.csv", func(w io.Writer) error {
			return render(w, "csv", results, interactionLongHeader, interactionLongRows)
		}},
		{"compare.json", func(w io.Writer) error { return writeJSON(w, o, results) }},
	}
	cfgs := make([]sockshop.Config, len(results))
	for i, r := range results {
		cfgs[i] = r.Config
		cfgs[i].Observer = nil
	}
	meta := report.Meta{Program: "compare", Version: report.Version(), Format: o.report, Runs: cfgs}
	if o.apps != nil {
		// Which application each directory holds.
		meta.Extra = map[string]string{}
		for i, m := range o.apps {
			meta.Extra[report.AppDir(i)] = m.Name + " (" + o.appFiles[i] + ")"
		}
	}
	if err := report.WriteConfig(dir, meta); err != nil {
		return fmt.Errorf("-out: %w", err)
	}
	for _, f := range files {
		path := filepath.Join(dir, f.name)
		fh, err := os.Create(path)
		if err != nil {
			return fmt.Errorf("-out: %w", err)
		}
		err = f.write(fh)
		if cerr := fh.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("-out: write %s: %w", f.name, err)
		}
	}
	return nil
}
