package capacity

import (
	"fmt"
	"image/color"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"

	"github.com/edgesim/edgesim/internal/plots"
)

// Plot draws latency against throughput: per group one colour, its p95 as a solid line and
// its p50 as a dashed line, each point one load (markers), in grid order, so MPI and REST sit
// side by side. A p50 or p95 bound of the SLO is drawn as a thin grey horizontal line. Rows
// without a completed workflow have no latency and are left out; it fails when no row has
// one.
func (r *Report) Plot() (*plot.Plot, error) {
	p := plot.New()
	loads := r.Spec.Loads
	p.Title.Text = fmt.Sprintf("%s latency against throughput (%s to %s)", r.Spec.AppName(),
		FormatLoad(r.Spec.Kind, loads[0]), FormatLoad(r.Spec.Kind, loads[len(loads)-1]))
	p.X.Label.Text = "throughput (completed workflows/s)"
	p.Y.Label.Text = "workflow latency (ms): p95 solid, p50 dashed"
	p.X.Min, p.Y.Min = 0, 0
	p.Legend.Top, p.Legend.Left = true, true
	p.Add(plotter.NewGrid())
	name := func(g Group) string {
		if len(r.Spec.Strategies) > 1 {
			return g.Variant + " " + g.Strategy
		}
		return g.Variant
	}
	xmax := 0.0
	for _, g := range r.Groups {
		for _, row := range g.Rows {
			if row.Workflows > 0 {
				xmax = max(xmax, row.ThroughputPerS)
			}
		}
	}
	// Leave room right of the highest throughput: past saturation the lines go straight up
	// there, and would otherwise run along the frame.
	p.X.Max = float64(xmax * 1.05)
	drawn := false
	for i, g := range r.Groups {
		var p95, p50 plotter.XYs
		for _, row := range g.Rows {
			if row.Workflows == 0 {
				continue
			}
			p95 = append(p95, plotter.XY{X: row.ThroughputPerS, Y: row.Latency.P95})
			p50 = append(p50, plotter.XY{X: row.ThroughputPerS, Y: row.Latency.P50})
		}
		if len(p95) == 0 {
			p.Legend.Add(name(g) + " (no workflow)")
			continue
		}
		drawn = true
		c := plotutil.Color(i)
		for _, s := range []struct {
			label  string
			xys    plotter.XYs
			dashes []vg.Length
		}{
			{"p95", p95, nil},
			{"p50", p50, []vg.Length{vg.Points(5), vg.Points(3)}},
		} {
			l, pts, err := plotter.NewLinePoints(s.xys)
			if err != nil {
				return nil, fmt.Errorf("capacity: plot %s %s: %w", name(g), s.label, err)
			}
			l.Color, l.Dashes, l.Width = c, s.dashes, vg.Points(1.5)
			pts.Color, pts.Shape = c, plotutil.Shape(i)
			p.Add(l, pts)
			p.Legend.Add(name(g)+" "+s.label, l, pts)
		}
	}
	if !drawn {
		return nil, fmt.Errorf("capacity: plot: no run completed a workflow")
	}
	for _, b := range []struct {
		stat  string
		bound time.Duration
	}{{"p95", time.Duration(r.Spec.SLO.P95)}, {"p50", time.Duration(r.Spec.SLO.P50)}} {
		if b.bound <= 0 {
			continue
		}
		ms := float64(b.bound) / 1e6
		l, err := plotter.NewLine(plotter.XYs{{X: 0, Y: ms}, {X: p.X.Max, Y: ms}})
		if err != nil {
			return nil, fmt.Errorf("capacity: plot SLO: %w", err)
		}
		l.Color, l.Width = color.Gray{Y: 0x80}, vg.Points(0.75)
		p.Add(l)
		p.Legend.Add(fmt.Sprintf("SLO %s %v", b.stat, b.bound), l)
	}
	return p, nil
}

// SavePlot draws Plot into path (.svg or .png, by extension), rendered in memory first so a
// failed render leaves no partial file.
func (r *Report) SavePlot(path string) error {
	p, err := r.Plot()
	if err != nil {
		return err
	}
	return plots.Save(p, path)
}
