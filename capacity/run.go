package capacity

import (
	"fmt"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/edgesim/edgesim/scenario"
	"github.com/edgesim/edgesim/sockshop"
)

// RunFunc runs one simulation: sockshop.Run, Spec.App's run (AppRun), or a fake in tests.
type RunFunc func(sockshop.Config) (*sockshop.Result, error)

// Options say how Run executes a Spec; none of them changes the Report.
type Options struct {
	// Workers is the number of runs executed at once (each run is single-threaded); at
	// least 1.
	Workers int
	// Run runs one simulation; nil means sockshop.Run, or AppRun(spec.App) when the Spec has
	// an App.
	Run RunFunc
	// Done, when not nil, is called once per finished run, in completion order, on the
	// goroutine that called Run (for a progress bar).
	Done func()
}

// Run validates spec, runs its grid and analyses every group. The Report does not depend on
// opt (package doc). A run that fails or panics fails the study: the error returned is that
// of the first failed run in grid order, naming its variant, strategy and load.
func Run(spec Spec, opt Options) (*Report, error) {
	spec.Loads = slices.Clone(spec.Loads) // Validate sorts them: leave the caller's alone
	if err := spec.Validate(); err != nil {
		return nil, err
	}
	run := opt.Run
	switch {
	case run != nil:
	case spec.App != nil:
		run = AppRun(spec.App)
	default:
		run = sockshop.Run
	}
	n := spec.Runs()
	workers := min(max(opt.Workers, 1), n)
	rows := make([]Row, n)
	errs := make([]error, n)
	jobs := make(chan int)
	done := make(chan struct{}, workers)
	// failed is the lowest index of a failed run so far (n: none). Runs are handed out in
	// grid order, so every run below a failed one has started: skipping the runs above it
	// cannot hide a failure earlier in grid order.
	var failed atomic.Int64
	failed.Store(int64(n))
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range jobs {
				if int64(k) < failed.Load() {
					if rows[k], errs[k] = one(&spec, run, k); errs[k] != nil {
						for {
							f := failed.Load()
							if int64(k) >= f || failed.CompareAndSwap(f, int64(k)) {
								break
							}
						}
					}
				}
				done <- struct{}{}
			}
		}()
	}
	go func() {
		for k := range n {
			jobs <- k
		}
		close(jobs)
		wg.Wait()
		close(done)
	}()
	for range done {
		if opt.Done != nil {
			opt.Done()
		}
	}
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	rep := &Report{Spec: spec}
	nl := len(spec.Loads)
	for g := 0; g < n; g += nl {
		cfg := spec.Config(g)
		rep.Groups = append(rep.Groups, NewGroup(cfg.Variant, cfg.Strategy, rows[g:g+nl:g+nl], spec.SLO))
	}
	return rep, nil
}

// AppRun runs app instead of SockShop: scenario.Run with the config's scenario part (its
// DeclineProb is not used). Run may run several configs at once, so with Workers above 1
// app must be safe to run concurrently, as every spec application (apps/spec) is; the
// scenario.App of sockshop.New is not (it keeps its run's state): SockShop is a Spec
// without App.
func AppRun(app scenario.App) RunFunc {
	return func(c sockshop.Config) (*sockshop.Result, error) {
		res, err := scenario.Run(c.Config, app)
		if err != nil {
			return nil, err
		}
		return &sockshop.Result{Result: *res, Config: c}, nil
	}
}

// one runs run k of the grid; a panic becomes its error.
func one(spec *Spec, run RunFunc, k int) (row Row, err error) {
	cfg := spec.Config(k)
	where := fmt.Sprintf("capacity: %s%s %s at %s", spec.appPrefix(), cfg.Variant, cfg.Strategy, spec.loadText(k))
	defer func() {
		if r := recover(); r != nil {
			row, err = Row{}, fmt.Errorf("%s: the run panicked: %v", where, r)
		}
	}()
	res, err := run(cfg)
	switch {
	case err != nil:
		return Row{}, fmt.Errorf("%s: %w", where, err)
	case res == nil:
		return Row{}, fmt.Errorf("%s: the run returned no result", where)
	}
	return RowOf(spec.Loads[k%len(spec.Loads)], res), nil
}
