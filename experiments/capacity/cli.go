package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/edgesim/edgesim/apps/spec"
	"github.com/edgesim/edgesim/capacity"
	"github.com/edgesim/edgesim/comm"
	"github.com/edgesim/edgesim/cpu"
	"github.com/edgesim/edgesim/engine"
	clix "github.com/edgesim/edgesim/internal/cli"
	"github.com/edgesim/edgesim/internal/plots"
	"github.com/edgesim/edgesim/sockshop"
	"github.com/edgesim/edgesim/workload"
)

// Defaults of the flags that differ from the reference run or have no counterpart in it.
const (
	defaultUsers    = "1,10,25,50,75,100,150,200,300,400"
	defaultService  = "exp"
	defaultSLO      = "p95=1500ms"
	defaultStrategy = "random"
	maxWorkers      = 256
)

// cli holds what the command takes from the outside world, so tests can replace it.
type cli struct {
	// runSim runs one simulation; nil leaves the choice to capacity.Run (SockShop, or the
	// application of -app).
	runSim     capacity.RunFunc
	isTerminal func(w io.Writer) bool
}

func newCLI() *cli {
	return &cli{
		isTerminal: func(w io.Writer) bool {
			f, ok := w.(*os.File)
			return ok && term.IsTerminal(int(f.Fd()))
		},
	}
}

const usageText = `Usage: go run ./experiments/capacity [flags]

Runs SockShop at a list of offered loads, for each variant (MPI, REST) and placement
strategy, and prints per group a table (load, completed workflows, failed, rejected,
throughput/s, mean/p50/p95/p99 latency in virtual ms, busiest CPU station and its
utilisation, whether the row meets the SLO, and a mark on the saturation point and on the
highest load meeting the SLO), then a summary line: the saturation point, the peak throughput
and the highest load meeting the SLO. -plot draws p95 and p50 latency against throughput,
one colour per variant. The reference run (seed 22, 30 nodes, random placement, 100 steps of
500ms, dynamics on) is the base; service time is on (-service exp) because with none nothing
ever queues and no load saturates anything.

Any application: -app FILE runs the application of a spec file instead of SockShop (YAML or
JSON, the format of apps/spec, as compare's -app; apps/catalog holds examples), in each
variant on the same infrastructure, with the same grid, saturation point and SLO. The report
names it: in the tables' titles and summary lines, a first column "app" in CSV, "app" and
"app_file" in JSON, the figure's title. A file that cannot be read or is not a valid spec is
a usage error (exit 2) naming the file and the element at fault. Without -app, SockShop as
always.

Offered load: -users LIST (closed loop: N users, each running workflows back to back with
-think between them) or -rate LIST (open loop: workflows arriving at R per second of virtual
time), not both; default -users ` + defaultUsers + `.

Saturation point: the smallest load at which a CPU station rejected a request or was busy at
least 98% of the measured window, or at which the throughput grew less than half as fast as
the load since the previous load (T_i - T_{i-1} < 0.5 T_{i-1} (L_i - L_{i-1}) / L_{i-1}).
None when no load saturates: offer more.

SLO (-slo): every bound must hold; in addition a run must complete a workflow and reject no
request (the latencies of a run that turns requests away describe only those let in).
Failures are bounded only by a failed=F term: with the dynamics on, undeploys and nodes
going down fail 11-13% of the workflows already at one user (more at higher loads). The
highest load meeting the SLO is the largest load such that it and every lower load meet it.

Limits: at most 100 loads, so at most 800 runs (2 variants x 4 strategies x 100 loads);
users 1..100000; rates up to 1e9/s; -workers 1..256. A run costs CPU time in proportion to the messages it
simulates (12 per workflow), so about its throughput x its length: the default study
simulates about 58 000 workflows in about 3 s of CPU.

Output: -format table (default), markdown, csv (one table: variant, strategy, the load and
the columns above) or json (every number, the saturation point and the SLO result per
group); -o FILE writes it to FILE (written whole, then renamed into place) and prints the
summary lines instead, unless -quiet. -o and -plot must name different files. The output
does not depend on -workers. Exit codes: 0 ok, 1 a run or a write failed, 2 bad flags
(nothing has run).

Flags:
`

// options are the parsed flags.
type options struct {
	spec    capacity.Spec
	workers int
	format  string
	out     string
	plot    string
	quiet   bool
}

// usageError is a bad flag: exit code 2.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }

func usagef(format string, a ...any) error { return usageError{fmt.Errorf(format, a...)} }

func (c *cli) parse(args []string, stderr io.Writer) (*options, error) {
	def := sockshop.DefaultConfig("")
	o := &options{}
	fs := flag.NewFlagSet("capacity", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, usageText)
		fs.PrintDefaults()
	}
	variants := fs.String("variants", strings.Join(sockshop.Variants, ","), "`LIST` of variants to run: "+strings.Join(sockshop.Variants, ", "))
	strategies := fs.String("strategies", defaultStrategy, "`LIST` of placement strategies: "+strings.Join(capacity.Strategies, ", "))
	users := fs.String("users", "", "closed loop: `LIST` of numbers of users, 1.."+fmt.Sprint(workload.MaxUsers)+" (default "+defaultUsers+" unless -rate)")
	rate := fs.String("rate", "", "open loop: `LIST` of arrival rates, workflows per second of virtual time (excludes -users)")
	arrivals := fs.String("arrivals", "", "open-loop arrival `process`: "+strings.Join(workload.ArrivalDists, " or ")+" (default poisson; needs -rate)")
	think := fs.Duration("think", time.Duration(def.Workload.Think), "mean think `time` of a user between workflows (closed loop only)")
	thinkDist := fs.String("think-dist", "", "think-time `distribution`: "+strings.Join(workload.ThinkDists, " or ")+" (default const)")
	service := fs.String("service", defaultService, "service-time `distribution` of each request's CPU work, mean the service's processing_time: "+strings.Join(comm.ServiceDists, ", ")+" (none: nothing queues)")
	cpuMode := fs.String("cpu", "service", "where the work queues (`mode`): "+strings.Join(comm.CPUModes, " or ")+" (service: each service has max(1, ceil(cpu)) cores; node: services share their node's cores)")
	sched := fs.String("sched", "fcfs", "how a station shares its cores (`discipline`): "+strings.Join(cpu.Disciplines, " or "))
	links := fs.String("links", "free", "link `mode`: "+strings.Join(comm.LinkModes, " or ")+" (fair: transfers share a link's bandwidth max-min fairly)")
	queue := fs.Int("queue", comm.DefaultQueueLimit, "most `jobs` a CPU station holds at once; beyond it requests are rejected, 1.."+fmt.Sprint(comm.MaxQueueLimit))
	warmup := fs.Duration("warmup", 0, "leave out the workflows that start before this virtual `time` (shorter than the run)")
	steps := fs.Int("steps", def.Steps, "number of `steps` of each run")
	step := fs.Duration("step", time.Duration(def.StepLength), "virtual `length` of a step")
	seed := fs.Uint64("seed", def.Seed, "run `seed` (the same for every run of the grid)")
	nodes := fs.Int("nodes", def.Nodes, "`n`: nodes of the generated hierarchical infrastructure")
	dynamics := fs.Bool("dynamics", def.Dynamics, "evolve the infrastructure every step (flap and drift); with -dynamics=false nothing changes it, so a placement that fits once is kept for the whole run")
	timeout := fs.Duration("timeout", time.Duration(def.Timeout), "how long a user waits for a reply before the workflow fails")
	app := fs.String("app", "", "run the application of this spec `file` (YAML or JSON, at most "+fmt.Sprint(spec.MaxFileBytes)+" bytes; apps/catalog holds examples) instead of SockShop, in each variant on the same infrastructure")
	slo := fs.String("slo", defaultSLO, "latency `objective`: terms "+strings.Join(capacity.SLOStats, "|")+"=DURATION and failed=FRACTION (0.01 or 1%), comma-separated, all must hold")
	fs.IntVar(&o.workers, "workers", runtime.NumCPU(), "`N` runs at once, 1.."+fmt.Sprint(maxWorkers)+" (each run is single-threaded; the output does not depend on it)")
	fs.StringVar(&o.format, "format", "table", "output `format`: "+strings.Join(capacity.Formats, ", "))
	fs.StringVar(&o.out, "o", "", "write the output to `FILE` instead of stdout (then stdout gets the summary lines)")
	fs.StringVar(&o.plot, "plot", "", "draw p95 and p50 latency against throughput into `FILE` (.svg or .png)")
	fs.BoolVar(&o.quiet, "quiet", false, "no progress bar (it shows only when stderr is a terminal) and no summary lines with -o")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, err
		}
		return nil, usageError{err}
	}
	if fs.NArg() > 0 {
		return nil, usagef("unexpected argument %q (flags only; see -h)", fs.Arg(0))
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })

	s := &o.spec
	s.Variants = splitList(*variants)
	s.Strategies = splitList(*strategies)
	if err := checkChoices("variants", s.Variants, sockshop.Variants); err != nil {
		return nil, err
	}
	if err := checkChoices("strategies", s.Strategies, capacity.Strategies); err != nil {
		return nil, err
	}
	var err error
	switch {
	case given["users"] && given["rate"]:
		return nil, usagef("-users and -rate exclude each other: offer users (closed loop) or a rate (open loop)")
	case given["rate"]:
		s.Kind = capacity.Rate
		if s.Loads, err = capacity.ParseLoads(capacity.Rate, *rate); err != nil {
			return nil, usagef("-rate: %s", trim(err))
		}
	default:
		s.Kind = capacity.Users
		list := defaultUsers
		if given["users"] {
			list = *users
		}
		if s.Loads, err = capacity.ParseLoads(capacity.Users, list); err != nil {
			return nil, usagef("-users: %s", trim(err))
		}
	}
	if s.SLO, err = capacity.ParseSLO(*slo); err != nil {
		return nil, usagef("-slo: %s", trim(err))
	}
	switch {
	case *steps < 1:
		return nil, usagef("-steps %d: must be at least 1", *steps)
	case *step <= 0:
		return nil, usagef("-step %v: must be positive", *step)
	case *nodes < 1:
		return nil, usagef("-nodes %d: must be at least 1", *nodes)
	case *timeout <= 0:
		return nil, usagef("-timeout %v: must be positive", *timeout)
	case *think < 0:
		return nil, usagef("-think %v: must not be negative", *think)
	case *warmup < 0:
		return nil, usagef("-warmup %v: must not be negative", *warmup)
	case *queue < 1 || *queue > comm.MaxQueueLimit:
		return nil, usagef("-queue %d: must be in 1..%d", *queue, comm.MaxQueueLimit)
	case o.workers < 1 || o.workers > maxWorkers:
		return nil, usagef("-workers %d: must be in 1..%d", o.workers, maxWorkers)
	case *thinkDist != "" && !slices.Contains(workload.ThinkDists, *thinkDist):
		return nil, usagef("-think-dist: unknown distribution %q (valid: %s)", *thinkDist, strings.Join(workload.ThinkDists, ", "))
	case *arrivals != "" && !slices.Contains(workload.ArrivalDists, *arrivals):
		return nil, usagef("-arrivals: unknown process %q (valid: %s)", *arrivals, strings.Join(workload.ArrivalDists, ", "))
	case s.Kind == capacity.Rate && *think > 0:
		return nil, usagef("-think %v: an open loop (-rate) has no think time", *think)
	case s.Kind == capacity.Rate && given["think-dist"]:
		return nil, usagef("-think-dist: an open loop (-rate) has no think time")
	case s.Kind == capacity.Users && given["arrivals"]:
		return nil, usagef("-arrivals needs -rate (an open loop)")
	case !slices.Contains(comm.CPUModes, *cpuMode):
		return nil, usagef("-cpu: unknown mode %q (valid: %s)", *cpuMode, strings.Join(comm.CPUModes, ", "))
	case !slices.Contains(cpu.Disciplines, *sched):
		return nil, usagef("-sched: unknown discipline %q (valid: %s)", *sched, strings.Join(cpu.Disciplines, ", "))
	case !slices.Contains(comm.LinkModes, *links):
		return nil, usagef("-links: unknown mode %q (valid: %s)", *links, strings.Join(comm.LinkModes, ", "))
	}
	if end := time.Duration(*steps) * *step; *steps > 0 && end/time.Duration(*steps) == *step && *warmup >= end {
		return nil, usagef("-warmup %v: must be shorter than the run (-steps %d x -step %v = %v)", *warmup, *steps, *step, end)
	}
	load := comm.Load{Service: *service, CPU: *cpuMode, Sched: *sched, Links: *links, QueueLimit: *queue}
	if err := load.Validate(); err != nil {
		return nil, usagef("-service: %s (valid: %s)", trim(err), strings.Join(comm.ServiceDists, ", "))
	}
	if err := tables(o.format); err != nil {
		return nil, err
	}
	for _, f := range []struct{ flag, path string }{{"o", o.out}, {"plot", o.plot}} {
		if f.path == "" {
			continue
		}
		if fi, err := os.Stat(f.path); err == nil && fi.IsDir() {
			return nil, usagef("-%s %s: is a directory", f.flag, f.path)
		}
	}
	if o.plot != "" {
		if _, err := plots.FormatOf(o.plot); err != nil {
			return nil, usagef("-plot: %s", trim(err))
		}
	}
	if o.out != "" && o.plot != "" && sameFile(o.out, o.plot) {
		return nil, usagef("-o and -plot name the same file %s", o.out)
	}
	if given["app"] {
		if s.App, err = openApp(*app, o.out, o.plot); err != nil {
			return nil, err
		}
		s.AppFile = *app
	}

	base := def
	base.Seed, base.Steps, base.StepLength, base.Nodes = *seed, *steps, engine.Time(*step), *nodes
	base.Dynamics, base.Timeout = *dynamics, engine.Time(*timeout)
	base.Workload = workload.Config{Think: engine.Time(*think), ThinkDist: *thinkDist, Arrivals: *arrivals, Warmup: engine.Time(*warmup)}
	base.Load = load
	s.Base = base
	if err := s.Validate(); err != nil {
		return nil, usageError{err}
	}
	return o, nil
}

// openApp reads the application of -app: a regular file of at most spec.MaxFileBytes bytes
// (a directory, a pipe or a device is refused before it is opened, so nothing blocks),
// parsed and validated by apps/spec, as compare's -app. No output may name it.
func openApp(path, out, plot string) (*spec.App, error) {
	if strings.TrimSpace(path) == "" {
		return nil, usagef("-app: empty file name")
	}
	if err := clix.CheckPaths(clix.Path{Flag: "-app", Name: path, Kind: clix.Input},
		clix.Path{Flag: "-o", Name: out, Kind: clix.OutFile}, clix.Path{Flag: "-plot", Name: plot, Kind: clix.OutFile}); err != nil {
		return nil, usageError{err}
	}
	data, err := clix.ReadInput("-app", path, spec.MaxFileBytes)
	if err != nil {
		return nil, usageError{err}
	}
	sp, err := spec.Parse(filepath.Base(path), data)
	if err == nil {
		var a *spec.App
		if a, err = spec.New(sp); err == nil {
			return a, nil
		}
	}
	return nil, usagef("-app %s: %v", path, err)
}

// splitList splits a comma-separated list, trimming spaces.
func splitList(s string) []string {
	parts := strings.Split(s, ",")
	for i, p := range parts {
		parts[i] = strings.TrimSpace(p)
	}
	return parts
}

// checkChoices: every element known, none repeated, none empty.
func checkChoices(flag string, list, valid []string) error {
	for i, v := range list {
		if !slices.Contains(valid, v) {
			return usagef("-%s: unknown value %q (valid: %s)", flag, v, strings.Join(valid, ", "))
		}
		if slices.Contains(list[:i], v) {
			return usagef("-%s: %q appears twice", flag, v)
		}
	}
	return nil
}

func tables(format string) error {
	if !slices.Contains(capacity.Formats, format) {
		return usagef("-format: unknown format %q (valid: %s)", format, strings.Join(capacity.Formats, ", "))
	}
	return nil
}

// trim drops the package prefix of an error from package capacity or comm, for a message
// that names the flag instead.
func trim(err error) string {
	s := err.Error()
	for _, p := range []string{"capacity: ", "comm: ", "plots: "} {
		s = strings.TrimPrefix(s, p)
	}
	return s
}

// sameFile reports whether a and b name the same file: the same cleaned absolute path, or
// the same existing file.
func sameFile(a, b string) bool {
	aa, err1 := filepath.Abs(a)
	bb, err2 := filepath.Abs(b)
	if err1 == nil && err2 == nil && aa == bb {
		return true
	}
	fa, err1 := os.Stat(a)
	fb, err2 := os.Stat(b)
	return err1 == nil && err2 == nil && os.SameFile(fa, fb)
}

// main is the command, testable: it returns the exit code (0 ok, 1 a run or a write failed,
// 2 bad usage).
func (c *cli) main(args []string, stdout, stderr io.Writer) int {
	o, err := c.parse(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "capacity: %s\n", trim(err))
		return 2
	}
	opt := capacity.Options{Workers: o.workers, Run: c.runSim}
	if !o.quiet && c.isTerminal(stderr) {
		bar := progressbar.NewOptions(o.spec.Runs(),
			progressbar.OptionSetWriter(stderr),
			progressbar.OptionSetDescription(fmt.Sprintf("capacity %d runs", o.spec.Runs())),
			progressbar.OptionShowCount(),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionThrottle(200*time.Millisecond),
			progressbar.OptionClearOnFinish(),
		)
		opt.Done = func() { bar.Add(1) }
		defer bar.Finish()
	}
	rep, err := capacity.Run(o.spec, opt)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	var buf bytes.Buffer
	if err := rep.Write(&buf, o.format); err != nil {
		fmt.Fprintf(stderr, "capacity: %v\n", err)
		return 1
	}
	if o.out == "" {
		if _, err := stdout.Write(buf.Bytes()); err != nil {
			fmt.Fprintf(stderr, "capacity: %v\n", err)
			return 1
		}
	} else {
		if err := writeFile(o.out, buf.Bytes()); err != nil {
			fmt.Fprintf(stderr, "capacity: -o: %v\n", err)
			return 1
		}
		if !o.quiet {
			for _, g := range rep.Groups {
				fmt.Fprintln(stdout, rep.Summary(g))
			}
		}
	}
	if o.plot != "" {
		if err := rep.SavePlot(o.plot); err != nil {
			fmt.Fprintf(stderr, "capacity: -plot: %s\n", trim(err))
			return 1
		}
	}
	return 0
}

// writeFile writes data to path: a new or regular file through a temporary file renamed
// into place (a reader never sees half a file); anything else that exists (a device such as
// /dev/stdout, a pipe) in place.
func writeFile(path string, data []byte) error {
	if fi, err := os.Stat(path); err == nil && !fi.Mode().IsRegular() {
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_TRUNC, 0)
		if err != nil {
			return err
		}
		_, err = f.Write(data)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		return err
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	_, err = tmp.Write(data)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
	}
	return err
}
