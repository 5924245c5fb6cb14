package capacity

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/edgesim/edgesim/metrics"
	"github.com/edgesim/edgesim/sockshop"
)

// MinGrowth is the saturation threshold of criterion 2 (package doc): a row whose throughput
// grew by less than MinGrowth times the relative growth of the load is saturated.
const MinGrowth = 0.5

// Row is the measurement of one run at one load.
type Row struct {
	Load           float64         `json:"load"`
	Workflows      int             `json:"workflows"` // completed after the warm-up
	Failed         int             `json:"failed"`
	Rejected       int             `json:"rejected"` // requests refused by a full CPU queue
	ThroughputPerS float64         `json:"throughput_per_s"`
	Latency        metrics.Summary `json:"latency_ms"`
	// Busiest is the CPU station with the highest utilisation (the first in the run's
	// station order on a tie), "" when the run has no station (service time off).
	Busiest     string  `json:"busiest"`
	Utilisation float64 `json:"utilisation"` // of Busiest
	// Saturated names the stations the run reports saturated (scenario.Result.Saturated).
	Saturated []string `json:"saturated"`
}

// RowOf is the row of a run at load.
func RowOf(load float64, r *sockshop.Result) Row {
	row := Row{Load: load, Workflows: r.Workflows, Failed: r.Failed, Rejected: r.Rejected,
		ThroughputPerS: r.ThroughputPerS, Latency: r.Latency, Saturated: append([]string{}, r.Saturated...)}
	for _, st := range r.Stations {
		if row.Busiest == "" || st.Utilisation > row.Utilisation {
			row.Busiest, row.Utilisation = st.Name, st.Utilisation
		}
	}
	return row
}

// Saturation is where a group of rows saturates.
type Saturation struct {
	// Index is the first saturated row, -1 when no row is.
	Index int
	// Reason says which criterion fired, e.g. "CatalogService saturated (busy 99.8%)" or
	// "throughput +4.1% for +100% load".
	Reason string
}

// SaturationOf finds the saturation point of rows sorted by ascending load (package doc).
func SaturationOf(rows []Row) Saturation {
	for i, r := range rows {
		if len(r.Saturated) > 0 {
			return Saturation{Index: i, Reason: stationReason(r)}
		}
		if i == 0 {
			continue
		}
		prev := rows[i-1]
		if prev.ThroughputPerS <= 0 || prev.Load <= 0 {
			continue
		}
		loadGrowth := (r.Load - prev.Load) / prev.Load
		grew := r.ThroughputPerS - prev.ThroughputPerS
		if grew < float64(MinGrowth*prev.ThroughputPerS)*loadGrowth {
			return Saturation{Index: i, Reason: fmt.Sprintf("throughput %s%% for %s%% load",
				signedPct(grew/prev.ThroughputPerS), signedPct(loadGrowth))}
		}
	}
	return Saturation{Index: -1}
}

func stationReason(r Row) string {
	what := "saturated"
	if r.Rejected > 0 {
		what = fmt.Sprintf("saturated (%d requests rejected)", r.Rejected)
	}
	if len(r.Saturated) == 1 && r.Saturated[0] == r.Busiest {
		return fmt.Sprintf("%s %s, busy %s%%", r.Busiest, what, pct(r.Utilisation))
	}
	return fmt.Sprintf("%s %s; busiest %s, busy %s%%", strings.Join(r.Saturated, ", "), what, r.Busiest, pct(r.Utilisation))
}

// signedPct writes a relative change as a signed percentage with three significant digits.
func signedPct(f float64) string {
	s := pct(f)
	if f >= 0 {
		s = "+" + s
	}
	return s
}

// SLOResult is how far a group of rows meets an SLO.
type SLOResult struct {
	// Index is the last row of the leading run of rows meeting the SLO: the highest load
	// meeting it. -1 when the first row misses it.
	Index int
	// Miss is the first row that misses the SLO, -1 when every row meets it; Reason says why.
	Miss   int
	Reason string
}

// Highest evaluates slo on rows sorted by ascending load (package doc).
func (s SLO) Highest(rows []Row) SLOResult {
	for i, r := range rows {
		if ok, why := s.Check(r); !ok {
			return SLOResult{Index: i - 1, Miss: i, Reason: why}
		}
	}
	return SLOResult{Index: len(rows) - 1, Miss: -1}
}

// Group is the rows of one variant and strategy, and what they say.
type Group struct {
	Variant    string
	Strategy   string
	Rows       []Row // ascending load
	Saturation Saturation
	SLO        SLOResult
	// Peak is the row of highest throughput (the first on a tie), -1 without rows.
	Peak int
}

// NewGroup analyses the rows of one variant and strategy against slo.
func NewGroup(variant, strategy string, rows []Row, slo SLO) Group {
	g := Group{Variant: variant, Strategy: strategy, Rows: rows, Saturation: SaturationOf(rows), SLO: slo.Highest(rows), Peak: -1}
	for i, r := range rows {
		if g.Peak < 0 || r.ThroughputPerS > rows[g.Peak].ThroughputPerS {
			g.Peak = i
		}
	}
	return g
}

// SaturationThroughput is the throughput the group sustains once saturated: the highest
// throughput of the rows from the saturation point on (the saturation row and every higher
// load), in completed workflows per second of virtual time. ok is false when no row
// saturates: the grid did not reach the application's capacity (Peak is then only a lower
// bound of it).
//
// Not the saturation row's own throughput: that row is the first past the knee, where a
// closed loop may still be a few percent below its plateau (ExampleSaturationOf saturates at
// 83/s and levels at 88/s); the rows beyond measure the plateau itself. Not the peak of every
// row either: a higher throughput before the saturation point followed by a fall is not one
// the application sustains under more load.
func (g Group) SaturationThroughput() (perS float64, ok bool) {
	if g.Saturation.Index < 0 {
		return 0, false
	}
	for _, r := range g.Rows[g.Saturation.Index:] {
		perS = max(perS, r.ThroughputPerS)
	}
	return perS, true
}

// Report is the outcome of a capacity study: one group per variant and strategy, in grid
// order.
type Report struct {
	Spec   Spec
	Groups []Group
}

// Summary is one line on group g: the saturation point, the peak throughput and the highest
// load meeting the SLO, e.g. "mpi random: saturated at 100 users (throughput +23.3% for +100%
// load); peak 54.4/s at 400 users; meets p95=1s up to 50 users (75 users: p95 1090.114ms > 1s)".
func (r *Report) Summary(g Group) string {
	k := r.Spec.Kind
	var b strings.Builder
	fmt.Fprintf(&b, "%s%s %s: ", r.Spec.appPrefix(), g.Variant, g.Strategy)
	if s := g.Saturation; s.Index >= 0 {
		fmt.Fprintf(&b, "saturated at %s (%s)", FormatLoad(k, g.Rows[s.Index].Load), s.Reason)
	} else if len(g.Rows) > 0 {
		fmt.Fprintf(&b, "not saturated up to %s", FormatLoad(k, g.Rows[len(g.Rows)-1].Load))
	}
	if g.Peak >= 0 {
		p := g.Rows[g.Peak]
		fmt.Fprintf(&b, "; peak %s/s at %s", strconv.FormatFloat(p.ThroughputPerS, 'f', 3, 64), FormatLoad(k, p.Load))
	}
	fmt.Fprintf(&b, "; SLO %s ", r.Spec.SLO)
	switch s := g.SLO; {
	case s.Index < 0:
		fmt.Fprintf(&b, "missed from the lowest load (%s: %s)", FormatLoad(k, g.Rows[s.Miss].Load), s.Reason)
	case s.Miss < 0:
		fmt.Fprintf(&b, "met at every load, up to %s", FormatLoad(k, g.Rows[s.Index].Load))
	default:
		fmt.Fprintf(&b, "met up to %s (%s: %s)", FormatLoad(k, g.Rows[s.Index].Load), FormatLoad(k, g.Rows[s.Miss].Load), s.Reason)
	}
	return b.String()
}
