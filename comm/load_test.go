package comm

import (
	"errors"
	"strings"
	"testing"

	"github.com/edgesim/edgesim/engine"
)

// Shared links: on the fixture's one-hop path (15 ms fixed, 16 Mbit/s) a lone message costs
// what the free model charges, 15 ms + 0.5 us per byte; two messages of 2000 bytes sent at
// once share the link at 8 Mbit/s each, so each needs 2 ms of transmission instead of 1 ms:
// both arrive at 17 ms. A third, sent 4 ms after they arrived, has the link to itself again:
// 16 ms after it left.
func TestFairLinksShareBandwidth(t *testing.T) {
	for _, tc := range []struct {
		links string
		want  []engine.Time
	}{
		{"free", []engine.Time{16 * engine.Millisecond, 16 * engine.Millisecond, 36 * engine.Millisecond}},
		{"fair", []engine.Time{17 * engine.Millisecond, 17 * engine.Millisecond, 37 * engine.Millisecond}},
	} {
		t.Run(tc.links, func(t *testing.T) {
			sim, _, f := fixture(t)
			if err := f.SetLoad(Load{Links: tc.links}); err != nil {
				t.Fatal(err)
			}
			ep := NewMPI(f).Endpoint("X")
			body := strings.Repeat("x", 1998) // 2000 bytes of JSON with the quotes
			var got []engine.Time
			sim.Process("sender", func(p *engine.Proc) {
				a, b := ep.Send("Y", body), ep.Send("Y", body)
				p.Wait(a)
				got = append(got, p.Now())
				p.Wait(b)
				got = append(got, p.Now())
				p.Sleep(4 * engine.Millisecond)
				p.Wait(ep.Send("Y", body))
				got = append(got, p.Now())
			})
			if err := sim.Run(); err != nil {
				t.Fatal(err)
			}
			if len(got) != 3 || got[0] != tc.want[0] || got[1] != tc.want[1] || got[2] != tc.want[2] {
				t.Errorf("arrivals %v, want %v", got, tc.want)
			}
		})
	}
}

func TestLoadValidate(t *testing.T) {
	for _, tc := range []struct {
		l    Load
		want string
	}{
		{Load{}, ""},
		{Load{Service: "exp", CPU: "node", Sched: "ps", Links: "fair", QueueLimit: 5}, ""},
		{Load{Service: "lognormal:2"}, ""},
		{Load{Service: "gamma"}, "none, const, exp, lognormal:CV"},
		{Load{Service: "lognormal:0"}, "coefficient of variation"},
		{Load{Service: "lognormal:x"}, "coefficient of variation"},
		{Load{CPU: "rack"}, "service, node"},
		{Load{Sched: "lifo"}, "fcfs, ps"},
		{Load{Links: "wide"}, "free, fair"},
		{Load{QueueLimit: -1}, "queue limit"},
	} {
		err := tc.l.Validate()
		if (err == nil) != (tc.want == "") || err != nil && !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: %v, want %q", tc.l, err, tc.want)
		}
	}
}

// A full station rejects a request: the MPI send fails with ErrRejected, and it is counted.
func TestQueueLimitRejects(t *testing.T) {
	sim, _, f := fixture(t)
	f.app.Services[1].Requirements.ProcessingTimeMS = 100 // Y works 100 ms per request
	if err := f.SetLoad(Load{Service: "const", QueueLimit: 1}); err != nil {
		t.Fatal(err)
	}
	ep := NewMPI(f).Endpoint("X")
	a, b := ep.Send("Y", 1), ep.Send("Y", 2)
	if err := sim.Run(); err != nil {
		t.Fatal(err)
	}
	if a.Err() != nil || !errors.Is(b.Err(), ErrRejected) {
		t.Errorf("send errors %v, %v: want nil and ErrRejected", a.Err(), b.Err())
	}
	if f.Total.Rejected != 1 {
		t.Errorf("rejected %d, want 1", f.Total.Rejected)
	}
}

// The eclypse size rule counts what ECLYPSE charges: an MPI body's PySize; a REST request's
// keyword arguments plus its url and method (query values that read as integers are ints);
// a response's body plus its status.
func TestEclypseSizeRule(t *testing.T) {
	sim, _, f := fixture(t)
	if err := f.SetSizeRule("eclypse"); err != nil {
		t.Fatal(err)
	}
	if err := f.SetSizeRule("xml"); err == nil || !strings.Contains(err.Error(), "eclypse, json") {
		t.Errorf("SetSizeRule(xml) = %v", err)
	}
	type reply struct {
		Status string `json:"status"`
	}
	rest := NewREST(f)
	if err := rest.Mux("Y").Handle("GET /p", func(*Context, *Request) (*Response, error) {
		return &Response{Status: StatusOK, Body: reply{"ok"}}, nil
	}); err != nil {
		t.Fatal(err)
	}
	cl := rest.Client("X")
	sim.Process("caller", func(p *engine.Proc) { cl.Get("Y/p?user_id=12345").Wait(p) })
	if err := sim.Run(); err != nil {
		t.Fatal(err)
	}
	// Request: {user_id: 12345} = (49+7) + 28, plus "url" (49+3) + "Y/p" (49+3) and "method"
	// (49+6) + GET (113+3): 84 + 52 + 52 + 55 + 116 = 359. Response: 44 + "status" (49+6) +
	// "ok" (49+2) = 150.
	if want := 359 + 150; f.Total.Bytes != want {
		t.Errorf("bytes %d, want %d", f.Total.Bytes, want)
	}
}
