package comm

import (
	"testing"

	"github.com/edgesim/edgesim/engine"
	"github.com/edgesim/edgesim/network"
	"github.com/edgesim/edgesim/placement"
)

// A message is lost when, while it travels, its destination node goes down or its service is
// undeployed or moved, even if by its arrival the node is back or the same placement is
// deployed again: what the message left for is gone.
func TestLostInFlightEvenIfRestored(t *testing.T) {
	setB := func(g *network.Graph, avail float64) {
		a, _ := g.Node("b")
		a.Availability = avail
		if err := g.SetNode("b", a); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		name   string
		during func(g *network.Graph, f *Fabric) // runs at 5 ms, the message arrives at 15 ms
		lost   int
	}{
		{"nothing happens", func(*network.Graph, *Fabric) {}, 0},
		{"node down and back", func(g *network.Graph, f *Fabric) {
			setB(g, 0)
			f.SyncNodes()
			setB(g, 1)
			f.SyncNodes()
		}, 1},
		{"undeploy and redeploy on the same node", func(_ *network.Graph, f *Fabric) {
			f.Undeploy()
			f.Deploy(placement.Placement{"X": "a", "Y": "b", "Z": "a"})
		}, 1},
		{"moved", func(_ *network.Graph, f *Fabric) {
			f.Undeploy()
			f.Deploy(placement.Placement{"X": "a", "Y": "a", "Z": "a"})
		}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sim, g, f := fixture(t)
			ep := NewMPI(f).Endpoint("X")
			ev := ep.Send("Y", nil) // empty body: arrives at 15 ms
			sim.Schedule(5*engine.Millisecond, func() { tc.during(g, f) })
			if err := sim.Run(); err != nil {
				t.Fatal(err)
			}
			if f.Total.Lost != tc.lost {
				t.Errorf("lost %d, want %d", f.Total.Lost, tc.lost)
			}
			if tc.lost > 0 && ev.Err() != ErrLost {
				t.Errorf("send event error %v, want ErrLost", ev.Err())
			}
		})
	}
}

// A REST response that arrives after its caller abandoned the call is counted apart (Late)
// and is not a latency sample of the interaction: the caller never saw it.
func TestLateResponseNotASample(t *testing.T) {
	sim, _, f := fixture(t)
	rest := NewREST(f)
	if err := rest.Mux("Y").Handle("GET /p", func(*Context, *Request) (*Response, error) {
		return &Response{Status: StatusOK}, nil
	}); err != nil {
		t.Fatal(err)
	}
	cl := rest.Client("X")
	sim.Process("caller", func(p *engine.Proc) {
		// The round trip takes 30 ms: give up after 20, then make a call that completes.
		if _, ok := cl.Get("Y/p").WaitTimeout(p, 20*engine.Millisecond); ok {
			t.Error("first call completed within 20 ms")
		}
		p.Sleep(20 * engine.Millisecond)
		if _, ok := cl.Get("Y/p").WaitTimeout(p, engine.Second); !ok {
			t.Error("second call did not complete")
		}
	})
	if err := sim.Run(); err != nil {
		t.Fatal(err)
	}
	pairs := f.Total.Pairs()
	if len(pairs) != 1 {
		t.Fatalf("pairs %+v, want one", pairs)
	}
	if p := pairs[0]; p.Count != 1 || p.Late != 1 || p.Total != 30*engine.Millisecond {
		t.Errorf("pair %+v, want 1 sample of 30 ms and 1 late response", p)
	}
	if f.Total.Discarded != 1 {
		t.Errorf("discarded %d, want 1", f.Total.Discarded)
	}
}
