package main

import (
	"fmt"
	"path/filepath"
	"sync"
	"sync/atomic"

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
	if p.outDir != "" {
		dir := filepath.Join(p.outDir, runDirName(k))
		meta := report.Meta{Program: "sweep", Version: p.version, Format: p.format,
			Extra: map[string]string{"run": fmt.Sprint(k + 1), "runs": fmt.Sprint(p.g.total)},
			Runs:  []sockshop.Config{cfg}}
		if err := report.WriteConfig(dir, meta); err != nil {
			return outcome{k: k, fatal: fmt.Errorf("sweep: run %d: %w", k+1, err)}
		}
		var err error
		if w, err = report.NewWriter(dir, cfg.Variant, p.format); err != nil {
			return outcome{k: k, fatal: fmt.Errorf("sweep: run %d: %w", k+1, err)}
		}
		cfg.Observer = w
	}
	res, err := safeRun(p.run, cfg, k)
	if w != nil {
		if err == nil {
			if ferr := w.Finish(res); ferr != nil {
				return outcome{k: k, fatal: fmt.Errorf("sweep: run %d: %w", k+1, ferr)}
			}
		} else {
			w.Close()
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
