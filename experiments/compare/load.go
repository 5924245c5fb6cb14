package main

import (
	"cmp"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"golang.org/x/term"

	"github.com/edgesim/edgesim/scenario"

	"github.com/edgesim/edgesim/engine"
	"github.com/edgesim/edgesim/sockshop"
	"github.com/edgesim/edgesim/workload"
)

// loadOn reports whether a run models load beyond the reference run (service time, several
// users, an open loop, a warm-up or shared links): then the table and markdown formats add
// the throughput, breakdown and station tables. The reference run prints what it always did.
func loadOn(c sockshop.Config) bool {
	w, l := c.Workload, c.Load
	return l.ServiceTime() || w.N() > 1 || w.Open() || w.Warmup > 0 || l.Links == "fair"
}

var throughputHeader = []string{"variant", "throughput_per_s", "measured_s", "network_ms", "queue_ms", "service_ms", "rejected", "saturated"}

// perWorkflow is a summed duration as mean ms per completed workflow.
func perWorkflow(t engine.Time, n int) float64 {
	if n == 0 {
		return 0
	}
	return t.Milliseconds() / float64(n)
}

// throughputRows: per variant, completed workflows per second after the warm-up, and where
// the mean completed workflow's latency went (network, queueing, service; they add up to the
// mean latency).
func throughputRows(none string) func(r *sockshop.Result) [][]string {
	return func(r *sockshop.Result) [][]string {
		b, n := r.Breakdown, r.Workflows
		net, queue, svc := none, none, none
		if n > 0 {
			net, queue, svc = ms(perWorkflow(b.Network, n)), ms(perWorkflow(b.Queue, n)), ms(perWorkflow(b.Service, n))
		}
		sat := strings.Join(r.Saturated, " ")
		if sat == "" {
			sat = none
		}
		return [][]string{{r.Variant, ms(r.ThroughputPerS), ms(r.MeasuredMS / 1000), net, queue, svc,
			strconv.Itoa(r.Rejected), sat}}
	}
}

var stationHeader = []string{"variant", "station", "cores", "utilisation", "mean_jobs", "mean_queue", "mean_wait_ms", "mean_response_ms", "completed", "rejected"}

// stationTable is the table of CPU stations. With -cpu node and several applications the
// stations are the nodes', shared by the applications: each is shown once per variant, with
// app "all".
func stationTable(o *options, results []*sockshop.Result) ([]string, [][]string) {
	if !multiApp(results) || o.cfg.Load.CPU != "node" {
		return tableOf(results, stationHeader, stationRows)
	}
	var rows [][]string
	for i, r := range results {
		if i == 0 || r.Variant != results[i-1].Variant {
			for _, row := range stationRows(r) {
				rows = append(rows, append([]string{"all"}, row...))
			}
		}
	}
	return append([]string{"app"}, stationHeader...), rows
}

// stationRows: every CPU station of a variant, in the run's order.
func stationRows(r *sockshop.Result) [][]string {
	var rows [][]string
	for _, s := range r.Stations {
		rows = append(rows, []string{r.Variant, s.Name, strconv.Itoa(s.Cores), ratio(s.Utilisation),
			ratio(s.MeanJobs), ratio(s.MeanQueue), ms(s.MeanWaitMS), ms(s.MeanResponseMS),
			strconv.FormatUint(s.Completed, 10), strconv.FormatUint(s.Rejected, 10)})
	}
	return rows
}

func ratio(v float64) string { return strconv.FormatFloat(v, 'f', 4, 64) }

// jsonLoad is what -format json adds per variant about load.
type jsonLoad struct {
	ThroughputPerS float64       `json:"throughput_per_s"`
	MeasuredMS     float64       `json:"measured_ms"`
	Breakdown      jsonBreakdown `json:"breakdown_ms"`
	Rejected       int           `json:"rejected"`
	Saturated      []string      `json:"saturated"`
	Stations       []jsonStation `json:"stations"`
	Little         jsonLittle    `json:"little"`
}

// jsonBreakdown: mean ms per completed workflow (null without one).
type jsonBreakdown struct {
	Network *float64 `json:"network"`
	Queue   *float64 `json:"queue"`
	Service *float64 `json:"service"`
}

type jsonStation struct {
	Name           string  `json:"name"`
	Cores          int     `json:"cores"`
	Utilisation    float64 `json:"utilisation"`
	MeanJobs       float64 `json:"mean_jobs"`
	MeanQueue      float64 `json:"mean_queue"`
	MeanWaitMS     float64 `json:"mean_wait_ms"`
	MeanResponseMS float64 `json:"mean_response_ms"`
	Arrivals       uint64  `json:"arrivals"`
	Completed      uint64  `json:"completed"`
	Rejected       uint64  `json:"rejected"`
	MaxJobs        int     `json:"max_jobs"`
}

type jsonLittle struct {
	InFlight    float64 `json:"in_flight"`
	ArrivalPerS float64 `json:"arrival_per_s"`
	SojournMS   float64 `json:"sojourn_ms"`
}

func round4(v float64) float64 {
	r, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'f', 4, 64), 64)
	return r
}

func toJSONLoad(r *sockshop.Result) jsonLoad {
	out := jsonLoad{ThroughputPerS: round3(r.ThroughputPerS), MeasuredMS: round3(r.MeasuredMS), Rejected: r.Rejected,
		Saturated: append([]string{}, r.Saturated...), Stations: []jsonStation{},
		Little: jsonLittle{round4(r.Little.InFlight), round3(r.Little.ArrivalPerS), round3(r.Little.SojournMS)}}
	if n := r.Workflows; n > 0 {
		f := func(t engine.Time) *float64 { v := round3(perWorkflow(t, n)); return &v }
		out.Breakdown = jsonBreakdown{f(r.Breakdown.Network), f(r.Breakdown.Queue), f(r.Breakdown.Service)}
	}
	for _, s := range r.Stations {
		out.Stations = append(out.Stations, jsonStation{s.Name, s.Cores, round4(s.Utilisation), round4(s.MeanJobs),
			round4(s.MeanQueue), round3(s.MeanWaitMS), round3(s.MeanResponseMS), s.Arrivals, s.Completed, s.Rejected, s.MaxJobs})
	}
	return out
}

// loadSettings says how the load was made, for the settings line.
func loadSettings(c sockshop.Config) string {
	w, l := c.Workload, c.Load
	var who string
	if w.Open() {
		who = fmt.Sprintf("open loop %g workflows/s (%s)", w.Rate, w.Arrivals)
	} else {
		who = fmt.Sprintf("%d users (think %s)", w.N(), w.ThinkDist) // the think time is on the line already
	}
	if w.Warmup > 0 {
		who += fmt.Sprintf(", warm-up %v", time.Duration(w.Warmup))
	}
	return fmt.Sprintf("%s; service time %s, cpu per %s, %s, queue %d; links %s", who, l.Service, l.CPU, l.Sched, l.Limit(), l.Links)
}

// workloadText says who sends an application's workflows when it has a workload of its own.
func workloadText(w workload.Config) string {
	if w.Open() {
		return fmt.Sprintf("open loop %g workflows/s (%s)", w.Rate, cmp.Or(w.Arrivals, workload.Poisson))
	}
	return fmt.Sprintf("%d users (think %v %s)", w.N(), time.Duration(w.Think), cmp.Or(w.ThinkDist, workload.Const))
}

// progress shows, on a terminal only, how far a long run has gone: the variant and its step,
// redrawn at most ten times a second. Runs of the reference size finish before it shows.
type progress struct {
	w     io.Writer // nil: no progress
	steps int
	last  time.Time
	start time.Time
	drawn bool
}

func newProgress(o *options) *progress {
	p := &progress{steps: o.cfg.Steps, start: time.Now()}
	if f, ok := o.stderr.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		p.w = f
	}
	return p
}

// observer returns the step observer of variant v (nil without a terminal).
func (p *progress) observer(v string) scenario.Observer {
	if p.w == nil {
		return nil
	}
	return stepFunc(func(s scenario.StepSnapshot) error {
		now := time.Now() // wall clock for the display only: nothing in the run reads it
		if now.Sub(p.start) < 2*time.Second || now.Sub(p.last) < 100*time.Millisecond {
			return nil
		}
		p.last, p.drawn = now, true
		fmt.Fprintf(p.w, "\r%s: step %d of %d (%.0f%%)   ", v, s.Stats.Step+1, p.steps, 100*float64(s.Stats.Step+1)/float64(p.steps))
		return nil
	})
}

func (p *progress) done() {
	if p.drawn {
		fmt.Fprint(p.w, "\r\033[K")
	}
}

type stepFunc func(scenario.StepSnapshot) error

func (f stepFunc) ObserveStep(s scenario.StepSnapshot) error { return f(s) }
