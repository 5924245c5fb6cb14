package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/edgesim/edgesim/internal/golden"
	"github.com/edgesim/edgesim/scenario"
	"github.com/edgesim/edgesim/sockshop"
)

// realCLI runs real simulations, with no terminal and an empty environment.
func realCLI() *command {
	c := newCLI()
	c.getenv = func(string) string { return "" }
	c.isTerminal = func(io.Writer) bool { return false }
	c.version = "test"
	return c
}

// fakeCLI runs a fake simulation whose result is a function of the config only, and whose
// duration varies with the seed so runs finish out of order with several workers.
func fakeCLI() *command {
	c := realCLI()
	c.defaults = func(v string) sockshop.Config {
		return sockshop.Config{Config: scenario.Config{Variant: v, Seed: 22, Steps: 100, StepLength: 500_000_000, Nodes: 30,
			Partitioning: []float64{0.6, 0.1, 0.15, 0.15}, Strategy: "random", Dynamics: true,
			FlapDown: 0.02, FlapUp: 0.5, Model: "eclypse", Timeout: 10_000_000_000}}
	}
	c.run = fakeRun
	return c
}

func fakeRun(cfg sockshop.Config) (*sockshop.Result, error) {
	time.Sleep(time.Duration(cfg.Seed%4) * 200 * time.Microsecond)
	switch cfg.Seed {
	case 13:
		return nil, errors.New("sockshop: no feasible placement,\nreally")
	case 17:
		panic("boom")
	}
	h := cfg.Seed*31 + uint64(cfg.Nodes)*7 + uint64(len(cfg.Variant)) + uint64(cfg.FlapDown*1000)
	lat := []float64{float64(h%97) + 0.5, float64(h%89) + 1.25, float64(h%83) + 2.125}
	for _, l := range lat {
		if cfg.Observer != nil {
			if err := cfg.Observer.ObserveStep(sockshop.StepSnapshot{Stats: sockshop.StepStats{Step: 1, Completed: 1, Latency: sockshop.Summary{Mean: l}}}); err != nil {
				return nil, err
			}
		}
	}
	return &sockshop.Result{Result: scenario.Result{Variant: cfg.Variant, Workflows: 3, Failed: int(h % 3), LatenciesMS: lat,
		Latency:  sockshop.Summary{Mean: (lat[0] + lat[1] + lat[2]) / 3, P50: lat[1], P95: lat[2], P99: lat[2], Max: lat[2]},
		Messages: int(h % 1000), Bytes: int(h % 100000), Lost: int(h % 5)}}, nil
}

func runCLI(c *command, args ...string) (code int, stdout, stderr string) {
	var o, e bytes.Buffer
	code = c.main(args, &o, &e)
	return code, o.String(), e.String()
}

// smallReal is a real sweep small enough for unit tests (16 runs of 3 steps).
var smallReal = []string{"-seeds", "1-4", "-variants", "mpi,rest", "-strategies", "random,first-fit", "-steps", "3", "-quiet"}

func TestWorkersGiveIdenticalFiles(t *testing.T) {
	for _, tc := range []struct {
		name string
		c    *command
		args []string
	}{
		{"real", realCLI(), smallReal},
		{"fake-out-of-order", fakeCLI(), []string{"-seeds", "1-40", "-nodes", "30,100", "-quiet"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var outs []string
			for _, w := range []string{"1", "2", "5"} {
				code, out, errOut := runCLI(tc.c, append([]string{"-workers", w}, tc.args...)...)
				if code != 0 {
					t.Fatalf("workers %s: exit %d: %s", w, code, errOut)
				}
				outs = append(outs, out)
			}
			if outs[0] != outs[1] || outs[0] != outs[2] {
				t.Fatal("the sweep file depends on the number of workers")
			}
			if n := strings.Count(outs[0], "\n"); n < 17 {
				t.Fatalf("only %d lines", n)
			}
		})
	}
}

func TestGoldenSweep(t *testing.T) {
	code, out, errOut := runCLI(realCLI(), smallReal...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	golden.Check(t, "small.csv", []byte(out))
	code, out, errOut = runCLI(fakeCLI(), "-seeds", "11-18", "-flap", "0,0.05", "-workers", "3")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	golden.Check(t, "fake.csv", []byte(out))
	golden.Check(t, "fake-summary.txt", []byte(errOut))
}

func TestRunOrderAndColumns(t *testing.T) {
	_, out, _ := runCLI(fakeCLI(), "-seeds", "1-2", "-variants", "rest,mpi", "-nodes", "30,100", "-quiet")
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if lines[0] != strings.Join(header(), ",") {
		t.Fatalf("header %q", lines[0])
	}
	// variants slowest (in the order given), then nodes, seeds fastest
	want := []string{"1,8,rest,random,30,", "2,8,rest,random,30,", "3,8,rest,random,100,", "4,8,rest,random,100,",
		"5,8,mpi,random,30,", "6,8,mpi,random,30,", "7,8,mpi,random,100,", "8,8,mpi,random,100,"}
	for i, w := range want {
		if !strings.HasPrefix(lines[i+1], w) {
			t.Errorf("row %d = %q, want prefix %q", i+1, lines[i+1], w)
		}
		if n := strings.Count(lines[i+1], ",") + 1; n != len(header()) {
			t.Errorf("row %d has %d fields, want %d", i+1, n, len(header()))
		}
	}
}

func TestFailedRunsAreRows(t *testing.T) {
	code, out, errOut := runCLI(fakeCLI(), "-seeds", "12-18", "-variants", "mpi", "-workers", "2")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, `,"sockshop: no feasible placement, really"`+"\n") {
		t.Errorf("run error not recorded on one line:\n%s", out)
	}
	if !strings.Contains(out, ",sweep: run 6 panicked: boom\n") {
		t.Errorf("panic not recorded:\n%s", out)
	}
	if !strings.Contains(errOut, "2 of 7 runs failed") {
		t.Errorf("no failure note on stderr: %s", errOut)
	}
}

func TestShardsMergeToTheUnshardedFile(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name string
		c    *command
		args []string
		n    int
	}{
		{"real", realCLI(), smallReal, 3},
		{"fake-more-shards-than-runs", fakeCLI(), []string{"-seeds", "1-5", "-variants", "mpi", "-quiet"}, 7},
	} {
		t.Run(tc.name, func(t *testing.T) {
			whole := filepath.Join(dir, tc.name+"-whole.csv")
			if code, _, e := runCLI(tc.c, append(tc.args, "-o", whole)...); code != 0 {
				t.Fatal(e)
			}
			var parts []string
			for i := tc.n - 1; i >= 0; i-- { // any order
				p := filepath.Join(dir, fmt.Sprintf("%s-%d.csv", tc.name, i))
				if code, _, e := runCLI(tc.c, append(tc.args, "-shard", fmt.Sprintf("%d/%d", i, tc.n), "-o", p)...); code != 0 {
					t.Fatal(e)
				}
				parts = append(parts, p)
			}
			merged := filepath.Join(dir, tc.name+"-merged.csv")
			if code, _, e := runCLI(tc.c, append([]string{"merge", "-o", merged}, parts...)...); code != 0 {
				t.Fatal(e)
			}
			a, _ := os.ReadFile(whole)
			b, _ := os.ReadFile(merged)
			if !bytes.Equal(a, b) {
				t.Fatalf("merged shards differ from the unsharded file\nwhole:\n%s\nmerged:\n%s", a, b)
			}
			code, out, _ := runCLI(tc.c, append([]string{"merge"}, parts...)...)
			if code != 0 || out != string(a) {
				t.Fatal("merge to stdout differs")
			}

			// errors: overlap, missing, header
			if code, _, e := runCLI(tc.c, append([]string{"merge"}, append(parts, parts[0])...)...); code != 2 || !strings.Contains(e, "overlapping") {
				t.Errorf("overlap: exit %d, %s", code, e)
			}
			if code, _, e := runCLI(tc.c, append([]string{"merge"}, parts[1:]...)...); code != 2 || !strings.Contains(e, "missing") {
				t.Errorf("missing shard: exit %d, %s", code, e)
			}
		})
	}
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("run,runs,variant\n1,1,mpi\n"), 0o644)
	if code, _, e := runCLI(fakeCLI(), "merge", bad); code != 2 || !strings.Contains(e, "header") {
		t.Errorf("bad header: exit %d, %s", code, e)
	}
	if code, _, e := runCLI(fakeCLI(), "merge"); code != 2 {
		t.Errorf("merge without files: exit %d, %s", code, e)
	}
}

func TestShardBoundsCoverTheGrid(t *testing.T) {
	for _, total := range []int{0, 1, 7, 100, 1001} {
		for _, n := range []int{1, 2, 3, 8, 1000} {
			next := 0
			for i := range n {
				lo, hi := shard{i, n}.bounds(total)
				if lo != next || hi < lo || hi-lo > total/n+1 {
					t.Fatalf("total %d, shard %d/%d: [%d,%d), want start %d", total, i, n, lo, hi, next)
				}
				next = hi
			}
			if next != total {
				t.Fatalf("total %d, %d shards end at %d", total, n, next)
			}
		}
	}
}

func TestShardAuto(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want shard
		err  string // substring; "" = no error
	}{
		{"k8s", map[string]string{"JOB_COMPLETION_INDEX": "3", "SWEEP_SHARDS": "10"}, shard{3, 10}, ""},
		{"k8s first", map[string]string{"JOB_COMPLETION_INDEX": "0", "SWEEP_SHARDS": "1"}, shard{0, 1}, ""},
		{"k8s wins over slurm", map[string]string{"JOB_COMPLETION_INDEX": "1", "SWEEP_SHARDS": "2", "SLURM_ARRAY_TASK_ID": "5", "SLURM_ARRAY_TASK_MIN": "0", "SLURM_ARRAY_TASK_COUNT": "9"}, shard{1, 2}, ""},
		{"k8s without count", map[string]string{"JOB_COMPLETION_INDEX": "3"}, shard{}, "SWEEP_SHARDS"},
		{"k8s index too big", map[string]string{"JOB_COMPLETION_INDEX": "10", "SWEEP_SHARDS": "10"}, shard{}, "0 <= index < count"},
		{"k8s not a number", map[string]string{"JOB_COMPLETION_INDEX": "x", "SWEEP_SHARDS": "10"}, shard{}, "not an integer"},
		{"slurm count", map[string]string{"SLURM_ARRAY_TASK_ID": "4", "SLURM_ARRAY_TASK_MIN": "0", "SLURM_ARRAY_TASK_COUNT": "100"}, shard{4, 100}, ""},
		{"slurm from 1", map[string]string{"SLURM_ARRAY_TASK_ID": "1", "SLURM_ARRAY_TASK_MIN": "1", "SLURM_ARRAY_TASK_MAX": "100"}, shard{0, 100}, ""},
		{"slurm all three", map[string]string{"SLURM_ARRAY_TASK_ID": "100", "SLURM_ARRAY_TASK_MIN": "1", "SLURM_ARRAY_TASK_MAX": "100", "SLURM_ARRAY_TASK_COUNT": "100", "SLURM_ARRAY_TASK_STEP": "1"}, shard{99, 100}, ""},
		{"slurm step", map[string]string{"SLURM_ARRAY_TASK_ID": "2", "SLURM_ARRAY_TASK_MIN": "0", "SLURM_ARRAY_TASK_MAX": "10", "SLURM_ARRAY_TASK_STEP": "2"}, shard{}, "step 2"},
		{"slurm holes", map[string]string{"SLURM_ARRAY_TASK_ID": "2", "SLURM_ARRAY_TASK_MIN": "0", "SLURM_ARRAY_TASK_MAX": "10", "SLURM_ARRAY_TASK_COUNT": "3"}, shard{}, "contiguous"},
		{"slurm no min", map[string]string{"SLURM_ARRAY_TASK_ID": "2", "SLURM_ARRAY_TASK_COUNT": "3"}, shard{}, "SLURM_ARRAY_TASK_MIN"},
		{"slurm no count", map[string]string{"SLURM_ARRAY_TASK_ID": "2", "SLURM_ARRAY_TASK_MIN": "0"}, shard{}, "SLURM_ARRAY_TASK_COUNT"},
		{"slurm id below min", map[string]string{"SLURM_ARRAY_TASK_ID": "0", "SLURM_ARRAY_TASK_MIN": "1", "SLURM_ARRAY_TASK_COUNT": "3"}, shard{}, "0 <= index < count"},
		{"nothing", map[string]string{}, shard{}, "neither JOB_COMPLETION_INDEX"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseShard("auto", func(k string) string { return tt.env[k] })
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("got %v, %v; want error containing %q", got, err, tt.err)
				}
				var ue *usageError
				if !errors.As(err, &ue) {
					t.Fatalf("%v is not a usage error", err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("got %v, %v; want %v", got, err, tt.want)
			}
		})
	}
}

func TestShardAutoFromEnvironment(t *testing.T) {
	env := map[string]string{"JOB_COMPLETION_INDEX": "1", "SWEEP_SHARDS": "2"}
	c := fakeCLI()
	c.getenv = func(k string) string { return env[k] }
	_, out, _ := runCLI(c, "-seeds", "1-4", "-variants", "mpi", "-shard", "auto", "-quiet")
	if !strings.HasPrefix(strings.SplitN(out, "\n", 3)[1], "3,4,") {
		t.Fatalf("shard 1/2 of 4 runs should start at run 3:\n%s", out)
	}
}

func TestBadFlags(t *testing.T) {
	tests := []struct {
		args []string
		want []string // substrings of stderr
	}{
		{[]string{"-strategies", "random,worst-fit"}, []string{`"worst-fit"`, "random, first-fit, best-fit, round-robin"}},
		{[]string{"-strategies", "static"}, []string{"valid: random"}},
		{[]string{"-variants", "grpc"}, []string{`"grpc"`, "mpi, rest"}},
		{[]string{"-variants", ""}, []string{"valid: mpi, rest"}},
		{[]string{"-seeds", "5-1"}, []string{"empty range", "A <= B"}},
		{[]string{"-seeds", "1,,2"}, []string{"empty element"}},
		{[]string{"-seeds", "a"}, []string{"bad element"}},
		{[]string{"-seeds", "1-3,2"}, []string{"given twice"}},
		{[]string{"-seeds", "0-1000000000"}, []string{"2000000002 runs", "1000000001 seeds"}},
		{[]string{"-nodes", "0"}, []string{"out of range"}},
		{[]string{"-nodes", "30,30"}, []string{"given twice"}},
		{[]string{"-flap", "1.5"}, []string{"probabilities from 0 to 1"}},
		{[]string{"-step", "0"}, []string{"positive durations"}},
		{[]string{"-think", "-1s"}, []string{"non-negative durations"}},
		{[]string{"-model", "fast"}, []string{"eclypse, latency"}},
		{[]string{"-partitioning", "0.6:x"}, []string{"bad fraction"}},
		{[]string{"-shard", "3/3"}, []string{"i/n with 0 <= i < n"}},
		{[]string{"-shard", "a/b"}, []string{"i/n with 0 <= i < n"}},
		{[]string{"-shard", "auto"}, []string{"neither JOB_COMPLETION_INDEX"}},
		{[]string{"-workers", "0"}, []string{"-workers", "from 1 to 256"}},
		{[]string{"-report-format", "xml"}, []string{"csv, jsonl"}},
		{[]string{"-nope"}, []string{"flag provided but not defined"}},
		{[]string{"extra"}, []string{"unexpected argument"}},
		{[]string{"-seeds", "1-20000", "-nodes", "1-4000"}, []string{"160000000 runs", "2 variants x 4000 nodes x 20000 seeds", "limit of 1000000"}},
		{[]string{"plot", "-in", "x.csv", "-x", "strategy", "-y", "latency_mean_ms", "-o", "a.svg"}, []string{"-x", "nodes, flap_down"}},
		{[]string{"plot", "-in", "x.csv", "-x", "nodes", "-y", "speed", "-o", "a.svg"}, []string{"-y", "workflows, failed"}},
		{[]string{"plot", "-in", "x.csv", "-x", "nodes", "-y", "failed", "-o", "a.pdf"}, []string{"-o a.pdf", ".svg or .png"}},
		{[]string{"plot", "-x", "nodes", "-y", "failed", "-o", "a.svg"}, []string{"-in FILE is required"}},
		{[]string{"summary"}, []string{"-in FILE is required"}},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			c := fakeCLI()
			c.run = func(sockshop.Config) (*sockshop.Result, error) {
				t.Fatal("a run started despite the bad flags")
				return nil, nil
			}
			code, out, errOut := runCLI(c, tt.args...)
			if code != 2 {
				t.Fatalf("exit %d, want 2; stderr: %s", code, errOut)
			}
			if out != "" {
				t.Errorf("stdout not empty: %q", out)
			}
			for _, w := range tt.want {
				if !strings.Contains(errOut, w) {
					t.Errorf("stderr %q does not contain %q", errOut, w)
				}
			}
		})
	}
}

func TestHelpListsEveryFlag(t *testing.T) {
	code, out, errOut := runCLI(fakeCLI(), "-h")
	if code != 0 || out != "" {
		t.Fatalf("exit %d, stdout %q", code, out)
	}
	for _, f := range []string{"-seeds", "-variants", "-strategies", "-nodes", "-partitioning", "-flap", "-flap-up", "-steps",
		"-step", "-model", "-think", "-timeout", "-decline", "-workers", "-o", "-out", "-report-format", "-summary", "-shard",
		"-quiet", "merge", "plot", "summary", "JOB_COMPLETION_INDEX", "SLURM_ARRAY_TASK_ID"} {
		if !strings.Contains(errOut, f) {
			t.Errorf("-h does not mention %s", f)
		}
	}
	for _, sub := range []string{"merge", "plot", "summary"} {
		if code, _, e := runCLI(fakeCLI(), sub, "-h"); code != 0 || !strings.Contains(e, "Usage: sweep "+sub) {
			t.Errorf("%s -h: exit %d: %s", sub, code, e)
		}
	}
}

func TestCI95(t *testing.T) {
	c := ci95([]float64{1, 2, 3, nan})
	// t(0.975, 2) = 4.302653, s = 1, n = 3
	if c.n != 3 || c.mean != 2 || c.half < 2.484137 || c.half > 2.484139 {
		t.Fatalf("ci95 = %+v", c)
	}
	if c := ci95([]float64{5}); c.mean != 5 || c.n != 1 || c.half == c.half {
		t.Fatalf("one value: %+v", c)
	}
	if c := ci95(nil); c.n != 0 || c.mean == c.mean {
		t.Fatalf("no value: %+v", c)
	}
}

func TestSummaryFiles(t *testing.T) {
	dir := t.TempDir()
	file, sum := filepath.Join(dir, "s.csv"), filepath.Join(dir, "sum.csv")
	code, out, errOut := runCLI(fakeCLI(), "-seeds", "1-5", "-flap", "0,0.05", "-o", file, "-summary", sum)
	if code != 0 {
		t.Fatal(errOut)
	}
	// with -o, the table goes to stdout
	if !strings.Contains(out, "flap_down") || !strings.Contains(out, "±") {
		t.Errorf("no summary table on stdout:\n%s", out)
	}
	got, _ := os.ReadFile(sum)
	golden.Check(t, "fake-summary.csv", got)
	code, out2, _ := runCLI(fakeCLI(), "summary", "-in", file, "-summary", sum+"2")
	again, _ := os.ReadFile(sum + "2")
	if code != 0 || out2 != out || !bytes.Equal(got, again) {
		t.Errorf("sweep summary -in differs from the sweep's own summary")
	}
}

func TestOutDirs(t *testing.T) {
	var trees []string
	for _, w := range []string{"1", "2"} {
		dir := t.TempDir()
		args := []string{"-workers", w, "-out", dir, "-seeds", "1-2", "-variants", "mpi,rest", "-steps", "2", "-quiet"}
		if code, _, e := runCLI(realCLI(), args...); code != 0 {
			t.Fatal(e)
		}
		var b strings.Builder
		filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
			if err != nil || info.IsDir() {
				return err
			}
			data, _ := os.ReadFile(p)
			rel, _ := filepath.Rel(dir, p)
			fmt.Fprintf(&b, "== %s\n%s", rel, data)
			return nil
		})
		trees = append(trees, b.String())
	}
	if trees[0] != trees[1] {
		t.Fatal("report directories depend on the number of workers")
	}
	for _, f := range []string{"== run-000001/config.json", "== run-000001/mpi/steps.csv", "== run-000003/rest/nodes.csv", "== run-000004/rest/summary.csv"} {
		if !strings.Contains(trees[0], f+"\n") {
			t.Errorf("missing %s", f)
		}
	}
}

func TestPlotCmd(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "s.csv")
	if code, _, e := runCLI(fakeCLI(), "-seeds", "1-6", "-nodes", "30,100,300", "-quiet", "-o", file); code != 0 {
		t.Fatal(e)
	}
	var figs [][]byte
	for i := range 2 {
		fig := filepath.Join(dir, fmt.Sprintf("f%d.svg", i))
		if code, _, e := runCLI(fakeCLI(), "plot", "-in", file, "-x", "nodes", "-y", "latency_mean_ms", "-by", "variant", "-o", fig); code != 0 {
			t.Fatal(e)
		}
		b, _ := os.ReadFile(fig)
		figs = append(figs, b)
	}
	if !bytes.Equal(figs[0], figs[1]) || !bytes.Contains(figs[0], []byte("<svg")) {
		t.Fatal("two plots of the same file differ")
	}
	png := filepath.Join(dir, "f.png")
	if code, _, e := runCLI(fakeCLI(), "plot", "-in", file, "-x", "nodes", "-y", "lost", "-by", "", "-where", "variant=mpi", "-o", png); code != 0 {
		t.Fatal(e)
	}
	if code, _, e := runCLI(fakeCLI(), "plot", "-in", file, "-x", "nodes", "-y", "lost", "-where", "variant=grpc", "-o", png); code != 2 || !strings.Contains(e, "matches no row") {
		t.Errorf("empty selection: exit %d: %s", code, e)
	}
}

// TestInvalidConfigIsAUsageError: a combination the simulation refuses (here a default
// config without timeout) stops the sweep before any run, with exit code 2.
func TestInvalidConfigIsAUsageError(t *testing.T) {
	c := fakeCLI()
	def := c.defaults
	c.defaults = func(v string) sockshop.Config { cfg := def(v); cfg.Timeout = 0; return cfg }
	c.run = func(sockshop.Config) (*sockshop.Result, error) { t.Fatal("a run started"); return nil, nil }
	code, out, errOut := runCLI(c, "-seeds", "1-3")
	if code != 2 || out != "" || !strings.Contains(errOut, "timeout must be positive") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}

// TestResultsAreFresh re-runs the sweeps of `make results` and fails when the committed
// files under results/sweep differ.
func TestResultsAreFresh(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the sweeps of make results")
	}
	dir := t.TempDir()
	for _, tc := range []struct {
		args  []string
		files []string
	}{
		{[]string{"-seeds", "1-10", "-strategies", "random,first-fit,best-fit", "-nodes", "30,100,300", "-quiet"}, []string{"sweep.csv", "summary.csv"}},
		{[]string{"-seeds", "1-10", "-flap", "0,0.02,0.05,0.1,0.2", "-quiet"}, []string{"flap.csv", "flap-summary.csv"}},
	} {
		args := append(tc.args, "-o", filepath.Join(dir, tc.files[0]), "-summary", filepath.Join(dir, tc.files[1]))
		if code, _, stderr := runCLI(realCLI(), args...); code != 0 {
			t.Fatalf("sweep %v: exit %d: %s", args, code, stderr)
		}
		for _, f := range tc.files {
			got, _ := os.ReadFile(filepath.Join(dir, f))
			want, err := os.ReadFile(filepath.Join("..", "..", "results", "sweep", f))
			if err != nil || !bytes.Equal(got, want) {
				t.Errorf("results/sweep/%s is stale (%v): run `make results` and commit it", f, err)
			}
		}
	}
}
