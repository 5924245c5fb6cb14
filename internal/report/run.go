package report

import (
	"errors"
	"fmt"
	"path/filepath"

	"github.com/edgesim/edgesim/sockshop"
)

// multi calls several observers in order; the first error stops the step.
type multi []sockshop.Observer

func (m multi) ObserveStep(s sockshop.StepSnapshot) error {
	for _, o := range m {
		if err := o.ObserveStep(s); err != nil {
			return err
		}
	}
	return nil
}

// Multi is an Observer calling each non-nil observer in order (nil when there is none).
func Multi(obs ...sockshop.Observer) sockshop.Observer {
	var m multi
	for _, o := range obs {
		if o != nil {
			m = append(m, o)
		}
	}
	switch len(m) {
	case 0:
		return nil
	case 1:
		return m[0]
	}
	return m
}

// Run runs cfg through run (sockshop.Run, or a fake) with a Writer recording every step into
// DIR/<variant>/ in format, after cfg's own Observer if any, and finishes the report with the
// run's summary. It does not write config.json (WriteConfig, once per directory). On a run
// error the tables written so far are kept and the error is returned.
func Run(run func(sockshop.Config) (*sockshop.Result, error), cfg sockshop.Config, dir string, format Format, opts ...Option) (*sockshop.Result, error) {
	w, err := NewWriter(dir, cfg.Variant, format, opts...)
	if err != nil {
		return nil, err
	}
	cfg.Observer = Multi(cfg.Observer, w)
	res, err := run(cfg)
	if err != nil {
		return nil, errors.Join(err, w.Close())
	}
	if err := w.Finish(res); err != nil {
		return nil, err
	}
	return res, nil
}

// RunApps is Run for a run of several applications (run returns one result per application,
// as scenario.RunApps does): application i's steps go to DIR/AppDir(i)/<variant>/, routed by
// the snapshot's Member, and each application's report is finished with its result.
func RunApps(run func(sockshop.Config) ([]*sockshop.Result, error), apps int, cfg sockshop.Config, dir string, format Format, opts ...Option) ([]*sockshop.Result, error) {
	ws := make([]*Writer, apps)
	closeAll := func() error {
		var errs []error
		for _, w := range ws {
			if w != nil {
				errs = append(errs, w.Close())
			}
		}
		return errors.Join(errs...)
	}
	for i := range ws {
		w, err := NewWriter(filepath.Join(dir, AppDir(i)), cfg.Variant, format, opts...)
		if err != nil {
			return nil, errors.Join(err, closeAll())
		}
		ws[i] = w
	}
	route := stepFunc(func(s sockshop.StepSnapshot) error {
		if s.Member < 0 || s.Member >= len(ws) {
			return fmt.Errorf("report: step of application %d of %d", s.Member+1, len(ws))
		}
		return ws[s.Member].ObserveStep(s)
	})
	cfg.Observer = Multi(cfg.Observer, route)
	res, err := run(cfg)
	if err == nil && len(res) != apps {
		err = fmt.Errorf("report: %d results for %d applications", len(res), apps)
	}
	if err != nil {
		return nil, errors.Join(err, closeAll())
	}
	for i, w := range ws {
		if err := w.Finish(res[i]); err != nil {
			return nil, errors.Join(err, closeAll())
		}
	}
	return res, nil
}

type stepFunc func(sockshop.StepSnapshot) error

func (f stepFunc) ObserveStep(s sockshop.StepSnapshot) error { return f(s) }
