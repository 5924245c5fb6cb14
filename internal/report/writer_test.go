package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/edgesim/edgesim/internal/golden"
	"github.com/edgesim/edgesim/network"
	"github.com/edgesim/edgesim/placement"
	"github.com/edgesim/edgesim/scenario"
	"github.com/edgesim/edgesim/sockshop"
)

// handSteps are two steps on the hand-built infrastructure: deployed and spread, then
// undeployed with n3 down.
func handSteps() []Step {
	g := testInfra()
	app := testApp()
	s1 := Step{
		Stats: sockshop.StepStats{Step: 1, TimeMS: 500, AliveNodes: 3, Deployed: true, PlacementChanges: 3, Completed: 4, Failed: 1,
			Latency: sockshop.Summary{Mean: 41.25, P50: 40.5, P95: 47.123456789, P99: 47.9, Max: 48}},
		App: app, Infra: g, Placement: placement.Placement{"A": "n1", "B": "n2", "C": "n3"},
		Interactions: []sockshop.InteractionStat{
			{From: "A", To: "B", Count: 8, MeanMS: 12.5},
			{From: "B", To: "A", Count: 8, MeanMS: 12.25},
			{From: "B", To: "C", Count: 1, MeanMS: 0.1234567},
		},
	}
	g2 := testInfra()
	a := g2.assets["n3"]
	a.Availability = 0
	g2.assets["n3"] = a
	s2 := Step{Stats: sockshop.StepStats{Step: 2, TimeMS: 1000, AliveNodes: 2, Failed: 2}, App: app, Infra: g2}
	return []Step{s1, s2}
}

func TestWriterGolden(t *testing.T) {
	for _, f := range Formats {
		t.Run(string(f), func(t *testing.T) {
			dir := t.TempDir()
			w, err := NewWriter(dir, "mpi", f, LinkRows())
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range handSteps() {
				if err := w.WriteStep(s); err != nil {
					t.Fatal(err)
				}
			}
			res := &sockshop.Result{Result: scenario.Result{Variant: "mpi", Workflows: 4, Failed: 3, Latency: sockshop.Summary{Mean: 41.25, P50: 40.5, P95: 47.1, P99: 47.9, Max: 48},
				Messages: 96, Bytes: 12345, Lost: 2}}
			if err := w.Finish(res); err != nil {
				t.Fatal(err)
			}
			for _, tb := range append(Tables, SummaryTable) {
				name := tb.Name + "." + f.Ext()
				got, err := os.ReadFile(filepath.Join(dir, "mpi", name))
				if err != nil {
					t.Fatal(err)
				}
				checkShape(t, f, tb, got)
				golden.Check(t, filepath.Join("hand", string(f), name), got)
			}
		})
	}
}

// checkShape checks what the golden files could hide: the CSV header is the documented
// column list and every line has as many fields; every JSONL line is an object with the
// documented keys.
func checkShape(t *testing.T, f Format, tb Table, got []byte) {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(string(got), "\n"), "\n")
	var names []string
	for _, c := range tb.Columns {
		names = append(names, c.Name)
	}
	if f == CSV {
		if lines[0] != strings.Join(names, ",") {
			t.Errorf("%s header %q, want %q", tb.Name, lines[0], strings.Join(names, ","))
		}
		for _, l := range lines[1:] {
			if n := strings.Count(l, ",") + 1; n != len(names) {
				t.Errorf("%s line %q has %d fields, want %d", tb.Name, l, n, len(names))
			}
		}
		return
	}
	for _, l := range lines {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("%s: %v in %q", tb.Name, err, l)
		}
		if len(m) != len(names) {
			t.Errorf("%s: %d keys, want %d", tb.Name, len(m), len(names))
		}
		for _, n := range names {
			if _, ok := m[n]; !ok {
				t.Errorf("%s: key %q missing in %q", tb.Name, n, l)
			}
		}
	}
}

func TestColumnsDocumented(t *testing.T) {
	doc, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, tb := range append(Tables, SummaryTable) {
		if !bytes.Contains(doc, []byte("// "+tb.Name+".csv: ")) {
			t.Errorf("doc.go does not document table %s", tb.Name)
		}
		for _, c := range tb.Columns {
			line := "//   - " + c.Name + ": " + c.Doc + "\n"
			if !bytes.Contains(doc, []byte(line)) {
				t.Errorf("doc.go does not document %s.%s as %q", tb.Name, c.Name, line)
			}
		}
	}
	golden.Check(t, "columns.md", []byte(Markdown()))
}

func TestFloat(t *testing.T) {
	tests := []struct {
		in   float64
		want string
	}{
		{0, "0"}, {-0.0000001, "0"}, {1, "1"}, {12.5, "12.5"}, {0.1 + 0.2, "0.3"},
		{47.123456789, "47.123457"}, {-3.25, "-3.25"}, {1e9, "1000000000"}, {1e-7, "0"},
	}
	for _, tt := range tests {
		if got := Float(tt.in); got != tt.want {
			t.Errorf("Float(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
	for _, v := range []float64{inf(1), inf(-1), nan()} {
		if got := Float(v); got != "" {
			t.Errorf("Float(%v) = %q, want empty", v, got)
		}
	}
}

func TestBadInput(t *testing.T) {
	if _, err := ParseFormat("xml"); err == nil || !strings.Contains(err.Error(), "csv, jsonl") {
		t.Errorf("ParseFormat(xml) error %v, want one listing the valid formats", err)
	}
	for _, v := range []string{"", "..", "a/b"} {
		if _, err := NewWriter(t.TempDir(), v, CSV); err == nil {
			t.Errorf("NewWriter variant %q: no error", v)
		}
	}
	w, err := NewWriter(t.TempDir(), "rest", CSV)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := w.WriteStep(Step{}); err == nil {
		t.Error("WriteStep after Close: no error")
	}
	if err := w.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

func TestCSVQuoting(t *testing.T) {
	got := CSVLine([]Cell{Str("a,b"), Str(`say "hi"`), Null(), Int(3), Bool(true)})
	if want := "\"a,b\",\"say \"\"hi\"\"\",,3,true\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestWriteConfig(t *testing.T) {
	dir := t.TempDir()
	cfg := sockshop.Config{Config: scenario.Config{Variant: "mpi", Seed: 22, Steps: 3, StepLength: 500_000_000, Nodes: 30,
		Partitioning: []float64{0.6, 0.1, 0.15, 0.15}, Strategy: "static", Static: map[string]string{"B": "n2", "A": "n1"},
		Dynamics: true, FlapDown: 0.02, FlapUp: 0.5, Model: "eclypse", Infra: (*network.Graph)(nil)}}
	m := Meta{Program: "compare", Version: "devel", Format: CSV, Extra: map[string]string{"z": "1", "a": "2"}, Runs: []sockshop.Config{cfg}}
	if err := WriteConfig(dir, m); err != nil {
		t.Fatal(err)
	}
	first, err := os.ReadFile(filepath.Join(dir, "config.json"))
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 5; i++ { // map keys must come out sorted every time
		if err := WriteConfig(dir, m); err != nil {
			t.Fatal(err)
		}
		again, _ := os.ReadFile(filepath.Join(dir, "config.json"))
		if !bytes.Equal(first, again) {
			t.Fatal("config.json differs between two writes")
		}
	}
	golden.Check(t, "config.json", first)
	if v := Version(); v == "" {
		t.Error("empty Version")
	}
}

// TestRealRunGolden writes the report of a real 3-step run of each variant (the reference
// configuration otherwise) and compares every file with testdata/real/.
func TestRealRunGolden(t *testing.T) {
	dir := t.TempDir()
	var cfgs []sockshop.Config
	for _, v := range sockshop.Variants {
		cfg := sockshop.DefaultConfig(v)
		cfg.Steps = 3
		w, err := NewWriter(dir, v, CSV, LinkRows())
		if err != nil {
			t.Fatal(err)
		}
		cfg.Observer = w
		res, err := sockshop.Run(cfg)
		if err != nil {
			w.Close()
			t.Fatal(err)
		}
		if err := w.Finish(res); err != nil {
			t.Fatal(err)
		}
		cfgs = append(cfgs, cfg)
		for _, tb := range append(Tables, SummaryTable) {
			got, err := os.ReadFile(filepath.Join(dir, v, tb.Name+".csv"))
			if err != nil {
				t.Fatal(err)
			}
			checkShape(t, CSV, tb, got)
			if tb.Name == StepsTable.Name {
				if n := strings.Count(string(got), "\n"); n != cfg.Steps+1 {
					t.Errorf("%s/steps.csv has %d lines, want %d", v, n, cfg.Steps+1)
				}
			}
			golden.Check(t, filepath.Join("real", v, tb.Name+".csv"), got)
		}
	}
	if err := WriteConfig(dir, Meta{Program: "test", Version: "devel", Format: CSV, Runs: cfgs}); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(filepath.Join(dir, "config.json"))
	golden.Check(t, filepath.Join("real", "config.json"), got)
}

type countObs struct{ n int }

func (c *countObs) ObserveStep(sockshop.StepSnapshot) error { c.n++; return nil }

func TestRunHelper(t *testing.T) {
	dir := t.TempDir()
	own := &countObs{}
	cfg := sockshop.DefaultConfig("rest")
	cfg.Steps = 2
	cfg.Observer = own
	res, err := Run(sockshop.Run, cfg, dir, JSONL)
	if err != nil {
		t.Fatal(err)
	}
	if own.n != 2 {
		t.Errorf("the config's own observer saw %d steps, want 2", own.n)
	}
	b, err := os.ReadFile(filepath.Join(dir, "rest", "summary.jsonl"))
	if err != nil || !strings.Contains(string(b), `"workflows":`+fmt.Sprint(res.Workflows)+`,`) {
		t.Errorf("summary.jsonl %q, %v", b, err)
	}
	boom := errors.New("boom")
	if _, err := Run(func(sockshop.Config) (*sockshop.Result, error) { return nil, boom }, cfg, dir, CSV); !errors.Is(err, boom) {
		t.Errorf("run error %v, want boom", err)
	}
	if Multi(nil, nil) != nil {
		t.Error("Multi of nils is not nil")
	}
}

// Without LinkRows a report has no links.csv: that table costs links x steps rows.
func TestLinkRowsOptIn(t *testing.T) {
	dir := t.TempDir()
	w, err := NewWriter(dir, "mpi", CSV)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "mpi", "links.csv")); !os.IsNotExist(err) {
		t.Errorf("links.csv written without LinkRows: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "mpi", "nodes.csv")); err != nil {
		t.Errorf("nodes.csv: %v", err)
	}
}

func TestIsReportFile(t *testing.T) {
	for _, tc := range []struct {
		rel   string
		isDir bool
		want  bool
	}{
		{"config.json", false, true},
		{"config.json", true, false},
		{"mpi", true, true},
		{"mpi", false, false},
		{"mpi/steps.csv", false, true},
		{"rest/summary.jsonl", false, true},
		{"mpi/notes.txt", false, false},
		{"other", true, false},
		{"app1", true, true},
		{"app12/mpi", true, true},
		{"app2/rest/steps.csv", false, true},
		{"app1/config.json", false, false}, // config.json is the report's, once
		{"app0", true, false},
		{"app01", true, false},
		{"app", true, false},
		{"appx", true, false},
		{"app1", false, false},
		{"app1/app2/mpi", true, false},
		{"app1/mpi/notes.txt", false, false},
	} {
		if got := IsReportFile(tc.rel, tc.isDir); got != tc.want {
			t.Errorf("IsReportFile(%q, dir %v) = %v, want %v", tc.rel, tc.isDir, got, tc.want)
		}
	}
}
