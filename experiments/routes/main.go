// Command routes prints the route between every ordered pair of distinct up nodes of an
// infrastructure, loaded from a networkx node-link JSON file or generated from a seed.
//
//	go run ./experiments/routes                                   # SockShop's infrastructure
//	go run ./experiments/routes -gen fat-tree -k 4 -format csv
//	go run ./experiments/routes -infra infra.json -dot infra.dot
//
// Exit status: 0 on success (and for -h), 2 for a usage error (bad flag or flag value), 1 when
// loading, generating or writing fails.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/edgesim/edgesim/engine"
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

// usageError marks errors that exit with status 2.
type usageError struct{ error }

func parse(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("routes", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.infra, "infra", "", "read the infrastructure from this networkx node-link JSON `file` instead of generating one")
	fs.StringVar(&o.gen.Kind, "gen", "hierarchical", "generator: "+strings.Join(network.Generators(), ", "))
	fs.IntVar(&o.gen.N, "n", 30, "number of nodes (all generators but fat-tree)")
	fs.Uint64Var(&o.seed, "seed", 22, "seed; the generator draws from engine.Stream(seed, \"infrastructure\")")
	part := fs.String("partitioning", "0.6,0.1,0.15,0.15", "hierarchical: comma-separated tier `fractions`")
	fs.Float64Var(&o.gen.P, "p", 0.1, "random: edge probability; small-world: edge replacement probability")
	fs.IntVar(&o.gen.M, "m", 2, "scale-free: edges added per new node")
	fs.IntVar(&o.gen.D, "d", 2, "small-world: ring neighbours on each side")
	fs.IntVar(&o.gen.K, "k", 4, "fat-tree: switch port count (even)")
	fs.StringVar(&o.format, "format", "table", "output format: "+strings.Join(tables.Formats, ", "))
	fs.StringVar(&o.dot, "dot", "", "also write a Graphviz DOT picture of the infrastructure to this `file`")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: routes [flags]\n\n"+
			"Prints, for every ordered pair of distinct up nodes, the shortest path by latency\n"+
			"(ties: fewest hops, then smallest node-index sequence): source, target, hops,\n"+
			"latency_ms (sum), bandwidth_mbps (min), processing_ms (sum over every node of the\n"+
			"path) and the path. Pairs with no path are listed with hops -1.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, usageError{fmt.Errorf("unexpected argument %q", fs.Arg(0))}
	}
	genSet := false
	fs.Visit(func(f *flag.Flag) {
		if f.Name != "infra" && f.Name != "dot" && f.Name != "format" {
			genSet = true
		}
	})
	if o.infra != "" && genSet {
		return o, usageError{errors.New("-infra reads a file: do not combine it with generator flags")}
	}
	if err := tables.CheckFormat(o.format); err != nil {
		return o, usageError{err}
	}
	if o.infra == "" {
		valid := false
		for _, g := range network.Generators() {
			valid = valid || g == o.gen.Kind
		}
		if !valid {
			return o, usageError{fmt.Errorf("unknown generator %q (valid: %s)", o.gen.Kind, strings.Join(network.Generators(), ", "))}
		}
		fr, err := network.ParsePartitioning(*part)
		if err != nil {
			var bad *network.BadFractionError
			errors.As(err, &bad)
			return o, usageError{fmt.Errorf("-partitioning %q: %q is not a number", *part, bad.Field)}
		}
		o.gen.Partitioning = fr
	}
	return o, nil
}

// run is the whole command, testable: it returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	o, err := parse(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	var ue usageError
	if errors.As(err, &ue) {
		fmt.Fprintf(stderr, "routes: %v (see routes -h)\n", err)
		return 2
	}
	if err != nil {
		return 2 // the flag package has printed the problem and the usage
	}
	if err := routes(o, stdout); err != nil {
		fmt.Fprintf(stderr, "routes: %v\n", err)
		return 1
	}
	return 0
}

func routes(o options, stdout io.Writer) error {
	var g *network.Graph
	var err error
	if o.infra != "" {
		g, err = network.ReadNodeLink(o.infra)
	} else {
		g, err = network.Generate(o.gen, engine.Stream(o.seed, "infrastructure"))
	}
	if err != nil {
		return err
	}
	if o.dot != "" {
		f, err := os.Create(o.dot)
		if err != nil {
			return err
		}
		if err := network.WriteDOT(f, g); err != nil {
			f.Close()
			return err
		}
		if err := f.Close(); err != nil {
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
