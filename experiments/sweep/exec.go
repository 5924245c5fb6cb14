package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/edgesim/edgesim/internal/cli"
	"github.com/edgesim/edgesim/internal/report"
	"github.com/edgesim/edgesim/sockshop"
)

// RunFunc runs one simulation; sockshop.Run in the command, fakes in tests.
type RunFunc func(sockshop.Config) (*sockshop.Result, error)

// plan is the work of one sweep invocation: runs [lo, hi) of the grid.
type plan struct {
	g       *grid
	lo, hi  int
	workers int
	run     RunFunc
	outDir  string // "" = no per-run report directories
	format  report.Format
	version string
}

type outcome struct {
	k     int
	line  string
	fatal error // the sweep cannot go on (a report directory cannot be written)
}

// runDirName is the report directory of run k (0-based): run-000001 for the first run; at
// least 6 digits, more for grids beyond 999 999 runs.
func runDirName(k int) string { return fmt.Sprintf("run-%06d", k+1) }

// execute runs the plan on p.workers goroutines, each run single-threaded and independent,
// and calls emit with the CSV line of every run in increasing run order, whatever the order
// the runs finish in (later lines wait in a buffer of at most 64 per worker). done is called
// once per finished run, in completion order, on the calling goroutine. The first error of
// emit or a fatal run error stops the sweep and is returned.
func execute(p plan, emit func(k int, line string) error, done func()) error {
	workers := max(p.workers, 1)
	window := 64 * workers
	jobs := make(chan int)
	results := make(chan outcome, workers)
	tokens := make(chan struct{}, window) // bounds the runs started but not yet emitted
	var stop atomic.Bool
	quit := make(chan struct{})

	go func() {
		defer close(jobs)
		for k := p.lo; k < p.hi && !stop.Load(); k++ {
			select {
			case tokens <- struct{}{}:
			case <-quit:
				return
			}
			select {
			case jobs <- k:
			case <-quit:
				return
			}
		}
	}()
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range jobs {
				results <- p.one(k)
			}
		}()
	}
	go func() { wg.Wait(); close(results) }()

	pending := map[int]string{}
	next := p.lo
	var first error
	fail := func(err error) {
		if first == nil {
			first = err
			stop.Store(true)
			close(quit)
		}
	}
	for o := range results {
		done()
		if first != nil {
			continue // drain
		}
		if o.fatal != nil {
			fail(o.fatal)
			continue
		}
		pending[o.k] = o.line
		for {
			line, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			if err := emit(next, line); err != nil {
				fail(err)
				break
			}
			next++
			<-tokens
		}
	}
	return first
}

// one runs run k: its config, its report directory if asked, the simulation (a panic is
// turned into the run's error), and its CSV line.
func (p plan) one(k int) outcome {
	cfg := p.g.config(k)
	var w *report.Writer
	var rd *cli.ReportDir
	if p.outDir != "" {
		// written into a temporary directory and renamed over DIR/run-NNNNNN when complete
		var err error
		if rd, err = cli.PrepareReportDir("-out", filepath.Join(p.outDir, runDirName(k)), "sweep", report.IsReportFile); err != nil {
			return outcome{k: k, fatal: fmt.Errorf("sweep: run %d: %w", k+1, err)}
		}
		defer rd.Abort()
		meta := report.Meta{Program: "sweep", Version: p.version, Format: p.format,
			Extra: map[string]string{"run": fmt.Sprint(k + 1), "runs": fmt.Sprint(p.g.total)},
			Runs:  []sockshop.Config{cfg}}
		if err := report.WriteConfig(rd.Tmp, meta); err != nil {
			return outcome{k: k, fatal: fmt.Errorf("sweep: run %d: %w", k+1, err)}
		}
		if w, err = report.NewWriter(rd.Tmp, cfg.Variant, p.format); err != nil {
			return outcome{k: k, fatal: fmt.Errorf("sweep: run %d: %w", k+1, err)}
		}
		cfg.Observer = w
	}
	res, err := safeRun(p.run, cfg, k)
	if w != nil {
		// a failed run keeps the tables written so far (its error is in the row)
		var ferr error
		if err == nil {
			ferr = w.Finish(res)
		} else {
			ferr = w.Close()
		}
		if ferr == nil {
			ferr = rd.Commit()
		}
		if ferr != nil {
			return outcome{k: k, fatal: fmt.Errorf("sweep: run %d: %w", k+1, ferr)}
		}
	}
	cfg.Observer = nil
	return outcome{k: k, line: rowLine(k, p.g.total, cfg, res, err)}
}

func safeRun(run RunFunc, cfg sockshop.Config, k int) (res *sockshop.Result, err error) {
	defer func() {
		if r := recover(); r != nil {
			res, err = nil, fmt.Errorf("sweep: run %d panicked: %v", k+1, r)
		}
	}()
	res, err = run(cfg)
	if err == nil && res == nil {
		err = fmt.Errorf("sweep: run %d: no result", k+1)
	}
	return res, err
}

// runIndex is k for a run directory name "run-NNNNNN" (k+1 written with at least 6 digits).
func runIndex(name string) (int, bool) {
	digits, ok := strings.CutPrefix(name, "run-")
	if !ok || len(digits) < 6 {
		return 0, false
	}
	n, err := strconv.Atoi(digits)
	if err != nil || n < 1 || runDirName(n-1) != name {
		return 0, false
	}
	return n - 1, true
}

// checkOutDir checks -out DIR before any run. DIR must not exist, be empty, or hold only run
// directories of this same grid (a run directory whose config.json names another grid size
// or another configuration is from an earlier sweep, and would be left beside the new
// ones). The run directories of [lo, hi), which this sweep replaces, must hold nothing but a
// report's files.
func checkOutDir(dir string, g *grid, lo, hi int) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return usagef("-out %s: %v", dir, err)
	}
	another := "it is from another sweep: give a new or empty directory"
	for _, e := range entries {
		name := e.Name()
		if cli.IsTemp(name) {
			continue
		}
		k, ok := runIndex(name)
		if !ok || !e.IsDir() {
			return usagef("-out %s holds %s, which is not a run directory (run-NNNNNN) of a sweep: give a new or empty directory", dir, name)
		}
		if k >= g.total {
			return usagef("-out %s holds %s, beyond the %d runs of this grid: %s", dir, name, g.total, another)
		}
		path := filepath.Join(dir, name)
		meta, err := cli.ReadReportMeta(path)
		if err != nil || meta.Program != "sweep" || meta.Extra["runs"] != strconv.Itoa(g.total) || len(meta.Runs) != 1 || !sameConfig(meta.Runs[0], g.config(k)) {
			return usagef("-out %s: %s is not run %d of this grid (its config.json differs): %s", dir, name, k+1, another)
		}
		if k >= lo && k < hi {
			if _, err := cli.CheckReportDir("-out", path, "sweep", report.IsReportFile); err != nil {
				return prefix(err)
			}
		}
	}
	return nil
}

// sameConfig compares a config.json run with a config.
func sameConfig(raw json.RawMessage, c sockshop.Config) bool {
	var a bytes.Buffer
	if json.Compact(&a, raw) != nil {
		return false
	}
	b, err := json.Marshal(c)
	return err == nil && bytes.Equal(a.Bytes(), b)
}
