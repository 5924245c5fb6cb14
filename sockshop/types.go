package sockshop

import "github.com/edgesim/edgesim/scenario"

// Variants are the two SockShop variants, in output order.
var Variants = scenario.Variants

// Config is every parameter of one SockShop run: the run's (scenario.Config) and SockShop's
// own.
type Config struct {
	scenario.Config
	DeclineProb float64 `json:"decline_prob"` // probability that Payment declines
}

// Result of one run: the scenario's measurements and the SockShop configuration behind them.
type Result struct {
	scenario.Result
	Config Config `json:"-"`
}

// The run's types, under the names this package has always given them.
type (
	Outage          = scenario.Outage
	Summary         = scenario.Summary
	InteractionStat = scenario.InteractionStat
	StepStats       = scenario.StepStats
	StepSnapshot    = scenario.StepSnapshot
	Observer        = scenario.Observer
)
