package main

import (
	"flag"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

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
	fs := flag.NewFlagSet("sweep plot", flag.ContinueOnError)
	fs.SetOutput(stderr)
	in := fs.String("in", "", "sweep CSV `FILE` (required)")
	x := fs.String("x", "", "numeric parameter column for the x axis: "+strings.Join(numericParams, ", ")+" (required)")
	y := fs.String("y", "", "metric column for the y axis: "+strings.Join(metricNames(), ", ")+" (required)")
	by := fs.String("by", "variant", "parameter column with one line per value: "+strings.Join(paramNames(false), ", ")+", or empty for one line")
	where := fs.String("where", "", "keep only rows with these values, e.g. strategy=random,flap_down=0.02 (values as written in the file)")
	out := fs.String("o", "", "figure `FILE`, .svg or .png (required)")
	title := fs.String("title", "", "figure title (default: \"Y against X\")")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: sweep plot -in FILE -x COL -y COL [-by COL] [-where COL=V,...] -o FIG.svg|FIG.png\n\nDraws the mean of a metric against a parameter, one line per -by value, with the 95%%\nconfidence band (Student t over the runs pooled at each point).\n\n")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args, false); err != nil {
		return err
	}
	switch {
	case *in == "":
		return usagef("plot: -in FILE is required")
	case *out == "":
		return usagef("plot: -o FIG.svg|FIG.png is required")
	case !slices.Contains(numericParams, *x):
		return usagef("plot: -x %q (valid: %s)", *x, strings.Join(numericParams, ", "))
	case !slices.Contains(metricNames(), *y):
		return usagef("plot: -y %q (valid: %s)", *y, strings.Join(metricNames(), ", "))
	case *by != "" && !slices.Contains(paramNames(false), *by):
		return usagef("plot: -by %q (valid: %s, or empty)", *by, strings.Join(paramNames(false), ", "))
	}
	if _, err := plots.FormatOf(*out); err != nil {
		return &usageError{"sweep: plot: -o: " + err.Error()}
	}
	type cond struct {
		col int
		val string
	}
	var conds []cond
	if *where != "" {
		for _, kv := range strings.Split(*where, ",") {
			k, v, ok := strings.Cut(kv, "=")
			c := columnIndex(strings.TrimSpace(k))
			if !ok || c < colParam0 || c > colSeed {
				return usagef("plot: -where %q: want COL=VALUE with COL one of %s", kv, strings.Join(paramNames(true), ", "))
			}
			conds = append(conds, cond{c, strings.TrimSpace(v)})
		}
	}
	recs, _, err := readSweep(*in)
	if err != nil {
		return err
	}
	xi, yi := columnIndex(*x), metricIndex(*y)
	bi := -1
	if *by != "" {
		bi = columnIndex(*by)
	}
	type key struct {
		line string
		x    float64
	}
	var lineOrder []string
	values := map[key][]float64{}
	xsOf := map[string][]float64{}
next:
	for _, r := range recs {
		for _, c := range conds {
			if r.fields[c.col] != c.val {
				continue next
			}
		}
		if r.err != "" {
			continue
		}
		xv, err := strconv.ParseFloat(r.fields[xi], 64)
		if err != nil {
			continue
		}
		name := *y
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
	var lines []plots.Line
	for _, name := range lineOrder {
		ln := plots.Line{Name: name}
		for _, xv := range xsOf[name] {
			c := ci95(values[key{name, xv}])
			ln.Points = append(ln.Points, plots.Point{X: xv, Y: c.mean, Low: c.mean - c.half, High: c.mean + c.half})
		}
		lines = append(lines, ln)
	}
	t := *title
	if t == "" {
		t = *y + " against " + *x
	}
	p, err := plots.Lines(t, *x, *y, lines)
	if err != nil {
		return fmt.Errorf("sweep: plot: %s: %w", *in, err)
	}
	return plots.Save(p, *out)
}
