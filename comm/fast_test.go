package comm

import (
	"errors"
	"fmt"
	"reflect"
	"testing"

	"github.com/edgesim/edgesim/engine"
	"github.com/edgesim/edgesim/network"
	"github.com/edgesim/edgesim/placement"
)

// routeOutcome renders what route or findRoute returns, for comparing the two.
func routeOutcome(l leg, p network.Path, d engine.Time, err error) string {
	if err != nil {
		return "error " + err.Error()
	}
	return fmt.Sprintf("%+v %v %v %v %v %v", l, p.Nodes, p.LinkIdx, p.LatencyMS, p.ProcessingMS, d)
}

// The route cache answers exactly as the uncached search, for every pair of services (and
// names outside the application) in both directions, as the graph and the placement change
// under it: nodes going down and up, links drifting, undeploy and redeploy elsewhere.
func TestRouteCacheMatchesUncached(t *testing.T) {
	_, g, f := fixture(t)
	if err := g.AddNode("c", network.NodeAssets{CPU: 8, RAM: 8, Storage: 8, Availability: 1, ProcessingTimeMS: 7}); err != nil {
		t.Fatal(err)
	}
	for _, l := range [][2]string{{"b", "c"}, {"a", "c"}} {
		if err := g.AddSymmetricLink(l[0], l[1], network.LinkAssets{LatencyMS: 4, BandwidthMbps: 50}); err != nil {
			t.Fatal(err)
		}
	}
	f.downs, f.up = make([]uint32, g.Len()), make([]bool, g.Len())
	f.SyncNodes()
	names := []string{"X", "Y", "Z", "outsider"}
	check := func(when string) {
		t.Helper()
		for _, from := range names {
			for _, to := range names {
				for _, rev := range []bool{false, true} {
					for _, size := range []int{0, 123} {
						// Twice: the second call is served by the cache.
						for range 2 {
							e := f.route(f.stat(from), f.stat(to), from, to, rev)
							var err error
							var delay engine.Time
							l := leg{toIdx: e.toIdx, size: size, epoch: f.epoch, downs: f.downs[e.toIdx]}
							if e.reason != "" {
								err = &UnreachableError{From: from, To: to, Reason: e.reason}
							} else if len(e.path.Hops) > 0 {
								delay = f.model.Delay(e.path, size)
							}
							got := routeOutcome(l, e.path, delay, err)
							want := routeOutcome(f.findRoute(from, to, rev, size))
							if got != want {
								t.Fatalf("%s: %s -> %s (reverse %v, %d B): cached %s, uncached %s", when, from, to, rev, size, got, want)
							}
						}
					}
				}
			}
		}
	}
	check("deployed")
	setAvail := func(n string, v float64) {
		a, _ := g.Node(n)
		a.Availability = v
		if err := g.SetNode(n, a); err != nil {
			t.Fatal(err)
		}
	}
	setAvail("b", 0)
	check("b down")
	setAvail("b", 1)
	check("b up")
	if err := g.SetLink("a", "c", network.LinkAssets{LatencyMS: 40, BandwidthMbps: 5}); err != nil {
		t.Fatal(err)
	}
	check("link drifted")
	f.Undeploy()
	check("undeployed")
	f.Deploy(placement.Placement{"X": "c", "Y": "a"}) // Z not placed
	check("redeployed")
	setAvail("a", 0)
	check("a down")
}

// The pair grid gives the same Pairs as a map keyed by name: the application's interactions
// in order, then the others in first-seen order, including names outside the application.
func TestStatsPairsOrder(t *testing.T) {
	_, _, f := fixture(t)
	type key struct{ from, to string }
	events := []key{{"Z", "X"}, {"Y", "X"}, {"user", "X"}, {"X", "Y"}, {"Z", "X"}, {"X", "nobody"}, {"X", "Z"}, {"Y", "Z"}}
	naive := map[key]*Pair{}
	var seen []key
	for i, e := range events {
		f.record(f.stat(e.from), f.stat(e.to), e.from, e.to, engine.Time(i+1))
		if naive[e] == nil {
			naive[e] = &Pair{From: e.from, To: e.to}
			seen = append(seen, e)
		}
		naive[e].Count++
		naive[e].Total += engine.Time(i + 1)
	}
	var want []Pair
	inApp := map[key]bool{}
	for _, in := range f.app.Interactions {
		k := key{in.From, in.To}
		inApp[k] = true
		if p := naive[k]; p != nil {
			want = append(want, *p)
		}
	}
	for _, k := range seen {
		if !inApp[k] {
			want = append(want, *naive[k])
		}
	}
	for _, s := range []*Stats{&f.Total, &f.Step} {
		if got := s.Pairs(); !reflect.DeepEqual(got, want) {
			t.Errorf("pairs\n got %+v\nwant %+v", got, want)
		}
	}
	f.ResetStep()
	if got := f.Step.Pairs(); len(got) != 0 {
		t.Errorf("after ResetStep: %+v, want none", got)
	}
	if got := f.Total.Pairs(); !reflect.DeepEqual(got, want) {
		t.Errorf("total after ResetStep\n got %+v\nwant %+v", got, want)
	}
}

// Post and Inbox.Send fail at once as Send's event would, deliver as Send does, and report a
// refusal by the recipient as Send's event would (a notice in the inbox; the callback with
// the message as it was sent).
func TestPostAndInboxSend(t *testing.T) {
	sim, _, f := fixture(t)
	f.app.Services[1].Requirements.ProcessingTimeMS = 100 // Y works 100 ms per request
	if err := f.SetLoad(Load{Service: "const", QueueLimit: 1}); err != nil {
		t.Fatal(err)
	}
	m := NewMPI(f)
	x := m.Endpoint("X")
	if err := x.Post(Message{To: "W"}, nil); !errors.Is(err, ErrUnreachable) {
		t.Errorf("Post to an unknown service: %v, want ErrUnreachable", err)
	}
	in := x.Inbox(7)
	if err := in.Send("W", nil, Trace{}); !errors.Is(err, ErrUnreachable) {
		t.Errorf("Inbox.Send to an unknown service: %v, want ErrUnreachable", err)
	}
	var refused []Message
	onRefused := func(msg Message, err error) {
		if !errors.Is(err, ErrRejected) {
			t.Errorf("refused with %v, want ErrRejected", err)
		}
		refused = append(refused, msg)
	}
	tr := Trace{Network: 5}
	if err := x.Post(Message{To: "Y", Tag: 1, Body: "a", Trace: tr}, onRefused); err != nil {
		t.Fatal(err)
	}
	if err := x.Post(Message{To: "Y", Tag: 2, Body: "b", Trace: tr}, onRefused); err != nil {
		t.Fatal(err)
	}
	if err := in.Send("Y", "c", tr); err != nil {
		t.Fatal(err)
	}
	var got []Message
	sim.Process("X", func(p *engine.Proc) {
		msg, ok, err := in.RecvTimeout(p, engine.Second)
		if err != nil || !ok {
			t.Errorf("inbox: ok %v, err %v", ok, err)
		}
		got = append(got, msg)
	})
	sim.Process("Y", func(p *engine.Proc) {
		msg, _ := m.Endpoint("Y").Recv(p)
		got = append(got, msg)
	})
	if err := sim.Run(); err != nil {
		t.Fatal(err)
	}
	if len(refused) != 1 || refused[0].Tag != 2 || refused[0].Trace != tr || refused[0].From != "X" {
		t.Errorf("refused %+v, want the message of tag 2 as sent", refused)
	}
	if len(got) != 2 || got[0].Tag != 7 || !errors.Is(got[0].Err, ErrRejected) || got[1].Tag != 1 {
		t.Errorf("received %+v, want a refusal notice of tag 7, then the message of tag 1", got)
	}
	if f.Total.Rejected != 2 || f.Total.Messages != 3 {
		t.Errorf("rejected %d, messages %d; want 2, 3", f.Total.Rejected, f.Total.Messages)
	}
}

// BenchmarkMPISend measures the MPI send path: a one-way message and its delivery through the
// mailbox of a serving process, with the reply posted back.
func BenchmarkMPISend(b *testing.B) {
	g := network.NewGraph()
	for _, n := range []string{"a", "b"} {
		if err := g.AddNode(n, network.NodeAssets{CPU: 8, RAM: 8, Storage: 8, Availability: 1, ProcessingTimeMS: 2}); err != nil {
			b.Fatal(err)
		}
	}
	if err := g.AddSymmetricLink("a", "b", network.LinkAssets{LatencyMS: 10, BandwidthMbps: 16}); err != nil {
		b.Fatal(err)
	}
	app := &placement.Application{Name: "t", Services: []placement.Service{{Name: "X"}, {Name: "Y"}},
		Interactions: []placement.Interaction{{From: "X", To: "Y"}}}
	sim := engine.New(1)
	defer sim.Close()
	f := NewFabric(sim, g, app, Eclypse{})
	f.Deploy(placement.Placement{"X": "a", "Y": "b"})
	m := NewMPI(f)
	type ping struct{ N int }
	y := m.Endpoint("Y")
	sim.Process("Y", func(p *engine.Proc) { y.Serve(p, func(msg Message) any { return msg.Body }) })
	x := m.Endpoint("X")
	sim.Process("X", func(p *engine.Proc) {
		in := x.Inbox(1)
		for i := 0; ; i++ {
			if err := in.Send("Y", ping{i % 16}, Trace{}); err != nil {
				b.Error(err)
				return
			}
			if _, ok, err := in.RecvTimeout(p, engine.Second); !ok || err != nil {
				return
			}
		}
	})
	b.ReportAllocs()
	b.ResetTimer()
	for f.Total.Messages < 2*b.N {
		if err := sim.RunUntil(sim.Now() + engine.Second); err != nil {
			b.Fatal(err)
		}
	}
}

// The size cache answers exactly as sizing without it, under both size rules, for a stream
// of repeated and fresh bodies of many types: more distinct values of a type than it keeps,
// more types than it keeps, bodies it must not cache (slices), and REST requests without a
// body that differ only by method, URL or query.
func TestSizeCacheMatchesUncached(t *testing.T) {
	type pay struct {
		Kind string
		TX   int
	}
	type list struct{ Items *[]int }
	items := &[]int{1, 2, 3}
	var bodies []any
	for i := range 3 * sizeWaysN {
		bodies = append(bodies, pay{"payment", 1000 + i*37})
	}
	bodies = append(bodies, list{items}, []int{1, 2}, "text", 12345, nil)
	for n := 1; n <= sizeTypesCap+4; n++ { // [n]int for many n: a type each
		v := reflect.New(reflect.ArrayOf(n, reflect.TypeOf(0))).Elem()
		v.Index(0).SetInt(int64(n))
		bodies = append(bodies, v.Interface())
	}
	var keys []sizeKey
	for _, b := range bodies {
		keys = append(keys, sizeKey{kind: sizeMessage, body: b}, sizeKey{kind: sizeResponse, body: b})
	}
	for _, u := range []string{"Catalog/items", "Cart/items", "User/me"} {
		for _, m := range []string{"GET", "DELETE"} {
			for _, raw := range []string{"", "id=7", "id=x&n=2.5"} {
				keys = append(keys, sizeKey{kind: sizeRequest, method: m, url: u, raw: raw})
			}
		}
	}
	for _, rule := range SizeRules {
		_, _, f := fixture(t)
		if err := f.SetSizeRule(rule); err != nil {
			t.Fatal(err)
		}
		// A fixed pseudo-random order with many repeats.
		x := uint64(1)
		for range 20 * len(keys) {
			x = x*6364136223846793005 + 1442695040888963407
			k := keys[x>>33%uint64(len(keys))]
			got, gerr := f.size(k)
			want, werr := f.measure(k)
			if got != want || (gerr == nil) != (werr == nil) {
				t.Fatalf("rule %s, %+v: cached %d (%v), uncached %d (%v)", rule, k, got, gerr, want, werr)
			}
		}
		if len(f.sizes) > sizeTypesCap {
			t.Errorf("rule %s: %d types cached, want at most %d", rule, len(f.sizes), sizeTypesCap)
		}
	}
}
