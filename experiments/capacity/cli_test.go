package main

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"

	"github.com/edgesim/edgesim/capacity"
	"github.com/edgesim/edgesim/internal/golden"
	"github.com/edgesim/edgesim/internal/plots"
	"github.com/edgesim/edgesim/sockshop"
)

func testCLI() *cli {
	c := newCLI()
	c.isTerminal = func(io.Writer) bool { return false }
	return c
}

func runOK(t *testing.T, args ...string) []byte {
	t.Helper()
	var out, errb bytes.Buffer
	if code := testCLI().main(args, &out, &errb); code != 0 {
		t.Fatalf("capacity %v: exit %d: %s", args, code, errb.String())
	}
	if errb.Len() > 0 {
		t.Errorf("capacity %v: stderr %q", args, errb.String())
	}
	return out.Bytes()
}

// small is a grid of 2 variants x 3 loads of 10-step runs: well under a second.
var small = []string{"-users", "40,1,10", "-steps", "10", "-slo", "p95=800ms"}

func TestGolden(t *testing.T) {
	for _, tc := range []struct {
		file string
		args []string
	}{
		{"small.txt", small},
		{"small.md", append([]string{"-format", "markdown"}, small...)},
		{"small.csv", append([]string{"-format", "csv"}, small...)},
		{"small.json", append([]string{"-format", "json"}, small...)},
		// Open loop, no dynamics, two strategies, failures bounded, processor sharing.
		{"rate.txt", []string{"-variants", "rest", "-strategies", "random,first-fit", "-rate", "5,40,120", "-steps", "10",
			"-dynamics=false", "-sched", "ps", "-arrivals", "const", "-slo", "p99=900ms,failed=0"}},
		// A small queue: the saturated station rejects requests.
		{"queue.txt", []string{"-variants", "mpi", "-users", "5,200", "-steps", "6", "-queue", "20", "-service", "const", "-cpu", "node", "-warmup", "1s"}},
		// Another application (-app): named in every format; it saturates within the grid.
		{"app.txt", appSmall},
		{"app.md", append([]string{"-format", "markdown"}, appSmall...)},
		{"app.csv", append([]string{"-format", "csv"}, appSmall...)},
		{"app.json", append([]string{"-format", "json"}, appSmall...)},
	} {
		t.Run(tc.file, func(t *testing.T) {
			first := runOK(t, tc.args...)
			if second := runOK(t, tc.args...); !bytes.Equal(first, second) {
				t.Fatalf("two runs printed different output")
			}
			golden.Check(t, tc.file, first)
		})
	}
	// The figure of the small grid.
	fig := filepath.Join(t.TempDir(), "small.svg")
	runOK(t, append([]string{"-plot", fig, "-format", "csv"}, small...)...)
	svg, err := os.ReadFile(fig)
	if err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "small.svg", svg)
	// The figure of -app: its title names the application.
	fig = filepath.Join(t.TempDir(), "app.svg")
	runOK(t, append([]string{"-plot", fig, "-format", "csv"}, appSmall...)...)
	if svg, err = os.ReadFile(fig); err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "app.svg", svg)
}

// appSmall runs a catalogue application (CRUDAPI: its gateway, 1 core and 6 ms per workflow,
// bounds it at 166.7 workflows/s) on a grid of 2 variants x 4 loads of 10-step runs with the
// dynamics off, first-fit (random placement finds no feasible placement within 10 steps):
// under a second, saturated at 16 users.
var appSmall = []string{"-app", filepath.Join("..", "..", "apps", "catalog", "crud_api.yaml"), "-strategies", "first-fit",
	"-dynamics=false", "-users", "1,4,16,64", "-steps", "10", "-slo", "p95=100ms"}

// TestAppSockShop: SockShop written as a spec (apps/catalog/sock_shop.yaml) gives, through
// -app, the rows the built-in SockShop gives, in every column (the CSV with -app has the
// application's name first).
func TestAppSockShop(t *testing.T) {
	args := append([]string{"-format", "csv"}, small...)
	want := strings.Split(strings.TrimSpace(string(runOK(t, args...))), "\n")
	got := strings.Split(strings.TrimSpace(string(runOK(t, append([]string{"-app", filepath.Join("..", "..", "apps", "catalog", "sock_shop.yaml")}, args...)...))), "\n")
	if len(got) != len(want) || len(want) != 7 {
		t.Fatalf("%d rows with -app, %d without", len(got), len(want))
	}
	for i := range want {
		name, rest, _ := strings.Cut(got[i], ",")
		if wantName := map[bool]string{true: "app", false: "SockShop"}[i == 0]; name != wantName || rest != want[i] {
			t.Errorf("row %d: -app gives %q, SockShop %q", i, got[i], want[i])
		}
	}
}

// TestWorkers: the output does not depend on the number of workers.
func TestWorkers(t *testing.T) {
	args := append([]string{"-format", "json", "-strategies", "random,best-fit"}, small...)
	one := runOK(t, append(args, "-workers", "1")...)
	for _, w := range []string{"2", "7"} {
		if got := runOK(t, append(args, "-workers", w)...); !bytes.Equal(got, one) {
			t.Errorf("-workers %s printed other output than -workers 1", w)
		}
	}
}

func TestOutputFiles(t *testing.T) {
	dir := t.TempDir()
	stdout := runOK(t, append([]string{"-format", "csv"}, small...)...)
	out := filepath.Join(dir, "sub", "c.csv")
	summary := runOK(t, append([]string{"-format", "csv", "-o", out, "-plot", filepath.Join(dir, "c.png")}, small...)...)
	if got, err := os.ReadFile(out); err != nil || !bytes.Equal(got, stdout) {
		t.Errorf("-o wrote other bytes than stdout (%v)", err)
	}
	if png, err := os.ReadFile(filepath.Join(dir, "c.png")); err != nil || !bytes.HasPrefix(png, []byte("\x89PNG")) {
		t.Errorf("-plot c.png: not a PNG (%v)", err)
	}
	lines := strings.Split(strings.TrimSpace(string(summary)), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "mpi random: ") || !strings.HasPrefix(lines[1], "rest random: ") {
		t.Errorf("with -o, stdout should hold the two summary lines, got %q", summary)
	}
	if q := runOK(t, append([]string{"-o", out, "-quiet"}, small...)...); len(q) != 0 {
		t.Errorf("-quiet with -o printed %q", q)
	}
	if entries, _ := os.ReadDir(filepath.Join(dir, "sub")); len(entries) != 1 {
		t.Errorf("-o left files behind: %v", entries)
	}
}

// TestProgress: the progress bar is drawn on a terminal only, and never with -quiet.
func TestProgress(t *testing.T) {
	for _, tc := range []struct {
		tty, quiet, want bool
	}{{false, false, false}, {true, false, true}, {true, true, false}} {
		c := newCLI()
		c.isTerminal = func(io.Writer) bool { return tc.tty }
		args := append([]string{"-format", "csv"}, small...)
		if tc.quiet {
			args = append(args, "-quiet")
		}
		var out, errb bytes.Buffer
		if code := c.main(args, &out, &errb); code != 0 {
			t.Fatalf("exit %d: %s", code, errb.String())
		}
		if got := strings.Contains(errb.String(), "capacity 6 runs"); got != tc.want {
			t.Errorf("tty %v quiet %v: progress bar %v, want %v (stderr %q)", tc.tty, tc.quiet, got, tc.want, errb.String())
		}
	}
}

func TestBadFlags(t *testing.T) {
	dir := t.TempDir()
	// -app inputs: a FIFO (opening it would block: refused before), a bad spec, a valid spec
	// that an output would overwrite.
	fifo := filepath.Join(dir, "fifo.yaml")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(dir, "bad.yaml")
	spare := filepath.Join(dir, "crud.yaml")
	spareSVG := filepath.Join(dir, "crud.svg") // a spec whatever its name: YAML unless it starts with '{'
	crud, err := os.ReadFile(filepath.Join("..", "..", "apps", "catalog", "crud_api.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []struct {
		path string
		data []byte
	}{{bad, []byte("name: X\nservices:\n  - name: a\n    endpoints: [{name: e, steps: [{call: {to: b/e}}]}]\nentry: {service: a, mix: [{endpoint: e, p: 1}]}\n")},
		{spare, crud}, {spareSVG, crud}} {
		if err := os.WriteFile(f.path, f.data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-users", "1,10", "-rate", "5"}, "-users and -rate exclude each other"},
		{[]string{"-users", ""}, "-users: empty list (valid: whole numbers of users from 1"},
		{[]string{"-users", "1,,5"}, `-users: bad element ""`},
		{[]string{"-users", "0,5"}, "-users: \"0\": users must be whole numbers in 1..100000, got 0"},
		{[]string{"-users", "2.5"}, `-users: bad element "2.5"`},
		{[]string{"-users", "5,5"}, "-users: load 5 users appears twice"},
		{[]string{"-rate", "-1"}, "-rate: \"-1\": rates must be in (0, 1e+09]"},
		{[]string{"-rate", "abc"}, `-rate: bad element "abc" (valid: positive rates`},
		{[]string{"-variants", "mpi,grpc"}, `-variants: unknown value "grpc" (valid: mpi, rest)`},
		{[]string{"-variants", ""}, `-variants: unknown value "" (valid: mpi, rest)`},
		{[]string{"-variants", "rest,rest"}, `-variants: "rest" appears twice`},
		{[]string{"-strategies", "static"}, `-strategies: unknown value "static" (valid: random, first-fit, best-fit, round-robin)`},
		{[]string{"-service", "gamma"}, `-service: unknown service-time distribution "gamma" (valid: none, const, exp, lognormal:CV)`},
		{[]string{"-service", "lognormal:0"}, `-service: service time "lognormal:0"`},
		{[]string{"-cpu", "gpu"}, `-cpu: unknown mode "gpu" (valid: service, node)`},
		{[]string{"-sched", "lifo"}, `-sched: unknown discipline "lifo" (valid: fcfs, ps)`},
		{[]string{"-links", "shared"}, `-links: unknown mode "shared" (valid: free, fair)`},
		{[]string{"-queue", "0"}, "-queue 0: must be in 1..10000000"},
		{[]string{"-think", "-1s"}, "-think -1s: must not be negative"},
		{[]string{"-think-dist", "gauss"}, `-think-dist: unknown distribution "gauss" (valid: const, exp)`},
		{[]string{"-rate", "5", "-think", "1s"}, "-think 1s: an open loop (-rate) has no think time"},
		{[]string{"-rate", "5", "-think-dist", "exp"}, "-think-dist: an open loop (-rate) has no think time"},
		{[]string{"-arrivals", "const"}, "-arrivals needs -rate"},
		{[]string{"-rate", "5", "-arrivals", "burst"}, `-arrivals: unknown process "burst" (valid: poisson, const)`},
		{[]string{"-warmup", "-1s"}, "-warmup -1s: must not be negative"},
		{[]string{"-warmup", "50s"}, "-warmup 50s: must be shorter than the run (-steps 100 x -step 500ms = 50s)"},
		{[]string{"-steps", "0"}, "-steps 0: must be at least 1"},
		{[]string{"-step", "0s"}, "-step 0s: must be positive"},
		{[]string{"-step", "-5ms"}, "-step -5ms: must be positive"},
		{[]string{"-timeout", "0s"}, "-timeout 0s: must be positive"},
		{[]string{"-nodes", "0"}, "-nodes 0: must be at least 1"},
		{[]string{"-workers", "0"}, "-workers 0: must be in 1..256"},
		{[]string{"-slo", ""}, "-slo: empty SLO"},
		{[]string{"-slo", "p90=1s"}, `-slo: SLO term "p90=1s": unknown statistic "p90" (valid: mean, p50, p95, p99, failed)`},
		{[]string{"-slo", "p95=-1s"}, `bad bound "-1s"`},
		{[]string{"-slo", "p95=1s,failed=150%"}, "bad failed fraction"},
		{[]string{"-format", "xml"}, `-format: unknown format "xml" (valid: table, markdown, csv, json)`},
		{[]string{"-plot", "fig.gif"}, `-plot: fig.gif: unknown figure format ".gif" (valid: .svg, .png)`},
		{[]string{"-o", "same.svg", "-plot", "./same.svg"}, "-o and -plot name the same file"},
		{[]string{"-o", dir}, "-o " + dir + ": is a directory"},
		{[]string{"-seed", "x"}, "invalid value"},
		{[]string{"extra"}, `unexpected argument "extra"`},
		{[]string{"-app", ""}, "-app: empty file name"},
		{[]string{"-app", filepath.Join(dir, "none.yaml")}, "-app " + filepath.Join(dir, "none.yaml") + ": no such file or directory"},
		{[]string{"-app", dir}, "-app " + dir + ": is a directory (want a file)"},
		{[]string{"-app", os.DevNull}, "-app " + os.DevNull + ": a device, not a regular file"},
		{[]string{"-app", fifo}, "-app " + fifo + ": a named pipe, not a regular file"},
		{[]string{"-app", bad}, "-app " + bad + ": apps: bad.yaml: "},
		{[]string{"-app", spare, "-o", spare}, "-app " + spare + " and -o " + spare + " are the same file"},
		{[]string{"-app", spareSVG, "-plot", spareSVG}, "-app " + spareSVG + " and -plot " + spareSVG + " are the same file"},
	} {
		var out, errb bytes.Buffer
		code := testCLI().main(tc.args, &out, &errb)
		if code != 2 || !strings.Contains(errb.String(), tc.want) || out.Len() > 0 ||
			(slices.Contains(tc.args, "-app") && strings.Count(errb.String(), "\n") != 1) {
			t.Errorf("capacity %q: exit %d, stdout %q, stderr %q; want exit 2 mentioning (one line for -app) %q", tc.args, code, out.String(), errb.String(), tc.want)
		}
	}
	var out, errb bytes.Buffer
	if code := testCLI().main([]string{"-h"}, &out, &errb); code != 0 {
		t.Errorf("-h: exit %d", code)
	}
	for _, flag := range []string{"-variants", "-strategies", "-users", "-rate", "-arrivals", "-think", "-think-dist", "-service", "-cpu", "-sched",
		"-links", "-queue", "-warmup", "-steps", "-step", "-seed", "-nodes", "-dynamics", "-timeout", "-slo", "-workers", "-format", "-o", "-plot", "-quiet",
		"-app", "Any application", "Saturation point", "Limits", "Exit codes", "default -users 1,10,25"} {
		if !strings.Contains(errb.String(), flag) {
			t.Errorf("-h does not mention %s", flag)
		}
	}
}

// TestRunFailure: a run that fails exits 1 and names the run.
func TestRunFailure(t *testing.T) {
	c := testCLI()
	c.runSim = func(cfg sockshop.Config) (*sockshop.Result, error) {
		if cfg.Variant == "rest" && cfg.Workload.Users == 10 {
			return nil, errors.New("sockshop: boom")
		}
		return sockshop.Run(cfg)
	}
	var out, errb bytes.Buffer
	if code := c.main(small, &out, &errb); code != 1 || !strings.Contains(errb.String(), "capacity: rest random at 10 users: sockshop: boom") || out.Len() > 0 {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out.String(), errb.String())
	}
}

// resultsArgs is the command line of `make results` that writes results/capacity/ (the
// study's default, CSV into the file, the figure beside it).
var resultsArgs = []string{"-format", "csv", "-o", "results/capacity/latency-throughput.csv",
	"-plot", "results/capacity/latency-throughput.svg", "-quiet"}

// TestResultsAreFresh fails when results/capacity/ no longer matches what `make results`
// writes: the default study's CSV, its Markdown tables and its figure. It runs the study once
// and renders the three from the same report, as the commands do.
func TestResultsAreFresh(t *testing.T) {
	if raceEnabled {
		t.Skip("the full default study takes about 20 s under the race detector; the run without -race checks the results")
	}
	o, err := testCLI().parse(resultsArgs, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := capacity.Run(o.spec, capacity.Options{Workers: o.workers})
	if err != nil {
		t.Fatal(err)
	}
	var csv, md, svg bytes.Buffer
	if err := rep.Write(&csv, "csv"); err != nil {
		t.Fatal(err)
	}
	if err := rep.Write(&md, "markdown"); err != nil {
		t.Fatal(err)
	}
	p, err := rep.Plot()
	if err != nil {
		t.Fatal(err)
	}
	if err := plots.Render(p, "svg", &svg); err != nil {
		t.Fatal(err)
	}
	for _, f := range []struct {
		name string
		got  []byte
	}{{"latency-throughput.csv", csv.Bytes()}, {"capacity.md", md.Bytes()}, {"latency-throughput.svg", svg.Bytes()}} {
		want, err := os.ReadFile(filepath.Join("..", "..", "results", "capacity", f.name))
		if err != nil || !bytes.Equal(f.got, want) {
			t.Errorf("results/capacity/%s is stale (%v): run `make results` and commit it", f.name, err)
		}
	}
}
