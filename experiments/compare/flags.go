package main

import (
	"errors"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/edgesim/edgesim/apps/spec"
	"github.com/edgesim/edgesim/comm"
	"github.com/edgesim/edgesim/cpu"
	"github.com/edgesim/edgesim/engine"
	"github.com/edgesim/edgesim/internal/cli"
	"github.com/edgesim/edgesim/internal/report"
	"github.com/edgesim/edgesim/internal/tables"
	"github.com/edgesim/edgesim/network"
	"github.com/edgesim/edgesim/placement"
	"github.com/edgesim/edgesim/scenario"
	"github.com/edgesim/edgesim/sockshop"
	"github.com/edgesim/edgesim/workload"
)

// options are the parsed and validated flags.
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
	warmup   time.Duration
	linkRows bool
	appFile  string                 // -app, the first one
	app      *spec.App              // the application of -app; nil: SockShop
	appGraph *placement.Application // the application's graph (SockShop's or -app's); with several, every service of them
	appFiles []string               // -app, every one (or the specs of -apps)
	appsFile string                 // -apps
	apps     []scenario.Member      // with several -app: the applications, named apart
	stderr   io.Writer              // for the progress line

	// raw flag values, checked by validate
	place, parts, infra, variantsText, reportText string
	outages                                       []string
	set                                           *cli.Set
	hasNode                                       func(string) bool // set by validate
	nodesHint                                     string            // the valid node ids, for messages
}

var usageText = `Usage: go run ./experiments/compare [flags]

Runs SockShop in its MPI and REST variants on the same infrastructure and the same
placement, in virtual time, and prints per variant the workflows completed and failed, their
latency (mean, p50, p95, p99, max, in virtual ms; "-" when no workflow completed), the
messages and bytes sent and the messages lost, then per interaction (caller -> callee) the
count and mean latency, then one line with every setting. With no flags it runs the reference
run (docs/SOCKSHOP.md in the repository: 100 steps of 500ms on the 30-node hierarchical
infrastructure of seed 22).

Node ids in -place and -outage: a backslash makes the next character literal (\, \= \@ \+
\\), so ids holding separators can be named: -place 'FrontendService=edge\,1,...'.

-out DIR writes a report directory: DIR must be new, empty, or a report written by compare
earlier, which is then replaced as a whole (never mixed with the new files; nothing else is
ever deleted). No output may name an input or another output.

Exit codes: 0 ok, 1 the run failed or an output could not be written, 2 a bad flag, value or
input file (nothing has run).

Limits:
` + cli.Limits("steps", "time", "nodes", "links", "infra") + `
Flags:
`

// parse reads the flags; validate checks them all before any work.
func parse(args []string, stderr io.Writer) (*options, error) {
	def := sockshop.DefaultConfig("")
	o := &options{cfg: def, stderr: stderr}
	s := cli.NewSet("compare", usageText)
	o.set = s
	c := &o.cfg
	s.Uint64(&c.Seed, "seed", def.Seed, math.MaxUint64, "run `seed`: every random stream (infrastructure, placement, dynamics, payment) derives from it by name",
		"a seed names the run: every random stream (infrastructure, placement, dynamics, payment) derives from it")
	s.Int(&c.Steps, "steps", def.Steps, 1, cli.MaxSteps, "number of `steps` (placement audit and dynamics at every step boundary); steps x step at most "+cli.Dur(cli.MaxVirtualTime))
	s.Duration(&o.step, "step", time.Duration(def.StepLength), time.Nanosecond, cli.MaxVirtualTime, "virtual `length` of a step, e.g. 500ms or 2s")
	s.Int(&c.Nodes, "nodes", def.Nodes, 1, cli.MaxNodes, "`n`: nodes of the generated hierarchical infrastructure; the partitioning must give every tier a node and the graph at most "+strconv.Itoa(cli.MaxLinks)+" links (not with -infra)")
	s.String(&o.parts, "partitioning", network.FormatPartitioning(def.Partitioning, ","), "tier `fractions` of the hierarchical generator, separated by ',' or ':' (not with -infra)")
	s.String(&o.infra, "infra", "", fmt.Sprintf("networkx node-link JSON `file` to use instead of the generator (a regular file of at most %d bytes)", cli.MaxInfraFileBytes))
	s.String(&c.Strategy, "strategy", def.Strategy, "placement `strategy` (static: set by -place)", placement.Strategies()...)
	s.String(&o.place, "place", "", "static placement `Service=node,...` naming every service in full (FrontendService=n1,...); implies -strategy static")
	s.Bool(&c.Dynamics, "dynamics", def.Dynamics, "evolve the infrastructure every step (availability flap and asset drift); -dynamics=false turns both off")
	s.Float(&c.FlapDown, "flap-down", def.FlapDown, 0, 1, "`probability` that an up node goes down at a step boundary")
	s.Float(&c.FlapUp, "flap-up", def.FlapUp, 0, 1, "`probability` that a down node comes back at a step boundary")
	s.String(&c.Size, "size", def.Size, "how a message's `size` is counted: eclypse (CPython's sys.getsizeof over the body, what ECLYPSE charges) or json (the body's JSON length, about 4.7 times smaller)", comm.SizeRules...)
	s.String(&c.Model, "model", def.Model, "cost `model` (docs/MODEL.md)", comm.Models...)
	s.Duration(&o.think, "think", time.Duration(def.Workload.Think), 0, cli.MaxVirtualTime, "Frontend think `time` between workflows")
	s.Duration(&o.timeout, "timeout", time.Duration(def.Timeout), time.Nanosecond, cli.MaxVirtualTime, "`time` the Frontend waits for a reply before it counts the workflow as failed")
	s.Float(&c.DeclineProb, "decline", def.DeclineProb, 0, 1, "`probability` that Payment declines (the order then fails), both variants")
	s.Func("outage", "take a node down during the run: `node@start[+duration]`, e.g. n14@10s+5s (no duration: to the end of the run); start before the end of the run; repeatable", true, func(v string) error {
		if _, err := parseOutage(v); err != nil {
			return err
		}
		o.outages = append(o.outages, v)
		return nil
	})
	// load (docs/LOAD.md): off by default, so the reference run stays ECLYPSE's
	w, l := &c.Workload, &c.Load
	s.Int(&w.Users, "users", 1, 1, workload.MaxUsers, "closed loop: `n` users, each running workflows back to back with -think between them")
	s.String(&w.ThinkDist, "think-dist", workload.Const, "distribution of the think time: exactly -think, or exponential with that mean", workload.ThinkDists...)
	s.Float(&w.Rate, "rate", 0, 0, workload.MaxRate, "open loop: `workflows` per second of virtual time, each independent of the others (0: closed loop; then -users and -think do not apply)")
	s.String(&w.Arrivals, "arrivals", workload.Poisson, "open-loop arrival process, with -rate: Poisson, or exactly 1/rate apart", workload.ArrivalDists...)
	s.Duration(&o.warmup, "warmup", 0, 0, cli.MaxVirtualTime, "leave out of the totals the workflows that start before this virtual `time`; the stations' figures start then too")
	s.String(&l.Service, "service", "none", "service-time `distribution`: every service does its processing_time of CPU work per request: none (no work, as in ECLYPSE), const, exp, or lognormal:CV (coefficient of variation CV)")
	s.String(&l.CPU, "cpu", "service", "where the work queues: a station per service with its cpu requirement in cores, or per node sharing the node's cores", comm.CPUModes...)
	s.String(&l.Sched, "sched", "fcfs", "how a station shares its cores: first come first served, or processor sharing", cpu.Disciplines...)
	s.String(&l.Links, "links", "free", "links: free (the cost model's delay) or fair (transfers share a link's bandwidth max-min fairly)", comm.LinkModes...)
	s.Int(&l.QueueLimit, "queue", comm.DefaultQueueLimit, 1, comm.MaxQueueLimit, "most `jobs` a CPU station holds; a request beyond is rejected (REST 503, MPI a failed send) and counted")
	s.Func("app", "run the application of this spec `file` (YAML or JSON; apps/catalog holds examples) instead of SockShop, in both styles on the same infrastructure; -place then names its services. Repeat it to run several applications at once on one infrastructure (each placed on what the ones before it leave, each with its own workload; with -cpu node they share the nodes' cores): every table then says which application each row is", true, func(v string) error {
		o.appFiles = append(o.appFiles, v)
		return nil
	})
	s.String(&o.appsFile, "apps", "", "run the applications listed in this scenario `file` (YAML or JSON) at once, each with its own workload if it says one (the load flags apply to the others): see the README, Several applications; not with -app")
	s.String(&o.variantsText, "variants", strings.Join(sockshop.Variants, ","), "`list` of variants to run: "+strings.Join(sockshop.Variants, ", ")+" or both, comma-separated")
	s.String(&o.format, "format", "table", "output `format`", append(slices.Clone(tables.Formats), "json")...)
	s.String(&o.out, "out", "", "also write the results into `dir`: summary.csv, interactions.csv, compare.json, config.json and a per-step report per variant (README, Reports)")
	s.Bool(&o.linkRows, "link-rows", false, "also write links.csv in the -out report: one row per step and directed link, links x steps rows (20 million for 100 steps of 1000 nodes)")
	s.String(&o.reportText, "report-format", string(report.CSV), "`encoding` of the per-step report tables written by -out", "csv", "jsonl")
	s.String(&o.cdf, "cdf", "", "also draw the workflow latency CDF of the variants into `file` (.svg or .png)")
	if err := s.Parse(args, stderr); err != nil {
		return nil, err
	}
	if len(s.Args()) > 0 {
		return nil, cli.Usagef("unexpected argument %q (compare takes flags only; every flag starts with -)", s.Args()[0])
	}
	if err := validate(o); err != nil {
		return nil, err
	}
	return o, nil
}

// validate checks every input, in flag order, before any work: each error names the flag
// (or the file and its element) and what is valid. The infrastructure file is read here.
func validate(o *options) error {
	s, c := o.set, &o.cfg
	for _, f := range []string{"infra", "out", "cdf"} {
		if s.Given(f) && strings.TrimSpace(s.Lookup(f).Value.String()) == "" {
			return cli.Usagef("-%s: empty file name", f)
		}
	}
	if s.Given("place") && strings.TrimSpace(o.place) == "" {
		return cli.Usagef("-place: empty value (want Service=node,... naming every service)")
	}
	c.StepLength = engine.Time(o.step)
	c.Workload.Think = engine.Time(o.think)
	if err := validateLoad(o); err != nil {
		return err
	}
	if err := validateApps(o); err != nil {
		return err
	}
	c.Timeout = engine.Time(o.timeout)
	if err := cli.CheckHorizon("-steps", c.Steps, "-step", o.step); err != nil {
		return err
	}

	// infrastructure
	if o.infra != "" {
		for _, f := range []string{"nodes", "partitioning"} {
			if s.Given(f) {
				return cli.Usagef("-%s configures the generator, which -infra replaces: give one or the other", f)
			}
		}
	}
	parts, err := network.ParsePartitioning(o.parts)
	if err != nil {
		var bad *network.BadFractionError
		errors.As(err, &bad)
		return cli.Usagef("-partitioning %q: %q is not a number >= 0 (valid: tier fractions separated by ',' or ':', e.g. 0.6,0.1,0.15,0.15)", o.parts, strings.TrimSpace(bad.Field))
	}
	c.Partitioning = parts

	// outputs and inputs
	if o.cdf != "" {
		if _, err := plotFormat(o.cdf); err != nil {
			return err
		}
	}
	if err := cli.CheckPaths(
		cli.Path{Flag: "-infra", Name: o.infra, Kind: cli.Input},
		cli.Path{Flag: "-cdf", Name: o.cdf, Kind: cli.OutFile},
		cli.Path{Flag: "-out", Name: o.out, Kind: cli.OutDir},
	); err != nil {
		return err
	}
	if o.out != "" {
		if _, err := cli.CheckReportDir("-out", o.out, "compare", knownReportFile); err != nil {
			return err
		}
	}
	o.report = report.Format(o.reportText)

	if o.infra != "" {
		g, err := cli.ReadNodeLink("-infra", o.infra)
		if err != nil {
			return err
		}
		if g.Len() == 0 {
			return cli.Usagef("-infra %s: the file has no node", o.infra)
		}
		c.Infra, c.InfraFile = g, o.infra
		o.hasNode = func(id string) bool { _, ok := g.Index(id); return ok }
		o.nodesHint = fileNodesHint(o.infra, g.Nodes())
	} else {
		if err := cli.CheckNodes("-nodes", c.Nodes, "-partitioning", parts); err != nil {
			return err
		}
		n := c.Nodes
		o.hasNode = func(id string) bool { return generatedNode(id, n) }
		o.nodesHint = fmt.Sprintf("n0..n%d, the nodes of the generated infrastructure", n-1)
	}

	// variants
	o.variants = nil
	for _, v := range strings.Split(o.variantsText, ",") {
		v = strings.TrimSpace(v)
		if !slices.Contains(sockshop.Variants, v) {
			return cli.Usagef("-variants %q: unknown variant %q (valid: %s, comma-separated)", o.variantsText, v, strings.Join(sockshop.Variants, ", "))
		}
		if !slices.Contains(o.variants, v) {
			o.variants = append(o.variants, v)
		}
	}

	// placement
	if o.place != "" {
		if s.Given("strategy") && c.Strategy != "static" {
			return cli.Usagef("-strategy %s and -place: -place is a static placement; give one or the other", c.Strategy)
		}
		m, err := parsePlacement(o.place, o.appGraph, o.hasNode, o.nodesHint)
		if err != nil {
			return err
		}
		c.Static, c.Strategy = m, "static"
	} else if c.Strategy == "static" {
		return cli.Usagef("-strategy static needs -place Service=node,... naming every service")
	}

	// outages
	end := time.Duration(c.Steps) * o.step
	c.Outages = nil
	for _, v := range o.outages {
		out, _ := parseOutage(v) // the syntax was checked when the flag was parsed
		if !o.hasNode(out.Node) {
			return cli.Usagef("-outage %q: unknown node %q (valid: %s)", v, out.Node, o.nodesHint)
		}
		if time.Duration(out.At) >= end {
			return cli.Usagef("-outage %q: starts at %v, not before the end of the run at %v (valid: 0 <= start < steps x step)", v, time.Duration(out.At), end)
		}
		c.Outages = append(c.Outages, out)
	}

	// whatever else the run refuses
	check := *c
	check.Variant = o.variants[0]
	if err := check.Validate(); err != nil {
		return cli.AsUsage(err)
	}
	return nil
}

// generatedNode says whether id names one of the n nodes of the hierarchical generator,
// "n0".."n{n-1}" (network.Hierarchical documents the names; a test checks them).
func generatedNode(id string, n int) bool {
	if len(id) < 2 || id[0] != 'n' || (id[1] == '0' && len(id) > 2) {
		return false
	}
	for _, r := range id[1:] {
		if r < '0' || r > '9' {
			return false
		}
	}
	k, err := strconv.Atoi(id[1:])
	return err == nil && k < n
}

// fileNodesHint names the node ids of a file for messages (the first few).
func fileNodesHint(file string, ids []string) string {
	const most = 5
	q := make([]string, 0, most)
	for _, id := range ids[:min(len(ids), most)] {
		q = append(q, strconv.Quote(id))
	}
	more := ""
	if len(ids) > most {
		more = ", ..."
	}
	return fmt.Sprintf("the %d node ids of %s: %s%s", len(ids), file, strings.Join(q, ", "), more)
}

// parseOutage reads "node@start[+duration]": the node id is cut at the last unescaped '@'
// and unescaped (cli's escape rule), start and duration are Go durations.
func parseOutage(v string) (sockshop.Outage, error) {
	const want = "want node@start[+duration], e.g. n14@10s+5s"
	nodeText, when, ok := cli.CutLast(v, '@')
	if !ok {
		return sockshop.Outage{}, errors.New(want)
	}
	node, err := cli.Unescape(nodeText)
	if err != nil {
		return sockshop.Outage{}, fmt.Errorf("node id: %v", err)
	}
	if node == "" {
		return sockshop.Outage{}, fmt.Errorf("empty node id: %s", want)
	}
	start, length, hasLength := strings.Cut(when, "+")
	at, err := time.ParseDuration(start)
	if err != nil || at < 0 || at > cli.MaxVirtualTime {
		return sockshop.Outage{}, fmt.Errorf("bad start %q: want a duration from 0 to %v such as 10s", start, cli.Dur(cli.MaxVirtualTime))
	}
	var d time.Duration
	if hasLength {
		if d, err = time.ParseDuration(length); err != nil || d <= 0 || d > cli.MaxVirtualTime {
			return sockshop.Outage{}, fmt.Errorf("bad duration %q: want a positive duration up to %v such as 5s (or none: to the end of the run)", length, cli.Dur(cli.MaxVirtualTime))
		}
	}
	return sockshop.Outage{Node: node, At: engine.Time(at), For: engine.Time(d)}, nil
}

// parsePlacement reads "Service=node,...": entries are split at unescaped commas, each at its
// first unescaped '=', spaces around them are ignored, node ids are unescaped (cli's rule).
// Every service must be placed once, on a node for which hasNode is true.
func parsePlacement(s string, app *placement.Application, hasNode func(string) bool, hint string) (map[string]string, error) {
	var names []string
	for _, svc := range app.Services {
		names = append(names, svc.Name)
	}
	type entry struct{ text, svc, node string }
	var entries []entry
	for _, kv := range cli.Split(s, ',') {
		kv = trimEscaped(kv)
		svcText, nodeText, ok := cli.Cut(kv, '=')
		svc, err1 := cli.Unescape(trimEscaped(svcText))
		node, err2 := cli.Unescape(trimEscaped(nodeText))
		switch {
		case err1 != nil || err2 != nil:
			return nil, cli.Usagef("-place: bad entry %q: %v", kv, errors.Join(err1, err2))
		case !ok || svc == "" || node == "":
			return nil, cli.Usagef("-place: bad entry %q: want Service=node (in a node id, a backslash makes ',' '=' '@' '+' literal)", kv)
		}
		entries = append(entries, entry{kv, svc, node})
	}
	m := map[string]string{}
	for _, e := range entries {
		svc, node := e.svc, e.node
		if !slices.Contains(names, svc) {
			return nil, cli.Usagef("-place: unknown service %q (valid: %s)", svc, strings.Join(names, ", "))
		}
		if _, dup := m[svc]; dup {
			return nil, cli.Usagef("-place: service %s placed twice", svc)
		}
		if hasNode != nil && !hasNode(node) {
			return nil, cli.Usagef("-place: %s=%s: unknown node %q (valid: %s)", svc, cli.Escape(node), node, hint)
		}
		m[svc] = node
	}
	var missing []string
	for _, n := range names {
		if _, ok := m[n]; !ok {
			missing = append(missing, n)
		}
	}
	if len(missing) > 0 {
		return nil, cli.Usagef("-place: no node for %s (every service needs one)", strings.Join(missing, ", "))
	}
	return m, nil
}

// trimEscaped trims spaces and tabs around s, keeping a space escaped by a backslash.
func trimEscaped(s string) string {
	s = strings.TrimLeft(s, " \t")
	for len(s) > 0 && (s[len(s)-1] == ' ' || s[len(s)-1] == '\t') {
		bs := 0
		for i := len(s) - 2; i >= 0 && s[i] == '\\'; i-- {
			bs++
		}
		if bs%2 == 1 {
			break
		}
		s = s[:len(s)-1]
	}
	return s
}

// validateApps reads every -app file. With several, the applications are named after their
// specs, and a name that comes again gets its position ("#2"); -place then names the
// services of all of them (a service name two applications share is one entry).
func validateApps(o *options) error {
	o.appGraph = sockshop.App()
	if o.appsFile != "" {
		return validateScenarioFile(o)
	}
	if len(o.appFiles) == 0 {
		return nil
	}
	if o.set.Given("decline") {
		return cli.Usagef("-decline is SockShop's Payment; with -app, a spec says its own branches")
	}
	if len(o.appFiles) > scenario.MaxMembers {
		return cli.Usagef("-app given %d times: at most %d applications run at once", len(o.appFiles), scenario.MaxMembers)
	}
	seen := map[string]int{}
	for i, file := range o.appFiles {
		if err := cli.CheckPaths(cli.Path{Flag: "-app", Name: file, Kind: cli.Input}); err != nil {
			return err
		}
		data, err := cli.ReadInput("-app", file, spec.MaxFileBytes)
		if err != nil {
			return err
		}
		sp, err := spec.Parse(filepath.Base(file), data)
		var app *spec.App
		if err == nil {
			app, err = spec.New(sp)
		}
		if err != nil {
			return cli.Usagef("-app %s: %v", file, err)
		}
		g := app.Application()
		if i == 0 {
			o.app, o.appGraph, o.appFile = app, g, file
		}
		name := g.Name
		if seen[name]++; seen[name] > 1 {
			name = fmt.Sprintf("%s#%d", g.Name, i+1)
		}
		o.apps = append(o.apps, scenario.Member{Name: name, App: app})
	}
	if len(o.apps) > 1 {
		o.appGraph = servicesOf(o.apps)
	} else {
		o.apps = nil
	}
	return nil
}

// validateScenarioFile reads -apps and every spec it names.
func validateScenarioFile(o *options) error {
	switch {
	case len(o.appFiles) > 0:
		return cli.Usagef("-app and -apps: -apps lists the applications; give one or the other")
	case o.set.Given("decline"):
		return cli.Usagef("-decline is SockShop's Payment; with -apps, a spec says its own branches")
	case strings.TrimSpace(o.appsFile) == "":
		return cli.Usagef("-apps: empty file name")
	}
	if err := cli.CheckPaths(cli.Path{Flag: "-apps", Name: o.appsFile, Kind: cli.Input}); err != nil {
		return err
	}
	data, err := cli.ReadInput("-apps", o.appsFile, spec.MaxFileBytes)
	if err != nil {
		return err
	}
	sc, err := spec.ParseScenario(filepath.Base(o.appsFile), data)
	if err != nil {
		return cli.Usagef("-apps %s: %v", o.appsFile, err)
	}
	o.apps, o.appFiles, err = sc.Members(filepath.Dir(o.appsFile))
	if err != nil {
		return cli.Usagef("-apps %s: %v", o.appsFile, err)
	}
	o.app, o.appFile = o.apps[0].App.(*spec.App), o.appFiles[0]
	o.appGraph = servicesOf(o.apps)
	if len(o.apps) == 1 {
		o.appGraph = o.app.Application()
	}
	return nil
}

// servicesOf is the graph -place names with several applications: every service of them,
// a name two applications share once.
func servicesOf(apps []scenario.Member) *placement.Application {
	union := &placement.Application{Name: "applications"}
	for _, m := range apps {
		for _, sv := range m.App.Spec().Services {
			if _, ok := union.Service(sv.Name); !ok {
				union.Services = append(union.Services, sv)
			}
		}
	}
	return union
}

// validateLoad checks the load flags together: an open loop has no users and no think time,
// its arrival process needs a rate, the warm-up ends before the run.
func validateLoad(o *options) error {
	s, c := o.set, &o.cfg
	w := &c.Workload
	if w.Rate > 0 {
		for _, f := range []string{"users", "think", "think-dist"} {
			if s.Given(f) {
				return cli.Usagef("-%s and -rate: an open loop (-rate) has no users or think time; give one or the other", f)
			}
		}
		w.ThinkDist = ""
	} else {
		if s.Given("arrivals") {
			return cli.Usagef("-arrivals %s needs -rate (an open loop)", w.Arrivals)
		}
		w.Arrivals = ""
	}
	w.Warmup = engine.Time(o.warmup)
	if end := time.Duration(c.Steps) * o.step; o.warmup >= end {
		return cli.Usagef("-warmup %v: not shorter than the run (%d steps x %v = %v)", o.warmup, c.Steps, o.step, end)
	}
	if err := c.Load.Validate(); err != nil {
		return cli.Usagef("-service %q: %v", c.Load.Service, strings.TrimPrefix(err.Error(), "comm: "))
	}
	return nil
}
