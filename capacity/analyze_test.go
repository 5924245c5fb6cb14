package capacity

import (
	"strings"
	"testing"

	"github.com/edgesim/edgesim/engine"
	"github.com/edgesim/edgesim/metrics"
)

// rowsOf builds synthetic rows from (load, throughput) pairs.
func rowsOf(pairs ...float64) []Row {
	var rows []Row
	for i := 0; i+1 < len(pairs); i += 2 {
		rows = append(rows, Row{Load: pairs[i], ThroughputPerS: pairs[i+1], Workflows: 100, Busiest: "A", Utilisation: 0.5})
	}
	return rows
}

func TestSaturationOf(t *testing.T) {
	satAt := func(rows []Row, i int, stations ...string) []Row {
		rows[i].Saturated = stations
		rows[i].Busiest, rows[i].Utilisation = "CatalogService", 0.99
		return rows
	}
	rejectAt := func(rows []Row, i int) []Row {
		rows[i].Saturated, rows[i].Rejected = []string{"CatalogService"}, 7
		rows[i].Busiest, rows[i].Utilisation = "CatalogService", 0.995
		return rows
	}
	for _, tc := range []struct {
		name   string
		rows   []Row
		index  int
		reason string
	}{
		{"empty", nil, -1, ""},
		{"one row", rowsOf(10, 5), -1, ""},
		{"linear", rowsOf(1, 1, 2, 2, 4, 4, 8, 8), -1, ""},
		// 10 -> 20 users (+100%): throughput +50% is exactly half: not saturated (strict <).
		{"exactly half", rowsOf(10, 10, 20, 15), -1, ""},
		{"just below half", rowsOf(10, 10, 20, 14.99), 1, "throughput +49.9% for +100% load"},
		{"plateau", rowsOf(1, 1, 10, 10, 100, 90, 200, 91), 3, "throughput +1.11% for +100% load"},
		{"falling", rowsOf(10, 10, 20, 20, 40, 18), 2, "throughput -10% for +100% load"},
		// Relative growths: 100 -> 101 (+1% load) with +0.9% throughput is not a knee.
		{"close loads", rowsOf(100, 100, 101, 100.9, 102, 101.8), -1, ""},
		{"close loads knee", rowsOf(100, 100, 101, 100.9, 102, 101.1), 2, "throughput +0.198% for +0.99% load"},
		{"station first row", satAt(rowsOf(1, 1, 2, 2), 0, "CatalogService"), 0, "CatalogService saturated, busy 99%"},
		{"station before plateau", satAt(rowsOf(1, 1, 2, 2, 4, 4), 1, "CatalogService"), 1, "CatalogService saturated, busy 99%"},
		{"two stations", satAt(rowsOf(1, 1, 2, 2), 1, "FrontendService", "CatalogService"), 1, "FrontendService, CatalogService saturated; busiest CatalogService, busy 99%"},
		{"rejected", rejectAt(rowsOf(1, 1, 2, 2), 1), 1, "CatalogService saturated (7 requests rejected), busy 99.5%"},
		// No throughput before: criterion 2 cannot judge growth from zero.
		{"zero throughput", rowsOf(1, 0, 2, 0, 4, 3), -1, ""},
		// Open loop: throughput equals the rate until the capacity (90/s), then flat.
		{"open loop", rowsOf(10, 10, 40, 40, 80, 80, 120, 90, 160, 90), 3, "throughput +12.5% for +50% load"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := SaturationOf(tc.rows)
			if got.Index != tc.index || got.Reason != tc.reason {
				t.Errorf("SaturationOf = %+v, want index %d reason %q", got, tc.index, tc.reason)
			}
		})
	}
}

func TestCheck(t *testing.T) {
	row := Row{Load: 10, Workflows: 90, Failed: 10, Latency: metrics.Summary{Mean: 400, P50: 380, P95: 900, P99: 1200}}
	ms := engine.Millisecond
	for _, tc := range []struct {
		name string
		slo  SLO
		row  Row
		why  string // "" = meets it
	}{
		{"zero SLO", SLO{}, row, ""},
		{"p95 met", SLO{P95: 900 * ms}, row, ""}, // at most the bound: equal is fine
		{"p95 missed", SLO{P95: 899 * ms}, row, "p95 900.000ms > 899ms"},
		{"several missed", SLO{Mean: 300 * ms, P99: engine.Second}, row, "mean 400.000ms > 300ms; p99 1200.000ms > 1s"},
		{"p50 met p99 missed", SLO{P50: 500 * ms, P99: 1100 * ms}, row, "p99 1200.000ms > 1.1s"},
		{"failed met", SLO{MaxFailed: 0.1, HasFailed: true}, row, ""},
		{"failed missed", SLO{MaxFailed: 0.05, HasFailed: true}, row, "failed 10 of 100 (10%) > 5%"},
		{"failed zero", SLO{HasFailed: true}, row, "failed 10 of 100 (10%) > 0%"},
		{"failed unbounded", SLO{P95: engine.Second}, Row{Workflows: 1, Failed: 1000}, ""},
		{"rejected", SLO{P95: engine.Second}, Row{Workflows: 5, Rejected: 3, Latency: metrics.Summary{P95: 10}}, "3 requests rejected"},
		{"nothing completed", SLO{P95: engine.Second}, Row{Failed: 4}, "no workflow completed"},
		{"nothing completed zero SLO", SLO{}, Row{}, "no workflow completed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ok, why := tc.slo.Check(tc.row)
			if ok != (tc.why == "") || why != tc.why {
				t.Errorf("Check = %v %q, want %q", ok, why, tc.why)
			}
		})
	}
}

func TestHighest(t *testing.T) {
	slo := SLO{P95: engine.Second}
	p95 := func(vs ...float64) []Row {
		rows := make([]Row, len(vs))
		for i, v := range vs {
			rows[i] = Row{Load: float64(i + 1), Workflows: 10, Latency: metrics.Summary{P95: v}}
		}
		return rows
	}
	for _, tc := range []struct {
		name        string
		rows        []Row
		index, miss int
	}{
		{"empty", nil, -1, -1},
		{"all meet", p95(100, 500, 1000), 2, -1},
		{"first misses", p95(1001, 500), -1, 0},
		{"middle", p95(100, 900, 1100, 1500), 1, 2},
		// A later row that meets the SLO again does not count: the leading run decides.
		{"dip", p95(100, 1100, 900), 0, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := slo.Highest(tc.rows)
			if got.Index != tc.index || got.Miss != tc.miss || (tc.miss >= 0) != (got.Reason != "") {
				t.Errorf("Highest = %+v, want index %d miss %d", got, tc.index, tc.miss)
			}
		})
	}
}

func TestRowOf(t *testing.T) {
	rows := rowsOf(1, 1)
	if g := NewGroup("mpi", "random", rows, SLO{}); g.Peak != 0 || g.Saturation.Index != -1 || g.SLO.Index != 0 {
		t.Errorf("NewGroup: %+v", g)
	}
	g := NewGroup("mpi", "random", rowsOf(1, 1, 2, 3, 3, 3), SLO{})
	if g.Peak != 1 {
		t.Errorf("peak %d, want the first of the highest (1)", g.Peak)
	}
	if g := NewGroup("mpi", "random", nil, SLO{}); g.Peak != -1 {
		t.Errorf("peak of no rows: %d", g.Peak)
	}
}

func TestSummary(t *testing.T) {
	slo := SLO{P95: engine.Second}
	rows := rowsOf(1, 1, 10, 10, 100, 20)
	rows[2].Latency.P95 = 2000
	r := &Report{Spec: Spec{Kind: Users, SLO: slo}}
	g := NewGroup("rest", "random", rows, slo)
	want := "rest random: saturated at 100 users (throughput +100% for +900% load); peak 20.000/s at 100 users; SLO p95=1s met up to 10 users (100 users: p95 2000.000ms > 1s)"
	if got := r.Summary(g); got != want {
		t.Errorf("Summary:\n got %s\nwant %s", got, want)
	}
	r.Spec.Kind = Rate
	g = NewGroup("mpi", "first-fit", rowsOf(0.5, 0.5, 1, 1), slo)
	want = "mpi first-fit: not saturated up to 1/s; peak 1.000/s at 1/s; SLO p95=1s met at every load, up to 1/s"
	if got := r.Summary(g); got != want {
		t.Errorf("Summary:\n got %s\nwant %s", got, want)
	}
	g = NewGroup("mpi", "first-fit", []Row{{Load: 1}}, slo)
	if got := r.Summary(g); !strings.Contains(got, "missed from the lowest load (1/s: no workflow completed)") {
		t.Errorf("Summary: %s", got)
	}
}

func TestSaturationThroughput(t *testing.T) {
	rows := func(tp ...float64) []Row {
		var out []Row
		for i, x := range tp {
			out = append(out, Row{Load: float64(int(10) << i), ThroughputPerS: x})
		}
		return out
	}
	for _, tc := range []struct {
		name string
		rows []Row
		want float64
		ok   bool
	}{
		{"not saturated", rows(10, 20, 40), 0, false},
		// Saturated at the third row (+10% for +100%); the plateau beyond it is higher.
		{"plateau", rows(10, 20, 22, 23.5, 23), 23.5, true},
		// Collapse past the knee: the saturation row is the highest.
		{"collapse", rows(10, 20, 22, 15, 5), 22, true},
		// A row before the saturation point never counts, even a higher one (the throughput
		// fell at the third row: saturated there).
		{"only from saturation on", rows(30, 80, 50, 52), 52, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := NewGroup("mpi", "random", tc.rows, SLO{})
			got, ok := g.SaturationThroughput()
			if got != tc.want || ok != tc.ok {
				t.Errorf("SaturationThroughput = %v, %v; want %v, %v (saturation at row %d)", got, ok, tc.want, tc.ok, g.Saturation.Index)
			}
		})
	}
	// Criterion 1: a station saturated at the first row.
	g := NewGroup("mpi", "random", []Row{{Load: 5, ThroughputPerS: 90, Saturated: []string{"A"}}, {Load: 10, ThroughputPerS: 91}}, SLO{})
	if got, ok := g.SaturationThroughput(); !ok || got != 91 {
		t.Errorf("station saturated at the first row: %v, %v; want 91, true", got, ok)
	}
}
