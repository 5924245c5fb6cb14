package validate

import (
	"fmt"
	"math"

	"github.com/edgesim/edgesim/engine"
	"github.com/edgesim/edgesim/theory"
)

// Setup is how one experiment's application runs, in both variants: the stations, the
// contention model (comm.Load's service-time distribution and scheduling; CPU per service)
// and the workload.
type Setup struct {
	Shape    Shape
	Stations []Station // Stations[0] is the entry service
	Service  string    // comm.Load.Service: exp, const or lognormal:CV
	Sched    string    // comm.Load.Sched: fcfs or ps
	// Rate > 0: an open loop of Poisson arrivals at Rate workflows per second. Otherwise a
	// closed loop of Users users with exponential think times of mean Think.
	Rate  float64
	Users int
	Think engine.Time
	// Warmup is left out of every measurement: long enough for the station that relaxes
	// slowest to forget its empty start (see Experiments).
	Warmup engine.Time
	// Workflows is the number of workflows a full replication measures after the warm-up;
	// the window is Workflows / Throughput long.
	Workflows int
	// Throughput is the expected workflows per second (Rate, or MVA's X(N) when closed),
	// used only to size the window.
	Throughput float64
}

// Check is one quantity of a run compared with its oracle. Measure returns the value of one
// replication; the row is their mean, within K standard errors of Oracle.
type Check struct {
	Quantity string
	Oracle   float64
	Measure  func(o *Outcome) float64
	// Note is appended to the row's why (e.g. an edge correction).
	Note string
}

// RunSpec is one run of an experiment: a setup and the checks made on it. Every run also
// gets Little's law rows (section 8).
type RunSpec struct {
	Name   string
	Setup  Setup
	Checks []Check
}

// Experiment is a group of runs that test one result of queueing theory.
type Experiment struct {
	Section string // e.g. "1. M/M/1"
	About   string // one paragraph: the model, the oracle, its source
	Runs    []RunSpec
}

// The mean service time of single-station experiments: 10 ms, mu = 100/s.
const meanMS = 10.0

const mu = 1000 / meanMS

// client is a zero-work entry service: it stands for the users, so that a single queueing
// station is reached through a real message (MPI) or call (REST), as in any application.
var client = Station{Name: "Client", MeanMS: 0, Cores: 1}

func ms(s float64) float64 { return s * 1000 }

// single is a setup with one queueing station behind the client.
func single(server Station, service, sched string, rate float64, warmup engine.Time, workflows int) Setup {
	return Setup{Shape: Chain, Stations: []Station{client, server}, Service: service, Sched: sched,
		Rate: rate, Warmup: warmup, Workflows: workflows, Throughput: rate}
}

// Experiments returns every experiment of the system-level table with its oracles. The
// run lengths are those of a full table; a short one measures an eighth of the workflows
// (see Options).
//
// Warm-ups: an M/M/c queue started empty relaxes to its steady state with time constant
// about 1/(sqrt(c mu) - sqrt(lambda))^2 (Kleinrock 1975, ch. 2, the relaxation time of the
// birth-death chain): 0.89 s for M/M/1 at rho 0.8 with mu = 100/s, less everywhere else
// here. A 5 s warm-up is more than five time constants.
func Experiments() ([]Experiment, error) {
	var exps []Experiment
	add := func(e Experiment) { exps = append(exps, e) }
	warm := 5 * engine.Second

	// 1. M/M/1.
	e := Experiment{Section: "1. M/M/1",
		About: "Open loop, Poisson arrivals at rate lambda; one service (FCFS, 1 core, exponential work of mean 10 ms, mu = 100/s) " +
			"behind a zero-work client. Oracle (Kleinrock 1975, ch. 3): mean response 1/(mu - lambda); the response time is " +
			"exponential with rate mu - lambda, so p99 = ln(100)/(mu - lambda); utilisation rho = lambda/mu."}
	for _, c := range []struct {
		rho float64
		n   int
	}{{0.5, 4000}, {0.8, 12000}} {
		lambda := c.rho * mu
		q, err := theory.NewMM1(lambda, mu)
		if err != nil {
			return nil, err
		}
		p99, err := q.ResponseQuantile(0.99)
		if err != nil {
			return nil, err
		}
		srv := Station{Name: "Server", MeanMS: meanMS, Cores: 1}
		e.Runs = append(e.Runs, RunSpec{Name: fmt.Sprintf("rho=%.1f", c.rho),
			Setup: single(srv, "exp", "fcfs", lambda, warm, c.n),
			Checks: []Check{
				{Quantity: "mean response (ms)", Oracle: ms(q.Response), Measure: meanResponse},
				{Quantity: "p99 response (ms)", Oracle: ms(p99), Measure: quantile(0.99)},
				{Quantity: "utilisation", Oracle: q.Utilisation, Measure: stationUtil("Server")},
			}})
	}
	add(e)

	// 2. M/M/c.
	e = Experiment{Section: "2. M/M/c (Erlang C)",
		About: "As 1, with c cores (the service's cpu requirement) and rho = lambda/(c mu) = 0.8. Oracle (Kleinrock 1975, ch. 3): " +
			"P(wait) = Erlang C(c, lambda/mu); mean wait = P(wait)/(c mu - lambda); the wait of a job that waits is exponential " +
			"with rate c mu - lambda, so P(wait > t) = P(wait) exp(-(c mu - lambda) t); the response quantile from the " +
			"hypoexponential tail (theory.MMc.ResponseQuantile). Waits are each workflow's queueing time (comm.Trace.Queue)."}
	for _, c := range []int{2, 4} {
		lambda := 0.8 * float64(c) * mu
		q, err := theory.NewMMc(lambda, mu, c)
		if err != nil {
			return nil, err
		}
		tail, err := q.WaitTail(meanMS / 1000)
		if err != nil {
			return nil, err
		}
		p99, err := q.ResponseQuantile(0.99)
		if err != nil {
			return nil, err
		}
		srv := Station{Name: "Server", MeanMS: meanMS, Cores: c}
		e.Runs = append(e.Runs, RunSpec{Name: fmt.Sprintf("c=%d rho=0.8", c),
			Setup: single(srv, "exp", "fcfs", lambda, warm, 10000),
			Checks: []Check{
				{Quantity: "mean response (ms)", Oracle: ms(q.Response), Measure: meanResponse},
				{Quantity: "mean wait (ms)", Oracle: ms(q.Wait), Measure: stationWait("Server")},
				{Quantity: "P(wait > 0)", Oracle: q.PWait, Measure: waitAbove(0)},
				{Quantity: "P(wait > 10 ms)", Oracle: tail, Measure: waitAbove(meanMS)},
				{Quantity: "p99 response (ms)", Oracle: ms(p99), Measure: quantile(0.99)},
			}})
	}
	add(e)

	// 3. M/D/1.
	md1, err := theory.MD1(80, meanMS/1000)
	if err != nil {
		return nil, err
	}
	add(Experiment{Section: "3. M/D/1 (Pollaczek-Khinchine)",
		About: "As 1 with constant work of 10 ms (comm.Load service const), rho = 0.8. Oracle: the Pollaczek-Khinchine mean wait " +
			"rho E[S] / (2 (1 - rho)), half the M/M/1 wait (Kleinrock 1975, ch. 5).",
		Runs: []RunSpec{{Name: "rho=0.8",
			Setup: single(Station{Name: "Server", MeanMS: meanMS, Cores: 1}, "const", "fcfs", 80, warm, 8000),
			Checks: []Check{
				{Quantity: "mean wait (ms)", Oracle: ms(md1.Wait), Measure: stationWait("Server")},
				{Quantity: "mean response (ms)", Oracle: ms(md1.Response), Measure: meanResponse},
			}}}})

	// 4. Processor sharing.
	e = Experiment{Section: "4. Processor sharing (insensitivity)",
		About: "As 1 with processor sharing (each of n jobs gets min(1, c/n) of a core) and work of mean 10 ms drawn " +
			"exponential, constant, or lognormal with coefficient of variation 3. Oracle: the mean response of c-core PS " +
			"equals M/M/c's for every work distribution (insensitivity of symmetric queues: Kelly 1979, ch. 3; theory.PS), " +
			"1/(mu - lambda) for one core."}
	for _, c := range []struct {
		cores int
		rho   float64
	}{{1, 0.7}, {4, 0.8}} {
		lambda := c.rho * float64(c.cores) * mu
		ps, err := theory.PS(lambda, meanMS/1000, c.cores)
		if err != nil {
			return nil, err
		}
		for _, dist := range []string{"exp", "const", "lognormal:3"} {
			e.Runs = append(e.Runs, RunSpec{Name: fmt.Sprintf("c=%d rho=%.1f %s", c.cores, c.rho, dist),
				Setup: single(Station{Name: "Server", MeanMS: meanMS, Cores: c.cores}, dist, "ps", lambda, warm, 5000),
				Checks: []Check{
					{Quantity: "mean response (ms)", Oracle: ms(ps.Response), Measure: meanResponse},
				}})
		}
	}
	add(e)

	// 5. Tandem.
	tandem := []Station{{Name: "A", MeanMS: 3, Cores: 1}, {Name: "B", MeanMS: 10, Cores: 2}, {Name: "C", MeanMS: 7, Cores: 1}}
	var open []theory.OpenStation
	for _, s := range tandem {
		open = append(open, theory.OpenStation{Name: s.Name, Mu: 1000 / s.MeanMS, C: s.Cores})
	}
	jk, err := theory.Tandem(100, open)
	if err != nil {
		return nil, err
	}
	checks := []Check{{Quantity: "mean response (ms)", Oracle: ms(jk.Response), Measure: meanResponse}}
	for i, s := range tandem {
		checks = append(checks, Check{Quantity: fmt.Sprintf("%s mean response (ms)", s.Name), Oracle: ms(jk.Stations[i].Response), Measure: stationResponse(s.Name)})
	}
	add(Experiment{Section: "5. Tandem (Jackson)",
		About: "Open loop, Poisson arrivals at 100/s. The entry A works on the user's request (3 ms, 1 core), then calls B " +
			"(10 ms, 2 cores), which calls C (7 ms, 1 core); exponential work, FCFS. Oracle (Jackson 1963; Burke's theorem): " +
			"each station is an M/M/c queue fed at 100/s, and the mean response is the sum of theirs (theory.Tandem).",
		Runs: []RunSpec{{Name: "A-B-C", Setup: Setup{Shape: Chain, Stations: tandem, Service: "exp", Sched: "fcfs",
			Rate: 100, Warmup: warm, Workflows: 6000, Throughput: 100}, Checks: checks}}})

	// 6. Closed network.
	closed := []Station{{Name: "A", MeanMS: 4, Cores: 1}, {Name: "B", MeanMS: 12, Cores: 4}}
	think := 40 * engine.Millisecond
	net := theory.ClosedNetwork{Think: think.Seconds()}
	for _, s := range closed {
		net.Stations = append(net.Stations, theory.ClosedStation{Name: s.Name, Demand: s.MeanMS / 1000, Servers: s.Cores})
	}
	e = Experiment{Section: "6. Closed network (exact MVA)",
		About: "N closed-loop users, exponential think time of mean 40 ms. A workflow: the entry A works (4 ms, 1 core), then " +
			"calls B (12 ms, 4 cores); exponential work, FCFS. Oracle: exact mean value analysis with load-dependent " +
			"multi-server stations (Reiser and Lavenberg 1980; theory.MVA). The throughput is Result.ThroughputPerS: the " +
			"workflows completed after the warm-up, wherever they started, per second of the window."}
	for _, c := range []struct{ users, n int }{{1, 2000}, {10, 4000}, {50, 6000}} {
		mva, err := theory.MVA(net, c.users)
		if err != nil {
			return nil, err
		}
		e.Runs = append(e.Runs, RunSpec{Name: fmt.Sprintf("N=%d", c.users),
			Setup: Setup{Shape: Chain, Stations: closed, Service: "exp", Sched: "fcfs", Users: c.users, Think: think,
				Warmup: warm, Workflows: c.n, Throughput: mva.Throughput},
			Checks: []Check{
				{Quantity: "throughput (/s)", Oracle: mva.Throughput, Measure: closedThroughput, Note: "+ completions of workflows started in the warm-up"},
				{Quantity: "mean response (ms)", Oracle: ms(mva.Response), Measure: meanResponse},
				{Quantity: "B mean jobs (4 cores)", Oracle: mva.QueueLength[1], Measure: stationJobs("B")},
			}})
	}
	add(e)

	// 7. Fork-join.
	fj, err := theory.ForkJoin2(60, mu)
	if err != nil {
		return nil, err
	}
	branch := func(name string) Station { return Station{Name: name, MeanMS: meanMS, Cores: 1} }
	add(Experiment{Section: "7. Fork-join (K = 2)",
		About: "Open loop, Poisson arrivals at 60/s. The zero-work client sends every request to two identical services " +
			"(10 ms exponential work, 1 core, FCFS) at once and answers when both have (REST: both calls started, then both " +
			"awaited; MPI: both requests sent, both answers collected in the workflow's inbox). Oracle: the exact K = 2 mean " +
			"(12 - rho)/8 / (mu - lambda) (Flatto and Hahn 1984; Nelson and Tantawi 1988; theory.ForkJoin2).",
		Runs: []RunSpec{{Name: "rho=0.6", Setup: Setup{Shape: Fork, Stations: []Station{client, branch("F1"), branch("F2")},
			Service: "exp", Sched: "fcfs", Rate: 60, Warmup: warm, Workflows: 6000, Throughput: 60},
			Checks: []Check{{Quantity: "mean response (ms)", Oracle: ms(fj), Measure: meanResponse}}}}})
	return exps, nil
}

// Measures of one replication.

func meanResponse(o *Outcome) float64 { return o.Result.Latency.Mean }

func quantile(p float64) func(o *Outcome) float64 {
	return func(o *Outcome) float64 { return o.Result.LatencyDist.Quantiles([]float64{p})[0] }
}

func stationUtil(name string) func(o *Outcome) float64 {
	return func(o *Outcome) float64 { return o.station(name).Utilisation }
}

func stationWait(name string) func(o *Outcome) float64 {
	return func(o *Outcome) float64 { return o.station(name).MeanWaitMS }
}

func stationResponse(name string) func(o *Outcome) float64 {
	return func(o *Outcome) float64 { return o.station(name).MeanResponseMS }
}

func stationJobs(name string) func(o *Outcome) float64 {
	return func(o *Outcome) float64 { return o.station(name).MeanJobs }
}

// waitAbove is the fraction of the measured workflows that waited for a core longer than
// t ms (strictly; t = 0 is the probability of waiting at all, since a job that finds a free
// core waits exactly 0 ns).
func waitAbove(t float64) func(o *Outcome) float64 {
	return func(o *Outcome) float64 {
		n := 0
		for _, w := range o.WaitsMS {
			if w > t {
				n++
			}
		}
		return float64(n) / float64(len(o.WaitsMS))
	}
}

// closedThroughput is the completions per second of the window (Result.ThroughputPerS counts
// every workflow completed after the warm-up, wherever it started: an unbiased count of X T).
// Open loops are not checked on throughput.
func closedThroughput(o *Outcome) float64 { return o.Result.ThroughputPerS }

// windowSeconds is the measured window of a setup, in seconds (workflows / throughput).
func (s Setup) windowSeconds(workflows int) float64 {
	return math.Ceil(float64(workflows) / s.Throughput)
}
