package placement

// CONTRACT STUB written by the lead: comm/ and sockshop/ are being written against these
// exported names. The placement owner replaces the bodies (and may split this file, and add
// more API), but keeps these signatures and documented semantics.

import (
	"math/rand/v2"

	"github.com/edgesim/edgesim/network"
)

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

// Placement maps a service name to a node id. Never iterate it for output: go through
// Application.Services.
type Placement map[string]string

// Strategy maps every service to a node.
type Strategy interface {
	Name() string
	Place(app *Application, g *network.Graph, r *rand.Rand) (Placement, error)
}

// NewStrategy returns a strategy by name: random, first-fit, best-fit, round-robin, static
// (static uses the map, service -> node).
func NewStrategy(name string, static map[string]string) (Strategy, error) { panic("todo") }

// Problem is one reason a placement is not feasible.
type Problem struct {
	Service     string // or "" for an interaction problem
	Node        string
	From, To    string // interaction, if any
	Requirement string // "cpu", "ram", "latency", "bandwidth", "availability", "unplaced", "down", "path"...
	Detail      string
}

// Report is the outcome of an audit.
type Report struct {
	Feasible bool
	Problems []Problem
}

// Audit checks a placement against the current infrastructure.
func Audit(app *Application, g *network.Graph, p Placement) Report { panic("todo") }
