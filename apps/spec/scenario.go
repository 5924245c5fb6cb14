package spec

import (
	"fmt"
	"math"
	"path/filepath"
	"time"

	"github.com/edgesim/edgesim/engine"
	"github.com/edgesim/edgesim/scenario"
	"github.com/edgesim/edgesim/workload"
)

// Scenario is a scenario file: several applications to run at once on one infrastructure
// (scenario.RunApps; `compare -apps FILE`), each with a workload of its own if it says one.
// In YAML:
//
//	applications:
//	  - spec: sock_shop.yaml       # a spec file, relative to the scenario file's directory
//	    users: 20                  # closed loop: users, think, think_dist
//	    think: 1s
//	    think_dist: exp
//	  - spec: crud_api.yaml
//	    name: crud                 # how results name it (default: the spec's name)
//	    rate: 50                   # open loop: rate (workflows/s), arrivals
//	  - spec: crud_api.yaml        # no workload field: the command's load flags
//
// An application with any of users, think, think_dist, rate, arrivals has exactly the
// workload they say (the others at their defaults: 1 user, no think time, const, poisson);
// one with none runs the run's workload. The run's warm-up applies to all.
type Scenario struct {
	Applications []ScenarioApp `json:"applications,required"`
}

// ScenarioApp is one application of a Scenario.
type ScenarioApp struct {
	Spec      string   `json:"spec,required"`
	Name      string   `json:"name"`
	Users     *int     `json:"users"`
	Think     *string  `json:"think"` // a Go duration: "1s", "250ms"
	ThinkDist *string  `json:"think_dist"`
	Rate      *float64 `json:"rate"`
	Arrivals  *string  `json:"arrivals"`
}

// LoadScenario reads and checks a scenario file (JSON when its name ends in .json, YAML
// otherwise; see ParseScenario). The spec files it names are not read (Members does).
func LoadScenario(path string) (*Scenario, error) {
	data, err := readFile(path)
	if err != nil {
		return nil, err
	}
	return ParseScenario(filepath.Base(path), data)
}

// ParseScenario reads and checks a scenario; name is used in errors and picks the format as
// in Parse. Errors start with "apps: <name>: " and name the place (line and path of a value
// that does not fit the format, or the application, applications[i], that breaks a rule):
// at least one and at most scenario.MaxMembers applications, each with a spec, distinct
// names, durations that parse and are not negative, a workload that workload.Config accepts.
func ParseScenario(name string, data []byte) (*Scenario, error) {
	s := &Scenario{}
	if err := parseFile(name, data, s, s.validate); err != nil {
		return nil, err
	}
	return s, nil
}

func (s *Scenario) validate() error {
	switch n := len(s.Applications); {
	case n == 0:
		return fmt.Errorf("applications: none (list at least one)")
	case n > scenario.MaxMembers:
		return fmt.Errorf("applications: %d, at most %d run at once", n, scenario.MaxMembers)
	}
	names := map[string]int{}
	for i, a := range s.Applications {
		at := func(format string, args ...any) error {
			return fmt.Errorf("applications[%d]: "+format, append([]any{i}, args...)...)
		}
		if a.Spec == "" {
			return at("empty spec (want the path of a spec file)")
		}
		if a.Name != "" {
			if j, dup := names[a.Name]; dup {
				return at("name %q: already the name of applications[%d]", a.Name, j)
			}
			names[a.Name] = i
		}
		if _, err := a.workload(); err != nil {
			return at("%v", err)
		}
	}
	return nil
}

// workload is the application's own workload, nil when it says none.
func (a *ScenarioApp) workload() (*workload.Config, error) {
	if a.Users == nil && a.Think == nil && a.ThinkDist == nil && a.Rate == nil && a.Arrivals == nil {
		return nil, nil
	}
	w := &workload.Config{}
	if a.Users != nil {
		if *a.Users < 1 {
			return nil, fmt.Errorf("users %d: want at least 1", *a.Users)
		}
		w.Users = *a.Users
	}
	if a.Think != nil {
		d, err := time.ParseDuration(*a.Think)
		if err != nil || d < 0 {
			return nil, fmt.Errorf("think %q: want a duration that is not negative, such as 1s or 250ms", *a.Think)
		}
		w.Think = engine.Time(d)
	}
	if a.ThinkDist != nil {
		w.ThinkDist = *a.ThinkDist
	}
	if a.Rate != nil {
		if !(*a.Rate > 0) || math.IsInf(*a.Rate, 0) {
			return nil, fmt.Errorf("rate %v: want workflows per second above 0", *a.Rate)
		}
		w.Rate = *a.Rate
	}
	if a.Arrivals != nil {
		w.Arrivals = *a.Arrivals
	}
	if err := w.Validate(); err != nil {
		return nil, err
	}
	return w, nil
}

// Members opens every application's spec (a relative path is taken from dir, the scenario
// file's directory) and returns the applications ready for scenario.RunApps, in order, with
// the spec files' paths. An application without a name of its own is named after its spec;
// a spec name that comes again gets its position ("SockShop#2").
func (s *Scenario) Members(dir string) ([]scenario.Member, []string, error) {
	var (
		out   []scenario.Member
		files []string
	)
	taken := map[string]bool{}
	for _, a := range s.Applications {
		if a.Name != "" {
			taken[a.Name] = true
		}
	}
	for i, a := range s.Applications {
		path := a.Spec
		if !filepath.IsAbs(path) {
			path = filepath.Join(dir, path)
		}
		app, err := Open(path)
		if err != nil {
			return nil, nil, fmt.Errorf("applications[%d]: %w", i, err)
		}
		name := a.Name
		if name == "" {
			name = app.Source().Name
			if taken[name] {
				name = fmt.Sprintf("%s#%d", name, i+1)
			}
			taken[name] = true
		}
		w, _ := a.workload() // checked by ParseScenario
		out = append(out, scenario.Member{Name: name, App: app, Workload: w})
		files = append(files, path)
	}
	return out, files, nil
}
