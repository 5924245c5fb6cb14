package plots

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/edgesim/edgesim/internal/golden"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
)

func TestECDF(t *testing.T) {
	tests := []struct {
		in   []float64
		want plotter.XYs
	}{
		{nil, nil},
		{[]float64{math.NaN(), math.Inf(1)}, nil},
		{[]float64{5}, plotter.XYs{{X: 5, Y: 0}, {X: 5, Y: 1}}},
		{[]float64{3, 1, 2, 2}, plotter.XYs{{X: 1, Y: 0}, {X: 1, Y: 0.25}, {X: 2, Y: 0.5}, {X: 2, Y: 0.75}, {X: 3, Y: 1}}},
		{[]float64{2, math.NaN(), 1}, plotter.XYs{{X: 1, Y: 0}, {X: 1, Y: 0.5}, {X: 2, Y: 1}}},
	}
	for _, tt := range tests {
		got := ECDF(tt.in)
		if len(got) != len(tt.want) {
			t.Fatalf("ECDF(%v) = %v, want %v", tt.in, got, tt.want)
		}
		for i := range got {
			if got[i] != tt.want[i] {
				t.Fatalf("ECDF(%v) = %v, want %v", tt.in, got, tt.want)
			}
		}
	}
}

func TestSeriesFromMapSorted(t *testing.T) {
	for i := 0; i < 20; i++ {
		s := SeriesFromMap(map[string][]float64{"rest": {1}, "mpi": {2}, "b": nil, "z": nil})
		var names []string
		for _, x := range s {
			names = append(names, x.Name)
		}
		if got := strings.Join(names, ","); got != "b,mpi,rest,z" {
			t.Fatalf("order %s", got)
		}
	}
}

// latencies are deterministic pseudo-samples (no randomness needed for a figure test).
func latencies(n int, base, spread float64) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = base + spread*math.Abs(math.Sin(float64(i)*1.7))
	}
	return out
}

func cdfPlot(t *testing.T) *plot.Plot {
	p, err := CDF("SockShop workflow latency", "latency (ms)", []Series{
		{"mpi", latencies(200, 180, 60)}, {"rest", latencies(150, 200, 90)},
	})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func linesPlot(t *testing.T) *plot.Plot {
	p, err := Lines("latency against nodes", "nodes", "latency_mean_ms", []Line{
		{"mpi", []Point{{300, 250, 240, 260}, {30, 200, 190, 215}, {100, 220, 210, 230}}},
		{"rest", []Point{{30, 230, math.NaN(), math.NaN()}, {100, 260, 250, 275}, {300, 300, 280, 320}}},
		{"empty", []Point{{30, math.NaN(), 0, 0}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestDeterministic renders each figure twice (fresh plots) in both formats and checks the
// bytes match; the SVGs are also golden files.
func TestDeterministic(t *testing.T) {
	for _, fig := range []struct {
		name string
		mk   func(*testing.T) *plot.Plot
	}{{"cdf", cdfPlot}, {"lines", linesPlot}} {
		for _, format := range []string{"svg", "png"} {
			var a, b bytes.Buffer
			if err := Render(fig.mk(t), format, &a); err != nil {
				t.Fatal(err)
			}
			if err := Render(fig.mk(t), format, &b); err != nil {
				t.Fatal(err)
			}
			if a.Len() == 0 || !bytes.Equal(a.Bytes(), b.Bytes()) {
				t.Errorf("%s.%s: two renders differ (or are empty)", fig.name, format)
			}
			if format == "svg" {
				golden.Check(t, fig.name+".svg", a.Bytes())
			}
		}
	}
}

func TestSave(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"a.svg", "b.PNG"} {
		if err := Save(cdfPlot(t), filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
	png, _ := os.ReadFile(filepath.Join(dir, "b.PNG"))
	if !bytes.HasPrefix(png, []byte("\x89PNG")) {
		t.Error("b.PNG is not a PNG")
	}
	svg, _ := os.ReadFile(filepath.Join(dir, "a.svg"))
	if !bytes.Contains(svg, []byte("<svg")) {
		t.Error("a.svg is not an SVG")
	}
	if err := Save(cdfPlot(t), filepath.Join(dir, "c.pdf")); err == nil || !strings.Contains(err.Error(), ".svg, .png") {
		t.Errorf("c.pdf: error %v, want one listing .svg, .png", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "c.pdf")); err == nil {
		t.Error("c.pdf written despite the error")
	}
}

func TestNoData(t *testing.T) {
	// no data is still a figure (a run without workflows), with the series marked
	if p, err := CDF("t", "x", []Series{{"mpi", nil}}); err != nil {
		t.Errorf("CDF without data: %v", err)
	} else {
		var b bytes.Buffer
		if err := Render(p, "svg", &b); err != nil || !strings.Contains(b.String(), "mpi (no data)") {
			t.Errorf("CDF without data: %v, legend missing", err)
		}
	}
	if _, err := Lines("t", "x", "y", nil); err == nil {
		t.Error("Lines without points: no error")
	}
	if _, err := CDF("t", "x", []Series{{"mpi", []float64{1, 2}}, {"rest", nil}}); err != nil {
		t.Errorf("CDF with one empty series: %v", err)
	}
}
