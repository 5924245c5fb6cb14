// Command validate runs small applications through the simulator's run loop and compares
// their measurements with queueing theory (package internal/validate), printing one row per
// quantity: oracle, simulated value, relative error, tolerance, why the tolerance is
// honest, and whether the row passes.
//
//	go run ./experiments/validate                                          # the full table
//	go run ./experiments/validate -format markdown -o results/validation.md   # the committed file
//	go run ./experiments/validate -short                                   # a quick, smaller table
//
// Exit status: 0 when every row passes (and for -h), 1 when a run fails or a row does not
// pass (the table is still written), 2 for a usage error.
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/edgesim/edgesim/internal/tables"
	"github.com/edgesim/edgesim/internal/validate"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

const usageText = `Usage: go run ./experiments/validate [flags]

Runs the validation experiments: M/M/1, M/M/c (Erlang C), M/D/1 (Pollaczek-Khinchine),
processor sharing on one and four cores with exponential, constant and lognormal work
(insensitivity), a Jackson tandem, a closed network against exact mean value analysis, a
two-way fork-join, Little's law on every run, and max-min link sharing on hand-worked cases.
Every application runs through scenario.Run (the run loop SockShop uses) in both variants,
MPI and REST, replicated %d times; a row passes when the simulated mean is within %d
standard errors of its oracle. The runs are shared among GOMAXPROCS goroutines; the output
does not depend on their number.

Flags:
`

type options struct {
	format string
	out    string
	short  bool
}

func parse(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("validate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, usageText, validate.Replications, validate.K)
		fs.PrintDefaults()
	}
	fs.StringVar(&o.format, "format", "table", "output `format`: "+strings.Join(tables.Formats, ", ")+
		" (markdown is the document committed as results/validation.md; csv is one table with the section of each row and the tolerance both absolute and relative)")
	fs.StringVar(&o.out, "o", "", "write the output to this `file` instead of standard output")
	fs.BoolVar(&o.short, "short", false, fmt.Sprintf("measure 1/%d of the workflows of every run: the same rows, wider (still honest) tolerances, a few seconds", validate.ShortDivisor))
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if err := tables.CheckFormat(o.format); err != nil {
		return o, err
	}
	return o, nil
}

// run is the whole command, testable: it returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	o, err := parse(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "validate: %v (see validate -h)\n", err)
		return 2
	}
	rows, err := validate.Run(validate.Options{Short: o.short})
	if err != nil {
		fmt.Fprintf(stderr, "validate: %v\n", err)
		return 1
	}
	var buf bytes.Buffer
	if err := validate.Render(&buf, o.format, rows, o.short); err != nil {
		fmt.Fprintf(stderr, "validate: %v\n", err)
		return 1
	}
	if o.out != "" {
		err = os.WriteFile(o.out, buf.Bytes(), 0o644)
	} else {
		_, err = stdout.Write(buf.Bytes())
	}
	if err != nil {
		fmt.Fprintf(stderr, "validate: %v\n", err)
		return 1
	}
	if failed := validate.Failed(rows); len(failed) > 0 {
		for _, r := range failed {
			fmt.Fprintf(stderr, "validate: FAIL %s, %s, %s, %s: simulated %s, oracle %s, tolerance %s\n",
				r.Section, r.Experiment, r.Variant, r.Quantity, validate.Num(r.Sim), validate.Num(r.Oracle), validate.Num(r.Tol))
		}
		return 1
	}
	return 0
}
