package report

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/edgesim/edgesim/placement"
	"github.com/edgesim/edgesim/sockshop"
)

// Step is what the Writer records for one step: a sockshop.StepSnapshot with the graph
// behind the Infra interface (so tests can hand-build one).
type Step struct {
	Stats        sockshop.StepStats
	App          *placement.Application
	Infra        Infra               // nil: no node, link or route columns
	Placement    placement.Placement // nil while undeployed
	Interactions []sockshop.InteractionStat
}

// FromSnapshot converts a snapshot (a nil Graph gives a nil Infra).
func FromSnapshot(s sockshop.StepSnapshot) Step {
	st := Step{Stats: s.Stats, App: s.App, Placement: s.Placement, Interactions: s.Interactions}
	if s.Graph != nil {
		st.Infra = s.Graph
	}
	return st
}

type tableFile struct {
	path string
	f    *os.File
	bw   *bufio.Writer
	enc  *encoder
}

// Writer writes the per-step tables of one variant into DIR/<variant>/<table>.<format>. It
// implements sockshop.Observer: set it as Config.Observer, run, then call Finish (or Close on
// error). A Writer is not safe for concurrent use; one run uses one Writer.
type Writer struct {
	dir     string // DIR/<variant>
	variant string
	format  Format
	tables  []Table      // the tables it writes: Tables, links.csv only with LinkRows
	files   []*tableFile // in tables order
	closed  bool
	row     []Cell
	links   bool // LinkRows
}

var _ sockshop.Observer = (*Writer)(nil)

// Option configures a Writer.
type Option func(*Writer)

// LinkRows makes the Writer also write links.csv, one row per step and directed link. It is
// off by default: the table costs links x steps rows (20 million for 100 steps of a
// 1000-node hierarchical infrastructure) and dominates a report of a big infrastructure.
func LinkRows() Option { return func(w *Writer) { w.links = true } }

// NewWriter creates DIR/<variant>/ and its table files, each with its header (CSV). The
// variant must be a plain name (no path separator).
func NewWriter(dir, variant string, format Format, opts ...Option) (*Writer, error) {
	if _, err := ParseFormat(string(format)); err != nil {
		return nil, err
	}
	if variant == "" || variant == "." || variant == ".." || strings.ContainsAny(variant, `/\`) {
		return nil, fmt.Errorf("report: bad variant name %q", variant)
	}
	w := &Writer{dir: filepath.Join(dir, variant), variant: variant, format: format}
	for _, o := range opts {
		o(w)
	}
	for _, t := range Tables {
		if t.Name != LinksTable.Name || w.links {
			w.tables = append(w.tables, t)
		}
	}
	if err := os.MkdirAll(w.dir, 0o755); err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	for _, t := range w.tables {
		tf, err := w.open(t)
		if err != nil {
			w.Close()
			return nil, err
		}
		w.files = append(w.files, tf)
	}
	return w, nil
}

func (w *Writer) open(t Table) (*tableFile, error) {
	path := filepath.Join(w.dir, t.Name+"."+w.format.Ext())
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	tf := &tableFile{path: path, f: f, bw: bufio.NewWriterSize(f, 64<<10)}
	tf.enc, err = newEncoder(tf.bw, w.format, t.Columns)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("report: write %s: %w", path, err)
	}
	return tf, nil
}

// Dir is the directory the Writer writes into, DIR/<variant>.
func (w *Writer) Dir() string { return w.dir }

// ObserveStep writes the rows of one step; it implements sockshop.Observer.
func (w *Writer) ObserveStep(s sockshop.StepSnapshot) error { return w.WriteStep(FromSnapshot(s)) }

// WriteStep writes the rows of one step to every table.
func (w *Writer) WriteStep(s Step) error {
	if w.closed {
		return errors.New("report: write step after Close")
	}
	for i, t := range w.tables {
		if err := w.writeTable(i, t, s); err != nil {
			return err
		}
	}
	return nil
}

func (w *Writer) emit(i int, cells ...Cell) error {
	tf := w.files[i]
	if err := tf.enc.row(cells); err != nil {
		return fmt.Errorf("report: write %s: %w", tf.path, err)
	}
	return nil
}

func summaryCells(sum sockshop.Summary, n int) []Cell {
	if n == 0 {
		return []Cell{Null(), Null(), Null(), Null(), Null()}
	}
	return []Cell{Num(sum.Mean), Num(sum.P50), Num(sum.P95), Num(sum.P99), Num(sum.Max)}
}

func (w *Writer) writeTable(i int, t Table, s Step) error {
	st := s.Stats
	v, step := Str(w.variant), Int(st.Step)
	switch t.Name {
	case StepsTable.Name:
		nodes := 0
		if s.Infra != nil {
			nodes = len(s.Infra.Nodes())
		}
		row := append(w.row[:0], v, step, Num(st.TimeMS), Int(nodes), Int(st.AliveNodes), Bool(st.Deployed),
			Int(st.PlacementChanges), Int(st.Completed), Int(st.Failed))
		row = append(row, summaryCells(st.Latency, st.Completed)...)
		w.row = row
		return w.emit(i, row...)
	case ServicesTable.Name:
		if s.App == nil {
			return nil
		}
		for _, svc := range s.App.Services {
			host, up := Null(), Null()
			if h := s.Placement[svc.Name]; h != "" {
				host = Str(h)
				if s.Infra != nil {
					up = Bool(s.Infra.Up(h))
				}
			}
			r := svc.Requirements
			if err := w.emit(i, v, step, Str(svc.Name), Num(r.CPU), Num(r.GPU), Num(r.RAM), Num(r.Storage),
				Num(r.Availability), Num(r.ProcessingTimeMS), host, up); err != nil {
				return err
			}
		}
	case InteractionsTable.Name:
		return w.writeInteractions(i, s, v, step)
	case ApplicationTable.Name:
		flows, rt := 0, Null()
		if s.App != nil {
			flows = len(s.App.Flows)
			if s.Infra != nil && s.Placement != nil {
				if ms, ok := ResponseTime(s.App, s.Infra, s.Placement); ok {
					rt = Num(ms)
				}
			}
		}
		mean, p95, max := Null(), Null(), Null()
		if st.Completed > 0 {
			mean, p95, max = Num(st.Latency.Mean), Num(st.Latency.P95), Num(st.Latency.Max)
		}
		return w.emit(i, v, step, Bool(st.Deployed), Int(flows), rt, Int(st.Completed), mean, p95, max)
	case FlowsTable.Name:
		if s.App == nil {
			return nil
		}
		for k, f := range s.App.Flows {
			rt := Null()
			if s.Infra != nil && s.Placement != nil {
				if ms, ok := FlowResponseTime(s.App, s.Infra, s.Placement, f); ok {
					rt = Num(ms)
				}
			}
			if err := w.emit(i, v, step, Int(k), Str(strings.Join(f, ">")), rt); err != nil {
				return err
			}
		}
	case NodesTable.Name:
		if s.Infra == nil {
			return nil
		}
		hosted := map[string]int{}
		if s.App != nil {
			for _, svc := range s.App.Services {
				if h := s.Placement[svc.Name]; h != "" {
					hosted[h]++
				}
			}
		}
		for _, id := range s.Infra.Nodes() {
			a, _ := s.Infra.Node(id)
			if err := w.emit(i, v, step, Str(id), Bool(s.Infra.Up(id)), Num(a.CPU), Num(a.GPU), Num(a.RAM),
				Num(a.Storage), Num(a.Availability), Num(a.ProcessingTimeMS), Int(hosted[id])); err != nil {
				return err
			}
		}
	case LinksTable.Name:
		if s.Infra == nil {
			return nil
		}
		for _, l := range s.Infra.Links() {
			if err := w.emit(i, v, step, Str(l.From), Str(l.To), Num(l.LatencyMS), Num(l.BandwidthMbps)); err != nil {
				return err
			}
		}
	}
	return nil
}

func (w *Writer) writeInteractions(i int, s Step, v, step Cell) error {
	type key struct{ from, to string }
	measured := make(map[key]sockshop.InteractionStat, len(s.Interactions))
	for _, m := range s.Interactions {
		measured[key{m.From, m.To}] = m
	}
	done := map[key]bool{}
	row := func(from, to string, maxLat, minBw Cell) error {
		hops, lat, bw := Null(), Null(), Null()
		a, b := s.Placement[from], s.Placement[to]
		if s.Infra != nil && a != "" && b != "" {
			if p, err := s.Infra.Route(a, b); err == nil {
				hops, lat = Int(len(p.Hops)), Num(p.LatencyMS)
				if len(p.Hops) > 0 {
					bw = Num(p.BandwidthMbps)
				}
			}
		}
		m := measured[key{from, to}]
		mean := Null()
		if m.Count > 0 {
			mean = Num(m.MeanMS)
		}
		return w.emit(i, v, step, Str(from), Str(to), maxLat, minBw, hops, lat, bw, Int(m.Count), mean)
	}
	if s.App != nil {
		for _, in := range s.App.Interactions {
			k := key{in.From, in.To}
			if done[k] {
				continue
			}
			done[k] = true
			if err := row(in.From, in.To, Num(in.MaxLatencyMS), Num(in.MinBandwidthMbps)); err != nil {
				return err
			}
		}
	}
	for _, m := range s.Interactions {
		k := key{m.From, m.To}
		if done[k] {
			continue
		}
		done[k] = true
		if err := row(m.From, m.To, Null(), Null()); err != nil {
			return err
		}
	}
	return nil
}

// Finish writes DIR/<variant>/summary.<format> with the totals of res, then closes the Writer.
func (w *Writer) Finish(res *sockshop.Result) error {
	if w.closed {
		return errors.New("report: Finish after Close")
	}
	err := w.writeSummary(res)
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	return err
}

func (w *Writer) writeSummary(res *sockshop.Result) error {
	if res == nil {
		return errors.New("report: Finish with a nil result")
	}
	path := filepath.Join(w.dir, SummaryTable.Name+"."+w.format.Ext())
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	bw := bufio.NewWriter(f)
	enc, err := newEncoder(bw, w.format, SummaryTable.Columns)
	if err == nil {
		err = enc.row(append([]Cell{Str(w.variant)}, MetricCells(res)...))
	}
	if err == nil {
		err = bw.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("report: write %s: %w", path, err)
	}
	return nil
}

// MetricCells are the values of MetricColumns for res. Latency columns are empty when no
// workflow completed.
func MetricCells(res *sockshop.Result) []Cell {
	cells := []Cell{Int(res.Workflows), Int(res.Failed)}
	cells = append(cells, summaryCells(res.Latency, res.Workflows)...)
	return append(cells, Int(res.Messages), Int(res.Bytes), Int(res.Lost), Num(res.ThroughputPerS), Int(res.Rejected))
}

// Close flushes and closes the table files. It is safe to call more than once.
func (w *Writer) Close() error {
	if w.closed {
		return nil
	}
	w.closed = true
	var first error
	for _, tf := range w.files {
		err := tf.bw.Flush()
		if cerr := tf.f.Close(); err == nil {
			err = cerr
		}
		if err != nil && first == nil {
			first = fmt.Errorf("report: write %s: %w", tf.path, err)
		}
	}
	return first
}
