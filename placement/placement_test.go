package placement

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/edgesim/edgesim/network"
)

// sockShop is the application of docs/SOCKSHOP.md (services in application order, symmetric
// interactions as two directed ones).
func sockShop() *Application {
	svc := func(name string, cpu, ram, storage, av, pt float64) Service {
		return Service{Name: name, Requirements: Requirements{CPU: cpu, RAM: ram, Storage: storage, Availability: av, ProcessingTimeMS: pt}}
	}
	app := &Application{
		Name: "SockShop",
		Services: []Service{
			svc("UserService", 1, 0.75, 0.3, 0.92, 9),
			svc("FrontendService", 2, 1.5, 0.3, 0.94, 20),
			svc("CatalogService", 1, 1.0, 0.75, 0.92, 11),
			svc("OrderService", 2, 3.0, 0.75, 0.92, 20),
			svc("CartService", 2, 1.5, 0.3, 0.92, 14),
			svc("PaymentService", 1, 0.75, 0.3, 0.95, 11),
			svc("ShippingService", 2, 1.5, 0.3, 0.92, 15),
		},
		Flows: [][]string{
			{"FrontendService", "UserService", "FrontendService"},
			{"FrontendService", "CatalogService", "FrontendService"},
			{"FrontendService", "CartService", "FrontendService"},
			{"FrontendService", "OrderService", "PaymentService", "OrderService", "FrontendService"},
			{"FrontendService", "OrderService", "ShippingService", "OrderService", "FrontendService"},
		},
	}
	for _, in := range []Interaction{
		{"FrontendService", "CatalogService", 40, 2},
		{"FrontendService", "UserService", 40, 2},
		{"FrontendService", "CartService", 40, 2},
		{"FrontendService", "OrderService", 50, 10},
		{"OrderService", "PaymentService", 50, 10},
		{"OrderService", "ShippingService", 70, 10},
	} {
		app.Interactions = append(app.Interactions, in, Interaction{in.To, in.From, in.MaxLatencyMS, in.MinBandwidthMbps})
	}
	return app
}

// smallGraph: c is big, a small, b medium with availability 0.93, d down, e up but isolated
// and too small for any SockShop service.
func smallGraph(t testing.TB) *network.Graph {
	g := network.NewGraph()
	for _, n := range []struct {
		id string
		a  network.NodeAssets
	}{
		{"c", network.NodeAssets{CPU: 16, RAM: 16, Storage: 8, Availability: 1}},
		{"a", network.NodeAssets{CPU: 2, RAM: 2, Storage: 1, Availability: 0.99}},
		{"b", network.NodeAssets{CPU: 4, RAM: 4, Storage: 2, Availability: 0.93}},
		{"d", network.NodeAssets{CPU: 64, RAM: 64, Storage: 64, Availability: 0}},
		{"e", network.NodeAssets{CPU: 0.5, RAM: 0.5, Storage: 0.1, Availability: 1}},
	} {
		if err := g.AddNode(n.id, n.a); err != nil {
			t.Fatal(err)
		}
	}
	for _, l := range []struct {
		a, b    string
		lat, bw float64
	}{{"c", "a", 30, 5}, {"a", "b", 30, 100}, {"c", "b", 45, 100}, {"c", "d", 1, 1000}} {
		if err := g.AddSymmetricLink(l.a, l.b, network.LinkAssets{LatencyMS: l.lat, BandwidthMbps: l.bw}); err != nil {
			t.Fatal(err)
		}
	}
	return g
}

// show lists a placement in application order.
func show(app *Application, p Placement) string {
	var parts []string
	for _, s := range app.Services {
		if n, ok := p[s.Name]; ok {
			parts = append(parts, strings.TrimSuffix(s.Name, "Service")+"="+n)
		}
	}
	return strings.Join(parts, " ")
}

func TestStrategiesOnSmallGraph(t *testing.T) {
	app := sockShop()
	if err := app.Validate(); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		static map[string]string
		want   string
	}{
		{"first-fit", nil, "User=c Frontend=c Catalog=c Order=c Cart=c Payment=c Shipping=c"},
		// best-fit: User fits a with the least slack; Frontend needs availability 0.94 (not b);
		// Catalog no longer fits a's storage; Order fills b; Payment fills a.
		{"best-fit", nil, "User=a Frontend=c Catalog=b Order=b Cart=c Payment=a Shipping=c"},
		{"round-robin", nil, "User=c Frontend=a Catalog=b Order=c Cart=b Payment=c Shipping=c"},
		{"static", map[string]string{"UserService": "e", "FrontendService": "a", "CatalogService": "a", "OrderService": "d",
			"CartService": "b", "PaymentService": "c", "ShippingService": "c"},
			"User=e Frontend=a Catalog=a Order=d Cart=b Payment=c Shipping=c"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := NewStrategy(tc.name, tc.static)
			if err != nil {
				t.Fatal(err)
			}
			if s.Name() != tc.name {
				t.Fatalf("Name() = %q", s.Name())
			}
			p, err := s.Place(app, smallGraph(t), nil)
			if err != nil {
				t.Fatal(err)
			}
			if got := show(app, p); got != tc.want {
				t.Fatalf("got  %s\nwant %s", got, tc.want)
			}
			if tc.name != "static" {
				// Resource-aware strategies never overload a node or break availability.
				for _, pr := range Audit(app, smallGraph(t), p).Problems {
					if pr.Service != "" || pr.From == "" && pr.Link == "" {
						t.Fatalf("%s made a resource problem: %v", tc.name, pr)
					}
				}
			}
		})
	}
}

func TestBestFitMetric(t *testing.T) {
	// An exact fit has slack 0 and beats a big node; two exact fits tie: the earlier wins.
	app := &Application{Name: "t", Services: []Service{{Name: "x", Requirements: Requirements{CPU: 1, RAM: 1, Storage: 1}}}}
	g := network.NewGraph()
	g.AddNode("big", network.NodeAssets{CPU: 8, RAM: 8, Storage: 8, Availability: 1})
	g.AddNode("tight", network.NodeAssets{CPU: 1, RAM: 1, Storage: 1, Availability: 1})
	g.AddNode("tight2", network.NodeAssets{CPU: 1, RAM: 1, Storage: 1, Availability: 1})
	p, err := BestFit{}.Place(app, g, nil)
	if err != nil || p["x"] != "tight" {
		t.Fatalf("best-fit chose %v (%v), want tight (zero slack, earlier of a tie)", p, err)
	}
}

func TestUnplaced(t *testing.T) {
	app := sockShop()
	g := network.NewGraph()
	g.AddNode("a", network.NodeAssets{CPU: 2, RAM: 2, Storage: 1, Availability: 0.99})
	for _, name := range []string{"first-fit", "best-fit", "round-robin"} {
		t.Run(name, func(t *testing.T) {
			s, _ := NewStrategy(name, nil)
			p, err := s.Place(app, g, nil)
			var ue *UnplacedError
			if !errors.As(err, &ue) {
				t.Fatalf("err = %v, want *UnplacedError", err)
			}
			want := []string{"FrontendService", "CatalogService", "OrderService", "CartService", "ShippingService"}
			if !slices.Equal(ue.Services, want) || ue.Strategy != name {
				t.Fatalf("unplaced %v by %q", ue.Services, ue.Strategy)
			}
			if got := show(app, p); got != "User=a Payment=a" {
				t.Fatalf("partial placement %s", got)
			}
		})
	}
	// No up node at all: the resource-aware strategies place nothing; random, as ECLYPSE's,
	// places on the down node and the audit refuses it.
	down := network.NewGraph()
	down.AddNode("z", network.NodeAssets{CPU: 100, RAM: 100, Storage: 100})
	for _, name := range []string{"first-fit", "best-fit", "round-robin"} {
		s, _ := NewStrategy(name, nil)
		p, err := s.Place(app, down, rand.New(rand.NewPCG(1, 1)))
		var ue *UnplacedError
		if !errors.As(err, &ue) || len(ue.Services) != 7 || len(p) != 0 {
			t.Fatalf("%s on a down graph: %v %v", name, p, err)
		}
	}
	p, err := Random{}.Place(app, down, rand.New(rand.NewPCG(1, 1)))
	if err != nil || len(p) != 7 {
		t.Fatalf("random on a down graph: %v %v", p, err)
	}
	if rep := Audit(app, down, p); rep.Feasible || len(rep.Problems) != 7 || rep.Problems[0].Requirement != "down" {
		t.Fatalf("audit of a placement on a down node: %+v", rep)
	}
	// An empty graph: nothing to draw from.
	if p, err := (Random{}).Place(app, network.NewGraph(), rand.New(rand.NewPCG(1, 1))); !errors.As(err, new(*UnplacedError)) || len(p) != 0 {
		t.Fatalf("random on an empty graph: %v %v", p, err)
	}
}

func TestRandom(t *testing.T) {
	app := sockShop()
	g := smallGraph(t)
	s, _ := NewStrategy("random", nil)
	p, err := s.Place(app, g, rand.New(rand.NewPCG(22, 0)))
	if err != nil {
		t.Fatal(err)
	}
	// Documented draw, ECLYPSE's: every node (d is down) shuffled with r.Shuffle, then one
	// IntN per service in application order.
	all := []string{"c", "a", "b", "d", "e"}
	ref := rand.New(rand.NewPCG(22, 0))
	ref.Shuffle(len(all), func(i, j int) { all[i], all[j] = all[j], all[i] })
	seen := map[string]bool{}
	for _, sv := range app.Services {
		want := all[ref.IntN(len(all))]
		if p[sv.Name] != want {
			t.Fatalf("%s on %s, want %s", sv.Name, p[sv.Name], want)
		}
		seen[want] = true
	}
	if len(seen) < 2 {
		t.Fatalf("7 draws all landed on one node: %v", p)
	}
	if _, err := s.Place(app, g, nil); err == nil {
		t.Fatal("random with nil rand")
	}
	// Over many draws every node, the down one included, gets about a fifth of the services:
	// 70000 draws, a node's count is binomial(70000, 0.2), standard deviation 106; a band of
	// +-700 is over 6 standard deviations.
	count := map[string]int{}
	r := rand.New(rand.NewPCG(1, 2))
	for range 10000 {
		p, _ := s.Place(app, g, r)
		for _, n := range p {
			count[n]++
		}
	}
	for _, n := range []string{"a", "b", "c", "d", "e"} {
		if count[n] < 14000-700 || count[n] > 14000+700 {
			t.Fatalf("node %s drawn %d times of 70000, want about 14000", n, count[n])
		}
	}
}

// TestStrategiesOnHierarchical runs every strategy on the SockShop infrastructure.
func TestStrategiesOnHierarchical(t *testing.T) {
	app := sockShop()
	g, err := network.Hierarchical(network.HierarchicalConfig{N: 30, Partitioning: []float64{0.6, 0.1, 0.15, 0.15}}, rand.New(rand.NewPCG(22, 0)))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"random", "first-fit", "best-fit", "round-robin"} {
		s, _ := NewStrategy(name, nil)
		p1, err := s.Place(app, g, rand.New(rand.NewPCG(22, 1)))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		p2, _ := s.Place(app, g, rand.New(rand.NewPCG(22, 1)))
		if show(app, p1) != show(app, p2) || len(p1) != 7 {
			t.Fatalf("%s: not deterministic or partial: %s", name, show(app, p1))
		}
		for _, pr := range Audit(app, g, p1).Problems {
			if name != "random" && pr.From == "" && pr.Link == "" {
				t.Fatalf("%s: resource problem %v", name, pr)
			}
		}
	}
}

func TestNewStrategyErrors(t *testing.T) {
	_, err := NewStrategy("greedy", nil)
	if err == nil || !strings.Contains(err.Error(), `unknown strategy "greedy" (valid: random, first-fit, best-fit, round-robin, static)`) {
		t.Fatalf("err = %v", err)
	}
	if _, err := NewStrategy("static", nil); err == nil {
		t.Fatal("static without a map")
	}
}

func TestStaticErrors(t *testing.T) {
	app := sockShop()
	g := smallGraph(t)
	tests := []struct {
		m    map[string]string
		want string
	}{
		{map[string]string{"UserService": "c", "GhostService": "c"}, `unknown service "GhostService"`},
		{map[string]string{"UserService": "c", "CartService": "mars"}, `service "CartService": unknown node "mars"`},
	}
	for _, tc := range tests {
		s, _ := NewStrategy("static", tc.m)
		p, err := s.Place(app, g, nil)
		if err == nil || !strings.Contains(err.Error(), tc.want) || p != nil {
			t.Fatalf("err = %v, placement %v, want %q", err, p, tc.want)
		}
	}
	m := map[string]string{"UserService": "c"}
	s, _ := NewStrategy("static", m)
	m["CartService"] = "c" // the strategy keeps its own copy
	p, err := s.Place(app, g, nil)
	var ue *UnplacedError
	if !errors.As(err, &ue) || len(ue.Services) != 6 || show(app, p) != "User=c" {
		t.Fatalf("partial static: %v %v", p, err)
	}
}

func TestAudit(t *testing.T) {
	app := sockShop()
	all := func(node string, except map[string]string) Placement {
		p := Placement{}
		for _, s := range app.Services {
			p[s.Name] = node
		}
		for k, v := range except {
			if v == "" {
				delete(p, k)
			} else {
				p[k] = v
			}
		}
		return p
	}
	tests := []struct {
		name string
		p    Placement
		want []string // "service|node|from->to|requirement"
	}{
		{"all on c", all("c", nil), nil},
		{"best-fit", Placement{"UserService": "a", "FrontendService": "c", "CatalogService": "b", "OrderService": "b",
			"CartService": "c", "PaymentService": "a", "ShippingService": "c"}, []string{
			"|c->b|FrontendService->CatalogService|latency", "|b->c|CatalogService->FrontendService|latency"}},
		{"unplaced unknown down", all("c", map[string]string{"UserService": "", "OrderService": "zz", "PaymentService": "d"}), []string{
			"UserService|||unplaced", "OrderService|zz||unknown-node", "PaymentService|d||down"}},
		{"overloaded", all("a", nil), []string{"|a||cpu", "|a||ram", "|a||storage"}},
		{"availability", all("c", map[string]string{"FrontendService": "b"}), []string{
			"FrontendService|b||availability",
			"|b->c|FrontendService->CatalogService|latency", "|c->b|CatalogService->FrontendService|latency",
			"|b->c|FrontendService->UserService|latency", "|c->b|UserService->FrontendService|latency",
			"|b->c|FrontendService->CartService|latency", "|c->b|CartService->FrontendService|latency"}},
		{"bandwidth", all("c", map[string]string{"PaymentService": "a"}), []string{
			"||link c->a|bandwidth", "||link a->c|bandwidth"}},
		{"no path", all("c", map[string]string{"ShippingService": "e"}), []string{"|e||cpu", "|e||ram", "|e||storage",
			"|c->e|OrderService->ShippingService|path", "|e->c|ShippingService->OrderService|path"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rep := Audit(app, smallGraph(t), tc.p)
			var got []string
			for _, pr := range rep.Problems {
				ft := ""
				if pr.From != "" {
					ft = pr.From + "->" + pr.To
				}
				if pr.Link != "" {
					ft = "link " + pr.Link
				}
				got = append(got, fmt.Sprintf("%s|%s|%s|%s", pr.Service, pr.Node, ft, pr.Requirement))
				if pr.Detail == "" || pr.String() == "" {
					t.Fatalf("problem without detail: %+v", pr)
				}
			}
			if !slices.Equal(got, tc.want) || rep.Feasible != (len(tc.want) == 0) {
				t.Fatalf("got %q (feasible %v)\nwant %q", got, rep.Feasible, tc.want)
			}
		})
	}
	// Numbers and wording of a capacity problem.
	rep := Audit(app, smallGraph(t), all("a", nil))
	if pr := rep.Problems[0]; pr.Required != 11 || pr.Available != 2 || !strings.Contains(pr.Detail, "UserService+FrontendService") {
		t.Fatalf("cpu problem %+v", pr)
	}
}

func TestValidate(t *testing.T) {
	bad := []*Application{
		{Name: "x", Services: []Service{{Name: "a"}, {Name: "a"}}},
		{Name: "x", Services: []Service{{Name: ""}}},
		{Name: "x", Services: []Service{{Name: "a", Requirements: Requirements{CPU: -1}}}},
		{Name: "x", Services: []Service{{Name: "a"}}, Interactions: []Interaction{{From: "a", To: "b"}}},
		{Name: "x", Services: []Service{{Name: "a"}}, Flows: [][]string{{"a", "b"}}},
	}
	for i, app := range bad {
		if err := app.Validate(); err == nil {
			t.Fatalf("app %d accepted", i)
		}
	}
}

// pairGraph is two big nodes x and y joined by one symmetric link.
func pairGraph(t testing.TB, lat, bw float64) *network.Graph {
	g := network.NewGraph()
	for _, id := range []string{"x", "y"} {
		if err := g.AddNode(id, network.NodeAssets{CPU: 64, RAM: 64, Storage: 64, Availability: 1}); err != nil {
			t.Fatal(err)
		}
	}
	if err := g.AddSymmetricLink("x", "y", network.LinkAssets{LatencyMS: lat, BandwidthMbps: bw}); err != nil {
		t.Fatal(err)
	}
	return g
}

// TestAuditSharedLink: Frontend on x, Catalog and User on y. Frontend->Catalog and
// Frontend->User each need 2 Mbit/s and cross x->y; each fits a 3 Mbit/s link alone, but
// together they need 4. As in ECLYPSE, interactions sharing a link share its bandwidth: with
// 3 Mbit/s both directions are overloaded; with 4 the placement is feasible (the sum may
// equal the bandwidth).
func TestAuditSharedLink(t *testing.T) {
	app := sockShop()
	p := Placement{}
	for _, s := range app.Services {
		p[s.Name] = "x"
	}
	p["CatalogService"], p["UserService"] = "y", "y"
	rep := Audit(app, pairGraph(t, 1, 3), p)
	if rep.Feasible || len(rep.Problems) != 2 {
		t.Fatalf("%+v", rep)
	}
	for i, want := range []struct{ link, users string }{
		{"x->y", "FrontendService->CatalogService 2 + FrontendService->UserService 2"},
		{"y->x", "CatalogService->FrontendService 2 + UserService->FrontendService 2"},
	} {
		pr := rep.Problems[i]
		if pr.Link != want.link || pr.Requirement != "bandwidth" || pr.Required != 4 || pr.Available != 3 ||
			!strings.HasSuffix(pr.Detail, "required by "+want.users) || pr.String() != "link "+want.link+": bandwidth: "+pr.Detail {
			t.Fatalf("problem %d: %+v (%s)", i, pr, pr)
		}
	}
	if rep := Audit(app, pairGraph(t, 1, 4), p); !rep.Feasible {
		t.Fatalf("4 Mbit/s for 2+2: %+v", rep)
	}
	// Each alone fits: with only Catalog on y, 2 of 3 Mbit/s are used.
	p["UserService"] = "x"
	if rep := Audit(app, pairGraph(t, 1, 3), p); !rep.Feasible {
		t.Fatalf("Catalog alone: %+v", rep)
	}
}

// TestAuditEveryLatencyBound: Frontend on x, Catalog and Order on y, 45 ms apart. Frontend->
// Catalog (max 40 ms) and Frontend->Order (max 50 ms) connect the same pair of hosts.
// ECLYPSE checks only the last of them for that pair (Frontend->Order, 45 <= 50: feasible);
// we check each against its own bound, so Catalog's 40 ms fails in both directions.
func TestAuditEveryLatencyBound(t *testing.T) {
	app := sockShop()
	p := Placement{}
	for _, s := range app.Services {
		p[s.Name] = "x"
	}
	p["CatalogService"], p["OrderService"] = "y", "y"
	rep := Audit(app, pairGraph(t, 45, 1000), p)
	var got []string
	for _, pr := range rep.Problems {
		got = append(got, pr.From+"->"+pr.To+" "+pr.Requirement)
	}
	want := []string{"FrontendService->CatalogService latency", "CatalogService->FrontendService latency"}
	if rep.Feasible || !slices.Equal(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
}
