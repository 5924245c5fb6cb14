package scenario

import (
	"github.com/edgesim/edgesim/comm"
	"github.com/edgesim/edgesim/cpu"
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
	// Where the pair's time went, summed over its samples: NetworkMS the delays of its
	// messages (REST: both legs of each call), QueueMS and ServiceMS the callee's wait and
	// work on its requests (zero without service time).
	NetworkMS float64 `json:"-"`
	QueueMS   float64 `json:"-"`
	ServiceMS float64 `json:"-"`
}

// StepStats are the measurements of one step.
type StepStats struct {
	Step             int     `json:"step"`
	TimeMS           float64 `json:"time_ms"`     // virtual time at the end of the step
	AliveNodes       int     `json:"alive_nodes"` // nodes up after the step's audit, before its dynamics (as ECLYPSE measures)
	Deployed         bool    `json:"deployed"`
	PlacementChanges int     `json:"placement_changes"` // services whose host changed at this boundary
	Completed        int     `json:"completed"`
	Failed           int     `json:"failed"`
	Latency          Summary `json:"latency_ms"` // of workflows completed in this step
}

// Result of one run.
type Result struct {
	Config  Config `json:"-"`
	Variant string `json:"variant"`
	// Application names the application (Member.Name, or its spec's name).
	Application string `json:"-"`
	Workflows   int    `json:"workflows"` // completed (started at or after the warm-up)
	Failed      int    `json:"failed"`
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
	// StepsRun is the number of steps the run went through. The steps' own figures go to
	// the Observer (StepLog keeps them): a run holds no memory per step.
	StepsRun int `json:"-"`
	// Refused counts open-loop arrivals turned away because workload.MaxInFlight workflows
	// were already in flight (they are also in Failed).
	Refused int `json:"-"`
	// MeasuredMS is the virtual time the totals cover: the run after the warm-up.
	MeasuredMS float64 `json:"-"`
	// ThroughputPerS is the workflows completed in the measured window (whenever they
	// started) per second of MeasuredMS. Without a warm-up it is Workflows per second.
	ThroughputPerS float64 `json:"-"`
	// Breakdown sums, over the completed workflows, where their latency went along their
	// critical paths; its Total equals the sum of their latencies exactly.
	Breakdown comm.Trace `json:"-"`
	// Rejected counts requests refused by a full CPU queue (comm.Load.QueueLimit).
	Rejected int `json:"-"`
	// Stations are the CPU stations' measurements over the measured window (none with
	// service time off).
	Stations []cpu.Stats `json:"-"`
	// Saturated names the stations that rejected work or were busy at least
	// SaturatedUtilisation of the measured window.
	Saturated []string `json:"-"`
	// Little holds the three terms of Little's law over the measured window.
	Little Little `json:"-"`
	// LatencyDist is the distribution behind Latency, for quantiles of runs too long to keep
	// every sample.
	LatencyDist *metrics.Latency `json:"-"`
}

// StepSnapshot is what an Observer sees at the end of each step, before the audit and the
// dynamics of the next boundary. Its pointers are only valid during the call.
type StepSnapshot struct {
	Stats StepStats
	App   *placement.Application
	// Application is the application's name in the results and Member its index among the
	// run's applications (0 when there is one).
	Application  string
	Member       int
	Graph        *network.Graph
	Placement    placement.Placement // nil while undeployed
	Interactions []InteractionStat   // measured during this step, application interaction order
}

// Observer receives a snapshot at every step; an error aborts the run.
type Observer interface {
	ObserveStep(s StepSnapshot) error
}

// StepLog is an Observer that keeps every step's figures (96 bytes a step), for callers that
// want them after the run.
type StepLog struct {
	Steps []StepStats
	Next  Observer // also shown every step, if set
}

// ObserveStep implements Observer.
func (l *StepLog) ObserveStep(s StepSnapshot) error {
	l.Steps = append(l.Steps, s.Stats)
	if l.Next != nil {
		return l.Next.ObserveStep(s)
	}
	return nil
}

// SaturatedUtilisation is the utilisation from which a station is reported as saturated.
const SaturatedUtilisation = 0.98

// Little holds the terms of Little's law L = lambda W for the workflows that started in the
// measured window: the time-average number of them in flight (integrated over time as the
// count changes), the rate at which they started (completed, failed or still in flight at
// the end), and their mean time in the system within the window (summed per workflow, those
// still in flight counted up to the end). Counted this way the law holds exactly, so a
// difference beyond float rounding means the run lost track of a workflow.
type Little struct {
	InFlight    float64 `json:"in_flight"`
	ArrivalPerS float64 `json:"arrival_per_s"`
	SojournMS   float64 `json:"sojourn_ms"`
}

// RelErr is |L - lambda W| / L (0 when both are 0).
func (l Little) RelErr() float64 {
	lw := l.ArrivalPerS * l.SojournMS / 1000
	if l.InFlight == 0 {
		if lw == 0 {
			return 0
		}
		return 1
	}
	d := l.InFlight - lw
	if d < 0 {
		d = -d
	}
	return d / l.InFlight
}
