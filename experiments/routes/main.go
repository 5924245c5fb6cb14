// Command routes prints the route between every ordered pair of distinct up nodes of an
// infrastructure, loaded from a networkx node-link JSON file or generated from a seed.
//
//	go run ./experiments/routes                                   # SockShop's infrastructure
//	go run ./experiments/routes -gen fat-tree -k 4 -format csv
//	go run ./experiments/routes -infra infra.json -dot infra.dot
//
// Exit status: 0 on success (and for -h), 2 for a usage error (bad flag or flag value,
// generator parameters the generator refuses, a bad or too large -infra file, more up nodes
// than cli.MaxRouteNodes), 1 when writing fails. Every input is checked before any route is
// computed.
package main

import (
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/edgesim/edgesim/engine"
	"github.com/edgesim/edgesim/internal/cli"
	"github.com/edgesim/edgesim/internal/tables"
	"github.com/edgesim/edgesim/network"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

// options are the parsed flags.
type options struct {
	infra, dot, format string
	seed               uint64
	gen                network.GeneratorConfig
}

var usageText = `Usage: routes [flags]

Prints, for every ordered pair of distinct up nodes, the shortest path by latency
(ties: fewest hops, then smallest node-index sequence): source, target, hops,
latency_ms (sum), bandwidth_mbps (min), processing_ms (sum over every node of the
path) and the path. Pairs with no path are listed with hops -1.

Exit codes: 0 ok, 1 writing failed, 2 a bad flag, value or input file (nothing printed).

Limits:
` + cli.Limits("infra", "routes") + `
Flags:
`

// fatTreeNodes is the node count of a k-ary fat-tree (network.FatTree): (k/2)^2 core
// switches, k pods of k/2 aggregation and k/2 edge switches, k^3/4 hosts.
func fatTreeNodes(k int) int { return k*k/4 + k*k + k*k*k/4 }

func parse(args []string, stderr io.Writer) (options, error) {
	var o options
	s := cli.NewSet("routes", usageText)
	s.String(&o.infra, "infra", "", "read the infrastructure from this networkx node-link JSON `file` instead of generating one")
	s.String(&o.gen.Kind, "gen", "hierarchical", "`generator`", network.Generators()...)
	s.Int(&o.gen.N, "n", 30, 1, cli.MaxRouteNodes, "number of `nodes` (all generators but fat-tree)")
	s.Uint64(&o.seed, "seed", 22, math.MaxUint64, "`seed`; the generator draws from engine.Stream(seed, \"infrastructure\")", "a seed names the generator's random stream")
	var part string
	s.String(&part, "partitioning", "0.6,0.1,0.15,0.15", "hierarchical: tier `fractions` separated by ',' or ':'")
	s.Float(&o.gen.P, "p", 0.1, 0, 1, "random: edge `probability`; small-world: edge replacement probability")
	s.Int(&o.gen.M, "m", 2, 1, cli.MaxRouteNodes, "scale-free: `edges` added per new node")
	s.Int(&o.gen.D, "d", 2, 1, cli.MaxRouteNodes, "small-world: ring `neighbours` on each side")
	s.Int(&o.gen.K, "k", 4, 2, 14, "fat-tree: switch `ports` (even; k=14 gives 931 nodes)")
	s.String(&o.format, "format", "table", "output `format`", tables.Formats...)
	s.String(&o.dot, "dot", "", "also write a Graphviz DOT picture of the infrastructure to this `file`")
	if err := s.Parse(args, stderr); err != nil {
		return o, err
	}
	if len(s.Args()) > 0 {
		return o, cli.Usagef("unexpected argument %q (routes takes flags only; a file goes after -infra)", s.Args()[0])
	}
	genSet := false
	for _, f := range []string{"gen", "n", "seed", "partitioning", "p", "m", "d", "k"} {
		genSet = genSet || s.Given(f)
	}
	if s.Given("infra") && o.infra == "" {
		return o, cli.Usagef("-infra: empty file name")
	}
	if o.infra != "" && genSet {
		return o, cli.Usagef("-infra reads a file: do not combine it with generator flags")
	}
	if o.infra == "" {
		fr, err := network.ParsePartitioning(part)
		if err != nil {
			var bad *network.BadFractionError
			errors.As(err, &bad)
			return o, cli.Usagef("-partitioning %q: %q is not a number >= 0 (valid: fractions separated by ',' or ':', e.g. 0.6,0.1,0.15,0.15)", part, bad.Field)
		}
		o.gen.Partitioning = fr
		if o.gen.Kind == "fat-tree" && o.gen.K%2 != 0 {
			return o, cli.Usagef("-k %d: the port count of a fat-tree is even (valid: 2, 4, ..., 14)", o.gen.K)
		}
	}
	if err := cli.CheckPaths(cli.Path{Flag: "-infra", Name: o.infra, Kind: cli.Input}, cli.Path{Flag: "-dot", Name: o.dot, Kind: cli.OutFile}); err != nil {
		return o, err
	}
	return o, nil
}

// run is the whole command, testable: it returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	o, err := parse(args, stderr)
	if err == nil {
		err = routes(o, stdout)
	}
	return cli.Report(stderr, "routes", err)
}

// load reads or generates the infrastructure; every error is a usage error (a bad file or
// parameters the generator refuses), and so is a graph with more up nodes than the limit.
func load(o options) (*network.Graph, error) {
	var g *network.Graph
	if o.infra != "" {
		var err error
		if g, err = cli.ReadNodeLink("-infra", o.infra); err != nil {
			return nil, err
		}
	} else {
		var err error
		if g, err = network.Generate(o.gen, engine.Stream(o.seed, "infrastructure")); err != nil {
			return nil, cli.Usagef("-gen %s: %v", o.gen.Kind, err)
		}
	}
	up := 0
	for _, id := range g.Nodes() {
		if g.Up(id) {
			up++
		}
	}
	if up > cli.MaxRouteNodes {
		return nil, cli.Usagef("%d up nodes, above the limit of %d (%d pairs): give a smaller infrastructure", up, cli.MaxRouteNodes, up*(up-1))
	}
	return g, nil
}

func routes(o options, stdout io.Writer) error {
	g, err := load(o)
	if err != nil {
		return err
	}
	if o.dot != "" {
		f, err := cli.CreateOutput("-dot", o.dot)
		if err != nil {
			return err
		}
		defer f.Abort()
		if err := network.WriteDOT(f, g); err != nil {
			return fmt.Errorf("-dot %s: %w", o.dot, err)
		}
		if err := f.Commit(); err != nil {
			return err
		}
	}
	num := func(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
	var rows [][]string
	for _, a := range g.Nodes() {
		for _, b := range g.Nodes() {
			if a == b || !g.Up(a) || !g.Up(b) {
				continue
			}
			p, err := g.Route(a, b)
			if err != nil {
				rows = append(rows, []string{a, b, "-1", "", "", "", ""})
				continue
			}
			rows = append(rows, []string{a, b, strconv.Itoa(len(p.Hops)), num(p.LatencyMS), num(p.BandwidthMbps),
				num(p.ProcessingMS), strings.Join(p.Nodes, "->")})
		}
	}
	header := []string{"source", "target", "hops", "latency_ms", "bandwidth_mbps", "processing_ms", "path"}
	return tables.Render(stdout, o.format, header, rows)
}
