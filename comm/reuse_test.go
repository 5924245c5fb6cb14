package comm

import (
	"errors"
	"fmt"
	"strings"
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

// An AsyncHandler gives the run of the same handler written as a process: same statuses,
// bodies and instants, a response already in continues at once, an error is a 500, and a
// second Reply is ignored.
func TestHandleAsyncMatchesHandler(t *testing.T) {
	run := func(async bool) []string {
		sim, _, f := fixture(t)
		r := NewREST(f)
		if err := r.Mux("Z").HandleLeaf("GET /leaf", func(req *Request) (*Response, error) {
			return &Response{Status: StatusOK, Body: "z" + req.Param("n")}, nil
		}); err != nil {
			t.Fatal(err)
		}
		const pattern = "GET /fan"
		var err error
		if async {
			err = r.Mux("Y").HandleAsync(pattern, func(ctx *AsyncContext, req *Request) {
				if req.Param("fail") != "" {
					ctx.Reply(nil, errors.New("asked to fail"))
					ctx.Reply(&Response{Status: StatusOK}, nil) // ignored
					return
				}
				a, b := ctx.Client.Get("Z/leaf?n=1"), ctx.Client.Get("Z/leaf?n=22")
				ctx.Await(a, func(ra *Response) {
					ctx.Await(b, func(rb *Response) {
						if req.Param("direct") == "1" {
							ctx.Reply(&Response{Status: StatusOK, Body: ra.Body.(string) + rb.Body.(string)}, nil)
							return
						}
						ctx.Await(a, func(again *Response) { // already in: at once
							ctx.Reply(&Response{Status: StatusOK, Body: again.Body.(string) + rb.Body.(string)}, nil)
						})
					})
				})
			})
		} else {
			err = r.Mux("Y").Handle(pattern, func(ctx *Context, req *Request) (*Response, error) {
				if req.Param("fail") != "" {
					return nil, errors.New("asked to fail")
				}
				a, b := ctx.Client.Get("Z/leaf?n=1"), ctx.Client.Get("Z/leaf?n=22")
				ra := a.Wait(ctx.Proc)
				rb := b.Wait(ctx.Proc)
				if req.Param("direct") == "1" {
					return &Response{Status: StatusOK, Body: ra.Body.(string) + rb.Body.(string)}, nil
				}
				again := a.Wait(ctx.Proc)
				return &Response{Status: StatusOK, Body: again.Body.(string) + rb.Body.(string)}, nil
			})
		}
		if err != nil {
			t.Fatal(err)
		}
		var log []string
		// The first and the last handlers answer at one instant, in an order that the
		// continuations' own order decides: the log shows it.
		for i, url := range []string{"Y/fan?direct=0", "Y/fan?fail=1", "Y/fan?direct=1"} {
			sim.Process(fmt.Sprint("X", i), func(p *engine.Proc) {
				resp := r.Client("X").Get(url).Wait(p)
				log = append(log, fmt.Sprintf("%v %s %d %v", p.Now(), url, resp.Status, resp.Body))
			})
		}
		if err := sim.Run(); err != nil {
			t.Fatal(err)
		}
		return log
	}
	want, got := run(false), run(true)
	if all := strings.Join(want, "\n"); len(want) != 3 || strings.Count(all, "200 z1z22") != 2 || !strings.Contains(all, "direct=1 200") || !strings.Contains(all, " 500 {asked to fail") {
		t.Fatalf("handler run: %q", want)
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("async handler:\n%s\nhandler:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
