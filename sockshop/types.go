package sockshop

import (
	"github.com/edgesim/edgesim/engine"
	"github.com/edgesim/edgesim/network"
	"github.com/edgesim/edgesim/placement"
)

// Variants are the two SockShop variants, in output order.
var Variants = []string{"mpi", "rest"}

// Config is every parameter of one run.
type Config struct {
	Variant      string            `json:"variant"` // "mpi" or "rest"
	Seed         uint64            `json:"seed"`
	Steps        int               `json:"steps"`
	StepLength   engine.Time       `json:"step_ns"`
	Nodes        int               `json:"nodes"`        // generator size (ignored with Infra)
	Partitioning []float64         `json:"partitioning"` // generator tiers
	InfraFile    string            `json:"infra_file,omitempty"`
	Infra        *network.Graph    `json:"-"` // when set, used instead of the generator (cloned)
	Strategy     string            `json:"strategy"`
	Static       map[string]string `json:"static,omitempty"` // service -> node, with Strategy "static"
	Dynamics     bool              `json:"dynamics"`
	FlapDown     float64           `json:"flap_down"`
	FlapUp       float64           `json:"flap_up"`
	Model        string            `json:"model"`
	Think        engine.Time       `json:"think_ns"`
	Timeout      engine.Time       `json:"timeout_ns"`
	DeclineProb  float64           `json:"decline_prob"`
	Outages      []Outage          `json:"outages,omitempty"` // scripted node failures
	Observer     Observer          `json:"-"`                 // optional, called at every step boundary
}

// Outage takes a node down (availability 0) at virtual time At and brings it back to its
// availability of that moment after For (0: never). The dynamics' flap still applies at step
// boundaries; turn it off for an outage of exact length.
type Outage struct {
	Node string      `json:"node"`
	At   engine.Time `json:"at_ns"`
	For  engine.Time `json:"for_ns"`
}

// Summary of a latency distribution, in milliseconds.
type Summary struct {
	Mean float64 `json:"mean"`
	P50  float64 `json:"p50"`
	P95  float64 `json:"p95"`
	P99  float64 `json:"p99"`
	Max  float64 `json:"max"`
}

// InteractionStat is the measured traffic of one caller -> callee pair.
type InteractionStat struct {
	From   string  `json:"from"`
	To     string  `json:"to"`
	Count  int     `json:"count"`
	MeanMS float64 `json:"mean_ms"`
}

// StepStats are the measurements of one step.
type StepStats struct {
	Step             int     `json:"step"`
	TimeMS           float64 `json:"time_ms"` // virtual time at the end of the step
	AliveNodes       int     `json:"alive_nodes"`
	Deployed         bool    `json:"deployed"`
	PlacementChanges int     `json:"placement_changes"` // services whose host changed at this boundary
	Completed        int     `json:"completed"`
	Failed           int     `json:"failed"`
	Latency          Summary `json:"latency_ms"` // of workflows completed in this step
}

// Result of one run.
type Result struct {
	Config       Config    `json:"-"`
	Variant      string    `json:"variant"`
	Workflows    int       `json:"workflows"` // completed
	Failed       int       `json:"failed"`
	LatenciesMS  []float64 `json:"-"` // every completed workflow, in completion order
	Latency      Summary   `json:"latency_ms"`
	Messages     int       `json:"messages"`
	Bytes        int       `json:"bytes"`
	Lost         int       `json:"lost"` // lost in flight plus discarded late replies
	LostInFlight int       `json:"-"`    // of Lost: messages towards a node that went down or a service that moved
	Discarded    int       `json:"-"`    // of Lost: late replies of abandoned workflows
	Unreachable  int       `json:"-"`    // sends refused at once (not in Messages)
	Placements   int       `json:"-"`    // deployments made (the first one included)
	Undeploys    int       `json:"-"`    // placements found infeasible by the audit and undeployed
	// DeployedSteps counts the steps that began with the application deployed.
	DeployedSteps int `json:"-"`
	// LastProblems says why the last placement attempt or audit that failed did so, one line
	// per problem (empty if none ever failed).
	LastProblems []string `json:"-"`
	// FirstPlacement is the host of every service (application order) in the first
	// deployment, nil if nothing was ever deployed.
	FirstPlacement []string          `json:"-"`
	Interactions   []InteractionStat `json:"interactions"`
	Steps          []StepStats       `json:"-"`
}

// StepSnapshot is what an Observer sees at the end of each step, before the audit and the
// dynamics of the next boundary. Its pointers are only valid during the call.
type StepSnapshot struct {
	Stats        StepStats
	App          *placement.Application
	Graph        *network.Graph
	Placement    placement.Placement // nil while undeployed
	Interactions []InteractionStat   // measured during this step, application interaction order
}

// Observer receives a snapshot at every step; an error aborts the run.
type Observer interface {
	ObserveStep(s StepSnapshot) error
}
