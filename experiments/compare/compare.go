package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/edgesim/edgesim/comm"
	"github.com/edgesim/edgesim/engine"
	"github.com/edgesim/edgesim/internal/plots"
	"github.com/edgesim/edgesim/internal/report"
	"github.com/edgesim/edgesim/internal/tables"
	"github.com/edgesim/edgesim/network"
	"github.com/edgesim/edgesim/sockshop"
)

// options are the parsed flags.
type options struct {
	cfg      sockshop.Config // the shared settings; Variant is set per run
	variants []string
	format   string
	out      string
	report   report.Format
	cdf      string
	step     time.Duration
	think    time.Duration
	timeout  time.Duration
	place    string
	parts    string
	infra    string
}

const usageText = `Usage: go run ./experiments/compare [flags]

Runs SockShop in its MPI and REST variants on the same infrastructure and the same
placement, in virtual time, and prints per variant the workflows completed and failed, their
latency (mean, p50, p95, p99, max, in virtual ms), the messages and bytes sent and the
messages lost, then per interaction (caller -> callee) the count and mean latency, then one
line with every setting. With no flags it runs the reference run of SOCKSHOP.md.

Flags:
`

func parse(args []string, stderr io.Writer) (*options, error) {
	def := sockshop.DefaultConfig("")
	o := &options{cfg: def}
	fs := flag.NewFlagSet("compare", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, usageText)
		fs.PrintDefaults()
	}
	fs.Uint64Var(&o.cfg.Seed, "seed", def.Seed, "run `seed`: every random stream (infrastructure, placement, dynamics, payment) derives from it")
	fs.IntVar(&o.cfg.Steps, "steps", def.Steps, "number of `steps` (placement audit and dynamics at every step boundary)")
	fs.DurationVar(&o.step, "step", time.Duration(def.StepLength), "virtual `length` of a step, e.g. 500ms or 2s")
	fs.IntVar(&o.cfg.Nodes, "nodes", def.Nodes, "`n`: nodes of the generated hierarchical infrastructure (ignored with -infra)")
	fs.StringVar(&o.parts, "partitioning", joinFloats(def.Partitioning), "tier `fractions` of the hierarchical generator, comma-separated")
	fs.StringVar(&o.infra, "infra", "", "networkx node-link JSON `file` to use instead of the generator")
	fs.StringVar(&o.cfg.Strategy, "strategy", def.Strategy, "placement `strategy`: random, first-fit, best-fit, round-robin or static (set by -place)")
	fs.StringVar(&o.place, "place", "", "static placement `Service=node,...` by full service name (FrontendService=n1,...); implies -strategy static")
	fs.BoolVar(&o.cfg.Dynamics, "dynamics", def.Dynamics, "evolve the infrastructure every step (availability flap and asset drift); -dynamics=false turns both off")
	fs.Float64Var(&o.cfg.FlapDown, "flap-down", def.FlapDown, "`probability` that an up node goes down at a step boundary")
	fs.Float64Var(&o.cfg.FlapUp, "flap-up", def.FlapUp, "`probability` that a down node comes back at a step boundary")
	fs.StringVar(&o.cfg.Model, "model", def.Model, "cost `model`: "+strings.Join(comm.Models, " or ")+" (see README)")
	fs.DurationVar(&o.think, "think", 0, "Frontend think `time` between workflows")
	fs.DurationVar(&o.timeout, "timeout", time.Duration(def.Timeout), "how long the Frontend waits for a reply before it counts the workflow as failed")
	fs.Float64Var(&o.cfg.DeclineProb, "decline", 0, "`probability` that Payment declines (the order then fails), both variants")
	fs.Func("outage", "take a node down during the run: `node@start[+duration]`, e.g. n14@10s+5s (no duration: for good); repeatable", func(v string) error {
		o2, err := parseOutage(v)
		if err == nil {
			o.cfg.Outages = append(o.cfg.Outages, o2)
		}
		return err
	})
	variants := fs.String("variants", strings.Join(sockshop.Variants, ","), "`list` of variants to run: mpi, rest or both")
	fs.StringVar(&o.format, "format", "table", "output `format`: table, markdown, csv or json")
	fs.StringVar(&o.out, "out", "", "also write the results into `dir`: summary.csv, interactions.csv, compare.json, config.json and a per-step report per variant (see README)")
	reportFormat := fs.String("report-format", "csv", "`encoding` of the per-step report tables written by -out: csv or jsonl")
	fs.StringVar(&o.cdf, "cdf", "", "also draw the workflow latency CDF of the variants into `file` (.svg or .png)")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q (flags only; see -h)", fs.Arg(0))
	}
	if err := tables.CheckFormat(o.format, "json"); err != nil {
		return nil, err
	}
	var err error
	if o.report, err = report.ParseFormat(*reportFormat); err != nil {
		return nil, fmt.Errorf("-report-format: %w", err)
	}
	if o.cdf != "" {
		if _, err := plots.FormatOf(o.cdf); err != nil {
			return nil, fmt.Errorf("-cdf: %w", err)
		}
	}
	o.cfg.StepLength = engine.Time(o.step)
	o.cfg.Workload.Think = engine.Time(o.think)
	o.cfg.Timeout = engine.Time(o.timeout)
	if o.cfg.Partitioning, err = network.ParsePartitioning(o.parts); err != nil {
		var bad *network.BadFractionError
		errors.As(err, &bad)
		return nil, fmt.Errorf("-partitioning: bad number %q", bad.Field)
	}
	for _, v := range strings.Split(*variants, ",") {
		v = strings.TrimSpace(v)
		if !slices.Contains(sockshop.Variants, v) {
			return nil, fmt.Errorf("-variants: unknown variant %q (valid: %s)", v, strings.Join(sockshop.Variants, ", "))
		}
		if !slices.Contains(o.variants, v) {
			o.variants = append(o.variants, v)
		}
	}
	if o.place != "" {
		if o.cfg.Static, err = parsePlacement(o.place); err != nil {
			return nil, fmt.Errorf("-place: %w", err)
		}
		o.cfg.Strategy = "static"
	} else if o.cfg.Strategy == "static" {
		return nil, errors.New("-strategy static needs -place Service=node,...")
	}
	if o.infra != "" {
		g, err := network.ReadNodeLink(o.infra)
		if err != nil {
			return nil, err
		}
		o.cfg.Infra, o.cfg.InfraFile = g, o.infra
	}
	check := o.cfg
	check.Variant = o.variants[0]
	if err := check.Validate(); err != nil {
		return nil, err
	}
	return o, nil
}

// parseOutage reads "node@start[+duration]".
func parseOutage(v string) (sockshop.Outage, error) {
	node, when, ok := strings.Cut(v, "@")
	if !ok || node == "" {
		return sockshop.Outage{}, fmt.Errorf("want node@start[+duration], got %q", v)
	}
	start, length, _ := strings.Cut(when, "+")
	at, err := time.ParseDuration(start)
	if err != nil || at < 0 {
		return sockshop.Outage{}, fmt.Errorf("bad start %q in %q: want a duration such as 10s", start, v)
	}
	var d time.Duration
	if length != "" {
		if d, err = time.ParseDuration(length); err != nil || d <= 0 {
			return sockshop.Outage{}, fmt.Errorf("bad duration %q in %q: want a positive duration such as 5s", length, v)
		}
	}
	return sockshop.Outage{Node: node, At: engine.Time(at), For: engine.Time(d)}, nil
}

// parsePlacement reads "Service=node,..." and checks the service names.
func parsePlacement(s string) (map[string]string, error) {
	known := map[string]bool{}
	var names []string
	for _, svc := range sockshop.App().Services {
		known[svc.Name] = true
		names = append(names, svc.Name)
	}
	m := map[string]string{}
	for _, kv := range strings.Split(s, ",") {
		svc, node, ok := strings.Cut(strings.TrimSpace(kv), "=")
		if !ok || svc == "" || node == "" {
			return nil, fmt.Errorf("bad entry %q: want Service=node", kv)
		}
		if !known[svc] {
			return nil, fmt.Errorf("unknown service %q (valid: %s)", svc, strings.Join(names, ", "))
		}
		if _, dup := m[svc]; dup {
			return nil, fmt.Errorf("service %q placed twice", svc)
		}
		m[svc] = node
	}
	return m, nil
}

func joinFloats(fs []float64) string {
	ss := make([]string, len(fs))
	for i, f := range fs {
		ss[i] = strconv.FormatFloat(f, 'g', -1, 64)
	}
	return strings.Join(ss, ",")
}

// run is the command, testable: it returns the exit code (0 ok, 1 run failed, 2 bad usage).
func run(args []string, stdout, stderr io.Writer) int {
	o, err := parse(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "compare: %v\n", err)
		return 2
	}
	results := make([]*sockshop.Result, 0, len(o.variants))
	if o.out != "" {
		if err := os.MkdirAll(o.out, 0o755); err != nil {
			fmt.Fprintf(stderr, "compare: -out: %v\n", err)
			return 1
		}
	}
	for _, v := range o.variants {
		cfg := o.cfg
		cfg.Variant = v
		var res *sockshop.Result
		if o.out != "" {
			res, err = report.Run(sockshop.Run, cfg, o.out, o.report)
		} else {
			res, err = sockshop.Run(cfg)
		}
		if err != nil {
			fmt.Fprintf(stderr, "compare: %v\n", err)
			return 1
		}
		results = append(results, res)
	}
	if err := write(stdout, o, results); err != nil {
		fmt.Fprintf(stderr, "compare: %v\n", err)
		return 1
	}
	if o.out != "" {
		if err := writeDir(o, results); err != nil {
			fmt.Fprintf(stderr, "compare: %v\n", err)
			return 1
		}
	}
	if o.cdf != "" {
		series := make([]plots.Series, len(results))
		for i, r := range results {
			series[i] = plots.Series{Name: r.Variant, Values: r.LatenciesMS}
		}
		if err := plots.LatencyCDF(o.cdf, series); err != nil {
			fmt.Fprintf(stderr, "compare: -cdf: %v\n", err)
			return 1
		}
	}
	return 0
}

// write prints the results in the chosen format.
func write(w io.Writer, o *options, results []*sockshop.Result) error {
	switch o.format {
	case "json":
		return writeJSON(w, o, results)
	case "csv":
		if err := tables.Render(w, "csv", summaryHeader, summaryRows(results)); err != nil {
			return err
		}
		fmt.Fprintln(w)
		return tables.Render(w, "csv", interactionLongHeader, interactionLongRows(results))
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
	if err := tables.Render(w, o.format, summaryHeader, summaryRows(results)); err != nil {
		return err
	}
	fmt.Fprintln(w)
	title("Interactions, caller -> callee (MPI: one message; REST: request to response)")
	h, rows := interactionWideRows(results)
	if err := tables.Render(w, o.format, h, rows); err != nil {
		return err
	}
	fmt.Fprintln(w)
	for _, r := range results {
		fmt.Fprintln(w, deployment(r))
	}
	fmt.Fprintln(w, settings(o, results))
	return nil
}

// deployment is one line per variant on how long the application ran and what went wrong.
func deployment(r *sockshop.Result) string {
	line := fmt.Sprintf("%s: deployed in %d of %d steps (%d placements, %d undeployed by the audit); %d sends refused at once, %d messages lost in flight, %d late replies discarded",
		r.Variant, r.DeployedSteps, len(r.Steps), r.Placements, r.Undeploys, r.Unreachable, r.LostInFlight, r.Discarded)
	if r.DeployedSteps == 0 && len(r.LastProblems) > 0 {
		const most = 3
		probs := r.LastProblems
		more := ""
		if len(probs) > most {
			more = fmt.Sprintf(" (and %d more)", len(probs)-most)
			probs = probs[:most]
		}
		line += "; never deployed, the last audit found: " + strings.Join(probs, "; ") + more
	}
	return line
}

var summaryHeader = []string{"variant", "workflows", "failed", "mean_ms", "p50_ms", "p95_ms", "p99_ms", "max_ms", "messages", "bytes", "lost"}

func ms(v float64) string { return strconv.FormatFloat(v, 'f', 3, 64) }

func summaryRows(results []*sockshop.Result) [][]string {
	var rows [][]string
	for _, r := range results {
		l := r.Latency
		rows = append(rows, []string{r.Variant, strconv.Itoa(r.Workflows), strconv.Itoa(r.Failed),
			ms(l.Mean), ms(l.P50), ms(l.P95), ms(l.P99), ms(l.Max),
			strconv.Itoa(r.Messages), strconv.Itoa(r.Bytes), strconv.Itoa(r.Lost)})
	}
	return rows
}

var interactionLongHeader = []string{"variant", "from", "to", "count", "mean_ms"}

func interactionLongRows(results []*sockshop.Result) [][]string {
	var rows [][]string
	for _, r := range results {
		for _, in := range r.Interactions {
			rows = append(rows, []string{r.Variant, in.From, in.To, strconv.Itoa(in.Count), ms(in.MeanMS)})
		}
	}
	return rows
}

// interactionWideRows puts the variants side by side, one row per pair in application
// interaction order (pairs a variant never used show "-").
func interactionWideRows(results []*sockshop.Result) ([]string, [][]string) {
	h := []string{"from", "to"}
	for _, r := range results {
		h = append(h, r.Variant+"_count", r.Variant+"_mean_ms")
	}
	type key struct{ from, to string }
	var order []key
	seen := map[key]bool{}
	add := func(k key) {
		if !seen[k] {
			seen[k] = true
			order = append(order, k)
		}
	}
	for _, in := range sockshop.App().Interactions {
		add(key{in.From, in.To})
	}
	for _, r := range results {
		for _, in := range r.Interactions {
			add(key{in.From, in.To})
		}
	}
	var rows [][]string
	for _, k := range order {
		row := []string{k.from, k.to}
		any := false
		for _, r := range results {
			c, m := "-", "-"
			for _, in := range r.Interactions {
				if in.From == k.from && in.To == k.to {
					c, m, any = strconv.Itoa(in.Count), ms(in.MeanMS), true
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
	fmt.Fprintf(&b, "seed %d; ", c.Seed)
	if c.Infra != nil {
		fmt.Fprintf(&b, "infrastructure %s (%d nodes); ", c.InfraFile, len(c.Infra.Nodes()))
	} else {
		fmt.Fprintf(&b, "infrastructure hierarchical n=%d partitioning %s; ", c.Nodes, joinFloats(c.Partitioning))
	}
	fmt.Fprintf(&b, "placement %s", c.Strategy)
	if len(results) > 0 && len(results[0].FirstPlacement) > 0 {
		fmt.Fprintf(&b, " (first: %s)", formatPlacement(results[0].FirstPlacement))
	}
	fmt.Fprintf(&b, "; model %s; %d steps x %v", c.Model, c.Steps, o.step)
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
	if len(results) > 1 {
		b.WriteString("; both variants on the same infrastructure, dynamics and placement (ECLYPSE runs REST on another partitioning)")
	}
	return b.String()
}

func formatPlacement(hosts []string) string {
	app := sockshop.App()
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
	ThinkMS      float64           `json:"think_ms"`
	TimeoutMS    float64           `json:"timeout_ms"`
	DeclineProb  float64           `json:"decline_prob"`
	Variants     []string          `json:"variants"`
	Outages      []jsonOutage      `json:"outages"`
}

type jsonOutage struct {
	Node  string  `json:"node"`
	AtMS  float64 `json:"at_ms"`
	ForMS float64 `json:"for_ms"`
}

type jsonVariant struct {
	Variant      string            `json:"variant"`
	Workflows    int               `json:"workflows"`
	Failed       int               `json:"failed"`
	LatencyMS    sockshop.Summary  `json:"latency_ms"`
	Messages     int               `json:"messages"`
	Bytes        int               `json:"bytes"`
	Lost         int               `json:"lost"`
	Interactions []jsonInteraction `json:"interactions"`
}

type jsonInteraction struct {
	From   string  `json:"from"`
	To     string  `json:"to"`
	Count  int     `json:"count"`
	MeanMS float64 `json:"mean_ms"`
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
		Dynamics: c.Dynamics, FlapDown: c.FlapDown, FlapUp: c.FlapUp, Model: c.Model,
		ThinkMS: c.Workload.Think.Milliseconds(), TimeoutMS: c.Timeout.Milliseconds(),
		DeclineProb: c.DeclineProb, Variants: o.variants,
	}, Variants: []jsonVariant{}}
	if c.Infra != nil {
		out.Config.Nodes = len(c.Infra.Nodes())
	}
	out.Config.Outages = []jsonOutage{}
	for _, o := range c.Outages {
		out.Config.Outages = append(out.Config.Outages, jsonOutage{o.Node, o.At.Milliseconds(), o.For.Milliseconds()})
	}
	for _, r := range results {
		l := r.Latency
		v := jsonVariant{Variant: r.Variant, Workflows: r.Workflows, Failed: r.Failed,
			LatencyMS: sockshop.Summary{Mean: round3(l.Mean), P50: round3(l.P50), P95: round3(l.P95), P99: round3(l.P99), Max: round3(l.Max)},
			Messages:  r.Messages, Bytes: r.Bytes, Lost: r.Lost, Interactions: []jsonInteraction{}}
		for _, in := range r.Interactions {
			v.Interactions = append(v.Interactions, jsonInteraction{in.From, in.To, in.Count, round3(in.MeanMS)})
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

// writeDir writes the same results as files.
func writeDir(o *options, results []*sockshop.Result) error {
	if err := os.MkdirAll(o.out, 0o755); err != nil {
		return fmt.Errorf("-out: %w", err)
	}
	files := []struct {
		name  string
		write func(io.Writer) error
	}{
		{"summary.csv", func(w io.Writer) error { return tables.Render(w, "csv", summaryHeader, summaryRows(results)) }},
		{"interactions.csv", func(w io.Writer) error {
			return tables.Render(w, "csv", interactionLongHeader, interactionLongRows(results))
		}},
		{"compare.json", func(w io.Writer) error { return writeJSON(w, o, results) }},
	}
	cfgs := make([]sockshop.Config, len(results))
	for i, r := range results {
		cfgs[i] = r.Config
		cfgs[i].Observer = nil
	}
	if err := report.WriteConfig(o.out, report.Meta{Program: "compare", Version: report.Version(), Format: o.report, Runs: cfgs}); err != nil {
		return fmt.Errorf("-out: %w", err)
	}
	for _, f := range files {
		path := filepath.Join(o.out, f.name)
		fh, err := os.Create(path)
		if err != nil {
			return fmt.Errorf("-out: %w", err)
		}
		err = f.write(fh)
		if cerr := fh.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("-out: write %s: %w", path, err)
		}
	}
	return nil
}
