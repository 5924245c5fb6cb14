package placement

import "fmt"

// Requirements of a service.
type Requirements struct {
	CPU, GPU, RAM, Storage float64
	Availability           float64
	ProcessingTimeMS       float64
}

// Service is one service of an application.
type Service struct {
	Name string
	Requirements
}

// Interaction is a directed edge between two services.
type Interaction struct {
	From, To         string
	MaxLatencyMS     float64
	MinBandwidthMbps float64
}

// Application is a graph of services.
type Application struct {
	Name         string
	Services     []Service     // in application order
	Interactions []Interaction // in a fixed order
	Flows        [][]string    // service names
}

// Service returns the service with the given name.
func (a *Application) Service(name string) (Service, bool) {
	for _, s := range a.Services {
		if s.Name == name {
			return s, true
		}
	}
	return Service{}, false
}

// Validate checks that service names are unique and non-empty, requirements are not
// negative, and interactions and flows name known services.
func (a *Application) Validate() error {
	seen := map[string]bool{}
	for i, s := range a.Services {
		if s.Name == "" {
			return fmt.Errorf("placement: app %q: service %d has no name", a.Name, i)
		}
		if seen[s.Name] {
			return fmt.Errorf("placement: app %q: duplicate service %q", a.Name, s.Name)
		}
		seen[s.Name] = true
		r := s.Requirements
		if !(r.CPU >= 0 && r.GPU >= 0 && r.RAM >= 0 && r.Storage >= 0 && r.Availability >= 0 && r.Availability <= 1 && r.ProcessingTimeMS >= 0) {
			return fmt.Errorf("placement: app %q: service %q: invalid requirements %+v", a.Name, s.Name, r)
		}
	}
	for i, in := range a.Interactions {
		for _, n := range []string{in.From, in.To} {
			if !seen[n] {
				return fmt.Errorf("placement: app %q: interaction %d %s->%s: unknown service %q", a.Name, i, in.From, in.To, n)
			}
		}
	}
	for i, f := range a.Flows {
		for _, n := range f {
			if !seen[n] {
				return fmt.Errorf("placement: app %q: flow %d: unknown service %q", a.Name, i, n)
			}
		}
	}
	return nil
}

// Placement maps a service name to a node id. Never iterate it for output: go through
// Application.Services.
type Placement map[string]string
