package main

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/edgesim/edgesim/comm"
	"github.com/edgesim/edgesim/cpu"
	"github.com/edgesim/edgesim/internal/cli"
	"github.com/edgesim/edgesim/internal/report"
	"github.com/edgesim/edgesim/sockshop"
	"github.com/edgesim/edgesim/workload"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run is the testable main: it returns the exit code (0 ok, 1 failure, 2 usage error).
func run(args []string, stdout, stderr io.Writer) int {
	return newCLI().main(args, stdout, stderr)
}

// command holds what the command takes from the outside world, so tests can replace it.
type command struct {
	run        RunFunc
	defaults   func(variant string) sockshop.Config
	getenv     func(string) string
	isTerminal func(w io.Writer) bool
	version    string
}

func newCLI() *command {
	return &command{
		run:      sockshop.Run,
		defaults: sockshop.DefaultConfig,
		getenv:   os.Getenv,
		isTerminal: func(w io.Writer) bool {
			f, ok := w.(*os.File)
			return ok && term.IsTerminal(int(f.Fd()))
		},
		version: report.Version(),
	}
}

var usageIntro = `Usage:
  sweep [flags]                  run the cross product of the parameter lists, one CSV row per run
  sweep merge [-o FILE] FILE...  join shard files into the file an unsharded sweep writes
  sweep summary -in FILE [-summary FILE]
                                 print the per-group table (mean and 95% CI) of a sweep file
  sweep plot -in FILE -x COL -y COL [-by COL] [-where COL=V,...] -o FIG.svg|FIG.png
                                 draw a metric against a parameter with 95% confidence bands

Runs are in grid order: variants vary slowest, then strategies, nodes, partitioning, flap,
flap-up, steps, step, model, think, timeout, decline, users, rate, service, cpu, sched, links,
and seeds fastest. A parameter whose flag
is not given takes the reference run's value (sockshop.DefaultConfig of the variant).
A LIST is comma-separated. Every list and every configuration of the grid is checked before
any run. Exit codes: 0 ok (runs that fail are reported in the error column), 1 failure
(reading or writing), 2 usage error (bad flag, list or input file; nothing has run).

Outputs: -o and -summary are written to a temporary file beside them and renamed when
complete (a device or a pipe is written in place); no output may name another output or an
input. -out DIR holds one directory per run, DIR/run-000001, ...: DIR must be new, empty, or
hold only run directories of this same grid (as a sweep or its other shards wrote them); the
run directories of this sweep are replaced as a whole.

Limits:
` + cli.Limits("steps", "time", "nodes", "links", "grid", "workers", "sweepfile") + `
Flags of sweep:
`

func (c *command) main(args []string, stdout, stderr io.Writer) int {
	var err error
	name := "sweep"
	if len(args) > 0 {
		switch args[0] {
		case "merge":
			name, err = "sweep merge", mergeCmd(args[1:], stdout, stderr)
		case "plot":
			name, err = "sweep plot", plotCmd(args[1:], stdout, stderr)
		case "summary":
			name, err = "sweep summary", summaryCmd(args[1:], stdout, stderr)
		default:
			err = c.sweep(args, stdout, stderr)
		}
	} else {
		err = c.sweep(args, stdout, stderr)
	}
	return cli.Report(stderr, name, err)
}

// parseFlags parses s; positional arguments are refused unless allowArgs (hint says where
// such an argument belongs).
func parseFlags(s *cli.Set, args []string, stderr io.Writer, allowArgs bool, hint string) error {
	if err := s.Parse(args, stderr); err != nil {
		if cli.IsUsage(err) {
			return &usageError{Msg: "sweep: " + err.Error()}
		}
		return err
	}
	if !allowArgs && len(s.Args()) > 0 {
		return usagef("unexpected argument %q (%s)", s.Args()[0], hint)
	}
	return nil
}

func (c *command) sweep(args []string, stdout, stderr io.Writer) error {
	// A sweep is a throughput job with a small live heap (each run allocates about 300 KB
	// and keeps none of it): collect less often. Measured: 1.45x runs/s. GOGC overrides.
	if c.getenv("GOGC") == "" {
		defer debug.SetGCPercent(debug.SetGCPercent(400))
	}
	fs := cli.NewSet("sweep", usageIntro)
	var p params
	fs.String(&p.seeds, "seeds", "", "seeds: a `LIST` of N or A-B ranges, e.g. 1-20,25, from 0 to 2^64-1 (default: the reference seed)")
	fs.String(&p.variants, "variants", "", "variants: a `LIST` of "+strings.Join(sockshop.Variants, ", ")+" (default: all)")
	fs.String(&p.strategies, "strategies", "", "placement strategies: a `LIST` of "+strings.Join(validStrategies, ", "))
	fs.String(&p.nodes, "nodes", "", "infrastructure sizes: a `LIST` of N or A-B, e.g. 30,100,300; every tier of the partitioning must get a node and the graph at most "+strconv.Itoa(cli.MaxLinks)+" links")
	fs.String(&p.partitioning, "partitioning", "", "generator tier fractions: a `LIST` of partitionings separated by ';', fractions by ':' or ',', e.g. '0.6:0.1:0.15:0.15;0.6:0.2:0.1:0.1'")
	fs.String(&p.flap, "flap", "", "a `LIST` of probabilities that an up node goes down at each step, e.g. 0,0.02,0.05")
	fs.String(&p.flapUp, "flap-up", "", "a `LIST` of probabilities that a down node comes back at each step, e.g. 0.5")
	fs.String(&p.steps, "steps", "", "a `LIST` of numbers of steps, e.g. 10,100 (valid: 1.."+strconv.Itoa(cli.MaxSteps)+"; steps x step at most "+cli.Dur(cli.MaxVirtualTime)+")")
	fs.String(&p.step, "step", "", "a `LIST` of step lengths in virtual time (Go durations), e.g. 500ms,1s")
	fs.String(&p.model, "model", "", "communication cost models: a `LIST` of "+strings.Join(validModels, ", "))
	fs.String(&p.think, "think", "", "a `LIST` of Frontend think times between workflows (Go durations), e.g. 0,100ms")
	fs.String(&p.timeout, "timeout", "", "a `LIST` of workflow/call timeouts (positive Go durations), e.g. 1s,5s")
	fs.String(&p.decline, "decline", "", "a `LIST` of payment decline probabilities, e.g. 0,0.1")
	fs.String(&p.users, "users", "", "a `LIST` of closed-loop user counts, N or A-B, e.g. 1,10,100 (valid: 1.."+strconv.Itoa(workload.MaxUsers)+"; docs/LOAD.md)")
	fs.String(&p.rate, "rate", "", "a `LIST` of open-loop arrival rates in workflows per virtual second, e.g. 10,50 (0: closed loop; above 0 only with one user and no think time)")
	fs.String(&p.service, "service", "", "a `LIST` of service-time distributions: none, const, exp, lognormal:CV")
	fs.String(&p.cpu, "cpu", "", "a `LIST` of CPU modes: "+strings.Join(comm.CPUModes, ", "))
	fs.String(&p.sched, "sched", "", "a `LIST` of CPU scheduling: "+strings.Join(cpu.Disciplines, ", "))
	fs.String(&p.links, "links", "", "a `LIST` of link modes: "+strings.Join(comm.LinkModes, ", "))
	var workers int
	fs.Int(&workers, "workers", min(runtime.NumCPU(), cli.MaxWorkers), 1, cli.MaxWorkers, "`N` parallel runs (each run is single-threaded; never more than the runs); the output does not depend on it")
	var out, outDir, formatS, summary, shardS string
	var quiet bool
	fs.String(&out, "o", "", "write the CSV to `FILE` instead of stdout")
	fs.String(&outDir, "out", "", "write a report directory per run under `DIR` (DIR/run-000001/config.json, DIR/run-000001/<variant>/*.csv)")
	fs.String(&formatS, "report-format", "csv", "`FORMAT` of the -out tables", "csv", "jsonl")
	fs.String(&summary, "summary", "", "also write the per-group summary (mean, 95% CI half-width, n) as CSV to `FILE`")
	fs.String(&shardS, "shard", "", "run one slice of the grid (`SHARD`): i/n (0 <= i < n, contiguous blocks), or auto (Kubernetes Indexed Job: JOB_COMPLETION_INDEX and SWEEP_SHARDS; Slurm array: SLURM_ARRAY_TASK_ID, _MIN, _COUNT or _MAX)")
	fs.Bool(&quiet, "quiet", false, "no progress bar, summary table or notes (the progress bar is also off when stderr is not a terminal)")
	if err := parseFlags(fs, args, stderr, false, "subcommands: merge, summary, plot; the sweep itself takes flags only"); err != nil {
		return err
	}
	p.given = map[string]bool{}
	for _, f := range []string{"seeds", "variants", "strategies", "nodes", "partitioning", "flap", "flap-up", "steps", "step", "model", "think", "timeout", "decline", "users", "rate", "service", "cpu", "sched", "links"} {
		p.given[f] = fs.Given(f)
	}
	for _, f := range []string{"o", "out", "summary"} {
		if fs.Given(f) && fs.Lookup(f).Value.String() == "" {
			return usagef("-%s: empty file name", f)
		}
	}
	format := report.Format(formatS)
	sh, err := parseShard(shardS, c.getenv)
	if err != nil {
		return err
	}
	g, err := newGrid(p, c.defaults)
	if err != nil {
		return err
	}
	if err := g.validate(); err != nil {
		return err
	}
	lo, hi := sh.bounds(g.total)
	workers = max(1, min(workers, hi-lo))
	if err := cli.CheckPaths(
		cli.Path{Flag: "-o", Name: out, Kind: cli.OutFile},
		cli.Path{Flag: "-summary", Name: summary, Kind: cli.OutFile},
		cli.Path{Flag: "-out", Name: outDir, Kind: cli.OutDir},
	); err != nil {
		return &usageError{Msg: "sweep: " + err.Error()}
	}
	if outDir != "" {
		if err := checkOutDir(outDir, g, lo, hi); err != nil {
			return err
		}
	}

	// outputs, opened before any run
	var w io.Writer = stdout
	var file *cli.Output
	if out != "" {
		if file, err = cli.CreateOutput("-o", out); err != nil {
			return prefix(err)
		}
		defer file.Abort()
		w = file
	}
	var sumFile *cli.Output
	if summary != "" {
		if sumFile, err = cli.CreateOutput("-summary", summary); err != nil {
			return prefix(err)
		}
		defer sumFile.Abort()
	}
	bw := bufio.NewWriterSize(w, 256<<10)
	if _, err := io.WriteString(bw, csvHeader()); err != nil {
		return fmt.Errorf("sweep: %w", err)
	}

	// progress
	done := func() {}
	if !quiet && c.isTerminal(stderr) && hi > lo {
		bar := progressbar.NewOptions(hi-lo,
			progressbar.OptionSetWriter(stderr),
			progressbar.OptionSetDescription(fmt.Sprintf("sweep %d runs", hi-lo)),
			progressbar.OptionShowCount(),
			progressbar.OptionShowIts(),
			progressbar.OptionSetItsString("runs"),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionThrottle(200*time.Millisecond),
			progressbar.OptionClearOnFinish(),
		)
		done = func() { bar.Add(1) }
		defer bar.Finish()
	}

	sum := &summarizer{}
	emit := func(k int, line string) error {
		if _, err := io.WriteString(bw, line); err != nil {
			return fmt.Errorf("sweep: write: %w", err)
		}
		r, err := recordOfLine(line)
		if err != nil {
			return err
		}
		sum.add(r)
		return nil
	}
	pl := plan{g: g, lo: lo, hi: hi, workers: workers, run: c.run, outDir: outDir, format: format, version: c.version}
	if err := execute(pl, emit, done); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("sweep: write: %w", err)
	}
	if file != nil {
		if err := file.Commit(); err != nil {
			return prefix(err)
		}
	}
	if sumFile != nil {
		if err := writeSummaryTo(sumFile, sum.groups); err != nil {
			return err
		}
	}
	return finish(sum, quiet, out != "", stdout, stderr)
}

// prefix adds "sweep: " to an error of package cli (a usage error stays one).
func prefix(err error) error {
	if err == nil {
		return nil
	}
	if cli.IsUsage(err) {
		return &usageError{Msg: "sweep: " + err.Error()}
	}
	return fmt.Errorf("sweep: %w", err)
}

// writeSummaryTo writes the summary CSV into o and puts it in place.
func writeSummaryTo(o *cli.Output, groups []*group) error {
	bw := bufio.NewWriter(o)
	err := writeSummaryCSV(bw, groups)
	if err == nil {
		err = bw.Flush()
	}
	if err != nil {
		return fmt.Errorf("sweep: -summary: %w", err)
	}
	return prefix(o.Commit())
}

// finish prints the summary table and the failure note.
func finish(sum *summarizer, quiet, csvInFile bool, stdout, stderr io.Writer) error {
	groups := sum.groups
	if quiet {
		return nil
	}
	tw := stderr
	if csvInFile {
		tw = stdout
	}
	if err := writeSummaryTable(tw, groups); err != nil {
		return fmt.Errorf("sweep: %w", err)
	}
	if sum.failed > 0 {
		fmt.Fprintf(stderr, "sweep: %d of %d runs failed (see the error column)\n", sum.failed, sum.runs)
	}
	return nil
}

func csvHeader() string {
	var cells []report.Cell
	for _, h := range header() {
		cells = append(cells, report.Str(h))
	}
	return report.CSVLine(cells)
}

func recordOfLine(line string) (record, error) {
	fields, err := csv.NewReader(strings.NewReader(line)).Read()
	if err != nil {
		return record{}, fmt.Errorf("sweep: internal: unparsable row %q: %w", line, err)
	}
	r, ok := parseRecord(fields)
	if !ok {
		return record{}, fmt.Errorf("sweep: internal: bad row %q", line)
	}
	return r, nil
}

// readSweep reads the sweep file named by flag: a regular file of at most
// cli.MaxSweepFileBytes, lines of at most cli.MaxSweepLineBytes, at most maxRuns rows; its
// header must be this program's and every row well formed. Anything else is a usage error
// naming the file and the line. It returns the records and their raw lines (with "\n").
func readSweep(flag, path string) ([]record, []string, error) {
	f, err := cli.OpenInput(flag, path, cli.MaxSweepFileBytes)
	if err != nil {
		return nil, nil, prefix(err)
	}
	defer f.Close()
	lr := &io.LimitedReader{R: f, N: cli.MaxSweepFileBytes + 1}
	sc := bufio.NewScanner(lr)
	sc.Buffer(make([]byte, 64<<10), cli.MaxSweepLineBytes)
	scanErr := func(line int) error {
		err := sc.Err()
		switch {
		case errors.Is(err, bufio.ErrTooLong):
			return usagef("%s %s: line %d is longer than %d bytes (not a sweep file?)", flag, path, line, cli.MaxSweepLineBytes)
		case err != nil:
			return fmt.Errorf("sweep: %s %s: %w", flag, path, err)
		case lr.N <= 0:
			return usagef("%s %s: more than %d bytes, the limit", flag, path, cli.MaxSweepFileBytes)
		}
		return nil
	}
	want := strings.TrimSuffix(csvHeader(), "\n")
	if !sc.Scan() {
		if err := scanErr(1); err != nil {
			return nil, nil, err
		}
		return nil, nil, usagef("%s %s: empty file (no header)", flag, path)
	}
	if got := sc.Text(); got != want {
		return nil, nil, usagef("%s %s: line 1 is not the header of a sweep file of this version\n got: %s\nwant: %s", flag, path, clip(got), want)
	}
	var recs []record
	var lines []string
	n := 2
	for ; sc.Scan(); n++ {
		if len(recs) == maxRuns {
			return nil, nil, usagef("%s %s: more than %d rows, the runs of the largest grid", flag, path, maxRuns)
		}
		line := sc.Text() + "\n"
		r, err := recordOfLine(line)
		if err != nil {
			return nil, nil, usagef("%s %s: line %d: malformed row (want the %d columns of the header)", flag, path, n, len(header()))
		}
		recs = append(recs, r)
		lines = append(lines, line)
	}
	if err := scanErr(n); err != nil {
		return nil, nil, err
	}
	return recs, lines, nil
}

// clip shortens a line for a message.
func clip(s string) string {
	if len(s) > 200 {
		return s[:200] + "..."
	}
	return s
}

func summaryCmd(args []string, stdout, stderr io.Writer) error {
	fs := cli.NewSet("sweep summary", "Usage: sweep summary -in FILE [-summary FILE]\n\nPrints the per-group table (mean and 95% CI over seeds) of a sweep file.\n\nLimits:\n"+cli.Limits("sweepfile")+"\nFlags:\n")
	var in, summary string
	fs.String(&in, "in", "", "sweep CSV `FILE` to summarize (required)")
	fs.String(&summary, "summary", "", "also write the summary as CSV to `FILE`")
	if err := parseFlags(fs, args, stderr, false, "the sweep file goes after -in: sweep summary -in FILE"); err != nil {
		return err
	}
	if in == "" {
		return usagef("summary: -in FILE is required")
	}
	if err := cli.CheckPaths(cli.Path{Flag: "-in", Name: in, Kind: cli.Input}, cli.Path{Flag: "-summary", Name: summary, Kind: cli.OutFile}); err != nil {
		return prefix(err)
	}
	var sumFile *cli.Output
	if summary != "" {
		var err error
		if sumFile, err = cli.CreateOutput("-summary", summary); err != nil {
			return prefix(err)
		}
		defer sumFile.Abort()
	}
	recs, _, err := readSweep("-in", in)
	if err != nil {
		return err
	}
	sum := summarize(recs)
	if sumFile != nil {
		if err := writeSummaryTo(sumFile, sum.groups); err != nil {
			return err
		}
	}
	return finish(sum, false, true, stdout, stderr)
}

// mergeCmd joins shard files: same header, same grid size, every run exactly once.
func mergeCmd(args []string, stdout, stderr io.Writer) error {
	fs := cli.NewSet("sweep merge", "Usage: sweep merge [-o FILE] FILE...\n\nJoins shard files (any order) into exactly the file an unsharded sweep writes. Every\nfile must have this version's header and the same grid size (runs column); every run\nof the grid must appear exactly once. Flags go before the files.\n\nLimits:\n"+cli.Limits("grid", "sweepfile")+"\nFlags:\n")
	var out string
	fs.String(&out, "o", "", "write the merged CSV to `FILE` instead of stdout (never one of the input files)")
	if err := parseFlags(fs, args, stderr, true, ""); err != nil {
		return err
	}
	files := fs.Args()
	if len(files) == 0 {
		return usagef("merge: no input file (sweep merge [-o FILE] FILE...)")
	}
	paths := []cli.Path{{Flag: "-o", Name: out, Kind: cli.OutFile}}
	for _, f := range files {
		if strings.HasPrefix(f, "-") {
			return usagef("merge: %q after the files: flags go before the files (sweep merge -o FILE SHARD...)", f)
		}
		paths = append(paths, cli.Path{Flag: "input file", Name: f, Kind: cli.Input})
	}
	if err := cli.CheckPaths(paths...); err != nil {
		return prefix(err)
	}
	var outFile *cli.Output
	if out != "" {
		var err error
		if outFile, err = cli.CreateOutput("-o", out); err != nil {
			return prefix(err)
		}
		defer outFile.Abort()
	}
	total := -1
	var lines []string
	var from []string
	for _, path := range files {
		recs, ls, err := readSweep("input file", path)
		if err != nil {
			return err
		}
		for i, r := range recs {
			runs, err := strconv.Atoi(r.fields[colRuns])
			if err != nil || runs < 1 || runs > maxRuns {
				return usagef("merge: %s: bad runs column %q (valid: 1..%d)", path, r.fields[colRuns], maxRuns)
			}
			if total == -1 {
				total = runs
				lines = make([]string, total)
				from = make([]string, total)
			}
			if runs != total {
				return usagef("merge: %s: run %d is from a grid of %d runs, others from %d", path, r.run, runs, total)
			}
			if r.run < 1 || r.run > total {
				return usagef("merge: %s: run %d out of 1..%d", path, r.run, total)
			}
			if from[r.run-1] != "" {
				return usagef("merge: run %d is in both %s and %s (overlapping shards)", r.run, from[r.run-1], path)
			}
			from[r.run-1] = path
			lines[r.run-1] = ls[i]
		}
	}
	if total == -1 {
		return usagef("merge: the input files hold no run")
	}
	var missing []string
	count := 0
	for k := range total {
		if from[k] == "" {
			count++
			if len(missing) < 10 {
				missing = append(missing, fmt.Sprint(k+1))
			}
		}
	}
	if count > 0 {
		more := ""
		if count > len(missing) {
			more = ", ..."
		}
		return usagef("merge: %d of %d runs missing (runs %s%s)", count, total, strings.Join(missing, ", "), more)
	}
	var w io.Writer = stdout
	if outFile != nil {
		w = outFile
	}
	bw := bufio.NewWriter(w)
	if _, err := io.WriteString(bw, csvHeader()); err != nil {
		return fmt.Errorf("sweep: merge: %w", err)
	}
	for _, l := range lines {
		if _, err := io.WriteString(bw, l); err != nil {
			return fmt.Errorf("sweep: merge: %w", err)
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("sweep: merge: %w", err)
	}
	if outFile != nil {
		return prefix(outFile.Commit())
	}
	return nil
}
