package capacity

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/edgesim/edgesim/scenario"
	"github.com/edgesim/edgesim/sockshop"
	"github.com/edgesim/edgesim/workload"
)

// Kind is what a load counts: closed-loop users or an open-loop arrival rate.
type Kind string

// The kinds of offered load.
const (
	Users Kind = "users"
	Rate  Kind = "rate"
)

// MaxLoads bounds the loads of one Spec, and so the grid: at most 2 variants x 4 strategies
// x 100 loads = 800 runs. Each load is bounded by the workload's own limits
// (workload.MaxUsers, workload.MaxRate). A run costs CPU time in proportion to the messages
// it simulates: about its throughput times its length, times 12 messages per SockShop
// workflow.
const MaxLoads = 100

// Strategies are the placement strategies a Spec accepts; "static" too when Base.Static
// holds a service -> node map (the command has no flag for one: a grid has no axis for it).
var Strategies = []string{"random", "first-fit", "best-fit", "round-robin"}

// Spec is a capacity study: the runs of Variants x Strategies x Loads, in that order
// (variants vary slowest, loads fastest), each Base with the variant, the strategy and the
// load set.
type Spec struct {
	// App is the application every run runs; nil means SockShop (sockshop.Run). With an App,
	// Base.DeclineProb is not used: SockShop's Payment is not in it, and a spec says its own
	// branches. Runs may share App concurrently (see AppRun).
	App scenario.App
	// AppFile is where App was read from, named in the report; "" when App is nil or was
	// not read from a file.
	AppFile string
	// Base holds every other parameter. Its Variant and Strategy are ignored, and so are
	// Workload.Users and Workload.Rate, which the load sets.
	Base       sockshop.Config
	Variants   []string
	Strategies []string
	Kind       Kind
	// Loads are users (whole numbers, 1..workload.MaxUsers) or rates in workflows per
	// second of virtual time ((0, workload.MaxRate]); Validate sorts them ascending.
	Loads []float64
	// SLO is the objective each row is checked against; the zero SLO has no latency bound
	// (every run that completed a workflow and rejected nothing meets it).
	SLO SLO
}

// SockShopName is the name of the application of a Spec without App.
const SockShopName = "SockShop"

// AppName is the name of the application the study runs: its graph's name, SockShopName
// without App.
func (s *Spec) AppName() string {
	if s.App == nil {
		return SockShopName
	}
	return s.App.Spec().Name
}

// appPrefix is "Name " with an App, "" without: SockShop's report reads as it always did.
func (s *Spec) appPrefix() string {
	if s.App == nil {
		return ""
	}
	return s.AppName() + " "
}

// Runs is the size of the grid.
func (s *Spec) Runs() int { return len(s.Variants) * len(s.Strategies) * len(s.Loads) }

// Validate checks the lists, sorts Loads ascending, and validates the config of every run of
// the grid (before any of them starts). Errors start with "capacity: " and name the field.
func (s *Spec) Validate() error {
	bad := func(format string, a ...any) error { return fmt.Errorf("capacity: "+format, a...) }
	if err := checkNames("variants", "variant", s.Variants, sockshop.Variants); err != nil {
		return err
	}
	strategies := Strategies
	if len(s.Base.Static) > 0 {
		strategies = append(slices.Clone(Strategies), "static")
	}
	if err := checkNames("strategies", "strategy", s.Strategies, strategies); err != nil {
		return err
	}
	if s.Kind != Users && s.Kind != Rate {
		return bad("unknown load kind %q (valid: %s, %s)", s.Kind, Users, Rate)
	}
	if len(s.Loads) == 0 {
		return bad("no load to offer")
	}
	if len(s.Loads) > MaxLoads {
		return bad("%d loads: at most %d", len(s.Loads), MaxLoads)
	}
	for _, l := range s.Loads {
		if err := checkLoad(s.Kind, l); err != nil {
			return bad("%v", err)
		}
	}
	slices.Sort(s.Loads)
	for i := 1; i < len(s.Loads); i++ {
		if s.Loads[i] == s.Loads[i-1] {
			return bad("load %s appears twice", FormatLoad(s.Kind, s.Loads[i]))
		}
	}
	if err := s.SLO.validate(); err != nil {
		return err
	}
	for k := range s.Runs() {
		cfg := s.Config(k)
		validate := cfg.Validate
		if s.App != nil {
			validate = cfg.Config.Validate // no Payment: DeclineProb is not used
		}
		if err := validate(); err != nil {
			return fmt.Errorf("capacity: %s %s at %s: %w", cfg.Variant, cfg.Strategy, s.loadText(k), err)
		}
	}
	return nil
}

// checkNames checks a list of names against the valid ones: not empty, known, no repeat.
func checkNames(plural, singular string, names, valid []string) error {
	if len(names) == 0 {
		return fmt.Errorf("capacity: no %s (valid: %s)", plural, strings.Join(valid, ", "))
	}
	for i, n := range names {
		if !slices.Contains(valid, n) {
			return fmt.Errorf("capacity: unknown %s %q (valid: %s)", singular, n, strings.Join(valid, ", "))
		}
		if slices.Contains(names[:i], n) {
			return fmt.Errorf("capacity: %s %q appears twice", singular, n)
		}
	}
	return nil
}

// checkLoad checks one load of kind k.
func checkLoad(k Kind, l float64) error {
	if k == Users {
		if l != math.Trunc(l) || l < 1 || l > workload.MaxUsers {
			return fmt.Errorf("users must be whole numbers in 1..%d, got %v", workload.MaxUsers, l)
		}
		return nil
	}
	if !(l > 0 && l <= workload.MaxRate) {
		return fmt.Errorf("rates must be in (0, %g] workflows per second, got %v", float64(workload.MaxRate), l)
	}
	return nil
}

// Config is the config of run k of the grid (0-based, in grid order).
func (s *Spec) Config(k int) sockshop.Config {
	nl, ns := len(s.Loads), len(s.Strategies)
	cfg := s.Base
	cfg.Partitioning = slices.Clone(s.Base.Partitioning)
	cfg.Outages = slices.Clone(s.Base.Outages)
	cfg.Static = maps.Clone(s.Base.Static)
	cfg.Observer = nil
	cfg.Variant = s.Variants[k/(nl*ns)]
	cfg.Strategy = s.Strategies[k/nl%ns]
	load := s.Loads[k%nl]
	if s.Kind == Users {
		cfg.Workload.Users, cfg.Workload.Rate = int(load), 0
	} else {
		cfg.Workload.Users, cfg.Workload.Rate = 1, load
	}
	return cfg
}

func (s *Spec) loadText(k int) string { return FormatLoad(s.Kind, s.Loads[k%len(s.Loads)]) }

// FormatLoad writes a load with its unit: "25 users", "12.5/s".
func FormatLoad(k Kind, l float64) string {
	if k == Users {
		if l == 1 {
			return "1 user"
		}
		return strconv.FormatFloat(l, 'f', -1, 64) + " users"
	}
	return strconv.FormatFloat(l, 'g', -1, 64) + "/s"
}

// loadCell writes a load for a table cell, without its unit.
func loadCell(l float64) string { return strconv.FormatFloat(l, 'f', -1, 64) }
