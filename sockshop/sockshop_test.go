package sockshop

import (
	"reflect"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/edgesim/edgesim/comm"
	"github.com/edgesim/edgesim/engine"
	"github.com/edgesim/edgesim/network"
	"github.com/edgesim/edgesim/scenario"
)

type Trace = comm.Trace

// handBuilt is the infrastructure of the by-hand tests: every link 16 Mbit/s, so a byte costs
// 8e-6/16 s = 0.5 us on each hop.
//
//	a (2 ms) --10 ms-- b (3 ms) --5 ms-- c (1 ms)
//	                    \--20 ms-- d (4 ms)
//
// Frontend on a; Catalog, User, Cart and Order on b; Payment on c; Shipping on d. A message
// between a and b costs 2+3+10 = 15 ms, b-c 3+1+5 = 9 ms, b-d 3+4+20 = 27 ms, plus 0.5 us per
// byte of body.
func handBuilt(t *testing.T) (*network.Graph, map[string]string) {
	t.Helper()
	g := network.NewGraph()
	for _, n := range []struct {
		id   string
		proc float64
	}{{"a", 2}, {"b", 3}, {"c", 1}, {"d", 4}} {
		if err := g.AddNode(n.id, network.NodeAssets{CPU: 16, RAM: 16, Storage: 16, Availability: 1, ProcessingTimeMS: n.proc}); err != nil {
			t.Fatal(err)
		}
	}
	for _, l := range []struct {
		a, b string
		lat  float64
	}{{"a", "b", 10}, {"b", "c", 5}, {"b", "d", 20}} {
		if err := g.AddSymmetricLink(l.a, l.b, network.LinkAssets{LatencyMS: l.lat, BandwidthMbps: 16}); err != nil {
			t.Fatal(err)
		}
	}
	return g, map[string]string{Frontend: "a", Catalog: "b", User: "b", Cart: "b", Order: "b", Payment: "c", Shipping: "d"}
}

func handConfig(t *testing.T, variant string) Config {
	g, static := handBuilt(t)
	c := DefaultConfig(variant)
	c.Infra, c.Strategy, c.Static, c.Dynamics = g, "static", static, false
	c.Size = "json" // the by-hand sizes are JSON lengths
	c.Steps, c.StepLength = 1, engine.Second
	return c
}

// The bodies on the wire, written out by hand (canonical JSON: compact, fields in order). The
// transaction id is always four digits.
const (
	details = `{"carrier":"UPS","tracking_number":"1234567890","estimated_delivery_date":"2026-01-04"}`
	prods   = `[{"id":"1","name":"Product 1","price":19.99},{"id":"2","name":"Product 2","price":29.99}]`
	items   = `[{"id":"1","quantity":2},{"id":"2","quantity":1}]`
	ordered = `[{"id":"1","amount":39.98},{"id":"2","amount":29.99}]`
)

func bytesOf(bodies ...string) engine.Time {
	n := 0
	for _, b := range bodies {
		n += len(b)
	}
	return engine.Time(n) * 500 // 0.5 us per byte
}

// TestWorkflowByHand checks the exact virtual-time latency of one workflow of each variant.
//
// MPI, a strict chain: 8 messages a<->b (15 ms each), 2 b<->c (9 ms), 2 b<->d (27 ms):
// 120 + 18 + 54 = 192 ms, plus 0.5 us for each byte of the 12 bodies.
//
// REST: 4 calls a->b->a (8 legs of 15 ms = 120 ms); inside the order call, Payment (2 x 9 ms)
// and Shipping (2 x 27 ms) overlap, so only the longer, Shipping's 54 ms, counts: 174 ms, plus
// 0.5 us per byte of the 8 outer legs and of Shipping's two legs.
func TestWorkflowByHand(t *testing.T) {
	mpi := 192*engine.Millisecond + bytesOf(
		`{"request_type":"catalog_data"}`,
		`{"response_type":"catalog_response","products":`+prods+`}`,
		`{"request_type":"user_data","user_id":12345}`,
		`{"response_type":"user_response","name":"John Doe","email":"john@example.com","address":"123 Main St","phone":"555-1234"}`,
		`{"request_type":"cart_data","user_id":12345}`,
		`{"response_type":"cart_response","items":`+items+`}`,
		`{"request_type":"order_request","user_id":12345,"items":`+ordered+`}`,
		`{"request_type":"payment_request","order_id":54321,"amount":69.97}`,
		`{"response_type":"payment_response","order_id":54321,"transaction_id":1234,"status":"success"}`,
		`{"request_type":"shipping_request","order_id":54321}`,
		`{"response_type":"shipping_response","order_id":54321,"status":"success","shipping_details":`+details+`}`,
		`{"response_type":"order_response","status":"success","shipping_details":`+details+`,"transaction_id":1234}`,
	)
	rest := 174*engine.Millisecond + bytesOf(
		``, // GET CatalogService/catalog: no body, no query
		`{"products":`+prods+`}`,
		`{"user_id":"12345"}`, // the query of GET UserService/user?user_id=12345
		`{"user_id":"12345","name":"John Doe","email":"john@example.com","address":"123 Main St","phone":"555-1234"}`,
		``,
		`{"items":`+items+`}`,
		`{"items":`+ordered+`}`,
		`{"order_id":54321,"transaction_id":1234,"shipping_details":`+details+`,"status":"success"}`,
		`{"order_id":"54321"}`, // GET ShippingService/details?order_id=54321
		`{"order_id":54321,"status":"success","shipping_details":`+details+`}`,
	)
	// With constant service times every service works its processing_time once per
	// workflow: MPI adds all 100 ms (a strict chain); REST adds Frontend 20, Catalog 11,
	// User 9, Cart 14 and Order 20, and of the overlapping inner calls the longer, Shipping's
	// (54 ms + bytes + 15 ms) against Payment's (18 ms + bytes + 11 ms): 89 ms. One user and a
	// station per service: nothing queues.
	for _, tc := range []struct {
		variant string
		service string
		want    engine.Time
		work    engine.Time // service time on the critical path
	}{
		{"mpi", "", mpi, 0},
		{"rest", "", rest, 0},
		{"mpi", "const", mpi + 100*engine.Millisecond, 100 * engine.Millisecond},
		{"rest", "const", rest + 89*engine.Millisecond, 89 * engine.Millisecond},
	} {
		t.Run(tc.variant+"/"+tc.service, func(t *testing.T) {
			cfg := handConfig(t, tc.variant)
			cfg.Load.Service = tc.service
			res, err := Run(cfg)
			if err != nil {
				t.Fatal(err)
			}
			n := engine.Time(res.Workflows)
			if want := (Trace{Network: n * (tc.want - tc.work), Service: n * tc.work}); res.Breakdown != want {
				t.Errorf("breakdown %+v, want %+v", res.Breakdown, want)
			}
			if len(res.LatenciesMS) == 0 {
				t.Fatalf("no workflow completed: %+v", res)
			}
			want := tc.want.Milliseconds()
			for i, got := range res.LatenciesMS {
				if got != want {
					t.Fatalf("workflow %d took %v ms, want %v ms", i, got, want)
				}
			}
			// Back to back in one 1 s step: every workflow that ends by 1 s counts.
			if n := int(engine.Second / tc.want); res.Workflows != n || res.Failed != 0 {
				t.Errorf("workflows %d failed %d, want %d and 0", res.Workflows, res.Failed, n)
			}
			if res.Lost != 0 || res.Messages < 12*res.Workflows {
				t.Errorf("lost %d messages %d", res.Lost, res.Messages)
			}
		})
	}
}

// TestNodeDownMidRun takes Payment's node down while the payment request is on its way
// (it leaves b at 105 ms plus bytes in both variants and takes 9 ms).
func TestNodeDownMidRun(t *testing.T) {
	before := runtime.NumGoroutine()
	for _, v := range Variants {
		t.Run(v, func(t *testing.T) {
			c := handConfig(t, v)
			c.Steps, c.Timeout = 4, engine.Second
			c.Outages = []Outage{{Node: "c", At: 110 * engine.Millisecond}}
			log := &scenario.StepLog{}
			c.Observer = log
			res, err := Run(c)
			if err != nil {
				t.Fatal(err)
			}
			if res.Workflows != 0 || res.Failed != 1 || res.LostInFlight != 1 {
				t.Errorf("workflows %d failed %d lost %d; want 0, 1, 1", res.Workflows, res.Failed, res.LostInFlight)
			}
			// Boundary 1 audits and undeploys; static placement stays infeasible after.
			steps := log.Steps
			if res.Undeploys != 1 || len(steps) != 4 || res.StepsRun != 4 || !steps[0].Deployed || steps[1].Deployed || steps[3].Deployed {
				t.Errorf("undeploys %d steps %+v", res.Undeploys, steps)
			}
			if steps[1].PlacementChanges != 7 || steps[1].AliveNodes != 3 {
				t.Errorf("step 1: %+v", steps[1])
			}
		})
	}
	waitGoroutines(t, before)
}

func waitGoroutines(t *testing.T, want int) {
	t.Helper()
	for i := 0; i < 100 && runtime.NumGoroutine() > want; i++ {
		time.Sleep(time.Millisecond) // let released coroutines exit; not simulation time
	}
	if got := runtime.NumGoroutine(); got > want {
		t.Errorf("goroutines: %d after runs, %d before", got, want)
	}
}

func TestDeclinedPaymentFailsTheOrder(t *testing.T) {
	for _, v := range Variants {
		c := handConfig(t, v)
		c.DeclineProb = 1
		res, err := Run(c)
		if err != nil {
			t.Fatal(err)
		}
		if res.Workflows != 0 || res.Failed == 0 {
			t.Errorf("%s: workflows %d failed %d, want every order to fail", v, res.Workflows, res.Failed)
		}
	}
}

// TestZeroCostNeverSpins puts every service on one node: workflows take no time, and the
// Frontend must wait for the next boundary instead of looping at one instant.
func TestZeroCostNeverSpins(t *testing.T) {
	c := handConfig(t, "mpi")
	for s := range c.Static {
		c.Static[s] = "b"
	}
	c.Steps = 5
	res, err := Run(c)
	if err != nil {
		t.Fatal(err)
	}
	if res.Workflows != 5 || res.Latency.Max != 0 {
		t.Errorf("workflows %d max %v, want one zero-time workflow per step", res.Workflows, res.Latency.Max)
	}
}

func TestDefaultRunIsDeterministic(t *testing.T) {
	before := runtime.NumGoroutine()
	for _, v := range Variants {
		a, err := Run(DefaultConfig(v))
		if err != nil {
			t.Fatal(err)
		}
		b, err := Run(DefaultConfig(v))
		if err != nil {
			t.Fatal(err)
		}
		a.Config, b.Config = Config{}, Config{}
		if !reflect.DeepEqual(a, b) {
			t.Errorf("%s: two runs differ:\n%+v\n%+v", v, a, b)
		}
		if a.Workflows+a.Failed == 0 {
			t.Errorf("%s: the default run ran no workflow", v)
		}
	}
	waitGoroutines(t, before)
}

func TestSameInfrastructureForBothVariants(t *testing.T) {
	var steps [2][]StepStats
	for i, v := range Variants {
		cfg := DefaultConfig(v)
		log := &scenario.StepLog{}
		cfg.Observer = log
		if _, err := Run(cfg); err != nil {
			t.Fatal(err)
		}
		for _, s := range log.Steps {
			steps[i] = append(steps[i], StepStats{Step: s.Step, AliveNodes: s.AliveNodes, Deployed: s.Deployed, PlacementChanges: s.PlacementChanges})
		}
	}
	if !reflect.DeepEqual(steps[0], steps[1]) {
		t.Error("the variants saw different infrastructure or placement timelines")
	}
}

func TestConfigValidate(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(*Config)
		want string
	}{
		{"variant", func(c *Config) { c.Variant = "grpc" }, "valid: mpi, rest"},
		{"steps", func(c *Config) { c.Steps = 0 }, "steps"},
		{"step", func(c *Config) { c.StepLength = 0 }, "step length"},
		{"nodes", func(c *Config) { c.Nodes = 0 }, "nodes"},
		{"timeout", func(c *Config) { c.Timeout = -1 }, "timeout"},
		{"decline", func(c *Config) { c.DeclineProb = 2 }, "decline"},
		{"flap", func(c *Config) { c.FlapUp = -0.1 }, "flap"},
		{"partitioning", func(c *Config) { c.Partitioning = []float64{0, 0} }, "partitioning"},
		{"model", func(c *Config) { c.Model = "x" }, "unknown cost model"},
		{"strategy", func(c *Config) { c.Strategy = "worst-fit" }, "worst-fit"},
	} {
		c := DefaultConfig("mpi")
		tc.edit(&c)
		_, err := Run(c)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want an error mentioning %q", tc.name, err, tc.want)
		}
	}
	c := handConfig(t, "mpi")
	c.Static[Payment] = "nowhere"
	if _, err := Run(c); err == nil || !strings.Contains(err.Error(), "nowhere") {
		t.Errorf("static placement on an unknown node: %v", err)
	}
	c = handConfig(t, "mpi")
	c.Outages = []Outage{{Node: "zz"}}
	if _, err := Run(c); err == nil || !strings.Contains(err.Error(), `"zz"`) {
		t.Errorf("outage of an unknown node: %v", err)
	}
}

func TestSummarize(t *testing.T) {
	s := Summarize([]float64{5, 1, 4, 2, 3})
	if s.Mean != 3 || s.P50 != 3 || s.Max != 5 || s.P99 != 5 {
		t.Errorf("Summarize = %+v", s)
	}
	if (Summarize(nil) != Summary{}) {
		t.Error("empty summary not zero")
	}
}

func BenchmarkDefaultRun(b *testing.B) {
	for _, v := range Variants {
		b.Run(v, func(b *testing.B) {
			b.ReportAllocs()
			var wf, msgs int
			for i := 0; i < b.N; i++ {
				res, err := Run(DefaultConfig(v))
				if err != nil {
					b.Fatal(err)
				}
				wf, msgs = res.Workflows+res.Failed, res.Messages
			}
			sec := b.Elapsed().Seconds()
			b.ReportMetric(float64(wf*b.N)/sec, "workflows/s")
			b.ReportMetric(float64(msgs*b.N)/sec, "messages/s")
		})
	}
}

// BenchmarkDefaultBoth runs both variants of the reference run, as compare does, and reports
// the process CPU time per pair (target: at most 50 ms; ECLYPSE needs at least 50 s of wall
// time for the same 100 steps).
func BenchmarkDefaultBoth(b *testing.B) {
	b.ReportAllocs()
	start := cpuTime()
	for i := 0; i < b.N; i++ {
		for _, v := range Variants {
			if _, err := Run(DefaultConfig(v)); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(cpuTime()-start)/float64(b.N)/1e6, "cpu-ms/op")
}

// cpuTime is the process's user+system CPU time in ns (benchmarks only, never in a run).
func cpuTime() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}

// Every completed workflow's trace accounts for its whole latency: summed over the run, the
// breakdown's network + queue + service time equals the summed latency to the nanosecond.
func TestBreakdownAccountsForLatency(t *testing.T) {
	for _, v := range Variants {
		loaded := DefaultConfig(v)
		loaded.Steps = 20
		loaded.Workload.Users = 50
		loaded.Load = comm.Load{Service: "exp", CPU: "node", Sched: "ps", Links: "fair"}
		for name, cfg := range map[string]Config{"reference": DefaultConfig(v), "loaded": loaded} {
			res, err := Run(cfg)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := int64(res.Breakdown.Total()), res.LatencyDist.SumNS(); got != want || want == 0 {
				t.Errorf("%s %s: breakdown %v (%+v), latencies %v", v, name, engine.Time(got), res.Breakdown, engine.Time(want))
			}
			if name == "loaded" && (res.Breakdown.Queue == 0 || res.Breakdown.Service == 0) {
				t.Errorf("%s loaded: no queueing or service time in %+v", v, res.Breakdown)
			}
		}
	}
}

// Little's law, counted as scenario.Little documents, holds to float rounding on every run:
// the reference run, and 200 users with exponential service times, processor sharing on node
// CPUs and shared links, with a warm-up.
func TestLittlesLawHolds(t *testing.T) {
	for _, v := range Variants {
		loaded := DefaultConfig(v)
		loaded.Steps = 20
		loaded.Workload.Users, loaded.Workload.Think, loaded.Workload.ThinkDist = 200, engine.Second, "exp"
		loaded.Workload.Warmup = 2 * engine.Second
		loaded.Load = comm.Load{Service: "exp", CPU: "node", Sched: "ps", Links: "fair"}
		for name, cfg := range map[string]Config{"reference": DefaultConfig(v), "loaded": loaded} {
			res, err := Run(cfg)
			if err != nil {
				t.Fatal(err)
			}
			if e := res.Little.RelErr(); e > 1e-9 || res.Little.InFlight == 0 {
				t.Errorf("%s %s: Little %+v, relative error %g", v, name, res.Little, e)
			}
		}
	}
}

// TestHandlersMatchProcesses: the MPI services answering in callbacks (Endpoint.Handle and
// Answer) and the REST leaves (Mux.HandleLeaf) give exactly the run of the same services as
// processes (receiving in a loop; handlers in the pool's processes), under load (queueing,
// timeouts, late replies) and with a short queue limit (refusals).
func TestHandlersMatchProcesses(t *testing.T) {
	for _, v := range Variants {
		short := loadConfig(v, "fair")
		short.Workload.Users = 300
		short.Steps = 20
		refusing := short
		refusing.Load.QueueLimit = 2
		refusing.Timeout = 300 * engine.Millisecond
		for name, cfg := range map[string]Config{"default": DefaultConfig(v), "load": short, "refusals": refusing} {
			t.Run(v+"/"+name, func(t *testing.T) {
				run := func(procs bool) *Result {
					serveInProcesses = procs
					defer func() { serveInProcesses = false }()
					res, err := Run(cfg)
					if err != nil {
						t.Fatal(err)
					}
					return res
				}
				want, got := run(true), run(false)
				if want.Messages == 0 {
					t.Fatal("no messages")
				}
				if name == "refusals" && (want.Failed == 0 || want.Discarded == 0) {
					t.Errorf("refusals: %d failed, %d discarded: the run should fail and abandon workflows", want.Failed, want.Discarded)
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("callbacks and processes differ:\n got %+v\nwant %+v", got.Result, want.Result)
				}
			})
		}
	}
}
