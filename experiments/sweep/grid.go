package main

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/edgesim/edgesim/comm"
	"github.com/edgesim/edgesim/cpu"
	"github.com/edgesim/edgesim/engine"
	"github.com/edgesim/edgesim/internal/cli"
	"github.com/edgesim/edgesim/internal/report"
	"github.com/edgesim/edgesim/network"
	"github.com/edgesim/edgesim/sockshop"
	"github.com/edgesim/edgesim/workload"
)

// maxRuns bounds the grid so a typo (-seeds 1-1000000000) is an error, not an endless run.
// The grid's size is computed from the lists before any list is expanded.
const maxRuns = cli.MaxGridRuns

// validStrategies are the placement strategies a sweep accepts (static needs a service ->
// node map, which a grid has no axis for).
var validStrategies = []string{"random", "first-fit", "best-fit", "round-robin"}

// validModels are the cost models sockshop accepts.
var validModels = comm.Models

// axis is one parameter of the grid: its values (already validated) and how to set one of
// them on a config. An axis whose flag was not given has one value: the default config's.
type axis struct {
	flag  string
	n     int                             // values (set once the grid's size is known to be within maxRuns)
	count *big.Int                        // values, exact, before that check
	set   func(c *sockshop.Config, i int) // nil: keep the default config's value
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
	users, rate, service, cpu, sched, links          string
	given                                            map[string]bool // flags on the command line
}

// has says whether the flag was given (an explicitly empty list is an error, not the default).
func (p params) has(flag, v string) bool { return v != "" || p.given[flag] }

// usageError is a bad flag value: exit code 2.
type usageError = cli.UsageError

func usagef(format string, a ...any) error {
	return &usageError{Msg: fmt.Sprintf("sweep: "+format, a...)}
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
	g.add("variants", len(variants), func(c *sockshop.Config, i int) {}) // the variant picks the default config

	if p.has("strategies", p.strategies) {
		v, err := parseChoices("strategies", p.strategies, validStrategies, nil)
		if err != nil {
			return nil, err
		}
		g.add("strategies", len(v), func(c *sockshop.Config, i int) { c.Strategy = v[i] })
	}
	if p.has("nodes", p.nodes) {
		v, err := parseRanges("nodes", p.nodes, 1, cli.MaxNodes)
		if err != nil {
			return nil, err
		}
		g.addCount("nodes", v.count, func(c *sockshop.Config, i int) { c.Nodes = int(v.at(i)) })
	}
	if p.has("partitioning", p.partitioning) {
		v, texts, err := parsePartitionings(p.partitioning)
		if err != nil {
			return nil, err
		}
		g.add("partitioning", len(texts), func(c *sockshop.Config, i int) { c.Partitioning = slices.Clone(v[i]) })
	}
	if p.has("flap", p.flap) {
		v, err := parseProbs("flap", p.flap)
		if err != nil {
			return nil, err
		}
		g.add("flap", len(v), func(c *sockshop.Config, i int) { c.FlapDown = v[i] })
	}
	if p.has("flap-up", p.flapUp) {
		v, err := parseProbs("flap-up", p.flapUp)
		if err != nil {
			return nil, err
		}
		g.add("flap-up", len(v), func(c *sockshop.Config, i int) { c.FlapUp = v[i] })
	}
	if p.has("steps", p.steps) {
		v, err := parseRanges("steps", p.steps, 1, cli.MaxSteps)
		if err != nil {
			return nil, err
		}
		g.addCount("steps", v.count, func(c *sockshop.Config, i int) { c.Steps = int(v.at(i)) })
	}
	if p.has("step", p.step) {
		v, texts, err := parseDurations("step", p.step, false)
		if err != nil {
			return nil, err
		}
		g.add("step", len(texts), func(c *sockshop.Config, i int) { c.StepLength = v[i] })
	}
	if p.has("model", p.model) {
		v, err := parseChoices("model", p.model, validModels, nil)
		if err != nil {
			return nil, err
		}
		g.add("model", len(v), func(c *sockshop.Config, i int) { c.Model = v[i] })
	}
	if p.has("think", p.think) {
		v, texts, err := parseDurations("think", p.think, true)
		if err != nil {
			return nil, err
		}
		g.add("think", len(texts), func(c *sockshop.Config, i int) { c.Workload.Think = v[i] })
	}
	if p.has("timeout", p.timeout) {
		v, texts, err := parseDurations("timeout", p.timeout, false)
		if err != nil {
			return nil, err
		}
		g.add("timeout", len(texts), func(c *sockshop.Config, i int) { c.Timeout = v[i] })
	}
	if p.has("decline", p.decline) {
		v, err := parseProbs("decline", p.decline)
		if err != nil {
			return nil, err
		}
		g.add("decline", len(v), func(c *sockshop.Config, i int) { c.DeclineProb = v[i] })
	}
	if p.has("users", p.users) {
		v, err := parseRanges("users", p.users, 1, workload.MaxUsers)
		if err != nil {
			return nil, err
		}
		g.addCount("users", v.count, func(c *sockshop.Config, i int) { c.Workload.Users = int(v.at(i)) })
	}
	if p.has("rate", p.rate) {
		v, err := parseRates("rate", p.rate)
		if err != nil {
			return nil, err
		}
		g.add("rate", len(v), func(c *sockshop.Config, i int) { c.Workload.Rate = v[i] })
	}
	if p.has("service", p.service) {
		v, err := parseServices("service", p.service)
		if err != nil {
			return nil, err
		}
		g.add("service", len(v), func(c *sockshop.Config, i int) { c.Load.Service = v[i] })
	}
	for _, ax := range []struct {
		flag, text string
		valid      []string
		set        func(c *sockshop.Config, v string)
	}{
		{"cpu", p.cpu, comm.CPUModes, func(c *sockshop.Config, v string) { c.Load.CPU = v }},
		{"sched", p.sched, cpu.Disciplines, func(c *sockshop.Config, v string) { c.Load.Sched = v }},
		{"links", p.links, comm.LinkModes, func(c *sockshop.Config, v string) { c.Load.Links = v }},
	} {
		if p.has(ax.flag, ax.text) {
			v, err := parseChoices(ax.flag, ax.text, ax.valid, nil)
			if err != nil {
				return nil, err
			}
			g.add(ax.flag, len(v), func(c *sockshop.Config, i int) { ax.set(c, v[i]) })
		}
	}
	if !p.has("seeds", p.seeds) {
		g.add("seeds", 1, func(c *sockshop.Config, i int) {})
	} else {
		seeds, err := parseRanges("seeds", p.seeds, 0, math.MaxUint64)
		if err != nil {
			return nil, err
		}
		g.addCount("seeds", seeds.count, func(c *sockshop.Config, i int) { c.Seed = seeds.at(i) })
	}

	// The size is the product of the list lengths, computed without expanding any list.
	size := big.NewInt(1)
	var factors []string
	for _, a := range g.axes {
		size.Mul(size, a.count)
		if a.count.Cmp(big.NewInt(1)) != 0 {
			factors = append(factors, fmt.Sprintf("%s %s", a.count, a.flag))
		}
	}
	if size.Cmp(big.NewInt(maxRuns)) > 0 {
		return nil, usagef("the grid has %s runs (%s), above the limit of %d runs: shorten a list (shards split one grid; they do not raise the limit)",
			size, strings.Join(factors, " x "), maxRuns)
	}
	for i := range g.axes {
		g.axes[i].n = int(g.axes[i].count.Int64())
	}
	g.total = int(size.Int64())
	return g, nil
}

// validate checks the config of every group of the whole grid (not only this shard's, so
// every shard refuses the same grid): the limits of cli (steps x step, the generator's
// sizes), then the config's own Validate method when it has one (sockshop.Config does), so
// a bad combination is a usage error before any run. Only the first run of each group (all
// parameters but the seed) is checked: seeds never make a config invalid.
func (g *grid) validate() error {
	seeds := g.axes[len(g.axes)-1].n
	for k := 0; k < g.total; k += seeds {
		cfg := g.config(k)
		err := cli.CheckHorizon("-steps", cfg.Steps, "-step", time.Duration(cfg.StepLength))
		if err == nil && cfg.Infra == nil {
			err = cli.CheckNodes("-nodes", cfg.Nodes, "-partitioning", cfg.Partitioning)
		}
		if err == nil {
			if v, ok := any(&cfg).(interface{ Validate() error }); ok {
				err = v.Validate()
			}
		}
		if err != nil {
			return usagef("run %d (%s): %v", k+1, describe(cfg), err)
		}
	}
	return nil
}

// describe names the parameters of a config in messages.
func describe(c sockshop.Config) string {
	return fmt.Sprintf("variant %s, strategy %s, nodes %d, partitioning %s, steps %d, step %v",
		c.Variant, c.Strategy, c.Nodes, joinFloats(c.Partitioning), c.Steps, time.Duration(c.StepLength))
}

func (g *grid) add(flag string, n int, set func(*sockshop.Config, int)) {
	g.addCount(flag, big.NewInt(int64(n)), set)
}

func (g *grid) addCount(flag string, count *big.Int, set func(*sockshop.Config, int)) {
	g.axes = append(g.axes, axis{flag: flag, count: count, set: set})
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
		return 0, 0, usagef("-%s: bad element %q (valid: N or A-B, integers from 0 to %d)", flag, p, uint64(math.MaxUint64))
	}
	if hi < lo {
		return 0, 0, usagef("-%s: empty range %q (valid: A-B with A <= B)", flag, p)
	}
	return lo, hi, nil
}

// ranges is a list of inclusive ranges of unsigned integers, in the order given, never
// expanded: value i is found by binary search over the counts before each range.
type ranges struct {
	lo, hi []uint64
	before []uint64 // values in the ranges before range r (meaningful while count fits)
	count  *big.Int // values in all, exact (a range may hold 2^64 of them)
}

// at is the i-th value (0 <= i < len).
func (r *ranges) at(i int) uint64 {
	k := sort.Search(len(r.before), func(k int) bool { return r.before[k] > uint64(i) }) - 1
	return r.lo[k] + (uint64(i) - r.before[k])
}

// parseRanges parses "1-20,25": values N or ranges A-B, each from min to max, none given
// twice. Nothing is expanded: the count is exact, and the grid refuses more than maxRuns.
func parseRanges(flag, s string, min, max uint64) (*ranges, error) {
	parts, err := splitList(flag, s)
	if err != nil {
		return nil, usagef("%v (valid: N or A-B, e.g. 1-20,25)", strings.TrimPrefix(err.Error(), "sweep: "))
	}
	r := &ranges{count: new(big.Int)}
	one := big.NewInt(1)
	for _, p := range parts {
		lo, hi, err := parseRange(flag, p)
		if err != nil {
			return nil, err
		}
		if lo < min || hi > max {
			return nil, usagef("-%s: %q out of range (valid: integers from %d to %d)", flag, p, min, max)
		}
		r.lo, r.hi, r.before = append(r.lo, lo), append(r.hi, hi), append(r.before, r.count.Uint64())
		r.count.Add(r.count, new(big.Int).Add(new(big.Int).SetUint64(hi-lo), one))
	}
	// no value twice: sort the ranges by start and look for an overlap
	idx := make([]int, len(r.lo))
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool { return r.lo[idx[a]] < r.lo[idx[b]] })
	for k := 1; k < len(idx); k++ {
		a, b := idx[k-1], idx[k]
		if r.lo[b] <= r.hi[a] {
			return nil, usagef("-%s: value %d given twice (in %q and %q)", flag, r.lo[b], parts[a], parts[b])
		}
	}
	return r, nil
}

// parseProbs parses probabilities in [0, 1].
func parseProbs(flag, s string) ([]float64, error) {
	return parseFloats(flag, s, 1, "probabilities from 0 to 1")
}

// parseFloats parses numbers from 0 to hi; valid says what they are, for the message.
func parseFloats(flag, s string, hi float64, valid string) ([]float64, error) {
	parts, err := splitList(flag, s)
	if err != nil {
		return nil, err
	}
	out := make([]float64, len(parts))
	for i, p := range parts {
		v, err := strconv.ParseFloat(p, 64)
		if err != nil || math.IsNaN(v) || v < 0 || v > hi {
			return nil, usagef("-%s: bad value %q (valid: %s)", flag, p, valid)
		}
		out[i] = v
	}
	return out, noDup(flag, out)
}

// parseRates parses open-loop arrival rates: numbers >= 0 up to workload.MaxRate.
func parseRates(flag, s string) ([]float64, error) {
	return parseFloats(flag, s, workload.MaxRate, fmt.Sprintf("workflows per second from 0 to %g", workload.MaxRate))
}

// parseServices parses service-time distributions (comm.Load.Service).
func parseServices(flag, s string) ([]string, error) {
	parts, err := splitList(flag, s)
	if err != nil {
		return nil, err
	}
	for _, p := range parts {
		if err := (&comm.Load{Service: p}).Validate(); err != nil {
			return nil, usagef("-%s: %v", flag, strings.TrimPrefix(err.Error(), "comm: "))
		}
	}
	return parts, noDup(flag, parts)
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
		if err != nil || d < 0 || (d == 0 && !zeroOK) || d > cli.MaxVirtualTime {
			want := "positive durations like 500ms, 1s, up to " + cli.Dur(cli.MaxVirtualTime)
			if zeroOK {
				want = "non-negative durations like 0, 200ms, 1s, up to " + cli.Dur(cli.MaxVirtualTime)
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
