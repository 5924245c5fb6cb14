package scenario

import (
	"github.com/edgesim/edgesim/metrics"
	"github.com/edgesim/edgesim/network"
	"github.com/edgesim/edgesim/placement"
)

// Summary of a latency distribution, in milliseconds.
type Summary = metrics.Summary

// Summarize is metrics.Summarize: exact mean, empirical quantiles and max of ms samples.
func Summarize(ms []float64) Summary { return metrics.Summarize(ms) }

// InteractionStat is the measured traffic of one caller -> callee pair.
type InteractionStat struct {
	From   string  `json:"from"`
	To     string  `json:"to"`
	Count  int     `json:"count"`
	MeanMS float64 `json:"mean_ms"`
	// Late counts REST responses that arrived after their caller gave up; they are not in
	// Count or MeanMS.
	Late int `json:"late,omitempty"`
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
	Config    Config `json:"-"`
	Variant   string `json:"variant"`
	Workflows int    `json:"workflows"` // completed (started at or after the warm-up)
	Failed    int    `json:"failed"`
	// LatenciesMS holds every completed workflow's latency in completion order while there
	// are at most metrics.ExactCap of them; nil beyond (see LatencyDist).
	LatenciesMS  []float64 `json:"-"`
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
	// LatencyDist is the distribution behind Latency, for quantiles of runs too long to keep
	// every sample.
	LatencyDist *metrics.Latency `json:"-"`
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
