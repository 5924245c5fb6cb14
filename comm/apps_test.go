package comm

import (
	"errors"
	"strings"
	"testing"

	"github.com/edgesim/edgesim/cpu"
	"github.com/edgesim/edgesim/engine"
)

// sized is a body that says its own sizes.
type sized struct{ json, py int }

func (s sized) JSONSize() int { return s.json }
func (s sized) PySize() int   { return s.py }

// A Sized body weighs its JSONSize under the json rule and its PySize under the eclypse
// rule, to which a REST request adds its url and method and a response its status.
func TestSizedBody(t *testing.T) {
	if n, err := Size(sized{1000, 7}); n != 1000 || err != nil {
		t.Errorf("Size = %d, %v; want 1000", n, err)
	}
	if n, err := PySize(sized{1000, 7}); n != 7 || err != nil {
		t.Errorf("PySize = %d, %v; want 7", n, err)
	}
	if n, err := Size(sized{-5, -5}); n != 0 || err != nil {
		t.Errorf("Size of a negative JSONSize = %d, %v; want 0", n, err)
	}
	for _, rule := range SizeRules {
		want := 1000
		if rule == "eclypse" {
			want = 7
		}
		sim, _, f := fixture(t)
		if err := f.SetSizeRule(rule); err != nil {
			t.Fatal(err)
		}
		ep := NewMPI(f).Endpoint("X")
		sim.Process("sender", func(p *engine.Proc) { p.Wait(ep.Send("Y", sized{1000, 7})) })
		if err := sim.Run(); err != nil {
			t.Fatal(err)
		}
		if f.Total.Bytes != want {
			t.Errorf("%s: %d bytes, want %d", rule, f.Total.Bytes, want)
		}
		req, err := PyRequestSize("Y/p", "POST", sized{1000, 7})
		if err != nil {
			t.Fatal(err)
		}
		if base, _ := PyRequestSize("Y/p", "POST", nil); req != base+7 {
			t.Errorf("request %d, want %d", req, base+7)
		}
	}
}

// WorkFor: with service time off it calls back at once; with const service time the job is
// exactly the given mean, queued at the service's station behind the work already there.
func TestWorkFor(t *testing.T) {
	sim, _, f := fixture(t)
	called := false
	if err := f.WorkFor("Y", engine.Second, func(j cpu.Job) { called = j == cpu.Job{} }); err != nil || !called {
		t.Fatalf("service time off: err %v, called synchronously with a zero job %v", err, called)
	}
	if err := f.WorkFor("nope", engine.Second, func(cpu.Job) {}); !errors.Is(err, ErrUnreachable) {
		t.Errorf("unknown service: %v", err)
	}

	sim, _, f = fixture(t)
	if err := f.SetLoad(Load{Service: "const"}); err != nil {
		t.Fatal(err)
	}
	var jobs []cpu.Job
	for range 2 {
		if err := f.WorkFor("Y", 3*engine.Millisecond, func(j cpu.Job) { jobs = append(jobs, j) }); err != nil {
			t.Fatal(err)
		}
	}
	if err := sim.Run(); err != nil {
		t.Fatal(err)
	}
	// Y has one core (cpu requirement 0): the second job waits for the first.
	if len(jobs) != 2 || jobs[0].Work != 3*engine.Millisecond || jobs[1].Wait != 3*engine.Millisecond || jobs[1].Finished != 6*engine.Millisecond {
		t.Errorf("jobs %+v", jobs)
	}
}

// SetServiceTime overrides the run's shape for one service: with the run at exp and Y at
// const, Y's work is exactly its processing time while X's is random.
func TestSetServiceTime(t *testing.T) {
	sim, _, f := fixture(t)
	f.app.Services[0].Requirements.ProcessingTimeMS = 10
	f.app.Services[1].Requirements.ProcessingTimeMS = 10
	if err := f.SetLoad(Load{Service: "exp"}); err != nil {
		t.Fatal(err)
	}
	if err := f.SetServiceTime("Y", "const"); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ service, dist, want string }{
		{"Q", "const", "unknown service"},
		{"Y", "none", "not a distribution"},
		{"Y", "gamma", "unknown service-time distribution"},
	} {
		if err := f.SetServiceTime(tc.service, tc.dist); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("SetServiceTime(%s, %s) = %v, want %q", tc.service, tc.dist, err, tc.want)
		}
	}
	var x, y []engine.Time
	for range 3 {
		if err := f.WorkFor("X", 10*engine.Millisecond, func(j cpu.Job) { x = append(x, j.Work) }); err != nil {
			t.Fatal(err)
		}
		if err := f.WorkFor("Y", 10*engine.Millisecond, func(j cpu.Job) { y = append(y, j.Work) }); err != nil {
			t.Fatal(err)
		}
	}
	if err := sim.Run(); err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		if y[i] != 10*engine.Millisecond {
			t.Errorf("Y (const) worked %v, want 10ms", y[i])
		}
	}
	if x[0] == x[1] && x[1] == x[2] {
		t.Errorf("X (exp) worked %v: three equal draws", x)
	}
}
