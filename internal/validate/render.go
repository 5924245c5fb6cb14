package validate

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/edgesim/edgesim/internal/tables"
)

// Header is the column list of the table and markdown formats (one table per section).
var Header = []string{"experiment", "variant", "quantity", "oracle", "simulated", "rel_err", "tolerance", "why", "pass"}

// CSVHeader is the column list of the CSV format: one table of every row, with the section,
// and the tolerance both absolute and relative.
var CSVHeader = []string{"section", "experiment", "variant", "quantity", "oracle", "simulated", "rel_err", "tol_abs", "tol_rel", "why", "pass"}

// Num formats a value with four significant digits in fixed notation, so that every
// machine prints the same characters for values equal to that precision.
func Num(x float64) string {
	switch {
	case math.IsNaN(x) || math.IsInf(x, 0):
		return strconv.FormatFloat(x, 'f', -1, 64)
	case x == 0:
		return "0"
	}
	dec := max(0, 3-int(math.Floor(math.Log10(math.Abs(x)))))
	return strconv.FormatFloat(x, 'f', dec, 64)
}

func passText(ok bool) string {
	if ok {
		return "yes"
	}
	return "NO"
}

// Failed returns the rows that do not pass.
func Failed(rows []Row) []Row {
	var out []Row
	for _, r := range rows {
		if !r.Pass() {
			out = append(out, r)
		}
	}
	return out
}

// Render writes rows in format: "csv" (one table), "table" (one ASCII table per section,
// under its name) or "markdown" (the document committed as results/validation.md: method,
// one table per section with what it tests, the verdict). short says which table it is.
func Render(w io.Writer, format string, rows []Row, short bool) error {
	if err := tables.CheckFormat(format); err != nil {
		return fmt.Errorf("validate: %w", err)
	}
	if format == "csv" {
		out := make([][]string, len(rows))
		for i, r := range rows {
			out[i] = []string{r.Section, r.Experiment, r.Variant, r.Quantity, Num(r.Oracle), Num(r.Sim),
				strconv.FormatFloat(r.RelErr(), 'g', 4, 64), strconv.FormatFloat(r.Tol, 'g', 4, 64),
				strconv.FormatFloat(r.RelTol(), 'g', 4, 64), r.Why, passText(r.Pass())}
		}
		return tables.Render(w, "csv", CSVHeader, out)
	}
	about := map[string]string{FlowSection: flowAbout}
	if exps, err := Experiments(); err == nil {
		for _, e := range exps {
			about[e.Section] = e.About
		}
	}
	about[littleSection] = littleAbout
	md := format == "markdown"
	var b strings.Builder
	if md {
		b.WriteString(intro(rows, short))
	} else {
		fmt.Fprintf(&b, "%s\n", verdict(rows, short))
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return err
	}
	for i := 0; i < len(rows); {
		j := i
		for j < len(rows) && rows[j].Section == rows[i].Section {
			j++
		}
		var head string
		if md {
			head = fmt.Sprintf("\n## %s\n\n%s\n\n", rows[i].Section, about[rows[i].Section])
		} else {
			head = fmt.Sprintf("\n%s\n", rows[i].Section)
		}
		if _, err := io.WriteString(w, head); err != nil {
			return err
		}
		var out [][]string
		for _, r := range rows[i:j] {
			out = append(out, []string{r.Experiment, r.Variant, r.Quantity, Num(r.Oracle), Num(r.Sim),
				pct(r.RelErr()), "±" + pct(r.RelTol()), r.Why, passText(r.Pass())})
		}
		if err := tables.Render(w, format, Header, out); err != nil {
			return err
		}
		i = j
	}
	return nil
}

// verdict is the one-line summary.
func verdict(rows []Row, short bool) string {
	kind := "Full table"
	if short {
		kind = fmt.Sprintf("Short table (1/%d of the workflows)", ShortDivisor)
	}
	return fmt.Sprintf("%s: %d of %d rows pass.", kind, len(rows)-len(Failed(rows)), len(rows))
}

const littleSection = "8. Little's law"

func intro(rows []Row, short bool) string {
	return fmt.Sprintf(`# Validation against queueing theory

%s

`+"`go run ./experiments/validate -format markdown -o results/validation.md`"+` writes this file
and `+"`go test ./experiments/validate`"+` fails when it is stale (or when a row fails).
Small applications run through `+"`scenario.Run`"+`, the run loop SockShop uses (the same fabric,
CPU stations and workload generator), in both variants, MPI and REST, and their
measurements are compared with closed-form or exact results of queueing theory (package
`+"`theory`"+`).

**Setup of every system-level run.** Every service on one node with the latency-only cost
model, so that messages cost nothing and only queueing takes time; static placement; no
dynamics; one step covering the warm-up and the measured window; a timeout of %.0f s, far
above any latency (no workflow fails). Each service has its own CPU station with as many
cores as its cpu requirement; its work per request has the mean of its processing_time
requirement. Workflows that start during the warm-up are left out.

**How a row is judged.** Every run is replicated %d times (seeds 1 to %d: independent
replications), in each variant. The simulated value is the mean of the per-replication
values; its standard error SE is their standard deviation over sqrt(%d). A row passes when
|simulated - oracle| <= %d SE (the tolerance column, shown relative to the oracle): for a
correct simulator the standardised error follows Student's t with %d degrees of freedom,
which exceeds %d with probability 0.003, while a bias of a few SE is caught. The why column
gives each run's length (replications x measured workflows, virtual seconds of window) and
the 95%% confidence interval, t(0.975, %d) x SE, relative to the oracle. rel_err is
|simulated - oracle| / oracle. A row's tolerance is never chosen to make it pass: the
estimates are built so that a finite window's edge effects vanish on average (throughput
counts the window's completions, wherever the workflows started), and Little's law for the
workflows is an exact identity checked to float rounding (section 8).

MPI and REST print the same numbers in every system-level row: with free messages and the
same seed, both variants submit the same work to the same stations at the same instants, and
every random stream (arrivals, think times, each service's work) is named, so the two code
paths are checked to agree exactly, not only within the tolerance.
`, verdict(rows, short), Timeout.Seconds(), Replications, Replications, Replications, K, Replications-1, K, Replications-1)
}

const littleAbout = "Every run of sections 1 to 7, in each variant. Workflows: Result.Little counts, for the workflows that started " +
	"in the window, the time-average number in flight (integrated as the count changes) and, apart, each one's time " +
	"in the window (those still in flight at the end up to the end): L = lambda W is then an identity, checked to float " +
	"rounding, and a difference would mean the run lost track of a workflow. Stations: MeanJobs against completions per " +
	"second times the mean response of the jobs completed in the window, the same construction. The station row shows " +
	"the run's station furthest from its oracle in standard errors; a station's two sides differ by edge terms " +
	"(jobs in service at the window's ends) of mean 0 in steady state, hence a statistical tolerance."

const flowAbout = "`-links fair` shares links through package flow (comm's own tests check that wiring on one link); " +
	"these cases run package flow directly: max-min fair rates by progressive filling (flow.Solve) and the " +
	"completion instants of transfers run through flow.Net, against values worked by hand (two and three flows, one " +
	"and two bottlenecks, a flow ending frees its share). Deterministic: the tolerance is rounding."

// Summary writes the README's digest of rows in markdown: every MPI row of the system-level
// sections (REST prints the same numbers), then one line each for Little's law and the
// max-min cases.
func Summary(w io.Writer, rows []Row) error {
	var out [][]string
	little, flows, bad := 0, 0, 0
	for _, r := range rows {
		if !r.Pass() {
			bad++
		}
		switch {
		case r.Section == littleSection:
			little++
		case r.Section == FlowSection:
			flows++
		case r.Variant == "mpi":
			out = append(out, []string{strings.SplitN(r.Section, " ", 2)[1] + ": " + r.Experiment, r.Quantity,
				Num(r.Oracle), Num(r.Sim), pct(r.RelErr()), "±" + pct(r.RelTol()), passText(r.Pass())})
		}
	}
	if err := tables.Render(w, "markdown", []string{"experiment", "quantity", "oracle", "simulated", "rel_err", "tolerance", "pass"}, out); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "\nLittle's law, L = lambda W: %d rows (every run, both variants, workflows and the station furthest from it), "+
		"max-min link sharing: %d hand-worked rates and completion times; %d of %d rows fail.\n", little, flows, bad, len(rows))
	return err
}
