package plots

import (
	"bytes"
	"errors"
	"fmt"
	"image/color"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
)

// Size of every figure.
const (
	Width  = 16 * vg.Centimeter
	Height = 10 * vg.Centimeter
)

// Series is a named sample, e.g. the workflow latencies (ms) of one variant.
type Series struct {
	Name   string
	Values []float64
}

// SeriesFromMap turns a map into series sorted by name, so map order never reaches a figure.
func SeriesFromMap(m map[string][]float64) []Series {
	out := make([]Series, 0, len(m))
	for k, v := range m {
		out = append(out, Series{Name: k, Values: v})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// ECDF returns the points of the empirical CDF of values: the sorted finite values x_(i)
// with F = i/n, preceded by (x_(1), 0). NaN and infinities are dropped; nil if none is left.
func ECDF(values []float64) plotter.XYs {
	xs := make([]float64, 0, len(values))
	for _, v := range values {
		if !math.IsNaN(v) && !math.IsInf(v, 0) {
			xs = append(xs, v)
		}
	}
	if len(xs) == 0 {
		return nil
	}
	slices.Sort(xs)
	n := float64(len(xs))
	pts := make(plotter.XYs, 0, len(xs)+1)
	pts = append(pts, plotter.XY{X: xs[0], Y: 0})
	for i, x := range xs {
		pts = append(pts, plotter.XY{X: x, Y: float64(i+1) / n})
	}
	return pts
}

// CDF draws the empirical CDF of each series (one step line each, in the given order) with
// the values on the x axis. A series without finite values is listed in the legend as
// "name (no data)". It fails when no series has data.
func CDF(title, xlabel string, series []Series) (*plot.Plot, error) {
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = xlabel
	p.Y.Label.Text = "fraction of workflows ≤ x"
	p.Y.Min, p.Y.Max = 0, 1
	p.Legend.Top = false // bottom right: below the curves once they have risen
	p.Legend.Left = false
	p.Add(plotter.NewGrid())
	drawn := false
	for i, s := range series {
		pts := ECDF(s.Values)
		if pts == nil {
			// an empty entry keeps the legend honest
			p.Legend.Add(s.Name + " (no data)")
			continue
		}
		drawn = true
		l, err := plotter.NewLine(pts)
		if err != nil {
			return nil, fmt.Errorf("plots: cdf %s: %w", s.Name, err)
		}
		l.StepStyle = plotter.PostStep
		l.Color = plotutil.Color(i)
		l.Dashes = plotutil.Dashes(i)
		l.Width = vg.Points(1.5)
		p.Add(l)
		p.Legend.Add(fmt.Sprintf("%s (n=%d)", s.Name, len(pts)-1), l)
	}
	if !drawn {
		// Nothing completed: still a figure (empty axes, every series "(no data)"), so a run
		// without workflows does not fail on its picture.
		p.X.Min, p.X.Max = 0, 1
	}
	return p, nil
}

// Point is one x of a Line: the mean Y and its 95% confidence interval [Low, High] (NaN
// when unknown, e.g. a single run).
type Point struct {
	X, Y, Low, High float64
}

// Line is one named group of a metric-against-parameter figure.
type Line struct {
	Name   string
	Points []Point // any order; drawn sorted by X
}

// Lines draws each line (mean against x, with markers) over its 95% confidence band, a
// translucent polygon from Low to High, in the given order. Points with a NaN Y are skipped;
// the band is drawn where Low and High are known on at least two points.
func Lines(title, xlabel, ylabel string, lines []Line) (*plot.Plot, error) {
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = xlabel
	p.Y.Label.Text = ylabel + " (mean, 95% CI)"
	p.Legend.Top = true
	p.Add(plotter.NewGrid())
	drawn := false
	for i, ln := range lines {
		pts := slices.Clone(ln.Points)
		pts = slices.DeleteFunc(pts, func(q Point) bool { return math.IsNaN(q.Y) || math.IsNaN(q.X) })
		if len(pts) == 0 {
			continue
		}
		drawn = true
		slices.SortStableFunc(pts, func(a, b Point) int {
			switch {
			case a.X < b.X:
				return -1
			case a.X > b.X:
				return 1
			}
			return 0
		})
		c := plotutil.Color(i)
		var band []Point
		for _, q := range pts {
			if !math.IsNaN(q.Low) && !math.IsNaN(q.High) {
				band = append(band, q)
			}
		}
		if len(band) >= 2 {
			poly := make(plotter.XYs, 0, 2*len(band))
			for _, q := range band {
				poly = append(poly, plotter.XY{X: q.X, Y: q.Low})
			}
			for k := len(band) - 1; k >= 0; k-- {
				poly = append(poly, plotter.XY{X: band[k].X, Y: band[k].High})
			}
			pg, err := plotter.NewPolygon(poly)
			if err != nil {
				return nil, fmt.Errorf("plots: band %s: %w", ln.Name, err)
			}
			r, g, b, _ := c.RGBA()
			pg.Color = color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(b >> 8), A: 0x40}
			pg.LineStyle.Width = 0
			p.Add(pg)
		}
		xys := make(plotter.XYs, len(pts))
		for k, q := range pts {
			xys[k] = plotter.XY{X: q.X, Y: q.Y}
		}
		l, s, err := plotter.NewLinePoints(xys)
		if err != nil {
			return nil, fmt.Errorf("plots: line %s: %w", ln.Name, err)
		}
		l.Color, l.Dashes, l.Width = c, plotutil.Dashes(i), vg.Points(1.5)
		s.Color, s.Shape = c, plotutil.Shape(i)
		p.Add(l, s)
		p.Legend.Add(ln.Name, l, s)
	}
	if !drawn {
		return nil, errors.New("plots: lines: no point to draw")
	}
	padDegenerate(&p.X, lines, func(q Point) []float64 { return []float64{q.X} })
	padDegenerate(&p.Y, lines, func(q Point) []float64 { return []float64{q.Y, q.Low, q.High} })
	// Tick the x values themselves when there are few (30, 100, 300 rather than 40, 160, 280).
	var xs []float64
	for _, ln := range lines {
		for _, q := range ln.Points {
			if !math.IsNaN(q.X) && !math.IsNaN(q.Y) && !slices.Contains(xs, q.X) {
				xs = append(xs, q.X)
			}
		}
	}
	if len(xs) <= 12 {
		slices.Sort(xs)
		ticks := make([]plot.Tick, len(xs))
		for i, x := range xs {
			ticks[i] = plot.Tick{Value: x, Label: strconv.FormatFloat(x, 'g', -1, 64)}
		}
		p.X.Tick.Marker = plot.ConstantTicks(ticks)
	}
	return p, nil
}

// padDegenerate widens an axis whose data span a single value (one x, or equal means without
// bands): gonum cannot map a range of width 0 and would draw nothing. The pad is 5% of the
// value (at least 1), so it is visible even next to values near 2^64.
func padDegenerate(ax *plot.Axis, lines []Line, vals func(Point) []float64) {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, ln := range lines {
		for _, q := range ln.Points {
			if math.IsNaN(q.X) || math.IsNaN(q.Y) {
				continue
			}
			for _, v := range vals(q) {
				if !math.IsNaN(v) && !math.IsInf(v, 0) {
					lo, hi = math.Min(lo, v), math.Max(hi, v)
				}
			}
		}
	}
	if lo == hi {
		pad := math.Max(1, math.Abs(lo)*0.05)
		ax.Min, ax.Max = lo-pad, hi+pad
	}
}

// LatencyCDFPlot is the workflow latency CDF of the variants (series in the given order, e.g.
// mpi then rest, values in ms): the figure compare draws.
func LatencyCDFPlot(series []Series) (*plot.Plot, error) {
	return CDF("SockShop workflow latency (empirical CDF)", "workflow latency (ms)", series)
}

// FormatOf is the figure format of a file name: "svg" or "png" by extension (case
// insensitive), or an error naming the valid extensions.
func FormatOf(path string) (string, error) {
	ext := strings.ToLower(strings.TrimPrefix(filepath.Ext(path), "."))
	switch ext {
	case "svg", "png":
		return ext, nil
	}
	return "", fmt.Errorf("plots: %s: unknown figure format %q (valid: .svg, .png)", path, filepath.Ext(path))
}

// Render writes p in format ("svg" or "png") to w, at Width x Height.
func Render(p *plot.Plot, format string, w io.Writer) error {
	if format != "svg" && format != "png" {
		return fmt.Errorf("plots: unknown figure format %q (valid: svg, png)", format)
	}
	wt, err := p.WriterTo(Width, Height, format)
	if err != nil {
		return fmt.Errorf("plots: %w", err)
	}
	if _, err := wt.WriteTo(w); err != nil {
		return fmt.Errorf("plots: %w", err)
	}
	return nil
}

// Save writes p to path in the format of its extension. The figure is rendered in memory
// first, so a failed render leaves no partial file.
func Save(p *plot.Plot, path string) error {
	format, err := FormatOf(path)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := Render(p, format, &buf); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("plots: %w", err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("plots: %w", err)
	}
	return nil
}

// LatencyCDF draws the workflow latency CDF of the variants (series in the given order, e.g.
// mpi then rest, values in ms) and saves it to path (.svg or .png). It is what compare draws.
func LatencyCDF(path string, series []Series) error {
	p, err := LatencyCDFPlot(series)
	if err != nil {
		return err
	}
	return Save(p, path)
}
