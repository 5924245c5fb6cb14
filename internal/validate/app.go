package validate

import (
	"errors"
	"fmt"

	"github.com/edgesim/edgesim/comm"
	"github.com/edgesim/edgesim/engine"
	"github.com/edgesim/edgesim/placement"
	"github.com/edgesim/edgesim/scenario"
)

// Shape is how a workflow of the test application visits its stations.
type Shape int

const (
	// Chain: the entry station works on the user's request (before Entry.Run, as in every
	// application), then the request goes to station 1, which works on it and passes it to
	// station 2, and so on; the last one answers the entry. A series (tandem) network.
	Chain Shape = iota
	// Fork: the entry sends the request to every other station at once and answers the user
	// when all of them have answered: a fork-join system.
	Fork
)

// Station is one service of the test application: a CPU station with Cores cores whose
// work per request has mean MeanMS (the service's processing_time requirement).
type Station struct {
	Name   string
	MeanMS float64
	Cores  int
}

// app is the test application: stations visited in a chain or in parallel, in either
// communication style, with every service on one node so that only queueing costs time.
// It observes the workflows the run loop measures (started at or after the warm-up and
// completed) to get what Result does not carry: each one's time waiting for cores.
type app struct {
	shape    Shape
	stations []Station
	warmup   engine.Time
	timeout  engine.Time

	// waitsMS holds, per measured completed workflow in completion order, the time it
	// waited for a core along its critical path (comm.Trace.Queue), in ms.
	waitsMS []float64
	// ended counts the workflows that ended (completed or failed) after the warm-up,
	// wherever they started, and endedSojourn sums their whole sojourns.
	ended        int
	endedSojourn engine.Time
}

// body is what every request and answer carries; its size does not matter (one node).
const body = "x"

func (a *app) Spec() *placement.Application {
	spec := &placement.Application{Name: "validate"}
	for _, s := range a.stations {
		spec.Services = append(spec.Services, placement.Service{Name: s.Name,
			Requirements: placement.Requirements{CPU: float64(s.Cores), ProcessingTimeMS: s.MeanMS}})
	}
	link := func(from, to string) {
		spec.Interactions = append(spec.Interactions, placement.Interaction{From: from, To: to, MaxLatencyMS: 1e9})
	}
	entry := a.stations[0].Name
	for i := 1; i < len(a.stations); i++ {
		switch {
		case a.shape == Fork:
			link(entry, a.stations[i].Name)
			link(a.stations[i].Name, entry)
		default:
			link(a.stations[i-1].Name, a.stations[i].Name)
			if i == len(a.stations)-1 {
				link(a.stations[i].Name, entry)
			}
		}
	}
	return spec
}

func (a *app) Start(env *scenario.Env) (scenario.Entry, error) {
	a.waitsMS = a.waitsMS[:0]
	a.ended, a.endedSojourn = 0, 0
	var run func(w *scenario.Workflow) bool
	var err error
	switch env.Variant {
	case "mpi":
		run = a.startMPI(env)
	case "rest":
		run, err = a.startREST(env)
	default:
		err = fmt.Errorf("validate: unknown variant %q", env.Variant)
	}
	if err != nil {
		return scenario.Entry{}, err
	}
	return scenario.Entry{Service: a.stations[0].Name, Run: func(w *scenario.Workflow) bool {
		// The entry's work (its only trace so far, the network being free) took place
		// between the workflow's start and now: the run loop measures the workflow when it
		// started at or after the warm-up.
		start := w.P.Now() - w.Tracker.Trace().Total()
		ok := run(w)
		now := w.P.Now()
		if now >= a.warmup {
			a.ended++
			a.endedSojourn += now - start
		}
		if start >= a.warmup && ok {
			a.waitsMS = append(a.waitsMS, w.Tracker.Trace().Queue.Milliseconds())
		}
		return ok
	}}, nil
}

func (a *app) next(i int) string {
	if i+1 < len(a.stations) {
		return a.stations[i+1].Name
	}
	return ""
}

// startMPI starts one process per non-entry station. In a chain each forwards the request to
// the next station, and the last answers the entry (comm.ReplyTo); in a fork each answers the
// entry. The entry opens an inbox for the workflow's tag and collects the answers.
func (a *app) startMPI(env *scenario.Env) func(w *scenario.Workflow) bool {
	entry := a.stations[0].Name
	for i := 1; i < len(a.stations); i++ {
		ep := env.MPI.Endpoint(a.stations[i].Name)
		next := a.next(i)
		env.Sim.Process(a.stations[i].Name, func(p *engine.Proc) {
			for {
				msg, err := ep.Recv(p)
				if err != nil {
					return // the run is over
				}
				switch {
				case a.shape == Fork:
					ep.Reply(msg, body)
				case next != "":
					ep.Forward(msg, next, body)
				default:
					ep.ReplyTo(msg, entry, body)
				}
			}
		})
	}
	ep := env.MPI.Endpoint(entry)
	switch {
	case len(a.stations) == 1:
		return func(*scenario.Workflow) bool { return true }
	case a.shape == Chain:
		first := a.stations[1].Name
		return func(w *scenario.Workflow) bool {
			_, ok := w.Ask(ep, first, body)
			return ok
		}
	}
	return func(w *scenario.Workflow) bool { return a.forkMPI(w, ep) }
}

// forkMPI sends the request to every branch at once and waits for all the answers: two
// requests in flight at once, which Workflow.Ask (one request, one answer) cannot express, so
// it uses the workflow's inbox directly, with the same rules (the run's timeout; a refused
// or unreachable request fails the workflow).
func (a *app) forkMPI(w *scenario.Workflow, ep *comm.Endpoint) bool {
	in := ep.Inbox(w.ID)
	defer in.Close()
	for _, s := range a.stations[1:] {
		ev := ep.SendTrace(s.Name, w.ID, body, w.Tracker.Trace())
		if ev.Err() != nil {
			return false
		}
		ev.OnTrigger(func(e *engine.Event) {
			if errors.Is(e.Err(), comm.ErrRejected) {
				in.Refused(e.Err())
			}
		})
	}
	p := w.P
	deadline := p.Now() + a.timeout
	for got := 1; got < len(a.stations); got++ {
		msg, ok, err := in.RecvTimeout(p, deadline-p.Now())
		if err != nil || !ok || msg.Err != nil {
			return false
		}
		w.Tracker.Saw(p.Now(), msg.Trace)
	}
	return true
}

// startREST registers GET /work on every non-entry station: in a chain it calls the next
// station and answers when that one has; in a fork it answers at once. The entry calls
// station 1 (chain) or every branch before waiting on any (fork).
func (a *app) startREST(env *scenario.Env) (func(w *scenario.Workflow) bool, error) {
	for i := 1; i < len(a.stations); i++ {
		next := ""
		if a.shape == Chain {
			next = a.next(i)
		}
		err := env.REST.Mux(a.stations[i].Name).Handle("GET /work", func(ctx *comm.Context, _ *comm.Request) (*comm.Response, error) {
			if next != "" {
				if resp, ok := ctx.Client.Get(next+"/work").WaitTimeout(ctx.Proc, a.timeout); !ok || !resp.OK() {
					return &comm.Response{Status: comm.StatusServiceUnavailable}, nil
				}
			}
			return &comm.Response{Status: comm.StatusOK, Body: body}, nil
		})
		if err != nil {
			return nil, fmt.Errorf("validate: %w", err)
		}
	}
	cl := env.REST.Client(a.stations[0].Name)
	targets := a.stations[1:]
	if a.shape == Chain && len(targets) > 0 {
		targets = targets[:1]
	}
	return func(w *scenario.Workflow) bool {
		c := w.Client(cl)
		calls := make([]*comm.Call, len(targets))
		for i, s := range targets {
			calls[i] = c.Get(s.Name + "/work")
		}
		ok := true
		for _, call := range calls {
			_, got := w.Await(call)
			ok = ok && got
		}
		return ok
	}, nil
}
