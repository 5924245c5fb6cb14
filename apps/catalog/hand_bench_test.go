package catalog

import (
	"fmt"
	"testing"

	"github.com/edgesim/edgesim/comm"
	"github.com/edgesim/edgesim/engine"
	"github.com/edgesim/edgesim/placement"
	"github.com/edgesim/edgesim/scenario"
)

// handFanout is the fan-out written by hand in Go (MPI only), the baseline of the
// interpreter's cost: the same services, requirements and messages as Fanout(n).
type handFanout struct {
	app *placement.Application
	n   int
}

func (h *handFanout) Spec() *placement.Application { return h.app }

// sized is an empty body that knows its sizes (comm.Sized), as the interpreter's are.
type sized int

func (s sized) JSONSize() int { return int(s) }
func (s sized) PySize() int   { return int(s) }

func (h *handFanout) Start(env *scenario.Env) (scenario.Entry, error) {
	for i := range h.n {
		ep := env.MPI.Endpoint(fmt.Sprintf("leaf_service_%d", i))
		env.Sim.Process(ep.Name(), func(p *engine.Proc) {
			ep.Serve(p, func(comm.Message) any { return sized(0) })
		})
	}
	lb := env.MPI.Endpoint("load_balancer")
	reqs := make([]scenario.Request, h.n)
	for i := range reqs {
		reqs[i] = scenario.Request{To: fmt.Sprintf("leaf_service_%d", i), Body: sized(0)}
	}
	return scenario.Entry{Service: "load_balancer", Run: func(w *scenario.Workflow) bool {
		_, ok := w.AskAll(lb, reqs...)
		return ok
	}}, nil
}

// BenchmarkFanoutHandVsSpec compares, on a thousandth of uqSim's run (0.06 s, 480
// workflows, about a million messages), the spec's interpreter with the same fan-out
// written by hand: the ratio is the interpreter's overhead.
func BenchmarkFanoutHandVsSpec(b *testing.B) {
	cfg, a, err := FanoutScenario("mpi", FanoutLeaves, FanoutSeconds/1000)
	if err != nil {
		b.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		app  scenario.App
	}{{"spec", a}, {"hand", &handFanout{app: a.Application(), n: FanoutLeaves}}} {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			msgs := 0
			start := cpuTime()
			for range b.N {
				res, err := scenario.Run(cfg, tc.app)
				if err != nil {
					b.Fatal(err)
				}
				msgs += res.Messages
			}
			b.ReportMetric(float64(msgs)/(cpuTime()-start).Seconds(), "msgs/cpu-s")
		})
	}
}
