package scenario_test

import (
	"testing"

	"github.com/edgesim/edgesim/comm"
	"github.com/edgesim/edgesim/engine"
	"github.com/edgesim/edgesim/network"
	"github.com/edgesim/edgesim/placement"
	"github.com/edgesim/edgesim/scenario"
)

// echo is the smallest application: a Client that asks an Echo service and waits for its
// answer. It runs through exactly the same run loop as SockShop.
type echo struct{}

func (echo) Spec() *placement.Application {
	return &placement.Application{Name: "echo",
		Services:     []placement.Service{{Name: "Client"}, {Name: "Echo"}},
		Interactions: []placement.Interaction{{From: "Client", To: "Echo", MaxLatencyMS: 1e9}, {From: "Echo", To: "Client", MaxLatencyMS: 1e9}},
	}
}

func (echo) Start(env *scenario.Env) (scenario.Entry, error) {
	if env.Variant == "mpi" {
		srv := env.MPI.Endpoint("Echo")
		env.Sim.Process("Echo", func(p *engine.Proc) {
			srv.Serve(p, func(m comm.Message) any { return m.Body })
		})
		cl := env.MPI.Endpoint("Client")
		return scenario.Entry{Service: "Client", Run: func(w *scenario.Workflow) bool {
			_, ok := w.Ask(cl, "Echo", "ping")
			return ok
		}}, nil
	}
	err := env.REST.Mux("Echo").Handle("GET /ping", func(*comm.Context, *comm.Request) (*comm.Response, error) {
		return &comm.Response{Status: comm.StatusOK}, nil
	})
	cl := env.REST.Client("Client")
	return scenario.Entry{Service: "Client", Run: func(w *scenario.Workflow) bool {
		_, ok := w.Await(cl.Get("Echo/ping"))
		return ok
	}}, err
}

// twoNodes: a -- 10 ms -- b. With the latency-only cost model a message a <-> b takes exactly
// 10 ms, so one echo workflow (request and answer) takes 20 ms.
func twoNodes(t *testing.T) *network.Graph {
	t.Helper()
	g := network.NewGraph()
	for _, id := range []string{"a", "b"} {
		if err := g.AddNode(id, network.NodeAssets{CPU: 8, RAM: 8, Storage: 8, Availability: 1}); err != nil {
			t.Fatal(err)
		}
	}
	if err := g.AddSymmetricLink("a", "b", network.LinkAssets{LatencyMS: 10, BandwidthMbps: 100}); err != nil {
		t.Fatal(err)
	}
	return g
}

func echoConfig(t *testing.T, variant string) scenario.Config {
	return scenario.Config{Variant: variant, Seed: 1, Steps: 1, StepLength: 100 * engine.Millisecond,
		Infra: twoNodes(t), Strategy: "static", Static: map[string]string{"Client": "a", "Echo": "b"},
		Model: "latency", Timeout: engine.Second}
}

// The run is the half-open interval [0, Steps*StepLength): workflows of 20 ms in one step of
// 100 ms end at 20, 40, 60 and 80 ms; the fifth would end at exactly 100 ms, which is not in
// the run. Messages: five requests (sent at 0, 20, ..., 80 ms) and five answers (sent at 10,
// ..., 90 ms): 10; the sixth request would leave at 100 ms, outside the run.
func TestRunEndsBeforeItsLastInstant(t *testing.T) {
	for _, v := range scenario.Variants {
		res, err := scenario.Run(echoConfig(t, v), echo{})
		if err != nil {
			t.Fatal(err)
		}
		if res.Workflows != 4 || res.Messages != 10 || res.Failed != 0 {
			t.Errorf("%s: %d workflows, %d messages, %d failed; want 4, 10, 0", v, res.Workflows, res.Messages, res.Failed)
		}
		if res.Latency.Mean != 20 || res.Latency.Max != 20 {
			t.Errorf("%s: latency %+v, want 20 ms", v, res.Latency)
		}
	}
}

// fanout: the Client asks two Echo services at once; the workflow lasts as long as the
// slower (b is 10 ms away, c 30 ms): 60 ms, and its trace follows that one.
type fanout struct{}

func (fanout) Spec() *placement.Application {
	return &placement.Application{Name: "fanout",
		Services: []placement.Service{{Name: "Client"}, {Name: "B"}, {Name: "C"}}}
}

func (fanout) Start(env *scenario.Env) (scenario.Entry, error) {
	for _, name := range []string{"B", "C"} {
		srv := env.MPI.Endpoint(name)
		env.Sim.Process(name, func(p *engine.Proc) {
			srv.Serve(p, func(m comm.Message) any { return name })
		})
	}
	cl := env.MPI.Endpoint("Client")
	return scenario.Entry{Service: "Client", Run: func(w *scenario.Workflow) bool {
		r, ok := w.AskAll(cl, scenario.Request{To: "C", Body: 1}, scenario.Request{To: "B", Body: 2})
		return ok && r[0].Body == "C" && r[1].Body == "B"
	}}, nil
}

func TestAskAllWaitsForTheSlowest(t *testing.T) {
	g := twoNodes(t)
	if err := g.AddNode("c", network.NodeAssets{CPU: 8, RAM: 8, Storage: 8, Availability: 1}); err != nil {
		t.Fatal(err)
	}
	if err := g.AddSymmetricLink("a", "c", network.LinkAssets{LatencyMS: 30, BandwidthMbps: 100}); err != nil {
		t.Fatal(err)
	}
	cfg := echoConfig(t, "mpi")
	cfg.Infra, cfg.Static = g, map[string]string{"Client": "a", "B": "b", "C": "c"}
	res, err := scenario.Run(cfg, fanout{})
	if err != nil {
		t.Fatal(err)
	}
	// 100 ms: workflows end at 60 ms; the second would end at 120 ms.
	if res.Workflows != 1 || res.Latency.Max != 60 || res.Breakdown.Network != 60*engine.Millisecond {
		t.Errorf("%d workflows, latency %+v, breakdown %+v; want 1 of 60 ms, all network", res.Workflows, res.Latency, res.Breakdown)
	}
	if res.Discarded != 0 || res.Failed != 0 {
		t.Errorf("discarded %d failed %d", res.Discarded, res.Failed)
	}
}

// relay: the Client asks B and C at once; B hands its request on to C, which answers the
// Client for it. AskAny takes both replies, both from C.
type relay struct{}

func (relay) Spec() *placement.Application {
	return &placement.Application{Name: "relay", Services: []placement.Service{{Name: "Client"}, {Name: "B"}, {Name: "C"}}}
}

func (relay) Start(env *scenario.Env) (scenario.Entry, error) {
	b, c := env.MPI.Endpoint("B"), env.MPI.Endpoint("C")
	env.Sim.Process("B", func(p *engine.Proc) {
		for {
			m, err := b.Recv(p)
			if err != nil {
				return
			}
			b.Forward(m, "C", "from B")
		}
	})
	env.Sim.Process("C", func(p *engine.Proc) {
		for {
			m, err := c.Recv(p)
			if err != nil {
				return
			}
			c.ReplyTo(m, "Client", m.Body)
		}
	})
	cl := env.MPI.Endpoint("Client")
	return scenario.Entry{Service: "Client", Run: func(w *scenario.Workflow) bool {
		r, ok := w.AskAny(cl, scenario.Request{To: "B", Body: "to B"}, scenario.Request{To: "C", Body: "to C"})
		return ok && len(r) == 2 && r[0].From == "C" && r[1].From == "C" && r[0].Body == "to C" && r[1].Body == "from B"
	}}, nil
}

// The client's requests: to C directly (30 ms there, 30 back) and through B (10 + b-c + 30).
// b and c are linked only through a: B -> C costs 10 + 30 = 40 ms, so the reply through B
// comes at 10 + 40 + 30 = 80 ms, after the direct one at 60 ms.
func TestAskAnyTakesRepliesFromAnyone(t *testing.T) {
	g := twoNodes(t)
	if err := g.AddNode("c", network.NodeAssets{CPU: 8, RAM: 8, Storage: 8, Availability: 1}); err != nil {
		t.Fatal(err)
	}
	if err := g.AddSymmetricLink("a", "c", network.LinkAssets{LatencyMS: 30, BandwidthMbps: 100}); err != nil {
		t.Fatal(err)
	}
	cfg := echoConfig(t, "mpi")
	cfg.Infra, cfg.Static = g, map[string]string{"Client": "a", "B": "b", "C": "c"}
	res, err := scenario.Run(cfg, relay{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Workflows != 1 || res.Latency.Max != 80 || res.Failed != 0 || res.Discarded != 0 {
		t.Errorf("%d workflows of %+v, %d failed, %d discarded; want 1 of 80 ms", res.Workflows, res.Latency, res.Failed, res.Discarded)
	}
}
