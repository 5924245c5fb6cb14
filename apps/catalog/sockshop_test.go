package catalog

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/edgesim/edgesim/apps/spec"
	"github.com/edgesim/edgesim/engine"
	"github.com/edgesim/edgesim/scenario"
	"github.com/edgesim/edgesim/sockshop"
)

// sockShopSpec returns the catalogue's SockShop with Payment declining with probability d.
func sockShopSpec(t testing.TB, d float64) *spec.App {
	t.Helper()
	s, err := Spec("sock_shop")
	if err != nil {
		t.Fatal(err)
	}
	for i := range s.Services {
		if s.Services[i].Name != sockshop.Payment {
			continue
		}
		cases := s.Services[i].Endpoints[0].Steps[0].Branch.Cases
		cases[0].P, cases[1].P = d, 1-d
	}
	a, err := spec.New(s)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// diff lists the fields of two results that differ (the whole Result, field by field;
// Config is the same value by construction).
func diff(a, b *scenario.Result) []string {
	var out []string
	va, vb := reflect.ValueOf(a).Elem(), reflect.ValueOf(b).Elem()
	for i := range va.NumField() {
		name := va.Type().Field(i).Name
		if name == "Config" {
			continue
		}
		if !reflect.DeepEqual(va.Field(i).Interface(), vb.Field(i).Interface()) {
			out = append(out, fmt.Sprintf("%s: spec %v, Go %v", name, short(vb.Field(i).Interface()), short(va.Field(i).Interface())))
		}
	}
	return out
}

func short(v any) string {
	s := fmt.Sprintf("%+v", v)
	if len(s) > 300 {
		s = s[:300] + "..."
	}
	return s
}

// SockShop written as a spec is SockShop: the same scenario.Result, every field (latencies
// of every workflow, messages, bytes, losses, interactions with their network, queue and
// service time, steps, stations, Little's terms), as the hand-written Go version, in both
// styles, in the reference run (dynamics, random placement, one user) and under load (50
// users, exponential service times, CPU per node shared under processor sharing, think
// time), with and without declined payments, with sizes counted by either rule (eclypse,
// the default, and json).
func TestSockShopSpecIsSockShop(t *testing.T) {
	type tc struct {
		name    string
		decline float64
		load    func(c *sockshop.Config)
	}
	loaded := func(c *sockshop.Config) {
		c.Workload.Users = 50
		c.Workload.Think = 200 * engine.Millisecond
		c.Workload.ThinkDist = "exp"
		c.Load.Service = "exp"
		c.Load.CPU = "node"
		c.Load.Sched = "ps"
	}
	cases := []tc{
		{"reference", 0, func(*sockshop.Config) {}},
		{"reference/json-sizes", 0, func(c *sockshop.Config) { c.Size = "json" }},
		{"reference/decline", 0.3, func(*sockshop.Config) {}},
		{"load", 0, loaded},
		{"load/decline", 0.2, loaded},
		{"load/decline/json-sizes", 0.2, func(c *sockshop.Config) { loaded(c); c.Size = "json" }},
		{"load/fcfs-service-queue", 0.1, func(c *sockshop.Config) {
			loaded(c)
			c.Load.CPU, c.Load.Sched, c.Load.QueueLimit = "service", "fcfs", 3
		}},
	}
	for _, c := range cases {
		for _, v := range sockshop.Variants {
			t.Run(c.name+"/"+v, func(t *testing.T) {
				cfg := sockshop.DefaultConfig(v)
				cfg.DeclineProb = c.decline
				c.load(&cfg)
				want, err := sockshop.Run(cfg)
				if err != nil {
					t.Fatal(err)
				}
				got, err := scenario.Run(cfg.Config, sockShopSpec(t, c.decline))
				if err != nil {
					t.Fatal(err)
				}
				if d := diff(&want.Result, got); len(d) > 0 {
					for _, l := range d {
						t.Error(l)
					}
				}
				if want.Workflows == 0 {
					t.Errorf("no workflow completed: the comparison proves little")
				}
				t.Logf("%d workflows, %d failed, %d messages, %d bytes, lost %d, rejected %d", got.Workflows, got.Failed, got.Messages, got.Bytes, got.Lost, got.Rejected)
			})
		}
	}
}
