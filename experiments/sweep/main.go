package main

import (
	"bufio"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/edgesim/edgesim/internal/report"
	"github.com/edgesim/edgesim/sockshop"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run is the testable main: it returns the exit code (0 ok, 1 failure, 2 usage error).
func run(args []string, stdout, stderr io.Writer) int {
	return newCLI().main(args, stdout, stderr)
}

// cli holds what the command takes from the outside world, so tests can replace it.
type cli struct {
	run        RunFunc
	defaults   func(variant string) sockshop.Config
	getenv     func(string) string
	isTerminal func(w io.Writer) bool
	version    string
}

func newCLI() *cli {
	return &cli{
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

const usageIntro = `Usage:
  sweep [flags]                  run the cross product of the parameter lists, one CSV row per run
  sweep merge [-o FILE] FILE...  join shard files into the file an unsharded sweep writes
  sweep summary [-summary FILE] -in FILE
                                 print the per-group table (mean and 95%% CI) of a sweep file
  sweep plot -in FILE -x COL -y COL [-by COL] [-where COL=V,...] -o FIG.svg|FIG.png
                                 draw a metric against a parameter with 95%% confidence bands

Runs are in grid order: variants vary slowest, then strategies, nodes, partitioning, flap,
flap-up, steps, step, model, think, timeout, decline, and seeds fastest. A parameter whose flag
is not given takes the reference run's value (sockshop.DefaultConfig of the variant).
A LIST is comma-separated. Exit codes: 0 ok (runs that fail are reported in the error column),
1 failure, 2 usage error (bad flag or list; nothing has run).

Flags of sweep:
`

func (c *cli) main(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		switch args[0] {
		case "merge":
			return c.exit(stderr, mergeCmd(args[1:], stdout, stderr))
		case "plot":
			return c.exit(stderr, plotCmd(args[1:], stdout, stderr))
		case "summary":
			return c.exit(stderr, summaryCmd(args[1:], stdout, stderr))
		}
	}
	return c.exit(stderr, c.sweep(args, stdout, stderr))
}

// errHelp: -h was asked for; the usage has been printed.
var errHelp = errors.New("help")

func (c *cli) exit(stderr io.Writer, err error) int {
	var ue *usageError
	switch {
	case err == nil, errors.Is(err, errHelp):
		return 0
	case errors.As(err, &ue):
		fmt.Fprintln(stderr, err)
		fmt.Fprintln(stderr, "run with -h for the flags")
		return 2
	default:
		fmt.Fprintln(stderr, err)
		return 1
	}
}

// parseFlags parses fs, turning flag errors into usage errors and -h into errHelp; it
// refuses positional arguments unless allowArgs.
func parseFlags(fs *flag.FlagSet, args []string, allowArgs bool) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return errHelp
		}
		return &usageError{"sweep: " + err.Error()}
	}
	if !allowArgs && fs.NArg() > 0 {
		return usagef("unexpected argument %q (subcommands: merge, summary, plot)", fs.Arg(0))
	}
	return nil
}

func (c *cli) sweep(args []string, stdout, stderr io.Writer) error {
	// A sweep is a throughput job with a small live heap (each run allocates about 300 KB
	// and keeps none of it): collect less often. Measured: 1.45x runs/s. GOGC overrides.
	if c.getenv("GOGC") == "" {
		defer debug.SetGCPercent(debug.SetGCPercent(400))
	}
	fs := flag.NewFlagSet("sweep", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var p params
	fs.StringVar(&p.seeds, "seeds", "", "seeds: a `LIST` of N or A-B ranges, e.g. 1-20,25 (default: the reference seed)")
	fs.StringVar(&p.variants, "variants", "", "variants: a `LIST` of "+strings.Join(sockshop.Variants, ", ")+" (default: all)")
	fs.StringVar(&p.strategies, "strategies", "", "placement strategies: a `LIST` of "+strings.Join(validStrategies, ", "))
	fs.StringVar(&p.nodes, "nodes", "", "infrastructure sizes: a `LIST` of N or A-B, e.g. 30,100,300")
	fs.StringVar(&p.partitioning, "partitioning", "", "generator tier fractions: a `LIST` of partitionings separated by ';', fractions by ':' or ',', e.g. '0.6:0.1:0.15:0.15;0.6:0.2:0.1:0.1'")
	fs.StringVar(&p.flap, "flap", "", "a `LIST` of probabilities that an up node goes down at each step, e.g. 0,0.02,0.05")
	fs.StringVar(&p.flapUp, "flap-up", "", "a `LIST` of probabilities that a down node comes back at each step, e.g. 0.5")
	fs.StringVar(&p.steps, "steps", "", "a `LIST` of numbers of steps, e.g. 10,100")
	fs.StringVar(&p.step, "step", "", "a `LIST` of step lengths in virtual time (Go durations), e.g. 500ms,1s")
	fs.StringVar(&p.model, "model", "", "communication cost models: a `LIST` of "+strings.Join(validModels, ", "))
	fs.StringVar(&p.think, "think", "", "a `LIST` of Frontend think times between workflows (Go durations), e.g. 0,100ms")
	fs.StringVar(&p.timeout, "timeout", "", "a `LIST` of workflow/call timeouts (positive Go durations), e.g. 1s,5s")
	fs.StringVar(&p.decline, "decline", "", "a `LIST` of payment decline probabilities, e.g. 0,0.1")
	workers := fs.Int("workers", runtime.NumCPU(), "`N` parallel runs (each run is single-threaded); the output does not depend on it")
	out := fs.String("o", "", "write the CSV to `FILE` instead of stdout (a regular file is written as FILE.tmp and renamed when complete; a device or pipe is written in place)")
	outDir := fs.String("out", "", "write a report directory per run under `DIR` (DIR/run-000001/config.json, DIR/run-000001/<variant>/*.csv)")
	formatS := fs.String("report-format", "csv", "`FORMAT` of the -out tables: csv or jsonl")
	summary := fs.String("summary", "", "also write the per-group summary (mean, 95% CI half-width, n) as CSV to `FILE`")
	shardS := fs.String("shard", "", "run one slice of the grid (`SHARD`): i/n (0 <= i < n, contiguous blocks), or auto (Kubernetes Indexed Job: JOB_COMPLETION_INDEX and SWEEP_SHARDS; Slurm array: SLURM_ARRAY_TASK_ID, _MIN, _COUNT or _MAX)")
	quiet := fs.Bool("quiet", false, "no progress bar, summary table or notes (the progress bar is also off when stderr is not a terminal)")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), usageIntro)
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args, false); err != nil {
		return err
	}
	p.given = map[string]bool{}
	fs.Visit(func(f *flag.Flag) { p.given[f.Name] = true })
	if *workers < 1 {
		return usagef("-workers %d: must be at least 1", *workers)
	}
	format, err := report.ParseFormat(*formatS)
	if err != nil {
		return &usageError{"sweep: -report-format: " + err.Error()}
	}
	sh, err := parseShard(*shardS, c.getenv)
	if err != nil {
		return err
	}
	g, err := newGrid(p, c.defaults)
	if err != nil {
		return err
	}
	lo, hi := sh.bounds(g.total)
	if err := g.validate(lo, hi); err != nil {
		return err
	}

	// output
	var w io.Writer = stdout
	var file *output
	if *out != "" {
		if file, err = createOutput(*out); err != nil {
			return err
		}
		defer file.Abort()
		w = file
	}
	bw := bufio.NewWriterSize(w, 256<<10)
	if _, err := io.WriteString(bw, csvHeader()); err != nil {
		return fmt.Errorf("sweep: %w", err)
	}

	// progress
	done := func() {}
	if !*quiet && c.isTerminal(stderr) && hi > lo {
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
	pl := plan{g: g, lo: lo, hi: hi, workers: *workers, run: c.run, outDir: *outDir, format: format, version: c.version}
	if err := execute(pl, emit, done); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("sweep: write: %w", err)
	}
	if file != nil {
		if err := file.Commit(); err != nil {
			return err
		}
	}
	return finish(sum, *summary, *quiet, *out != "", stdout, stderr)
}

// finish writes the -summary file and prints the summary table and the failure note.
func finish(sum *summarizer, summaryFile string, quiet, csvInFile bool, stdout, stderr io.Writer) error {
	groups := sum.groups
	if summaryFile != "" {
		if err := writeFileAtomic(summaryFile, func(w io.Writer) error { return writeSummaryCSV(w, groups) }); err != nil {
			return err
		}
	}
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

// writeFileAtomic writes path through an output (temporary file renamed when complete).
func writeFileAtomic(path string, fill func(io.Writer) error) error {
	o, err := createOutput(path)
	if err != nil {
		return err
	}
	defer o.Abort()
	bw := bufio.NewWriter(o)
	if err := fill(bw); err != nil {
		return fmt.Errorf("sweep: %s: %w", path, err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("sweep: %s: %w", path, err)
	}
	return o.Commit()
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

// readSweep reads a sweep file: its header must be this program's, every row well formed.
// It returns the records and their raw lines (with "\n").
func readSweep(path string) ([]record, []string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("sweep: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	want := strings.TrimSuffix(csvHeader(), "\n")
	if !sc.Scan() {
		if err := sc.Err(); err != nil {
			return nil, nil, fmt.Errorf("sweep: %s: %w", path, err)
		}
		return nil, nil, fmt.Errorf("sweep: %s: empty file (no header)", path)
	}
	if got := sc.Text(); got != want {
		return nil, nil, fmt.Errorf("sweep: %s: header is not a sweep header of this version\n got: %s\nwant: %s", path, got, want)
	}
	var recs []record
	var lines []string
	for n := 2; sc.Scan(); n++ {
		line := sc.Text() + "\n"
		r, err := recordOfLine(line)
		if err != nil {
			return nil, nil, fmt.Errorf("sweep: %s: line %d: malformed row", path, n)
		}
		recs = append(recs, r)
		lines = append(lines, line)
	}
	if err := sc.Err(); err != nil {
		return nil, nil, fmt.Errorf("sweep: %s: %w", path, err)
	}
	return recs, lines, nil
}

func summaryCmd(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("sweep summary", flag.ContinueOnError)
	fs.SetOutput(stderr)
	in := fs.String("in", "", "sweep CSV `FILE` to summarize (required)")
	summary := fs.String("summary", "", "also write the summary as CSV to `FILE`")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: sweep summary [-summary FILE] -in FILE\n\nPrints the per-group table (mean and 95%% CI over seeds) of a sweep file.\n\n")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args, false); err != nil {
		return err
	}
	if *in == "" {
		return usagef("summary: -in FILE is required")
	}
	recs, _, err := readSweep(*in)
	if err != nil {
		return err
	}
	return finish(summarize(recs), *summary, false, true, stdout, stderr)
}

// mergeCmd joins shard files: same header, same grid size, every run exactly once.
func mergeCmd(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("sweep merge", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("o", "", "write the merged CSV to `FILE` instead of stdout")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: sweep merge [-o FILE] FILE...\n\nJoins shard files (any order) into exactly the file an unsharded sweep writes. Every\nfile must have this version's header and the same grid size (runs column); every run\nof the grid must appear exactly once.\n\n")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args, true); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usagef("merge: no input file")
	}
	total := -1
	var lines []string
	var from []string
	for _, path := range fs.Args() {
		recs, ls, err := readSweep(path)
		if err != nil {
			return err
		}
		for i, r := range recs {
			var runs int
			if _, err := fmt.Sscan(r.fields[colRuns], &runs); err != nil || runs < 1 {
				return fmt.Errorf("sweep: merge: %s: bad runs column %q", path, r.fields[colRuns])
			}
			if total == -1 {
				total = runs
				lines = make([]string, total)
				from = make([]string, total)
			}
			if runs != total {
				return fmt.Errorf("sweep: merge: %s: run %d is from a grid of %d runs, others from %d", path, r.run, runs, total)
			}
			if r.run < 1 || r.run > total {
				return fmt.Errorf("sweep: merge: %s: run %d out of 1..%d", path, r.run, total)
			}
			if from[r.run-1] != "" {
				return fmt.Errorf("sweep: merge: run %d is in both %s and %s (overlapping shards)", r.run, from[r.run-1], path)
			}
			from[r.run-1] = path
			lines[r.run-1] = ls[i]
		}
	}
	if total == -1 {
		return fmt.Errorf("sweep: merge: the input files hold no run")
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
		return fmt.Errorf("sweep: merge: %d of %d runs missing (runs %s%s)", count, total, strings.Join(missing, ", "), more)
	}
	write := func(w io.Writer) error {
		if _, err := io.WriteString(w, csvHeader()); err != nil {
			return err
		}
		for _, l := range lines {
			if _, err := io.WriteString(w, l); err != nil {
				return err
			}
		}
		return nil
	}
	if *out != "" {
		return writeFileAtomic(*out, write)
	}
	bw := bufio.NewWriter(stdout)
	if err := write(bw); err != nil {
		return fmt.Errorf("sweep: merge: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("sweep: merge: %w", err)
	}
	return nil
}
