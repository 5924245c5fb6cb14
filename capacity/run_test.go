package capacity

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/edgesim/edgesim/apps/catalog"
	"github.com/edgesim/edgesim/cpu"
	"github.com/edgesim/edgesim/engine"
	"github.com/edgesim/edgesim/sockshop"
)

// smallSpec is a grid of 2 variants x 1 strategy x 3 loads of 10-step runs with service time
// on: quick (well under a second) and reaching the first queueing.
func smallSpec() Spec {
	base := sockshop.DefaultConfig("")
	base.Steps = 10
	base.Load.Service = "exp"
	return Spec{Base: base, Variants: []string{"mpi", "rest"}, Strategies: []string{"random"},
		Kind: Users, Loads: []float64{40, 1, 10}, SLO: SLO{P95: 800 * engine.Millisecond}}
}

func render(t *testing.T, r *Report) []byte {
	t.Helper()
	var b bytes.Buffer
	for _, f := range Formats {
		if err := r.Write(&b, f); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
	}
	return b.Bytes()
}

// TestRunDeterministic: the same spec gives the same report, twice and with any number of
// workers; the caller's loads are left unsorted.
func TestRunDeterministic(t *testing.T) {
	spec := smallSpec()
	one, err := Run(spec, Options{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	if spec.Loads[0] != 40 {
		t.Errorf("Run sorted the caller's loads: %v", spec.Loads)
	}
	want := render(t, one)
	var done atomic.Int32
	for _, w := range []int{1, 2, 5} {
		done.Store(0)
		r, err := Run(spec, Options{Workers: w, Done: func() { done.Add(1) }})
		if err != nil {
			t.Fatal(err)
		}
		if got := render(t, r); !bytes.Equal(got, want) {
			t.Errorf("workers %d: the report differs from workers 1", w)
		}
		if done.Load() != 6 {
			t.Errorf("workers %d: Done called %d times, want 6", w, done.Load())
		}
	}
	if len(one.Groups) != 2 || one.Groups[0].Variant != "mpi" || one.Groups[1].Variant != "rest" {
		t.Fatalf("groups: %+v", one.Groups)
	}
	for _, g := range one.Groups {
		if len(g.Rows) != 3 || g.Rows[0].Load != 1 || g.Rows[2].Load != 40 {
			t.Errorf("%s rows: %+v", g.Variant, g.Rows)
		}
		for _, r := range g.Rows {
			if r.Workflows == 0 || r.Busiest == "" || r.Utilisation <= 0 || r.ThroughputPerS <= 0 {
				t.Errorf("%s at %v: empty measurement %+v", g.Variant, r.Load, r)
			}
		}
		// Invariant: more users, more throughput, below saturation.
		if !(g.Rows[0].ThroughputPerS < g.Rows[1].ThroughputPerS && g.Rows[1].ThroughputPerS < g.Rows[2].ThroughputPerS) {
			t.Errorf("%s: throughput does not grow with the users: %v %v %v", g.Variant,
				g.Rows[0].ThroughputPerS, g.Rows[1].ThroughputPerS, g.Rows[2].ThroughputPerS)
		}
	}
}

// TestRunConfigs: every run gets the grid's variant, strategy and load, in grid order, and
// the rest of Base.
func TestRunConfigs(t *testing.T) {
	spec := smallSpec()
	spec.Strategies = []string{"random", "first-fit"}
	spec.Loads = []float64{3, 1}
	var seen []string
	fake := func(c sockshop.Config) (*sockshop.Result, error) {
		if c.Steps != 10 || c.Load.Service != "exp" || c.Workload.Rate != 0 {
			return nil, fmt.Errorf("base lost: %+v", c)
		}
		seen = append(seen, fmt.Sprintf("%s/%s/%d", c.Variant, c.Strategy, c.Workload.Users))
		res := &sockshop.Result{}
		res.Workflows, res.ThroughputPerS = c.Workload.Users, float64(c.Workload.Users)
		res.Stations = []cpu.Stats{{Name: "A", Utilisation: 0.2}, {Name: "B", Utilisation: 0.4}, {Name: "C", Utilisation: 0.4}}
		return res, nil
	}
	r, err := Run(spec, Options{Workers: 1, Run: fake})
	if err != nil {
		t.Fatal(err)
	}
	want := "mpi/random/1 mpi/random/3 mpi/first-fit/1 mpi/first-fit/3 rest/random/1 rest/random/3 rest/first-fit/1 rest/first-fit/3"
	if got := strings.Join(seen, " "); got != want {
		t.Errorf("runs:\n got %s\nwant %s", got, want)
	}
	if len(r.Groups) != 4 || r.Groups[1].Strategy != "first-fit" || r.Groups[2].Variant != "rest" {
		t.Errorf("groups: %+v", r.Groups)
	}
	if b := r.Groups[0].Rows[0]; b.Busiest != "B" || b.Utilisation != 0.4 {
		t.Errorf("busiest %s %v, want the first of the busiest (B 0.4)", b.Busiest, b.Utilisation)
	}

	spec.Kind, spec.Loads = Rate, []float64{2.5}
	spec.Variants, spec.Strategies = []string{"rest"}, []string{"random"}
	var rate float64
	var users int
	_, err = Run(spec, Options{Run: func(c sockshop.Config) (*sockshop.Result, error) {
		rate, users = c.Workload.Rate, c.Workload.Users
		return &sockshop.Result{}, nil
	}})
	if err != nil || rate != 2.5 || users != 1 {
		t.Errorf("open loop: rate %v users %d, %v", rate, users, err)
	}
}

// TestRunErrors: a failing or panicking run fails the study with the error of the first
// failed run in grid order, whatever the number of workers.
func TestRunErrors(t *testing.T) {
	spec := smallSpec()
	spec.Loads = []float64{1, 2, 3, 4, 5, 6, 7, 8}
	for _, w := range []int{1, 3, 8} {
		fake := func(c sockshop.Config) (*sockshop.Result, error) {
			switch {
			case c.Variant == "mpi" && c.Workload.Users == 5:
				return nil, errors.New("boom")
			case c.Variant == "mpi" && c.Workload.Users == 7:
				panic("bang")
			case c.Variant == "rest" && c.Workload.Users == 2:
				return nil, nil
			}
			return &sockshop.Result{}, nil
		}
		_, err := Run(spec, Options{Workers: w, Run: fake})
		if err == nil || err.Error() != "capacity: mpi random at 5 users: boom" {
			t.Errorf("workers %d: error %v", w, err)
		}
	}
	_, err := Run(spec, Options{Run: func(c sockshop.Config) (*sockshop.Result, error) {
		if c.Variant == "rest" && c.Workload.Users == 2 {
			return nil, nil
		}
		if c.Variant == "rest" && c.Workload.Users == 3 {
			panic("bang")
		}
		return &sockshop.Result{}, nil
	}})
	if err == nil || err.Error() != "capacity: rest random at 2 users: the run returned no result" {
		t.Errorf("nil result: %v", err)
	}
	_, err = Run(spec, Options{Run: func(c sockshop.Config) (*sockshop.Result, error) { panic("bang") }})
	if err == nil || err.Error() != "capacity: mpi random at 1 user: the run panicked: bang" {
		t.Errorf("panic: %v", err)
	}
}

func TestSpecValidate(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(s *Spec)
		want string
	}{
		{"no variant", func(s *Spec) { s.Variants = nil }, "no variants (valid: mpi, rest)"},
		{"unknown variant", func(s *Spec) { s.Variants = []string{"grpc"} }, `unknown variant "grpc" (valid: mpi, rest)`},
		{"twice", func(s *Spec) { s.Variants = []string{"mpi", "mpi"} }, `variant "mpi" appears twice`},
		{"static", func(s *Spec) { s.Strategies = []string{"static"} }, `unknown strategy "static" (valid: random, first-fit, best-fit, round-robin)`},
		{"kind", func(s *Spec) { s.Kind = "" }, `unknown load kind ""`},
		{"no load", func(s *Spec) { s.Loads = nil }, "no load to offer"},
		{"fraction of a user", func(s *Spec) { s.Loads = []float64{1.5} }, "users must be whole numbers"},
		{"repeated load", func(s *Spec) { s.Loads = []float64{3, 1, 3} }, "load 3 users appears twice"},
		{"too many loads", func(s *Spec) {
			s.Loads = nil
			for i := range 101 {
				s.Loads = append(s.Loads, float64(i+1))
			}
		}, "101 loads: at most 100"},
		{"negative bound", func(s *Spec) { s.SLO.P99 = -1 }, "SLO bound on p99 is negative"},
		{"bad failed", func(s *Spec) { s.SLO.HasFailed, s.SLO.MaxFailed = true, 2 }, "SLO failed fraction must be in [0, 1]"},
		{"base", func(s *Spec) { s.Base.Steps = 0 }, "capacity: mpi random at 1 user: sockshop: scenario: steps must be at least 1"},
		{"warm-up", func(s *Spec) { s.Base.Workload.Warmup = 5 * engine.Second }, "warm-up 5s must be shorter than the run (5s)"},
		{"think with rate", func(s *Spec) { s.Kind, s.Base.Workload.Think = Rate, engine.Second }, "has no think time"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := smallSpec()
			tc.edit(&s)
			err := s.Validate()
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "capacity: ") {
				t.Errorf("Validate: %v, want an error mentioning %q", err, tc.want)
			}
		})
	}
	// The largest grid: 2 variants x 4 strategies x 100 loads.
	s := smallSpec()
	s.Strategies = Strategies
	s.Loads = nil
	for i := range MaxLoads {
		s.Loads = append(s.Loads, float64(MaxLoads-i))
	}
	if err := s.Validate(); err != nil || s.Runs() != 800 || s.Loads[0] != 1 {
		t.Errorf("largest grid: %v (%d runs, first load %v)", err, s.Runs(), s.Loads[0])
	}
	s.Strategies = append(s.Strategies[:4:4], "random")
	if err := s.Validate(); err == nil || !strings.Contains(err.Error(), `strategy "random" appears twice`) {
		t.Errorf("repeated strategy: %v", err)
	}
}

// TestApp: a Spec with an App runs it (AppRun) instead of sockshop.Run. SockShop written as
// a spec (apps/catalog's sock_shop) measures exactly what the built-in SockShop measures, on
// two workers (a spec application may run concurrently); the report then names it in every
// format, and the same rows without App read as they always did.
func TestApp(t *testing.T) {
	plain := smallSpec()
	withApp := smallSpec()
	shop, err := catalog.App("sock_shop")
	if err != nil {
		t.Fatal(err)
	}
	withApp.App, withApp.AppFile = shop, "shop.yaml"
	a, err := Run(plain, Options{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	b, err := Run(withApp, Options{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	for i := range a.Groups {
		for j, row := range a.Groups[i].Rows {
			if got := b.Groups[i].Rows[j]; fmt.Sprint(got) != fmt.Sprint(row) {
				t.Errorf("group %d row %d: with App %+v, without %+v", i, j, got, row)
			}
		}
	}
	var csv, js, tab bytes.Buffer
	for _, w := range []struct {
		f string
		b *bytes.Buffer
	}{{"csv", &csv}, {"json", &js}, {"table", &tab}} {
		if err := b.Write(w.b, w.f); err != nil {
			t.Fatal(err)
		}
	}
	p, err := b.Plot()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ what, text, want string }{
		{"csv header", csv.String(), "app,variant,strategy,users,"},
		{"csv row", csv.String(), "\nSockShop,mpi,random,1,"},
		{"json", js.String(), `"app": "SockShop",` + "\n" + `    "app_file": "shop.yaml",`},
		{"table title", tab.String(), "SockShop mpi, placement random (latency in virtual ms)"},
		{"summary", tab.String(), "\nSockShop rest random: "},
		{"settings", tab.String(), "\napplication SockShop (shop.yaml); seed 22; "},
		{"plot", p.Title.Text, "SockShop latency against throughput (1 user to 40 users)"},
	} {
		if !strings.Contains(c.text, c.want) {
			t.Errorf("%s: no %q in\n%s", c.what, c.want, c.text)
		}
	}
	var plainOut bytes.Buffer
	if err := a.Write(&plainOut, "json"); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(plainOut.String(), `"app`) {
		t.Errorf("without App the JSON names an application")
	}

	// With an App, SockShop's decline probability is not checked (nor used); without, it is.
	withApp.Base.DeclineProb, plain.Base.DeclineProb = 2, 2
	if err := withApp.Validate(); err != nil {
		t.Errorf("App with DeclineProb 2: %v", err)
	}
	if err := plain.Validate(); err == nil || !strings.Contains(err.Error(), "decline probability") {
		t.Errorf("SockShop with DeclineProb 2: %v", err)
	}
}

// TestStatic: "static" is a strategy only when Base holds a service -> node map, and every
// run gets its own copy of the map.
func TestStatic(t *testing.T) {
	s := smallSpec()
	s.Strategies = []string{"static"}
	if err := s.Validate(); err == nil || !strings.Contains(err.Error(), `unknown strategy "static"`) {
		t.Errorf("static without a map: %v", err)
	}
	s.Base.Static = map[string]string{}
	for _, svc := range sockshop.App().Services {
		s.Base.Static[svc.Name] = "n0"
	}
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	c := s.Config(0)
	c.Static["FrontendService"] = "n1"
	if s.Base.Static["FrontendService"] != "n0" || s.Config(1).Static["FrontendService"] != "n0" {
		t.Errorf("runs share the static map")
	}
}
