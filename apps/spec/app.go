package spec

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/edgesim/edgesim/placement"
	"github.com/edgesim/edgesim/scenario"
)

// App is a validated spec as a scenario.App: scenario.Run places and runs it in either
// communication style. One App may be run any number of times, also concurrently: every run
// compiles its own copy of the programs (Start).
type App struct {
	s   *Spec
	app *placement.Application
}

var _ scenario.App = (*App)(nil)

// New validates s and returns it as an application. s must not change afterwards.
func New(s *Spec) (*App, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	a := &App{s: s}
	a.app = a.application()
	if err := a.app.Validate(); err != nil {
		return nil, fmt.Errorf("apps: %w", err)
	}
	return a, nil
}

// Open loads the spec file at path and returns it as an application.
func Open(path string) (*App, error) {
	s, err := Load(path)
	if err != nil {
		return nil, err
	}
	return New(s)
}

// Source returns the spec the application was made from (do not modify it).
func (a *App) Source() *Spec { return a.s }

// Spec implements scenario.App: the application graph that is placed and audited (a fresh
// copy at every call, see Application).
func (a *App) Spec() *placement.Application { return a.Application() }

// Application returns the application graph: the services with their requirements, in
// order; the spec's interactions (a symmetric one expanded into both directions, the reverse
// right after), then, in the order the calls appear in the endpoints, every other pair of
// services that exchange messages in either style, with no requirement (no latency bound,
// no bandwidth floor): caller -> callee for each request, and back from whoever answers it
// (in MPI a forwarded request is answered by the end of the chain); and the spec's flows, or
// flows derived from the entry's call trees.
func (a *App) Application() *placement.Application {
	c := *a.app
	c.Services = slices.Clone(a.app.Services)
	c.Interactions = slices.Clone(a.app.Interactions)
	c.Flows = make([][]string, len(a.app.Flows))
	for i, f := range a.app.Flows {
		c.Flows[i] = slices.Clone(f)
	}
	return &c
}

// MaxFlows bounds the flows derived from the call trees (a wide fan-out has one per leaf;
// beyond this many the rest are left out: flows only feed the analytic response time).
const MaxFlows = 4096

func (a *App) application() *placement.Application {
	s := a.s
	app := &placement.Application{Name: s.Name}
	for _, sv := range s.Services {
		r := sv.Requirements
		app.Services = append(app.Services, placement.Service{Name: sv.Name, Requirements: placement.Requirements{
			CPU: r.CPU, GPU: r.GPU, RAM: r.RAM, Storage: r.Storage, Availability: r.Availability, ProcessingTimeMS: r.ProcessingTimeMS}})
	}
	seen := map[[2]string]bool{}
	add := func(from, to string, lat, bw *float64) {
		k := [2]string{from, to}
		if seen[k] || from == to {
			return
		}
		seen[k] = true
		in := placement.Interaction{From: from, To: to, MaxLatencyMS: math.Inf(1)}
		if lat != nil {
			in.MaxLatencyMS = *lat
		}
		if bw != nil {
			in.MinBandwidthMbps = *bw
		}
		app.Interactions = append(app.Interactions, in)
	}
	for _, in := range s.Interactions {
		add(in.From, in.To, in.LatencyMS, in.BandwidthMbps)
		if in.Symmetric {
			add(in.To, in.From, in.LatencyMS, in.BandwidthMbps)
		}
	}
	c := &checker{s: s, services: map[string]*Service{}}
	for i := range s.Services {
		c.services[s.Services[i].Name] = &s.Services[i]
	}
	for _, sv := range s.Services {
		for _, ep := range sv.Endpoints {
			for _, cs := range calls(ep.Steps, true, true, nil) {
				ts, te, _ := c.ref(cs.call.To)
				add(sv.Name, ts.Name, nil, nil)
				if cs.rest {
					add(ts.Name, sv.Name, nil, nil) // REST answers (also a forward: a nested call)
				}
				if cs.mpi && !cs.forward && !cs.call.Async {
					for _, x := range c.answerers(ts, te) {
						add(x, sv.Name, nil, nil)
					}
				}
			}
		}
	}
	if len(s.Flows) > 0 {
		for _, f := range s.Flows {
			app.Flows = append(app.Flows, slices.Clone(f))
		}
		return app
	}
	// Derived flows: every root-to-leaf path of calls from the entry's endpoints, there and
	// back ([A, B, C] gives A B C B A), each once, in the order met.
	done := map[string]bool{}
	visits := 0 // bounded too: call sites repeated along a path multiply the paths
	var walk func(path []string, ep *Endpoint)
	walk = func(path []string, ep *Endpoint) {
		if visits++; len(app.Flows) >= MaxFlows || visits > 64*MaxFlows {
			return
		}
		sites := calls(ep.Steps, true, true, nil)
		if len(sites) == 0 {
			if len(path) < 2 {
				return
			}
			f := slices.Clone(path)
			for i := len(path) - 2; i >= 0; i-- {
				f = append(f, path[i])
			}
			if k := strings.Join(f, "\x00"); !done[k] {
				done[k] = true
				app.Flows = append(app.Flows, f)
			}
			return
		}
		for _, cs := range sites {
			ts, te, _ := c.ref(cs.call.To)
			walk(append(slices.Clip(path), ts.Name), te)
		}
	}
	entry := c.services[s.Entry.Service]
	for _, m := range s.Entry.Mix {
		_, ep, _ := c.ref(entry.Name + "/" + m.Endpoint)
		walk([]string{entry.Name}, ep)
	}
	return app
}
