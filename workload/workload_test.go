package workload

import (
	"math"
	"strings"
	"testing"

	"github.com/edgesim/edgesim/engine"
)

func TestValidate(t *testing.T) {
	for _, tc := range []struct {
		c    Config
		want string
	}{
		{Config{}, ""},
		{Config{Users: 100, Think: engine.Second, ThinkDist: Exp, Warmup: engine.Second}, ""},
		{Config{Rate: 10, Arrivals: Const}, ""},
		{Config{Users: -1}, "users must be in 1..100000"},
		{Config{Users: MaxUsers + 1}, "users must be in 1..100000"},
		{Config{Think: -1}, "think time must not be negative"},
		{Config{ThinkDist: "gamma"}, "valid: const, exp"},
		{Config{Rate: -1}, "rate must be in"},
		{Config{Rate: math.NaN()}, "rate must be in"},
		{Config{Rate: 1, Arrivals: "burst"}, "valid: poisson, const"},
		{Config{Rate: 1, Users: 2}, "leave users at 1"},
		{Config{Rate: 1, Think: 1}, "no think time"},
		{Config{Arrivals: Poisson}, "needs a rate"},
		{Config{Warmup: -1}, "warm-up must not be negative"},
	} {
		err := tc.c.Validate()
		if (err == nil) != (tc.want == "") || err != nil && !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: %v, want %q", tc.c, err, tc.want)
		}
	}
}

// gate is always deployed; its step boundaries are every second.
type gate struct{}

func (gate) Deployed() bool { return true }
func (gate) WaitBoundary(p *engine.Proc) bool {
	next := (p.Now()/engine.Second + 1) * engine.Second
	return p.Sleep(next-p.Now()) == nil
}

// run starts cfg on a fresh simulation whose workflows take d (or fail when d < 0) and
// returns the start times of the workflows within [0, until).
func run(t *testing.T, cfg Config, d engine.Time, until engine.Time) []engine.Time {
	t.Helper()
	sim := engine.New(7)
	defer sim.Close()
	var starts []engine.Time
	Start(sim, cfg, func(i int) string { return "user" }, gate{}, func(p *engine.Proc) (bool, engine.Time) {
		starts = append(starts, p.Now())
		if d < 0 {
			return false, 0
		}
		p.Sleep(d)
		return true, d
	})
	if err := sim.RunUntil(until - 1); err != nil {
		t.Fatal(err)
	}
	return starts
}

func TestClosedLoop(t *testing.T) {
	ms := engine.Millisecond
	// Two users, 10 ms workflows, 5 ms think: each starts at 0, 15, 30, 45 within 50 ms.
	got := run(t, Config{Users: 2, Think: 5 * ms}, 10*ms, 50*ms)
	if len(got) != 8 || got[6] != 45*ms || got[7] != 45*ms {
		t.Errorf("starts %v, want two users at 0, 15, 30, 45 ms", got)
	}
	// A failed workflow makes its user wait for the next boundary (1 s).
	got = run(t, Config{}, -1, 2500*ms)
	if len(got) != 3 || got[1] != engine.Second || got[2] != 2*engine.Second {
		t.Errorf("starts after failures %v, want 0, 1 s, 2 s", got)
	}
	// Exponential think times: 2000 workflows of 1 ms with think mean 9 ms take about 20 s;
	// the number in 20 s is a renewal count with mean 2000 and sd about sqrt(2000) * 0.9,
	// so 4 sd is about 160.
	n := len(run(t, Config{Think: 9 * ms, ThinkDist: Exp}, ms, 20*engine.Second))
	if n < 1840 || n > 2160 {
		t.Errorf("%d workflows in 20 s with mean cycle 10 ms, want 2000 +- 160", n)
	}
}

func TestOpenLoop(t *testing.T) {
	// Constant arrivals every 10 ms: at 10, 20, ..., 990 ms within 1 s.
	got := run(t, Config{Rate: 100, Arrivals: Const}, engine.Second, engine.Second)
	if len(got) != 99 || got[0] != 10*engine.Millisecond {
		t.Errorf("%d arrivals, first at %v; want 99 from 10 ms", len(got), got[0])
	}
	// Poisson arrivals at 1000/s for 10 s: the count is Poisson with mean 10 000 and sd 100;
	// 4 sd is 400. Workflows overlap freely (each takes 1 s).
	n := len(run(t, Config{Rate: 1000}, engine.Second, 10*engine.Second))
	if n < 9600 || n > 10400 {
		t.Errorf("%d Poisson arrivals in 10 s at 1000/s, want 10000 +- 400", n)
	}
}
