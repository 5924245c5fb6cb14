package comm

import (
	"errors"
	"testing"

	"github.com/edgesim/edgesim/engine"
	"github.com/edgesim/edgesim/network"
	"github.com/edgesim/edgesim/placement"
)

// Tracker.Release recycles the calls of a bound client that are over, and leaves alone one
// still on its way (abandoned), whose response then arrives in its own call.
func TestTrackerReleaseRecyclesCalls(t *testing.T) {
	sim, _, f := fixture(t)
	r := NewREST(f)
	if err := r.Mux("Y").Handle("GET /echo", func(*Context, *Request) (*Response, error) {
		return &Response{Status: StatusOK, Body: "pong"}, nil
	}); err != nil {
		t.Fatal(err)
	}
	tr := NewTracker(0, Trace{})
	cl := r.Client("X").Bind(tr)
	sim.Process("X", func(p *engine.Proc) {
		first := cl.Get("Y/echo")
		if resp := first.Wait(p); resp.Status != StatusOK || resp.Body != "pong" {
			t.Errorf("first: %d %v", resp.Status, resp.Body)
		}
		tr.Release()
		second := cl.Get("Y/echo")
		if second != first {
			t.Error("the call released was not reused")
		}
		if resp := second.Wait(p); resp.Status != StatusOK || resp.Body != "pong" {
			t.Errorf("second: %d %v", resp.Status, resp.Body)
		}
		// Given up on and released while its request travels: not reused, and its
		// response, when it comes, is discarded.
		late := cl.Get("Y/echo")
		if _, ok := late.WaitTimeout(p, engine.Millisecond); ok {
			t.Error("the late call answered within 1 ms")
		}
		tr.Release()
		if next := cl.Get("Y/echo"); next == late {
			t.Error("a call still on its way was reused")
		} else {
			next.Wait(p)
		}
		p.Sleep(engine.Second)
		if !late.Event().Processed() || f.Total.Discarded != 1 {
			t.Errorf("late call processed %v, discarded %d; want true, 1", late.Event().Processed(), f.Total.Discarded)
		}
	})
	if err := sim.Run(); err != nil {
		t.Fatal(err)
	}
}

// A handler's context is reused by the next exchange, with its client's calls recycled when
// the handler returns; answers stay right.
func TestHandlerContextReuse(t *testing.T) {
	sim, _, f := fixture(t)
	r := NewREST(f)
	if err := r.Mux("Z").Handle("GET /leaf", func(_ *Context, req *Request) (*Response, error) {
		return &Response{Status: StatusOK, Body: req.Param("n")}, nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := r.Mux("Y").Handle("GET /mid", func(ctx *Context, req *Request) (*Response, error) {
		resp := ctx.Client.Get("Z/leaf?n=" + req.Param("n")).Wait(ctx.Proc)
		return resp, nil // the layer copies it before the call is recycled
	}); err != nil {
		t.Fatal(err)
	}
	sim.Process("X", func(p *engine.Proc) {
		c := r.Client("X")
		for _, n := range []string{"1", "2", "3"} {
			if resp := c.Get("Y/mid?n=" + n).Wait(p); resp.Status != StatusOK || resp.Body != n {
				t.Errorf("n=%s: %d %v", n, resp.Status, resp.Body)
			}
		}
	})
	if err := sim.Run(); err != nil {
		t.Fatal(err)
	}
	if len(r.calls) == 0 {
		t.Error("no handler call was recycled")
	}
}

// An Inbox reopened for a new exchange does not receive a refusal of a request sent by the
// exchange before it.
func TestOpenInboxDropsEarlierRefusals(t *testing.T) {
	sim, _, f := fixture(t)
	if err := f.SetLoad(Load{Service: "const", CPU: "service", Sched: "fcfs", Links: "free", QueueLimit: 1}); err != nil {
		t.Fatal(err)
	}
	m := NewMPI(f)
	ep := m.Endpoint("X")
	var in Inbox
	var got []error
	sim.Process("X", func(p *engine.Proc) {
		// Two requests to Y: the second is refused on arrival (queue limit 1).
		ep.OpenInbox(&in, 1)
		_ = in.Send("Y", "a", Trace{})
		_ = in.Send("Y", "b", Trace{})
		in.Close()
		ep.OpenInbox(&in, 2) // the next exchange, in the same Inbox
		for {
			msg, ok, err := in.RecvTimeout(p, engine.Second)
			if err != nil || !ok {
				break
			}
			got = append(got, msg.Err)
		}
		in.Close()
	})
	if err := sim.Run(); err != nil {
		t.Fatal(err)
	}
	if f.Total.Rejected != 1 {
		t.Fatalf("%d rejected, want 1", f.Total.Rejected)
	}
	for _, err := range got {
		if errors.Is(err, ErrRejected) {
			t.Errorf("the reopened inbox got the refusal of the exchange before it")
		}
	}
}

// WarmRoutes refreshes the stale cached routes to what a search gives now.
func TestWarmRoutes(t *testing.T) {
	_, g, f := fixture(t)
	for _, pr := range [][2]string{{"X", "Y"}, {"Y", "X"}, {"X", "Z"}} {
		f.route(f.stat(pr[0]), f.stat(pr[1]), pr[0], pr[1], false)
	}
	if err := g.SetLink("a", "b", network.LinkAssets{LatencyMS: 40, BandwidthMbps: 5}); err != nil {
		t.Fatal(err)
	}
	f.Deploy(placement.Placement{"X": "b", "Y": "a", "Z": "b"})
	f.WarmRoutes()
	n := 0
	for k, e := range f.routes.dense {
		if e == nil {
			continue
		}
		n++
		if e.version != g.Version() || e.epoch != f.epoch {
			t.Errorf("key %d still stale", k)
		}
		from, to := f.names[k/2/len(f.names)], f.names[k/2%len(f.names)]
		l, path, _, err := f.findRoute(from, to, k%2 == 1, 0)
		if e.toIdx != l.toIdx || len(e.path.Hops) != len(path.Hops) || (err == nil) != (e.reason == "") {
			t.Errorf("%s -> %s: warmed %+v, search %+v %v", from, to, e, path, err)
		}
	}
	if n != 3 {
		t.Errorf("%d cached routes, want 3", n)
	}
}

// A leaf answers as a handler does (status, body, timing, errors as 500) and shares the
// handlers' patterns: a conflict either way is refused.
func TestHandleLeaf(t *testing.T) {
	sim, _, f := fixture(t)
	r := NewREST(f)
	m := r.Mux("Y")
	if err := m.HandleLeaf("GET /leaf", func(req *Request) (*Response, error) {
		if req.Param("fail") != "" {
			return nil, errors.New("asked to fail")
		}
		return &Response{Status: StatusOK, Body: "leaf"}, nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := m.Handle("GET /leaf", func(*Context, *Request) (*Response, error) { return nil, nil }); err == nil {
		t.Error("a handler on a leaf's pattern was accepted")
	}
	if err := m.HandleLeaf("POST /leaf", nil); err == nil {
		t.Error("a nil leaf was accepted")
	}
	sim.Process("X", func(p *engine.Proc) {
		c := r.Client("X")
		start := p.Now()
		if resp := c.Get("Y/leaf").Wait(p); resp.Status != StatusOK || resp.Body != "leaf" {
			t.Errorf("leaf: %d %v", resp.Status, resp.Body)
		}
		if took := p.Now() - start; took != cost(0)+cost(len(`"leaf"`)) { // request, then the body back
			t.Errorf("leaf round trip %v, want %v", took, cost(0)+cost(len(`"leaf"`)))
		}
		if resp := c.Get("Y/leaf?fail=1").Wait(p); resp.Status != StatusInternalServerError {
			t.Errorf("failing leaf: %d, want 500", resp.Status)
		}
		if resp := c.Post("Y/leaf", "x").Wait(p); resp.Status != StatusMethodNotAllowed {
			t.Errorf("POST on a GET leaf: %d, want 405", resp.Status)
		}
	})
	if err := sim.Run(); err != nil {
		t.Fatal(err)
	}
}

// A 503 says why: the unreachable error's text, the same for every call refused for the
// same reason (one body shared), and the lost leg for a message lost in flight.
func TestUnavailableBodies(t *testing.T) {
	sim, g, f := fixture(t)
	r := NewREST(f)
	if err := r.Mux("Y").HandleLeaf("GET /x", func(*Request) (*Response, error) { return &Response{Status: StatusOK}, nil }); err != nil {
		t.Fatal(err)
	}
	down := func(n string, v float64) {
		a, _ := g.Node(n)
		a.Availability = v
		if err := g.SetNode(n, a); err != nil {
			t.Fatal(err)
		}
	}
	var bodies []any
	sim.Process("X", func(p *engine.Proc) {
		c := r.Client("X")
		down("b", 0) // Y's node
		for range 2 {
			resp := c.Get("Y/x").Wait(p)
			if resp.Status != StatusServiceUnavailable {
				t.Errorf("status %d, want 503", resp.Status)
			}
			bodies = append(bodies, resp.Body)
		}
		down("b", 1)
		call := c.Get("Y/x")
		sim.Schedule(cost(0)/2, func() { down("b", 0); f.SyncNodes() }) // while the request travels
		resp := call.Wait(p)
		bodies = append(bodies, resp.Body)
	})
	if err := sim.Run(); err != nil {
		t.Fatal(err)
	}
	want := (&UnreachableError{From: "X", To: "Y", Reason: "node b is down"}).Error()
	text := func(b any) string {
		e, _ := b.(errorBody)
		return e.Error
	}
	if len(bodies) != 3 || text(bodies[0]) != want || text(bodies[1]) != want {
		t.Fatalf("bodies %+v, want twice %q", bodies, want)
	}
	if text(bodies[2]) != "request lost in flight" {
		t.Errorf("lost request: body %+v", bodies[2])
	}
}
