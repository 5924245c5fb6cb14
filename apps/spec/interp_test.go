package spec

import (
	"reflect"
	"strings"
	"testing"

	"github.com/edgesim/edgesim/comm"
	"github.com/edgesim/edgesim/engine"
	"github.com/edgesim/edgesim/network"
	"github.com/edgesim/edgesim/scenario"
	"github.com/edgesim/edgesim/workload"
)

// line is the infrastructure of the by-hand tests: a --10 ms-- b --5 ms-- c, plus a node d
// 20 ms from b. With the latency-only cost model a message a<->b costs exactly 10 ms, b<->c
// 5 ms, a<->c 15 ms (through b), b<->d 20 ms.
func line(t *testing.T) *network.Graph {
	t.Helper()
	g := network.NewGraph()
	for _, n := range []string{"a", "b", "c", "d"} {
		if err := g.AddNode(n, network.NodeAssets{CPU: 8, GPU: 8, RAM: 8, Storage: 8, Availability: 1}); err != nil {
			t.Fatal(err)
		}
	}
	for _, l := range []struct {
		a, b string
		ms   float64
	}{{"a", "b", 10}, {"b", "c", 5}, {"b", "d", 20}} {
		if err := g.AddSymmetricLink(l.a, l.b, network.LinkAssets{LatencyMS: l.ms, BandwidthMbps: 100}); err != nil {
			t.Fatal(err)
		}
	}
	return g
}

// byHand runs text (services Client, A, B, C on a, b, c, d) for one step of 100 ms, one
// user, sizes counted by the json rule (a size: N payload weighs N bytes; empty ones 0), and
// returns the result.
func byHand(t *testing.T, text, variant string, edit func(*scenario.Config)) *scenario.Result {
	t.Helper()
	a, err := New(mustParse(t, "hand.yaml", text))
	if err != nil {
		t.Fatal(err)
	}
	cfg := scenario.Config{Variant: variant, Seed: 1, Steps: 1, StepLength: 100 * engine.Millisecond, Infra: line(t),
		Strategy: "static", Static: map[string]string{"Client": "a", "A": "b", "B": "c", "C": "d"},
		Model: "latency", Size: "json", Timeout: engine.Second, Workload: workload.Config{Users: 1}}
	if edit != nil {
		edit(&cfg)
	}
	res, err := scenario.Run(cfg, a)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

const handServices = `
  - {name: A, endpoints: [{name: x, response: {size: 7}}, {name: fwd, steps: [{forward: {to: B/x, request: {size: 3}}}]},
      {name: nest, steps: [{call: {to: B/bad, on_failure: {size: 11}, on_error: {size: 13}}}]},
      {name: slow, steps: [{work: {ms: 4}}], response: {size: 1}}]}
  - {name: B, endpoints: [{name: x, response: {size: 5}}, {name: bad, steps: [{fail: {size: 17}}]}]}
  - {name: C, endpoints: [{name: x}]}
`

func client(steps string) string {
	return "name: hand\nservices:\n  - {name: Client, endpoints: [{name: go, steps: " + steps + "}]}" + handServices +
		"entry: {service: Client, mix: [{endpoint: go, p: 1}]}\n"
}

// Each case: the workflow's latency in ms, the messages and bytes of the run, per style.
// Workflows run back to back in one step of 100 ms; a workflow that would end at or after
// 100 ms is not counted, and its messages sent before 100 ms are.
func TestByHand(t *testing.T) {
	for _, tc := range []struct {
		name  string
		steps string
		// per style: latency of one workflow (ms), workflows completed, messages, bytes
		mpi, rest [4]float64
		failed    int
	}{
		// A round trip a<->b: 20 ms; workflows end at 20, 40, 60 and 80 ms; the fifth's
		// answer leaves at 90 and would arrive at 100, after the run. Bytes: five requests
		// of 2 (size) and five answers of 7.
		{"call", "[{call: {to: A/x, request: {size: 2}}}]", [4]float64{20, 4, 10, 45}, [4]float64{20, 4, 10, 45}, 0},
		// Both calls at once: the slower (B, 15 ms away) decides: 30 ms. The fourth
		// workflow's two requests leave at 90 ms.
		{"parallel", "[{parallel: [{to: A/x}, {to: B/x}]}]", [4]float64{30, 3, 14, 36}, [4]float64{30, 3, 14, 36}, 0},
		// A sequence: 20 + 30 = 50 ms; the second would end at 100 ms, after the run.
		{"sequence", "[{call: {to: A/x}}, {call: {to: B/x}}]", [4]float64{50, 1, 8, 24}, [4]float64{50, 1, 8, 24}, 0},
		// A forward: MPI a->b->c->a (10 + 5 + 15 = 30 ms, 3 messages); REST nested
		// a->b->c->b->a (30 ms, 4 messages). Bytes: MPI 0 + 3 + 5; REST 0 + 3 + 5 + 5.
		{"forward", "[{call: {to: A/fwd}}]", [4]float64{30, 3, 10, 24}, [4]float64{30, 3, 13, 39}, 0},
		// Three calls in a row: 60 ms; the second workflow's first two calls fit.
		{"repeat", "[{repeat: {times: 3, steps: [{call: {to: A/x}}]}}]", [4]float64{60, 1, 10, 35}, [4]float64{60, 1, 10, 35}, 0},
		// An async call costs the workflow nothing; MPI sends one message, REST a request
		// and, 20 ms later, its response. The workflow is the call to B: 30 ms.
		{"async", "[{call: {to: A/x, async: true}}, {call: {to: B/x}}]", [4]float64{30, 3, 11, 15}, [4]float64{30, 3, 14, 36}, 0},
		// B fails; A answers its on_failure (11 bytes); the workflow fails at 30 ms and its
		// user waits for the next step: one workflow, four messages.
		{"failure", "[{call: {to: A/nest}}]", [4]float64{0, 0, 4, 28}, [4]float64{0, 0, 4, 28}, 1},
		// A branch of one case: its steps run.
		{"branch", "[{branch: {cases: [{p: 1, steps: [{call: {to: A/x}}]}]}}]", [4]float64{20, 4, 10, 35}, [4]float64{20, 4, 10, 35}, 0},
		// The call asks for another answer: 99 bytes instead of 7.
		{"response override", "[{call: {to: A/x, response: {size: 99}}}]", [4]float64{20, 4, 10, 495}, [4]float64{20, 4, 10, 495}, 0},
		// A variant: MPI calls A, REST calls B.
		{"variant", "[{variant: {mpi: [{call: {to: A/x}}], rest: [{call: {to: B/x}}]}}]", [4]float64{20, 4, 10, 35}, [4]float64{30, 3, 7, 15}, 0},
		// The entry fails at once: no message, the user waits for the next step.
		{"fail", "[{fail: {}}]", [4]float64{0, 0, 0, 0}, [4]float64{0, 0, 0, 0}, 1},
	} {
		for _, v := range scenario.Variants {
			want := tc.mpi
			if v == "rest" {
				want = tc.rest
			}
			t.Run(tc.name+"/"+v, func(t *testing.T) {
				res := byHand(t, client(tc.steps), v, nil)
				got := [4]float64{res.Latency.Max, float64(res.Workflows), float64(res.Messages), float64(res.Bytes)}
				if got != want || res.Failed != tc.failed {
					t.Errorf("latency %v ms, %v workflows, %v messages, %v bytes, %d failed; want %v, %d failed",
						got[0], got[1], got[2], got[3], res.Failed, want, tc.failed)
				}
				if res.Workflows > 0 && res.Latency.Mean != res.Latency.Max {
					t.Errorf("latencies differ: %+v", res.Latency)
				}
			})
		}
	}
}

// CPU work: with constant service times, A works its processing time (3 ms) on every
// request, and a work step adds its own: the entry's 7 ms before the call, A's 4 ms after
// the request's 3 ms. 7 + 10 + 3 + 4 + 10 = 34 ms, all on the critical path.
func TestWorkSteps(t *testing.T) {
	text := strings.Replace(client("[{work: {ms: 7}}, {call: {to: A/slow}}]"), "{name: A, endpoints", "{name: A, requirements: {processing_time_ms: 3}, endpoints", 1)
	for _, v := range scenario.Variants {
		res := byHand(t, text, v, func(c *scenario.Config) { c.Load = comm.Load{Service: "const"} })
		if res.Latency.Max != 34 || res.Workflows != 2 {
			t.Errorf("%s: %d workflows of %v ms, want 2 of 34", v, res.Workflows, res.Latency.Max)
		}
		if b := res.Breakdown; b.Service != 2*14*engine.Millisecond || b.Network != 2*20*engine.Millisecond {
			t.Errorf("%s: breakdown %+v, want 14 ms of service and 20 of network per workflow", v, b)
		}
	}
}

// No answer: B's node goes down 1 ms into the run, before A calls it (at 10 ms): the call
// cannot leave, A answers its on_error (13 bytes) and the workflow fails at 20 ms.
func TestOnError(t *testing.T) {
	for _, v := range scenario.Variants {
		res := byHand(t, client("[{call: {to: A/nest}}]"), v, func(c *scenario.Config) {
			c.Outages = []scenario.Outage{{Node: "c", At: engine.Millisecond}}
		})
		if res.Failed != 1 || res.Messages != 2 || res.Bytes != 13 || res.Unreachable != 1 {
			t.Errorf("%s: %d failed, %d messages, %d bytes, %d unreachable; want 1, 2, 13, 1", v, res.Failed, res.Messages, res.Bytes, res.Unreachable)
		}
	}
}

// Loss: in MPI a frame whose request or answer is lost in flight is abandoned (its caller
// times out), and nothing stays waiting at the end of the run; an answer for an abandoned
// frame is discarded and counted.
func TestMPIFramesNeverLeak(t *testing.T) {
	var rt *mpiRT
	testHookMPI = func(r *mpiRT) { rt = r }
	defer func() { testHookMPI = nil }()
	for _, tc := range []struct {
		name   string
		outage scenario.Outage
		// what the run must count
		lost, failed int
	}{
		// Workflows arrive at 100 and 200 ms. The first: A asks B at 110 ms; c goes down
		// at 112 ms, while the request travels: lost.
		{"request lost", scenario.Outage{Node: "c", At: 112 * engine.Millisecond, For: 50 * engine.Millisecond}, 1, 1},
		// B answers at 115 ms; b goes down at 117 ms, while the answer travels to A: lost.
		{"answer lost", scenario.Outage{Node: "b", At: 117 * engine.Millisecond, For: 50 * engine.Millisecond}, 1, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			text := strings.Replace(client("[{call: {to: A/nest}}]"), "{name: bad, steps: [{fail: {size: 17}}]}", "{name: bad}", 1)
			res := byHand(t, text, "mpi", func(c *scenario.Config) {
				// Two workflows, at 100 and 200 ms, 30 ms each: nothing is under way at
				// the end, so whatever still waits is a leak.
				c.Outages = []scenario.Outage{tc.outage}
				c.Timeout = 40 * engine.Millisecond
				c.Steps = 3
				c.Workload = workload.Config{Rate: 10, Arrivals: workload.Const}
			})
			if res.LostInFlight != tc.lost || res.Failed != tc.failed || res.Workflows != 1 {
				t.Errorf("lost %d, failed %d, completed %d; want %d lost, %d failed, 1 completed", res.LostInFlight, res.Failed, res.Workflows, tc.lost, tc.failed)
			}
			if len(rt.pending) != 0 {
				t.Errorf("%d requests still waited for at the end", len(rt.pending))
			}
		})
	}
}

// Same seed, same bytes: a spec with a mix, branches, random integers and exponential
// service times under an open loop gives the same result twice.
func TestRunTwice(t *testing.T) {
	a, err := New(mustParse(t, "everything.yaml", everything))
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range scenario.Variants {
		run := func() *scenario.Result {
			cfg := scenario.Config{Variant: v, Seed: 9, Steps: 20, StepLength: 100 * engine.Millisecond, Infra: line(t),
				Strategy: "static", Static: map[string]string{"Entry": "a", "Mid": "b", "Leaf": "c"},
				Model: "eclypse", Timeout: engine.Second, Workload: workload.Config{Rate: 200},
				Load: comm.Load{Service: "exp", CPU: "node", Sched: "ps"}}
			res, err := scenario.Run(cfg, a)
			if err != nil {
				t.Fatal(err)
			}
			return res
		}
		r1, r2 := run(), run()
		r1.Config, r2.Config = scenario.Config{}, scenario.Config{}
		if !reflect.DeepEqual(r1, r2) {
			t.Errorf("%s: two runs differ", v)
		}
		if r1.Workflows == 0 || r1.Failed == 0 {
			t.Errorf("%s: %d workflows, %d failed: the run exercises too little", v, r1.Workflows, r1.Failed)
		}
	}
}

// The MPI services' receive loops as callbacks (comm.Endpoint.Handle), and the REST leaves as
// callbacks (comm.Mux.HandleLeaf), give exactly the run of the same loops and handlers as
// processes, on the spec with a mix, branches, forwards, random integers
// and exponential service times under an open loop, with failures, and with a queue limit
// that refuses requests.
func TestHandlersMatchProcesses(t *testing.T) {
	a, err := New(mustParse(t, "everything.yaml", everything))
	if err != nil {
		t.Fatal(err)
	}
	for _, limit := range []int{0, 2} {
		for _, variant := range []string{"mpi", "rest"} {
			run := func(procs bool) *scenario.Result {
				serveInProcesses = procs
				defer func() { serveInProcesses = false }()
				cfg := scenario.Config{Variant: variant, Seed: 9, Steps: 20, StepLength: 100 * engine.Millisecond, Infra: line(t),
					Strategy: "static", Static: map[string]string{"Entry": "a", "Mid": "b", "Leaf": "c"},
					Model: "eclypse", Timeout: engine.Second, Workload: workload.Config{Rate: 200},
					Load: comm.Load{Service: "exp", CPU: "node", Sched: "fcfs", QueueLimit: limit}}
				res, err := scenario.Run(cfg, a)
				if err != nil {
					t.Fatal(err)
				}
				res.Config = scenario.Config{}
				return res
			}
			want, got := run(true), run(false)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s, queue limit %d: callbacks and processes differ:\n got %+v\nwant %+v", variant, limit, got, want)
			}
			if want.Workflows == 0 || want.Failed == 0 {
				t.Errorf("%s, queue limit %d: %d workflows, %d failed: the run exercises too little", variant, limit, want.Workflows, want.Failed)
			}
		}
	}
}

// The application graph: the spec's interactions first (symmetric ones expanded), then the
// pairs the calls make, in call order, with no requirement; flows derived from the calls.
func TestApplication(t *testing.T) {
	a, err := New(mustParse(t, "everything.yaml", everything))
	if err != nil {
		t.Fatal(err)
	}
	app := a.Application()
	var pairs []string
	for _, in := range app.Interactions {
		pairs = append(pairs, in.From+">"+in.To)
	}
	// Entry calls Mid (answered in MPI by Leaf: Mid forwards), Leaf; Mid forwards to Leaf
	// (REST: Leaf answers Mid).
	want := "Entry>Mid Mid>Entry Mid>Leaf Leaf>Entry Entry>Leaf Leaf>Mid"
	if got := strings.Join(pairs, " "); got != want {
		t.Errorf("interactions %s, want %s", got, want)
	}
	if in := app.Interactions[0]; in.MaxLatencyMS != 100 || in.MinBandwidthMbps != 1 {
		t.Errorf("first interaction %+v", in)
	}
	if in := app.Interactions[4]; in.MaxLatencyMS < 1e300 || in.MinBandwidthMbps != 0 {
		t.Errorf("derived interaction %+v has a requirement", in)
	}
	s := mustParse(t, "shop.yaml", shopYAML)
	sa, _ := New(s)
	var flows []string
	for _, f := range sa.Application().Flows {
		flows = append(flows, strings.Join(f, ","))
	}
	if got := strings.Join(flows, " "); got != "Front,Stock,Front Front,Pay,Front" {
		t.Errorf("derived flows %s", got)
	}
}

// Under the eclypse size rule (the run's default) a size: N payload still weighs N, an empty
// one weighs None (16 bytes) as an MPI message or an answer's body and nothing as a REST
// request's arguments, and comm adds a REST request's url and method and a response's
// status. The parallel case of TestByHand: three whole workflows and the fourth's two
// requests; answers of 7 (A) and 5 (B) bytes.
func TestEclypseSizes(t *testing.T) {
	text := client("[{parallel: [{to: A/x}, {to: B/x}]}]")
	reqA, _ := comm.PyRequestSize("A/x", "POST", nil)
	reqB, _ := comm.PyRequestSize("B/x", "POST", nil)
	want := map[string]int{
		"mpi":  8*16 + 3*(7+5),
		"rest": 4*(reqA+reqB) + 3*(comm.PyHTTPStatusSize+7+comm.PyHTTPStatusSize+5),
	}
	for _, v := range scenario.Variants {
		res := byHand(t, text, v, func(c *scenario.Config) { c.Size = "eclypse" })
		if res.Bytes != want[v] || res.Messages != 14 {
			t.Errorf("%s: %d messages, %d bytes; want 14, %d", v, res.Messages, res.Bytes, want[v])
		}
	}
}
