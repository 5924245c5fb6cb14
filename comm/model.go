package comm

import (
	"fmt"
	"strings"

	"github.com/edgesim/edgesim/engine"
	"github.com/edgesim/edgesim/network"
)

// Model turns a route and a message size into a delivery delay.
type Model interface {
	// Name is the model's flag value.
	Name() string
	// Delay is the virtual time a message of sizeBytes takes along path. A one-node path
	// (both ends on the same node) costs nothing in every model.
	Delay(path network.Path, sizeBytes int) engine.Time
	// Transmits reports whether the model charges transmission time (size over
	// bandwidth): only then do shared links (Load.Links fair) slow a message down.
	Transmits() bool
}

// Eclypse is ECLYPSE's cost model (eclypse.graph.Infrastructure path costs), in seconds:
//
//	delay = processing_time(path)/1000 + sum over hops (size_bytes*8e-6/bandwidth + latency/1000)
//
// processing_time(path) sums the processing time of every node on the path, both ends
// included; latency is in ms and bandwidth in Mbit/s. The sum is computed in float64 seconds
// and converted once with engine.FromSeconds (nearest nanosecond).
type Eclypse struct{}

// Name implements Model.
func (Eclypse) Name() string { return "eclypse" }

// Transmits implements Model: yes.
func (Eclypse) Transmits() bool { return true }

// Delay implements Model.
func (Eclypse) Delay(path network.Path, sizeBytes int) engine.Time {
	if len(path.Hops) == 0 {
		return 0
	}
	seconds := path.ProcessingMS / 1000
	megabits := float64(sizeBytes) * 8e-6
	for _, h := range path.Hops {
		seconds += megabits/h.BandwidthMbps + h.LatencyMS/1000
	}
	return engine.FromSeconds(seconds)
}

// LatencyOnly charges only the sum of link latencies: no node processing, no transmission
// time. It is the lower bound of Eclypse and shows how much of a run's latency is the wires'.
type LatencyOnly struct{}

// Name implements Model.
func (LatencyOnly) Name() string { return "latency" }

// Transmits implements Model: no.
func (LatencyOnly) Transmits() bool { return false }

// Delay implements Model.
func (LatencyOnly) Delay(path network.Path, _ int) engine.Time {
	if len(path.Hops) == 0 {
		return 0
	}
	return engine.FromMilliseconds(path.LatencyMS)
}

// Models lists the model names NewModel accepts, default first.
var Models = []string{"eclypse", "latency"}

// NewModel returns the cost model with the given name.
func NewModel(name string) (Model, error) {
	switch name {
	case "eclypse", "":
		return Eclypse{}, nil
	case "latency":
		return LatencyOnly{}, nil
	}
	return nil, fmt.Errorf("comm: unknown cost model %q (valid: %s)", name, strings.Join(Models, ", "))
}
