package main

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/tw"
	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/edgesim/edgesim/internal/report"
)

var nan = math.NaN()

// ci is a mean with the half-width of its 95% confidence interval over n values.
type ci struct {
	mean, half float64 // half is NaN when n < 2
	n          int
}

// ci95 is the mean of the finite values and the half-width of its two-sided 95% confidence
// interval, t(0.975, n-1) * s / sqrt(n), with s the sample standard deviation (n-1) and t the
// Student-t quantile. Mean is NaN with no value; half is NaN with fewer than two.
func ci95(vals []float64) ci {
	xs := make([]float64, 0, len(vals))
	for _, v := range vals {
		if !math.IsNaN(v) && !math.IsInf(v, 0) {
			xs = append(xs, v)
		}
	}
	if len(xs) == 0 {
		return ci{nan, nan, 0}
	}
	if len(xs) == 1 {
		return ci{xs[0], nan, 1}
	}
	mean, sd := stat.MeanStdDev(xs, nil)
	n := float64(len(xs))
	t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: n - 1}.Quantile(0.975)
	return ci{mean, t * sd / math.Sqrt(n), len(xs)}
}

// group is the runs sharing every parameter but the seed.
type group struct {
	key    string
	params []string // paramColumns without seed
	runs   int
	errors int
	values [][]float64 // per metric column
}

// summarizer accumulates groups in order of first appearance (grid order for a sweep
// file), keeping only the metric values, so a sweep of any size needs little memory.
type summarizer struct {
	groups []*group
	byKey  map[string]*group
	runs   int
	failed int
}

func (s *summarizer) add(r record) {
	if s.byKey == nil {
		s.byKey = map[string]*group{}
	}
	k := r.groupKey()
	g := s.byKey[k]
	if g == nil {
		g = &group{key: k, params: r.fields[colParam0:colSeed:colSeed], values: make([][]float64, len(report.MetricColumns))}
		s.byKey[k] = g
		s.groups = append(s.groups, g)
	}
	s.runs++
	g.runs++
	if r.err != "" {
		s.failed++
		g.errors++
		return
	}
	for i, v := range r.metrics {
		g.values[i] = append(g.values[i], v)
	}
}

// summarize groups records in order of first appearance.
func summarize(recs []record) *summarizer {
	s := &summarizer{}
	for _, r := range recs {
		s.add(r)
	}
	return s
}

// tableMetrics are the metrics of the summary table (the CSV has all of them).
var tableMetrics = []string{"workflows", "failed", "latency_mean_ms", "latency_p95_ms", "latency_p99_ms", "lost"}

func metricIndex(name string) int {
	for i, c := range report.MetricColumns {
		if c.Name == name {
			return i
		}
	}
	return -1
}

// varying are the parameter columns (without seed) whose value differs between groups; the
// variant column when none does.
func varying(groups []*group) []int {
	var cols []int
	for c := 0; c < colSeed-colParam0; c++ {
		for _, g := range groups[1:] {
			if g.params[c] != groups[0].params[c] {
				cols = append(cols, c)
				break
			}
		}
	}
	if len(cols) == 0 {
		cols = []int{0}
	}
	return cols
}

// meanPM formats "mean ± half" with the half-width to 2 significant digits and the mean to
// the same decimals (4 significant digits when there is no interval); never in e notation.
func meanPM(c ci) string {
	if c.n == 0 {
		return ""
	}
	decimals := func(v float64, sig int) int {
		if v == 0 || math.IsNaN(v) || math.IsInf(v, 0) {
			return 0
		}
		return min(max(sig-1-int(math.Floor(math.Log10(math.Abs(v)))), 0), 6)
	}
	if math.IsNaN(c.half) {
		return strconv.FormatFloat(c.mean, 'f', decimals(c.mean, 4), 64)
	}
	d := decimals(c.half, 2)
	return strconv.FormatFloat(c.mean, 'f', d, 64) + " ± " + strconv.FormatFloat(c.half, 'f', d, 64)
}

// writeSummaryTable prints one line per group: the varying parameters, the runs, the failed
// runs and "mean ± 95% CI half-width" of each table metric.
func writeSummaryTable(w io.Writer, groups []*group) error {
	if len(groups) == 0 {
		_, err := fmt.Fprintln(w, "sweep: no runs")
		return err
	}
	cols := varying(groups)
	var head []any
	for _, c := range cols {
		head = append(head, paramColumns[c].Name)
	}
	head = append(head, "runs", "errors")
	for _, m := range tableMetrics {
		head = append(head, m)
	}
	t := tablewriter.NewTable(w, tablewriter.WithHeaderAutoFormat(tw.Off))
	t.Header(head...)
	for _, g := range groups {
		var row []any
		for _, c := range cols {
			row = append(row, g.params[c])
		}
		row = append(row, fmt.Sprint(g.runs), fmt.Sprint(g.errors))
		for _, m := range tableMetrics {
			row = append(row, meanPM(ci95(g.values[metricIndex(m)])))
		}
		if err := t.Append(row...); err != nil {
			return err
		}
	}
	if err := t.Render(); err != nil {
		return err
	}
	_, err := fmt.Fprintln(w, "mean ± half-width of the 95% confidence interval over seeds (Student t); runs with an error are left out")
	return err
}

// summaryHeader: the parameters without seed, runs, errors, then <metric>_mean,
// <metric>_ci95 and <metric>_n for every metric column.
func summaryHeader() []string {
	var h []string
	for _, c := range paramColumns[:len(paramColumns)-1] {
		h = append(h, c.Name)
	}
	h = append(h, "runs", "errors")
	for _, c := range report.MetricColumns {
		h = append(h, c.Name+"_mean", c.Name+"_ci95", c.Name+"_n")
	}
	return h
}

// writeSummaryCSV writes the summary of every group as CSV (summaryHeader).
func writeSummaryCSV(w io.Writer, groups []*group) error {
	var b strings.Builder
	var cells []report.Cell
	for _, h := range summaryHeader() {
		cells = append(cells, report.Str(h))
	}
	b.WriteString(report.CSVLine(cells))
	for _, g := range groups {
		cells = cells[:0]
		for _, p := range g.params {
			cells = append(cells, report.Str(p))
		}
		cells = append(cells, report.Int(g.runs), report.Int(g.errors))
		for i := range report.MetricColumns {
			c := ci95(g.values[i])
			cells = append(cells, report.Num(c.mean), report.Num(c.half), report.Int(c.n))
		}
		b.WriteString(report.CSVLine(cells))
	}
	_, err := io.WriteString(w, b.String())
	return err
}
