package main

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/edgesim/edgesim/internal/cli"
	"github.com/edgesim/edgesim/internal/plots"
	"github.com/edgesim/edgesim/internal/report"
)

// numericParams are the parameter columns usable as x.
var numericParams = []string{"nodes", "flap_down", "flap_up", "steps", "step_ms", "think_ms", "timeout_ms", "decline_prob", "seed"}

func columnIndex(name string) int { return slices.Index(header(), name) }

func metricNames() []string {
	var out []string
	for _, c := range report.MetricColumns {
		out = append(out, c.Name)
	}
	return out
}

func paramNames(withSeed bool) []string {
	var out []string
	for _, c := range paramColumns {
		if c.Name != "seed" || withSeed {
			out = append(out, c.Name)
		}
	}
	return out
}

// plotCmd draws -y against -x, one line per value of -by (in order of first appearance in
// the file, which is grid order), each point the mean over the runs with that x and -by
// value (all other parameters pooled, so filter them with -where) with its 95% confidence
// band. Runs with an error or an empty y are left out.
func plotCmd(args []string, stdout, stderr io.Writer) error {
	fs := cli.NewSet("sweep plot", "Usage: sweep plot -in FILE -x COL -y COL [-by COL] [-where COL=V,...] -o FIG.svg|FIG.png\n\nDraws the mean of a metric against a parameter, one line per -by value, with the 95%\nconfidence band (Student t over the runs pooled at each point). With -x seed and seeds\nabove 2^53 (which float64 cannot tell apart), x is the seed minus the smallest seed.\n\nLimits:\n"+cli.Limits("sweepfile")+"\nFlags:\n")
	var in, x, y, by, where, out, title string
	fs.String(&in, "in", "", "sweep CSV `FILE` (required)")
	fs.String(&x, "x", "", "numeric parameter `column` for the x axis (required)", numericParams...)
	fs.String(&y, "y", "", "metric `column` for the y axis (required)", metricNames()...)
	fs.String(&by, "by", "variant", "parameter `column` with one line per value: "+strings.Join(paramNames(false), ", ")+", or empty for one line")
	fs.String(&where, "where", "", "keep only rows with these values, e.g. strategy=random,flap_down=0.02 (values as written in the file)")
	fs.String(&out, "o", "", "figure `FILE`, .svg or .png (required)")
	fs.String(&title, "title", "", "figure `title` (default: \"Y against X\")")
	if err := parseFlags(fs, args, stderr, false, "the sweep file goes after -in: sweep plot -in FILE ..."); err != nil {
		return err
	}
	switch {
	case in == "":
		return usagef("plot: -in FILE is required")
	case out == "":
		return usagef("plot: -o FIG.svg|FIG.png is required")
	case x == "":
		return usagef("plot: -x COLUMN is required (valid: %s)", strings.Join(numericParams, ", "))
	case y == "":
		return usagef("plot: -y COLUMN is required (valid: %s)", strings.Join(metricNames(), ", "))
	case by != "" && !slices.Contains(paramNames(false), by):
		return usagef("plot: -by %q (valid: %s, or empty)", by, strings.Join(paramNames(false), ", "))
	}
	format, err := plots.FormatOf(out)
	if err != nil {
		return usagef("plot: -o %s: want a file name ending in .svg or .png", out)
	}
	type cond struct {
		col int
		val string
	}
	var conds []cond
	if where != "" {
		for _, kv := range strings.Split(where, ",") {
			k, v, ok := strings.Cut(kv, "=")
			c := columnIndex(strings.TrimSpace(k))
			if !ok || c < colParam0 || c > colSeed {
				return usagef("plot: -where %q: want COL=VALUE with COL one of %s", kv, strings.Join(paramNames(true), ", "))
			}
			conds = append(conds, cond{c, strings.TrimSpace(v)})
		}
	}
	if err := cli.CheckPaths(cli.Path{Flag: "-in", Name: in, Kind: cli.Input}, cli.Path{Flag: "-o", Name: out, Kind: cli.OutFile}); err != nil {
		return prefix(err)
	}
	fig, err := cli.CreateOutput("-o", out)
	if err != nil {
		return prefix(err)
	}
	defer fig.Abort()
	recs, _, err := readSweep("-in", in)
	if err != nil {
		return err
	}
	xi, yi := columnIndex(x), metricIndex(y)
	bi := -1
	if by != "" {
		bi = columnIndex(by)
	}
	// Seeds are uint64: above 2^53 float64 merges neighbours, so x becomes seed - base, exact.
	var base uint64
	xlabel := x
	if x == "seed" {
		lo, hi := uint64(math.MaxUint64), uint64(0)
		for _, r := range recs {
			if v, err := strconv.ParseUint(r.fields[xi], 10, 64); err == nil {
				lo, hi = min(lo, v), max(hi, v)
			}
		}
		if hi > 1<<53 {
			base = lo
			xlabel = fmt.Sprintf("seed - %d", base)
		}
	}
	xValue := func(text string) (float64, error) {
		if x == "seed" {
			v, err := strconv.ParseUint(text, 10, 64)
			return float64(v - base), err
		}
		return strconv.ParseFloat(text, 64)
	}
	type key struct {
		line string
		x    float64
	}
	var lineOrder []string
	values := map[key][]float64{}
	xsOf := map[string][]float64{}
	matched := 0
next:
	for _, r := range recs {
		for _, c := range conds {
			if r.fields[c.col] != c.val {
				continue next
			}
		}
		matched++
		if r.err != "" {
			continue
		}
		xv, err := xValue(r.fields[xi])
		if err != nil {
			continue
		}
		name := y
		if bi >= 0 {
			name = r.fields[bi]
		}
		if !slices.Contains(lineOrder, name) {
			lineOrder = append(lineOrder, name)
		}
		k := key{name, xv}
		if _, ok := values[k]; !ok {
			xsOf[name] = append(xsOf[name], xv)
		}
		values[k] = append(values[k], r.metrics[yi])
	}
	if matched == 0 && len(conds) > 0 {
		return usagef("plot: -where %s matches no row of %s", where, in)
	}
	var lines []plots.Line
	for _, name := range lineOrder {
		ln := plots.Line{Name: name}
		for _, xv := range xsOf[name] {
			c := ci95(values[key{name, xv}])
			ln.Points = append(ln.Points, plots.Point{X: xv, Y: c.mean, Low: c.mean - c.half, High: c.mean + c.half})
		}
		lines = append(lines, ln)
	}
	t := title
	if t == "" {
		t = y + " against " + x
	}
	p, err := plots.Lines(t, xlabel, y, lines)
	if err != nil {
		return fmt.Errorf("sweep: plot: %s: no point to draw (every matching run failed or has no %s)", in, y)
	}
	if err := plots.Render(p, format, fig); err != nil {
		return fmt.Errorf("sweep: plot: %w", err)
	}
	return prefix(fig.Commit())
}
