package scenario_test

import (
	"reflect"
	"testing"

	"github.com/edgesim/edgesim/comm"
	"github.com/edgesim/edgesim/engine"
	"github.com/edgesim/edgesim/scenario"
	"github.com/edgesim/edgesim/sockshop"
	"github.com/edgesim/edgesim/workload"
)

// TestUsersMatchProcesses: closed-loop users waiting as callbacks and taking a worker
// process per workflow give exactly the run of users that are processes of their own
// (workload.Start), field for field, over the paths a user can take: think time 0 (several
// workflows in one worker), const and exp think times, no service time (the entry work done
// at once), a saturated entry service (work queued), refusals by a full queue, timeouts,
// undeploys (waits for a boundary), a warm-up, node CPUs with processor sharing, fair links,
// and two applications on one infrastructure.
func TestUsersMatchProcesses(t *testing.T) {
	matchRuns(t, scenario.SetUsersInProcesses)
}

// TestWaitsMatchSlicedWaits: a workflow's waits that ask at each step boundary, in kernel
// context, whether to wait on (engine's WaitTimeoutLoop and GetTimeoutLoop) give exactly the
// run of waits that wake the workflow's process at every boundary, over the same paths.
func TestWaitsMatchSlicedWaits(t *testing.T) {
	matchRuns(t, scenario.SetSlicedWaitsInProcess)
}

// matchRuns runs each case with set(true) and set(false) and wants equal results.
func matchRuns(t *testing.T, set func(bool) func()) {
	base := func(v string) sockshop.Config {
		cfg := sockshop.DefaultConfig(v)
		cfg.Steps = 30
		return cfg
	}
	cases := map[string]func(v string) sockshop.Config{
		"reference": func(v string) sockshop.Config { return sockshop.DefaultConfig(v) },
		"users-think0-noservice": func(v string) sockshop.Config {
			cfg := base(v)
			cfg.Workload.Users = 20
			return cfg
		},
		"users-think0-service": func(v string) sockshop.Config {
			cfg := base(v)
			cfg.Workload.Users = 5
			cfg.Load.Service = "exp"
			return cfg
		},
		"saturated-exp": func(v string) sockshop.Config {
			cfg := base(v)
			cfg.Workload = workload.Config{Users: 400, Think: 2 * engine.Second, ThinkDist: "exp", Warmup: 3 * engine.Second}
			cfg.Load.Service = "exp"
			return cfg
		},
		"refusals-timeouts": func(v string) sockshop.Config {
			cfg := base(v)
			cfg.Workload = workload.Config{Users: 100, Think: engine.Second}
			cfg.Load = comm.Load{Service: "const", CPU: "node", Sched: "ps", Links: "fair", QueueLimit: 10}
			cfg.Timeout = 800 * engine.Millisecond
			return cfg
		},
	}
	for name, mk := range cases {
		for _, v := range sockshop.Variants {
			t.Run(name+"/"+v, func(t *testing.T) {
				cfg := mk(v)
				run := func(procs bool) *sockshop.Result {
					defer set(procs)()
					res, err := sockshop.Run(cfg)
					if err != nil {
						t.Fatal(err)
					}
					return res
				}
				want, got := run(true), run(false)
				if want.Workflows == 0 {
					t.Fatal("no workflow completed")
				}
				if name == "refusals-timeouts" && (want.Rejected == 0 || want.Failed == 0) {
					t.Errorf("want refusals and failures, got %d rejected, %d failed", want.Rejected, want.Failed)
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("callback users and process users differ:\n got %+v\nwant %+v", got.Result, want.Result)
				}
			})
		}
	}
}

// Two applications on one infrastructure, sharing node CPUs: the same with callback users.
func TestUsersMatchProcessesTwoApps(t *testing.T) {
	for _, set := range []func(bool) func(){scenario.SetUsersInProcesses, scenario.SetSlicedWaitsInProcess} {
		matchTwoApps(t, set)
	}
}

func matchTwoApps(t *testing.T, set func(bool) func()) {
	cfg := sockshop.DefaultConfig("mpi").Config
	cfg.Steps = 30
	cfg.Workload = workload.Config{Users: 100, Think: engine.Second, ThinkDist: "exp"}
	cfg.Load = comm.Load{Service: "exp", CPU: "node", Sched: "fcfs", Links: "free"}
	members := []scenario.Member{{App: sockshop.New(0)}, {Name: "second", App: sockshop.New(0)}}
	run := func(procs bool) []*scenario.Result {
		defer set(procs)()
		res, err := scenario.RunApps(cfg, members)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	want, got := run(true), run(false)
	if want[1].Workflows == 0 {
		t.Fatal("the second application completed no workflow")
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("callback users and process users differ:\n got %+v\nwant %+v", got, want)
	}
}
