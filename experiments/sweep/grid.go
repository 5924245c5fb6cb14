package main

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/edgesim/edgesim/comm"
	"github.com/edgesim/edgesim/engine"
	"github.com/edgesim/edgesim/internal/report"
	"github.com/edgesim/edgesim/network"
	"github.com/edgesim/edgesim/sockshop"
)

// maxRuns bounds the grid so a typo (-seeds 1-1000000000) is an error, not an endless run.
const maxRuns = 10_000_000

// validStrategies are the placement strategies a sweep accepts (static needs a service ->
// node map, which a grid has no axis for).
var validStrategies = []string{"random", "first-fit", "best-fit", "round-robin"}

// validModels are the cost models sockshop accepts.
var validModels = comm.Models

// axis is one parameter of the grid: its values (already validated) and how to set one of
// them on a config. An axis whose flag was not given has one value: the default config's.
type axis struct {
	flag   string
	n      int
	set    func(c *sockshop.Config, i int) // nil: keep the default config's value
	values []string                        // canonical text of each value, for messages
}

// grid is the cross product of the axes, in the documented order: the first axis varies
// slowest and seeds (the last axis) fastest, so the runs of one group (all parameters but
// the seed) are contiguous.
type grid struct {
	axes     []axis
	total    int
	defaults func(variant string) sockshop.Config
	variants []string
}

// params are the parsed flag values of the grid (raw strings; "" = default).
type params struct {
	seeds, variants, strategies, nodes, partitioning string
	flap, flapUp, steps, step, model, think, timeout string
	decline                                          string
	given                                            map[string]bool // flags on the command line
}

// has says whether the flag was given (an explicitly empty list is an error, not the default).
func (p params) has(flag, v string) bool { return v != "" || p.given[flag] }

// usageError is a bad flag value: exit code 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, a ...any) error {
	return &usageError{fmt.Sprintf("sweep: "+format, a...)}
}

// newGrid validates every list and builds the grid.
func newGrid(p params, defaults func(string) sockshop.Config) (*grid, error) {
	g := &grid{defaults: defaults}
	def := sockshop.Variants
	if p.given["variants"] {
		def = nil
	}
	variants, err := parseChoices("variants", p.variants, sockshop.Variants, def)
	if err != nil {
		return nil, err
	}
	g.variants = variants
	g.axes = append(g.axes, axis{flag: "variants", n: len(variants), values: variants,
		set: func(c *sockshop.Config, i int) {}}) // the variant picks the default config

	if p.has("strategies", p.strategies) {
		v, err := parseChoices("strategies", p.strategies, validStrategies, nil)
		if err != nil {
			return nil, err
		}
		g.add("strategies", v, func(c *sockshop.Config, i int) { c.Strategy = v[i] })
	}
	if p.has("nodes", p.nodes) {
		v, err := parseInts("nodes", p.nodes, 1)
		if err != nil {
			return nil, err
		}
		g.add("nodes", itoa(v), func(c *sockshop.Config, i int) { c.Nodes = v[i] })
	}
	if p.has("partitioning", p.partitioning) {
		v, texts, err := parsePartitionings(p.partitioning)
		if err != nil {
			return nil, err
		}
		g.add("partitioning", texts, func(c *sockshop.Config, i int) { c.Partitioning = slices.Clone(v[i]) })
	}
	if p.has("flap", p.flap) {
		v, err := parseProbs("flap", p.flap)
		if err != nil {
			return nil, err
		}
		g.add("flap", ftoa(v), func(c *sockshop.Config, i int) { c.FlapDown = v[i] })
	}
	if p.has("flap-up", p.flapUp) {
		v, err := parseProbs("flap-up", p.flapUp)
		if err != nil {
			return nil, err
		}
		g.add("flap-up", ftoa(v), func(c *sockshop.Config, i int) { c.FlapUp = v[i] })
	}
	if p.has("steps", p.steps) {
		v, err := parseInts("steps", p.steps, 1)
		if err != nil {
			return nil, err
		}
		g.add("steps", itoa(v), func(c *sockshop.Config, i int) { c.Steps = v[i] })
	}
	if p.has("step", p.step) {
		v, texts, err := parseDurations("step", p.step, false)
		if err != nil {
			return nil, err
		}
		g.add("step", texts, func(c *sockshop.Config, i int) { c.StepLength = v[i] })
	}
	if p.has("model", p.model) {
		v, err := parseChoices("model", p.model, validModels, nil)
		if err != nil {
			return nil, err
		}
		g.add("model", v, func(c *sockshop.Config, i int) { c.Model = v[i] })
	}
	if p.has("think", p.think) {
		v, texts, err := parseDurations("think", p.think, true)
		if err != nil {
			return nil, err
		}
		g.add("think", texts, func(c *sockshop.Config, i int) { c.Workload.Think = v[i] })
	}
	if p.has("timeout", p.timeout) {
		v, texts, err := parseDurations("timeout", p.timeout, false)
		if err != nil {
			return nil, err
		}
		g.add("timeout", texts, func(c *sockshop.Config, i int) { c.Timeout = v[i] })
	}
	if p.has("decline", p.decline) {
		v, err := parseProbs("decline", p.decline)
		if err != nil {
			return nil, err
		}
		g.add("decline", ftoa(v), func(c *sockshop.Config, i int) { c.DeclineProb = v[i] })
	}
	if !p.has("seeds", p.seeds) {
		g.add("seeds", []string{"(default)"}, func(c *sockshop.Config, i int) {})
	} else {
		seeds, err := parseSeeds(p.seeds)
		if err != nil {
			return nil, err
		}
		g.add("seeds", utoa(seeds), func(c *sockshop.Config, i int) { c.Seed = seeds[i] })
	}

	total := 1
	for _, a := range g.axes {
		if total > maxRuns/a.n {
			return nil, usagef("the grid has more than %d runs; split it", maxRuns)
		}
		total *= a.n
	}
	g.total = total
	return g, nil
}

// validate checks the configs of runs [lo, hi) with the config's own Validate method when it
// has one (sockshop.Config does), so a bad combination is a usage error before any run.
// Only the first run of each combination of the non-seed axes is checked: seeds never make
// a config invalid.
func (g *grid) validate(lo, hi int) error {
	seeds := g.axes[len(g.axes)-1].n
	for k := lo; k < hi; k++ {
		if k != lo && k%seeds != 0 {
			continue
		}
		cfg := g.config(k)
		if v, ok := any(&cfg).(interface{ Validate() error }); ok {
			if err := v.Validate(); err != nil {
				return usagef("run %d: %v", k+1, err)
			}
		}
	}
	return nil
}

func (g *grid) add(flag string, values []string, set func(*sockshop.Config, int)) {
	g.axes = append(g.axes, axis{flag: flag, n: len(values), set: set, values: values})
}

// indices returns the value index of each axis for run k (0-based): mixed radix, last
// axis fastest.
func (g *grid) indices(k int) []int {
	idx := make([]int, len(g.axes))
	for a := len(g.axes) - 1; a >= 0; a-- {
		idx[a] = k % g.axes[a].n
		k /= g.axes[a].n
	}
	return idx
}

// config is the configuration of run k (0-based): the default config of its variant with
// every given axis applied.
func (g *grid) config(k int) sockshop.Config {
	idx := g.indices(k)
	c := g.defaults(g.variants[idx[0]])
	c.Variant = g.variants[idx[0]]
	c.Observer = nil
	for a, ax := range g.axes {
		ax.set(&c, idx[a])
	}
	return c
}

// ---- list parsers: every error names the flag and the valid values ----

func splitList(flag, s string) ([]string, error) {
	if strings.TrimSpace(s) == "" {
		return nil, usagef("-%s: empty list", flag)
	}
	parts := strings.Split(s, ",")
	for i, p := range parts {
		parts[i] = strings.TrimSpace(p)
		if parts[i] == "" {
			return nil, usagef("-%s %q: empty element", flag, s)
		}
	}
	return parts, nil
}

func noDup[T comparable](flag string, v []T) error {
	seen := map[T]bool{}
	for _, x := range v {
		if seen[x] {
			return usagef("-%s: value %v given twice", flag, x)
		}
		seen[x] = true
	}
	return nil
}

// parseChoices parses a comma list of names from valid; "" gives def (or an error if def is nil).
func parseChoices(flag, s string, valid, def []string) ([]string, error) {
	if s == "" && def != nil {
		return slices.Clone(def), nil
	}
	parts, err := splitList(flag, s)
	if err != nil {
		return nil, usagef("%v (valid: %s)", strings.TrimPrefix(err.Error(), "sweep: "), strings.Join(valid, ", "))
	}
	for _, p := range parts {
		if !slices.Contains(valid, p) {
			return nil, usagef("-%s: unknown value %q (valid: %s)", flag, p, strings.Join(valid, ", "))
		}
	}
	return parts, noDup(flag, parts)
}

// parseRange parses "a" or "a-b" (a <= b) of unsigned integers.
func parseRange(flag, p string) (lo, hi uint64, err error) {
	a, b, isRange := strings.Cut(p, "-")
	lo, err1 := strconv.ParseUint(strings.TrimSpace(a), 10, 64)
	hi = lo
	var err2 error
	if isRange {
		hi, err2 = strconv.ParseUint(strings.TrimSpace(b), 10, 64)
	}
	if err1 != nil || err2 != nil {
		return 0, 0, usagef("-%s: bad element %q (valid: N or A-B, non-negative integers)", flag, p)
	}
	if hi < lo {
		return 0, 0, usagef("-%s: empty range %q (valid: A-B with A <= B)", flag, p)
	}
	if hi-lo >= maxRuns {
		return 0, 0, usagef("-%s: range %q is longer than %d", flag, p, maxRuns)
	}
	return lo, hi, nil
}

// parseSeeds parses "1-20,25".
func parseSeeds(s string) ([]uint64, error) {
	parts, err := splitList("seeds", s)
	if err != nil {
		return nil, usagef("%v (valid: e.g. 1-20,25)", strings.TrimPrefix(err.Error(), "sweep: "))
	}
	var out []uint64
	for _, p := range parts {
		lo, hi, err := parseRange("seeds", p)
		if err != nil {
			return nil, err
		}
		for v := lo; ; v++ {
			out = append(out, v)
			if len(out) > maxRuns {
				return nil, usagef("-seeds: more than %d seeds", maxRuns)
			}
			if v == hi {
				break
			}
		}
	}
	return out, noDup("seeds", out)
}

// parseInts parses "30,100,300" or ranges "10-12", each at least min.
func parseInts(flag, s string, min int) ([]int, error) {
	parts, err := splitList(flag, s)
	if err != nil {
		return nil, err
	}
	var out []int
	for _, p := range parts {
		lo, hi, err := parseRange(flag, p)
		if err != nil {
			return nil, err
		}
		if lo < uint64(min) || hi > math.MaxInt32 {
			return nil, usagef("-%s: %q out of range (valid: integers from %d)", flag, p, min)
		}
		for v := lo; v <= hi; v++ {
			out = append(out, int(v))
		}
	}
	return out, noDup(flag, out)
}

// parseProbs parses probabilities in [0, 1].
func parseProbs(flag, s string) ([]float64, error) {
	parts, err := splitList(flag, s)
	if err != nil {
		return nil, err
	}
	out := make([]float64, len(parts))
	for i, p := range parts {
		v, err := strconv.ParseFloat(p, 64)
		if err != nil || math.IsNaN(v) || v < 0 || v > 1 {
			return nil, usagef("-%s: bad value %q (valid: probabilities from 0 to 1)", flag, p)
		}
		out[i] = v
	}
	return out, noDup(flag, out)
}

// parseDurations parses Go durations ("500ms", "1s"); zero allowed only when zeroOK.
func parseDurations(flag, s string, zeroOK bool) ([]engine.Time, []string, error) {
	parts, err := splitList(flag, s)
	if err != nil {
		return nil, nil, err
	}
	out := make([]engine.Time, len(parts))
	texts := make([]string, len(parts))
	for i, p := range parts {
		d, err := time.ParseDuration(p)
		if err != nil || d < 0 || (d == 0 && !zeroOK) {
			want := "positive durations like 500ms, 1s"
			if zeroOK {
				want = "non-negative durations like 0, 200ms, 1s"
			}
			return nil, nil, usagef("-%s: bad value %q (valid: %s)", flag, p, want)
		}
		out[i] = engine.Time(d.Nanoseconds())
		texts[i] = d.String()
	}
	return out, texts, noDup(flag, out)
}

// parsePartitionings parses partitionings separated by ';', each a list of tier fractions
// separated by ':' or ',' ("0.6:0.1:0.15:0.15;0.6:0.2:0.1:0.1"). Fractions are positive.
func parsePartitionings(s string) ([][]float64, []string, error) {
	const valid = "fractions separated by ':' or ',', partitionings by ';', e.g. 0.6:0.1:0.15:0.15;0.6:0.2:0.1:0.1"
	if strings.TrimSpace(s) == "" {
		return nil, nil, usagef("-partitioning: empty list (valid: %s)", valid)
	}
	var out [][]float64
	var texts []string
	for _, part := range strings.Split(s, ";") {
		if strings.Trim(part, ":, \t") == "" {
			return nil, nil, usagef("-partitioning %q: empty partitioning (valid: %s)", s, valid)
		}
		fr, err := network.ParsePartitioning(part)
		var bad *network.BadFractionError
		if errors.As(err, &bad) {
			return nil, nil, usagef("-partitioning: bad fraction %q (valid: %s)", bad.Field, valid)
		}
		if slices.Contains(fr, 0) { // every tier of a sweep must hold nodes
			return nil, nil, usagef("-partitioning: bad fraction %q (valid: %s)", "0", valid)
		}
		out = append(out, fr)
		texts = append(texts, joinFloats(fr))
	}
	return out, texts, noDup("partitioning", texts)
}

func joinFloats(v []float64) string {
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = report.Float(x)
	}
	return strings.Join(s, ":")
}

func itoa(v []int) []string {
	out := make([]string, len(v))
	for i, x := range v {
		out[i] = strconv.Itoa(x)
	}
	return out
}

func utoa(v []uint64) []string {
	out := make([]string, len(v))
	for i, x := range v {
		out[i] = strconv.FormatUint(x, 10)
	}
	return out
}

func ftoa(v []float64) []string {
	out := make([]string, len(v))
	for i, x := range v {
		out[i] = report.Float(x)
	}
	return out
}
