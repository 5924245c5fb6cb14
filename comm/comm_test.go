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

// fixture: nodes a and b (processing 2 ms and 3 ms) joined by a 10 ms, 16 Mbit/s link, so a
// message of s bytes from a to b costs (2+3) + 10 ms plus s*8e-6/16 s = s*0.5 us.
func fixture(t *testing.T) (*engine.Sim, *network.Graph, *Fabric) {
	t.Helper()
	g := network.NewGraph()
	for _, n := range []struct {
		id   string
		proc float64
	}{{"a", 2}, {"b", 3}} {
		if err := g.AddNode(n.id, network.NodeAssets{CPU: 8, RAM: 8, Storage: 8, Availability: 1, ProcessingTimeMS: n.proc}); err != nil {
			t.Fatal(err)
		}
	}
	if err := g.AddSymmetricLink("a", "b", network.LinkAssets{LatencyMS: 10, BandwidthMbps: 16}); err != nil {
		t.Fatal(err)
	}
	app := &placement.Application{Name: "t", Services: []placement.Service{{Name: "X"}, {Name: "Y"}, {Name: "Z"}},
		Interactions: []placement.Interaction{{From: "X", To: "Y"}, {From: "X", To: "Z"}, {From: "Y", To: "X"}}}
	sim := engine.New(1)
	t.Cleanup(sim.Close)
	f := NewFabric(sim, g, app, Eclypse{})
	if err := f.SetSizeRule("json"); err != nil { // sizes by hand: the JSON length
		t.Fatal(err)
	}
	f.Deploy(placement.Placement{"X": "a", "Y": "b", "Z": "a"})
	return sim, g, f
}

func cost(size int) engine.Time { return 15*engine.Millisecond + engine.Time(size)*500 }

func TestEclypseDelay(t *testing.T) {
	p := network.Path{Nodes: []string{"a", "b", "c"}, ProcessingMS: 6,
		Hops: []network.Link{{From: "a", To: "b", LinkAssets: network.LinkAssets{LatencyMS: 10, BandwidthMbps: 100}},
			{From: "b", To: "c", LinkAssets: network.LinkAssets{LatencyMS: 5, BandwidthMbps: 50}}}}
	for _, tc := range []struct {
		name string
		m    Model
		path network.Path
		size int
		want engine.Time
	}{
		// 6 ms + (1000*8e-6/100 s = 80 us + 10 ms) + (1000*8e-6/50 s = 160 us + 5 ms)
		{"two hops", Eclypse{}, p, 1000, 21*engine.Millisecond + 240*engine.Microsecond},
		{"empty body", Eclypse{}, p, 0, 21 * engine.Millisecond},
		{"same node", Eclypse{}, network.Path{Nodes: []string{"a"}, ProcessingMS: 2}, 1000, 0},
		{"latency only", LatencyOnly{}, network.Path{Nodes: p.Nodes, Hops: p.Hops, LatencyMS: 15, ProcessingMS: 6}, 1000, 15 * engine.Millisecond},
	} {
		if got := tc.m.Delay(tc.path, tc.size); got != tc.want {
			t.Errorf("%s: delay %v, want %v", tc.name, got, tc.want)
		}
	}
	if _, err := NewModel("fast"); err == nil || !strings.Contains(err.Error(), "eclypse, latency") {
		t.Errorf("NewModel(fast) = %v, want an error listing the models", err)
	}
}

func TestSize(t *testing.T) {
	type body struct {
		B string `json:"b"`
		A int    `json:"a"`
	}
	for _, tc := range []struct {
		body any
		want int
	}{
		{nil, 0},
		{body{"x", 1}, len(`{"b":"x","a":1}`)},
		{map[string]string{"z": "1", "a": "2"}, len(`{"a":"2","z":"1"}`)},
	} {
		if got, err := Size(tc.body); err != nil || got != tc.want {
			t.Errorf("Size(%v) = %d, %v; want %d", tc.body, got, err, tc.want)
		}
	}
	if _, err := Size(func() {}); err == nil {
		t.Error("Size(func) should fail")
	}
}

func TestMPISendRecvTiming(t *testing.T) {
	sim, _, f := fixture(t)
	m := NewMPI(f)
	x, y, z := m.Endpoint("X"), m.Endpoint("Y"), m.Endpoint("Z")
	var log []string
	sim.Process("Y", func(p *engine.Proc) {
		for {
			msg, err := y.Recv(p)
			if err != nil {
				return
			}
			log = append(log, fmt.Sprintf("Y got %v from %s tag %d at %v", msg.Body, msg.From, msg.Tag, p.Now()))
			y.Reply(msg, "pong")
		}
	})
	sim.Process("X", func(p *engine.Proc) {
		if _, err := p.Wait(x.SendTag("Y", 7, "ping")); err != nil { // "ping" is 6 bytes
			t.Errorf("send: %v", err)
		}
		log = append(log, fmt.Sprintf("X delivered at %v", p.Now()))
		msg, _ := x.Recv(p)
		log = append(log, fmt.Sprintf("X got %v tag %d at %v", msg.Body, msg.Tag, p.Now()))
		// Z shares X's node: zero cost.
		if _, err := p.Wait(x.Send("Z", "hi")); err != nil {
			t.Errorf("send to Z: %v", err)
		}
		got, _ := z.Recv(p)
		log = append(log, fmt.Sprintf("Z got %v at %v", got.Body, p.Now()))
	})
	if err := sim.Run(); err != nil {
		t.Fatal(err)
	}
	want := []string{
		fmt.Sprintf("Y got ping from X tag 7 at %v", cost(6)),
		fmt.Sprintf("X delivered at %v", cost(6)),
		fmt.Sprintf("X got pong tag 7 at %v", 2*cost(6)),
		fmt.Sprintf("Z got hi at %v", 2*cost(6)),
	}
	if strings.Join(log, "\n") != strings.Join(want, "\n") {
		t.Errorf("timeline\n%s\nwant\n%s", strings.Join(log, "\n"), strings.Join(want, "\n"))
	}
	if f.Total.Messages != 3 || f.Total.Bytes != 6+6+4 {
		t.Errorf("messages %d bytes %d, want 3 and 16", f.Total.Messages, f.Total.Bytes)
	}
	pairs := f.Total.Pairs()
	if len(pairs) != 3 || pairs[0].From != "X" || pairs[0].To != "Y" || pairs[0].Total != cost(6) || pairs[1].To != "Z" || pairs[2].From != "Y" {
		t.Errorf("pairs %+v", pairs)
	}
}

func TestMPIUnreachableFailsAtOnce(t *testing.T) {
	sim, g, f := fixture(t)
	m := NewMPI(f)
	x := m.Endpoint("X")
	b, _ := g.Node("b")
	b.Availability = 0
	if err := g.SetNode("b", b); err != nil {
		t.Fatal(err)
	}
	var at engine.Time = -1
	var got error
	sim.Process("X", func(p *engine.Proc) {
		_, got = p.Wait(x.Send("Y", "ping"))
		at = p.Now()
	})
	if err := sim.Run(); err != nil {
		t.Fatal(err)
	}
	var ue *UnreachableError
	if !errors.Is(got, ErrUnreachable) || !errors.As(got, &ue) || ue.To != "Y" || at != 0 {
		t.Errorf("send to a down node: err %v at %v, want an UnreachableError at 0", got, at)
	}
	if f.Total.Unreachable != 1 || f.Total.Messages != 0 {
		t.Errorf("unreachable %d messages %d", f.Total.Unreachable, f.Total.Messages)
	}
	f.Undeploy()
	if err := x.Send("Y", "x").Err(); !errors.Is(err, ErrUnreachable) {
		t.Errorf("send while undeployed: %v", err)
	}
}

func TestMPILostInFlight(t *testing.T) {
	sim, g, f := fixture(t)
	m := NewMPI(f)
	x := m.Endpoint("X")
	var got error
	sim.Process("X", func(p *engine.Proc) { _, got = p.Wait(x.Send("Y", "ping")) })
	sim.Schedule(engine.Millisecond, func() { // b goes down while the message travels
		b, _ := g.Node("b")
		b.Availability = 0
		g.SetNode("b", b)
	})
	if err := sim.Run(); err != nil {
		t.Fatal(err)
	}
	if !errors.Is(got, ErrLost) || f.Total.Lost != 1 || f.Total.Messages != 1 {
		t.Errorf("got %v, lost %d, messages %d; want ErrLost, 1, 1", got, f.Total.Lost, f.Total.Messages)
	}
}

func TestMPIMulticastBroadcast(t *testing.T) {
	sim, _, f := fixture(t)
	m := NewMPI(f)
	x := m.Endpoint("X")
	var doneAt engine.Time
	sim.Process("X", func(p *engine.Proc) {
		if _, err := p.Wait(x.Broadcast("hey")); err != nil { // to Y (remote) and Z (local)
			t.Errorf("broadcast: %v", err)
		}
		doneAt = p.Now()
	})
	if err := sim.Run(); err != nil {
		t.Fatal(err)
	}
	if doneAt != cost(5) || m.boxes[f.ids["Y"]].Len() != 1 || m.boxes[f.ids["Z"]].Len() != 1 {
		t.Errorf("broadcast done at %v (want %v), Y %d, Z %d", doneAt, cost(5), m.boxes[f.ids["Y"]].Len(), m.boxes[f.ids["Z"]].Len())
	}
}

func TestRESTStatusCodes(t *testing.T) {
	sim, g, f := fixture(t)
	r := NewREST(f)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(r.Mux("Y").Handle("GET /ok", func(_ *Context, req *Request) (*Response, error) {
		return &Response{Status: StatusOK, Body: req.Param("q")}, nil
	}))
	must(r.Mux("Y").Handle("PUT /ok", func(*Context, *Request) (*Response, error) { return nil, nil }))
	must(r.Mux("Y").Handle("POST /fail", func(*Context, *Request) (*Response, error) { return nil, errors.New("boom") }))
	if err := r.Mux("Y").Handle("GET /ok", func(*Context, *Request) (*Response, error) { return nil, nil }); err == nil {
		t.Error("conflicting pattern accepted")
	}
	for _, bad := range []string{"GET", "FETCH /x", "GET x", "GET /a b"} {
		if err := r.Mux("Y").Handle(bad, func(*Context, *Request) (*Response, error) { return nil, nil }); err == nil {
			t.Errorf("bad pattern %q accepted", bad)
		}
	}
	c := r.Client("X")
	type probe struct {
		name   string
		call   func() *Call
		status int
		at     engine.Time
	}
	// Request legs without a body carry the query as JSON: {"q":"hi"} is 10 bytes.
	probes := []probe{
		{"200", func() *Call { return c.Get("Y/ok?q=hi") }, 200, cost(10) + cost(4)}, // "hi" answer is 4 bytes
		{"404 path", func() *Call { return c.Get("Y/nope") }, 404, -1},
		{"405", func() *Call { return c.Delete("Y/ok") }, 405, -1},
		{"500 error", func() *Call { return c.Post("Y/fail", nil) }, 500, -1},
		{"500 nil response", func() *Call { return c.Put("Y/ok", nil) }, 500, -1},
		{"404 service", func() *Call { return c.Get("Nobody/x") }, 404, 0},
		{"400 url", func() *Call { return c.Get("/x") }, 400, 0},
	}
	got := make([]*Response, len(probes))
	at := make([]engine.Time, len(probes))
	sim.Process("X", func(p *engine.Proc) {
		for i, pr := range probes {
			start := p.Now()
			got[i] = pr.call().Wait(p)
			at[i] = p.Now() - start
		}
	})
	must(sim.Run())
	for i, pr := range probes {
		if got[i].Status != pr.status || (pr.at >= 0 && at[i] != pr.at) {
			t.Errorf("%s: status %d after %v, want %d after %v (body %+v)", pr.name, got[i].Status, at[i], pr.status, pr.at, got[i].Body)
		}
	}
	if eb, ok := got[2].Body.(errorBody); !ok || strings.Join(eb.Allow, ",") != "GET,PUT" {
		t.Errorf("405 body %+v, want Allow GET,PUT", got[2].Body)
	}
	// 503: the callee's node is down, at once and at no cost.
	b, _ := g.Node("b")
	b.Availability = 0
	must(g.SetNode("b", b))
	var resp *Response
	var when engine.Time = -1
	sim.Process("X2", func(p *engine.Proc) { resp = c.Get("Y/ok").Wait(p); when = p.Now() })
	before := f.Total.Messages
	must(sim.Run())
	if resp.Status != 503 || when != sim.Now() || f.Total.Messages != before {
		t.Errorf("down callee: %d at %v (now %v), messages +%d", resp.Status, when, sim.Now(), f.Total.Messages-before)
	}
}

func TestRESTOverlapAndAbandon(t *testing.T) {
	sim, _, f := fixture(t)
	r := NewREST(f)
	// Y's handler calls Z twice in parallel; Z sleeps 40 ms and 70 ms: the handler lasts 70 ms.
	r.Mux("Z").Handle("GET /sleep", func(ctx *Context, req *Request) (*Response, error) {
		d := 40 * engine.Millisecond
		if req.Param("long") != "" {
			d = 70 * engine.Millisecond
		}
		ctx.Proc.Sleep(d)
		return &Response{Status: StatusOK}, nil
	})
	r.Mux("Y").Handle("GET /fan", func(ctx *Context, _ *Request) (*Response, error) {
		a, b := ctx.Client.Get("Z/sleep"), ctx.Client.Get("Z/sleep?long=1")
		a.Wait(ctx.Proc)
		b.Wait(ctx.Proc)
		return &Response{Status: StatusOK}, nil
	})
	var took engine.Time
	var timedOut bool
	sim.Process("X", func(p *engine.Proc) {
		start := p.Now()
		c := r.Client("X")
		c.Get("X/none") // X has no handlers: 404 after the round trip, not waited for
		if resp := c.Get("Y/fan").Wait(p); resp.Status != 200 {
			t.Errorf("fan: %d", resp.Status)
		}
		took = p.Now() - start
		// Abandon a call: its late response is discarded and counted.
		_, ok := c.Get("Y/fan").WaitTimeout(p, engine.Millisecond)
		timedOut = !ok
	})
	if err := sim.Run(); err != nil {
		t.Fatal(err)
	}
	// Y and Z's calls: Y is on b, Z on a: each inner leg is 15 ms (+ {"long":"1"} = 12 bytes
	// on the long one's request), so the longer inner call is 15 + 70 + 15 ms + 6 us.
	want := cost(0) + (cost(12) + 70*engine.Millisecond + cost(0)) + cost(0)
	if took != want {
		t.Errorf("fan took %v, want %v (the two inner calls overlap)", took, want)
	}
	if !timedOut || f.Total.Discarded != 1 {
		t.Errorf("timed out %v, discarded %d; want true, 1", timedOut, f.Total.Discarded)
	}
}

func TestParseURL(t *testing.T) {
	for _, tc := range []struct{ raw, svc, path, q string }{
		{"S/a/b?x=1&y=2", "S", "/a/b", "x=1&y=2"},
		{"S", "S", "/", ""},
		{"S/", "S", "/", ""},
	} {
		s, p, q, err := ParseURL(tc.raw)
		if err != nil || s != tc.svc || p != tc.path || q.Encode() != tc.q {
			t.Errorf("ParseURL(%q) = %q %q %q %v", tc.raw, s, p, q.Encode(), err)
		}
	}
	for _, bad := range []string{"", "/x", "S/x?%zz"} {
		if _, _, _, err := ParseURL(bad); err == nil {
			t.Errorf("ParseURL(%q) accepted", bad)
		}
	}
}

// FuzzParseURL: never panics; an accepted URL has a service and a rooted path.
func FuzzParseURL(f *testing.F) {
	for _, s := range []string{"S/a?x=1", "S", "/x", "S/x?%zz", "a/b/c?d=e&d=f"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		svc, path, _, err := ParseURL(raw)
		if err == nil && (svc == "" || !strings.HasPrefix(path, "/")) {
			t.Errorf("ParseURL(%q) = %q %q", raw, svc, path)
		}
	})
}

// TestRESTHandlerReusesResponse: a handler that returns the same *Response every time, each
// time with another body, gives every caller the body of its own request, also when several
// responses are on their way back at once.
func TestRESTHandlerReusesResponse(t *testing.T) {
	sim, _, f := fixture(t)
	r := NewREST(f)
	var shared Response
	if err := r.Mux("Y").Handle("GET /echo", func(_ *Context, req *Request) (*Response, error) {
		shared = Response{Status: StatusOK, Body: req.Param("q")}
		return &shared, nil
	}); err != nil {
		t.Fatal(err)
	}
	c := r.Client("X")
	const n = 5
	got := make([]any, n)
	sim.Process("X", func(p *engine.Proc) {
		calls := make([]*Call, n)
		for i := range calls {
			calls[i] = c.Get(fmt.Sprintf("Y/echo?q=%d", i))
		}
		for i, call := range calls {
			got[i] = call.Wait(p).Body
		}
	})
	if err := sim.Run(); err != nil {
		t.Fatal(err)
	}
	for i, b := range got {
		if b != fmt.Sprint(i) {
			t.Errorf("call %d got body %v, want %d", i, b, i)
		}
	}
}

// TestMPIHandleMatchesProcess: Endpoint.Answer and Handle give the run of a process serving
// the mailbox in a loop, entry for entry: what each handler call and each receipt sees (the
// time, the queue's length, the order of everything logged) is the same. Bursts make
// messages arrive together (they wait in the mailbox while the handler is due), a callback
// due at the same instants interleaves with the handler's turns, and a message comes before
// the service starts.
func TestMPIHandleMatchesProcess(t *testing.T) {
	run := func(mode string) []string {
		sim, _, f := fixture(t)
		m := NewMPI(f)
		x, y := m.Endpoint("X"), m.Endpoint("Y")
		var log []string
		note := func(format string, args ...any) {
			log = append(log, fmt.Sprintf("%v pending %d: ", sim.Now(), sim.Pending())+fmt.Sprintf(format, args...))
		}
		// X on node a sends to Y on node b: every "pingN" (5 bytes) lands 15 ms + 2.5 us later.
		sim.Process("X", func(p *engine.Proc) {
			for burst := range 3 {
				for i := range burst + 2 {
					x.SendTag("Y", uint64(10*burst+i), fmt.Sprintf("ping%d", i))
				}
				if _, err := sim.Schedule(cost(5), func() { note("tick %d", burst) }); err != nil {
					t.Error(err)
				}
				p.Sleep(engine.Millisecond)
			}
			for {
				msg, err := x.Recv(p)
				if err != nil {
					return
				}
				note("X got %v tag %d", msg.Body, msg.Tag)
			}
		})
		handle := func(msg Message) any {
			note("Y got %v tag %d", msg.Body, msg.Tag)
			if msg.Tag%2 == 1 {
				return nil // no reply
			}
			return "pong"
		}
		start := func() {
			switch mode {
			case "process":
				sim.Process("Y", func(p *engine.Proc) { y.Serve(p, handle) })
			case "answer":
				y.Answer(handle)
			case "handle":
				y.Handle(func(msg Message) {
					if reply := handle(msg); reply != nil {
						_ = y.Post(Message{To: msg.From, Tag: msg.Tag, Body: reply, Trace: msg.Trace, Reply: true}, nil)
					}
				})
			}
		}
		// Y starts after the first burst has landed: those wait in its mailbox.
		if _, err := sim.Schedule(cost(5)+engine.Microsecond, start); err != nil {
			t.Fatal(err)
		}
		if err := sim.Run(); err != nil {
			t.Fatal(err)
		}
		return log
	}
	want := run("process")
	if len(want) < 15 {
		t.Fatalf("only %d log lines", len(want))
	}
	for _, mode := range []string{"answer", "handle"} {
		if got := run(mode); strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("%s:\n%s\nwant (process)\n%s", mode, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	}
}
