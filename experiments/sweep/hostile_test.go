package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/edgesim/edgesim/internal/clitest"
)

// smallFile writes a real sweep file of 4 runs (seeds 1-2, both variants, 2 steps) into
// dir/name and returns its bytes.
func smallFile(t *testing.T, dir, name string, extra ...string) []byte {
	t.Helper()
	path := filepath.Join(dir, name)
	args := append([]string{"-seeds", "1-2", "-steps", "2", "-quiet", "-o", path}, extra...)
	if code, _, e := runCLI(realCLI(), args...); code != 0 {
		t.Fatalf("sweep %v: %s", args, e)
	}
	b, _ := os.ReadFile(path)
	return b
}

func unchanged(name string, want *[]byte) func(t *testing.T, dir, _, _ string) {
	return func(t *testing.T, dir, _, _ string) {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil || !bytes.Equal(got, *want) {
			t.Errorf("%s was overwritten (%v)", name, err)
		}
	}
}

// TestHostileInputs feeds sweep and its subcommands what a careless or hostile user would,
// each case under a time and memory bound (clitest).
func TestHostileInputs(t *testing.T) {
	usage := func(name string, args []string, want ...string) clitest.Case {
		return clitest.Case{Name: name, Args: args, Code: 2, Want: want, Time: 5 * time.Second, Mem: 64 << 20}
	}
	var data []byte // the sweep file of the cases that read one (set by their Setup)
	withFile := func(name string) func(t *testing.T, dir string) {
		return func(t *testing.T, dir string) { data = smallFile(t, dir, name) }
	}
	cases := []clitest.Case{
		// from the issue
		usage("workers maxint", []string{"-workers", "9223372036854775807", "-steps", "1", "-quiet"}, "-workers", "from 1 to 256"),
		usage("workers 1e10", []string{"-workers", "10000000000", "-steps", "1", "-quiet"}, "-workers", "from 1 to 256"),
		{Name: "workers above the runs", Args: []string{"-workers", "256", "-seeds", "1-2", "-steps", "1", "-quiet"}, Code: 0,
			Want: []string{"run,runs,"}, Time: 10 * time.Second, Mem: 32 << 20},
		usage("grid of ten million", []string{"-seeds", "0-4999999", "-quiet"}, "the grid has 10000000 runs", "2 variants x 5000000 seeds", "limit of 1000000"),
		usage("grid of 2^64 seeds", []string{"-seeds", "0-18446744073709551615", "-quiet"}, "36893488147419103232 runs", "18446744073709551616 seeds", "1000000 runs"),
		usage("grid product overflows", []string{"-seeds", "0-999999", "-nodes", "10-4999", "-steps", "1-999999", "-quiet"}, "runs (2 variants x 4990 nodes x 999999 steps x 1000000 seeds)"),
		usage("steps 1e9", []string{"-steps", "1000000000"}, "-steps", "1 to 1000000"),
		usage("steps x step overflows", []string{"-steps", "2", "-step", "300000h"}, "-steps 2 x -step 300000h", "at most 1 steps"),
		usage("step beyond the limit", []string{"-step", "2562047h"}, "-step", "up to 438000h"),
		// Nothing is kept per step (see compare's hostile test; 300 000 steps with the
		// dynamics on take about 15 s, a million 50 s).
		{Name: "steps 300000 memory", Args: []string{"-steps", "300000", "-step", "1us", "-variants", "mpi", "-quiet", "-workers", "1"},
			Code: 0, Long: true, Time: 120 * time.Second, Mem: 64 << 20},
		{Name: "o and summary the same file", Args: []string{"-seeds", "1", "-steps", "1", "-quiet", "-o", "{dir}/x.csv", "-summary", "{dir}/x.csv"},
			Code: 2, Want: []string{"-o", "-summary", "same file"}},
		{Name: "o and summary, two spellings", Args: []string{"-seeds", "1", "-steps", "1", "-quiet", "-o", "{dir}/x.csv", "-summary", "{dir}/sub/../x.csv"},
			Code: 2, Want: []string{"same file"}, Setup: func(t *testing.T, dir string) { os.Mkdir(filepath.Join(dir, "sub"), 0o755) }},
		{Name: "o and summary through a symlink", Args: []string{"-seeds", "1", "-steps", "1", "-quiet", "-o", "{dir}/s.csv", "-summary", "{dir}/link.csv"},
			Code: 2, Want: []string{"same file"},
			Setup: func(t *testing.T, dir string) {
				data = smallFile(t, dir, "s.csv")
				if err := os.Symlink(filepath.Join(dir, "s.csv"), filepath.Join(dir, "link.csv")); err != nil {
					t.Skip(err)
				}
			},
			Check: unchanged("s.csv", &data)},
		{Name: "summary -in X -summary X", Args: []string{"summary", "-in", "{dir}/s.csv", "-summary", "{dir}/s.csv"},
			Code: 2, Want: []string{"-in", "-summary", "same file"}, Setup: withFile("s.csv"), Check: unchanged("s.csv", &data)},
		{Name: "summary -in X -summary ./X", Args: []string{"summary", "-in", "{dir}/s.csv", "-summary", "{dir}/./s.csv"},
			Code: 2, Want: []string{"same file"}, Setup: withFile("s.csv"), Check: unchanged("s.csv", &data)},
		{Name: "summary FILE", Args: []string{"summary", "{dir}/s.csv"}, Code: 2,
			Want: []string{"unexpected argument", "sweep summary -in FILE", "sweep summary -h"}, Setup: withFile("s.csv")},
		{Name: "plot FILE", Args: []string{"plot", "{dir}/s.csv", "-x", "seed"}, Code: 2, Want: []string{"unexpected argument", "-in"}},
		{Name: "plot -x seed near 2^64", Args: []string{"plot", "-in", "{dir}/s.csv", "-x", "seed", "-y", "workflows", "-o", "{dir}/f.svg"}, Code: 0,
			Setup: func(t *testing.T, dir string) {
				path := filepath.Join(dir, "s.csv")
				if code, _, e := runCLI(realCLI(), "-seeds", "18446744073709551610-18446744073709551615", "-steps", "3", "-quiet", "-o", path); code != 0 {
					t.Fatal(e)
				}
			},
			Check: func(t *testing.T, dir, _, _ string) {
				b, _ := os.ReadFile(filepath.Join(dir, "f.svg"))
				svg := string(b)
				if !strings.Contains(svg, "seed - 18446744073709551610") {
					t.Error("the x axis is not labelled seed - 18446744073709551610")
				}
				for x := 0; x <= 5; x++ { // a tick at each of the six seeds
					if !strings.Contains(svg, fmt.Sprintf(">%d</text>", x)) {
						t.Errorf("no tick %d: the six seeds are not told apart", x)
					}
				}
			}},
		{Name: "plot one x value", Args: []string{"plot", "-in", "{dir}/s.csv", "-x", "nodes", "-y", "messages", "-o", "{dir}/f.png"}, Code: 0,
			Setup: withFile("s.csv"),
			Check: func(t *testing.T, dir, _, _ string) {
				if fi, err := os.Stat(filepath.Join(dir, "f.png")); err != nil || fi.Size() < 1000 {
					t.Errorf("figure: %v", err)
				}
			}},
		{Name: "plot -in X -o X", Args: []string{"plot", "-in", "{dir}/s.svg", "-x", "seed", "-y", "workflows", "-o", "{dir}/s.svg"},
			Code: 2, Want: []string{"same file"}, Setup: withFile("s.svg"), Check: unchanged("s.svg", &data)},
		{Name: "merge -o an input", Args: []string{"merge", "-o", "{dir}/s.csv", "{dir}/s.csv"},
			Code: 2, Want: []string{"same file"}, Setup: withFile("s.csv"), Check: unchanged("s.csv", &data)},
		{Name: "merge flags after files", Args: []string{"merge", "{dir}/s.csv", "-o", "{dir}/m.csv"},
			Code: 2, Want: []string{`"-o" after the files`, "flags go before the files"}, Setup: withFile("s.csv")},
		usage("summary -in /dev/zero", []string{"summary", "-in", "/dev/zero"}, "-in /dev/zero", "not a regular file"),
		usage("summary -in a directory", []string{"summary", "-in", "."}, "-in .", "is a directory"),
		usage("summary -in missing", []string{"summary", "-in", "no/such.csv"}, "-in no/such.csv", "no such file"),
		{Name: "merge runs column huge", Args: []string{"merge", "{dir}/s.csv"}, Code: 2, Want: []string{"bad runs column", "1..1000000"},
			Setup: func(t *testing.T, dir string) {
				b := smallFile(t, dir, "s.csv")
				b = bytes.Replace(b, []byte("\n1,4,"), []byte("\n1,9223372036854775807,"), 1)
				clitest.WriteFile(t, filepath.Join(dir, "s.csv"), b)
			}},
		{Name: "merge line too long", Args: []string{"merge", "{dir}/s.csv"}, Code: 2, Want: []string{"line 2 is longer than 1048576 bytes"},
			Setup: func(t *testing.T, dir string) {
				clitest.WriteFile(t, filepath.Join(dir, "s.csv"), append([]byte(csvHeader()), bytes.Repeat([]byte("x"), 2<<20)...))
			}},
		{Name: "summary malformed row", Args: []string{"summary", "-in", "{dir}/s.csv"}, Code: 2, Want: []string{"line 2: malformed row"},
			Setup: func(t *testing.T, dir string) {
				clitest.WriteFile(t, filepath.Join(dir, "s.csv"), []byte(csvHeader()+"1,2,3\n"))
			}},
		{Name: "summary BOM header", Args: []string{"summary", "-in", "{dir}/s.csv"}, Code: 2, Want: []string{"line 1 is not the header"},
			Setup: func(t *testing.T, dir string) {
				clitest.WriteFile(t, filepath.Join(dir, "s.csv"), []byte("\xef\xbb\xbf"+csvHeader()))
			}},
		usage("summary empty -in", []string{"summary", "-in", ""}, "-in FILE is required"),
		usage("plot -where matches nothing", []string{"plot", "-in", "x.csv", "-x", "nodes", "-y", "lost", "-where", "nonsense", "-o", "f.svg"}, "-where", "COL=VALUE"),
		usage("plot bad x", []string{"plot", "-in", "x.csv", "-x", "variant", "-y", "lost", "-o", "f.svg"}, "-x", "nodes, flap_down"),

		// -out DIR
		{Name: "out rerun replaces the same runs", Args: []string{"-seeds", "1-2", "-variants", "mpi", "-steps", "2", "-quiet", "-out", "{dir}/o"}, Code: 0,
			Setup: func(t *testing.T, dir string) {
				if code, _, e := runCLI(realCLI(), "-seeds", "1-2", "-variants", "mpi", "-steps", "2", "-quiet", "-out", filepath.Join(dir, "o"), "-report-format", "jsonl"); code != 0 {
					t.Fatal(e)
				}
				if code, _, e := runCLI(realCLI(), "-seeds", "1-2", "-variants", "mpi", "-steps", "2", "-quiet", "-out", filepath.Join(dir, "o")); code != 0 {
					t.Fatal(e)
				}
			},
			Check: func(t *testing.T, dir, _, _ string) {
				entries, _ := os.ReadDir(filepath.Join(dir, "o"))
				if len(entries) != 2 {
					t.Errorf("%d entries, want run-000001 and run-000002", len(entries))
				}
				if m, _ := filepath.Glob(filepath.Join(dir, "o", "*", "*", "*.jsonl")); len(m) > 0 {
					t.Errorf("tables of the earlier sweep left beside the new ones: %v", m)
				}
			}},
		{Name: "out holds a bigger grid", Args: []string{"-seeds", "1", "-variants", "mpi", "-steps", "2", "-quiet", "-out", "{dir}/o"}, Code: 2,
			Want: []string{"is from another sweep", "new or empty directory"},
			Setup: func(t *testing.T, dir string) {
				if code, _, e := runCLI(realCLI(), "-seeds", "1-2", "-variants", "mpi", "-steps", "2", "-quiet", "-out", filepath.Join(dir, "o")); code != 0 {
					t.Fatal(e)
				}
			}},
		{Name: "out holds another grid of the same size", Args: []string{"-seeds", "5-6", "-variants", "mpi", "-steps", "2", "-quiet", "-out", "{dir}/o"}, Code: 2,
			Want: []string{"is not run 1 of this grid"},
			Setup: func(t *testing.T, dir string) {
				if code, _, e := runCLI(realCLI(), "-seeds", "1-2", "-variants", "mpi", "-steps", "2", "-quiet", "-out", filepath.Join(dir, "o")); code != 0 {
					t.Fatal(e)
				}
			}},
		{Name: "out holds a user file", Args: []string{"-seeds", "1", "-steps", "1", "-quiet", "-out", "{dir}/o"}, Code: 2,
			Want: []string{"holds notes.txt", "not a run directory"},
			Setup: func(t *testing.T, dir string) {
				os.Mkdir(filepath.Join(dir, "o"), 0o755)
				clitest.WriteFile(t, filepath.Join(dir, "o", "notes.txt"), []byte("mine"))
			}},
		{Name: "o inside out", Args: []string{"-seeds", "1", "-steps", "1", "-quiet", "-out", "{dir}/o", "-o", "{dir}/o/s.csv"}, Code: 2,
			Want: []string{"-o", "is inside -out"}},
		usage("o is a directory", []string{"-seeds", "1", "-steps", "1", "-quiet", "-o", "."}, "-o .", "is a directory"),
		{Name: "o unwritable", Args: []string{"-seeds", "1", "-steps", "1", "-quiet", "-o", "main.go/x.csv"}, Code: 1, Want: []string{"-o main.go/x.csv", "not a directory"}},
		{Name: "summary unwritable, found before the runs", Args: []string{"-seeds", "1-3", "-steps", "1", "-quiet", "-summary", "main.go/x.csv"}, Code: 1,
			Want: []string{"-summary main.go/x.csv"},
			Check: func(t *testing.T, _, stdout, _ string) {
				if stdout != "" {
					t.Error("the runs went ahead although -summary cannot be written")
				}
			}},

		// lists: empty, NaN, huge, unicode, duplicates
		usage("nodes 1", []string{"-nodes", "1"}, "-nodes 1 with -partitioning 0.6,0.1,0.15,0.15", "valid: 10..10000"),
		usage("nodes too many links", []string{"-nodes", "30,10000", "-partitioning", "0.5:0.5"}, "-nodes 10000", "above the limit of 33554432"),
		usage("nodes above the limit", []string{"-nodes", "30,10001"}, "-nodes", "from 1 to 10000"),
		usage("partitioning with a zero", []string{"-partitioning", "0.5:0:0.5"}, "-partitioning", "bad fraction"),
		usage("partitioning and nodes", []string{"-partitioning", "0.9:0.1", "-nodes", "1"}, "-nodes 1 with -partitioning 0.9,0.1", "valid: 2.."),
		usage("flap NaN", []string{"-flap", "NaN"}, "-flap", "probabilities from 0 to 1"),
		usage("flap Inf", []string{"-flap", "Inf"}, "-flap", "probabilities from 0 to 1"),
		usage("decline 1e999", []string{"-decline", "1e999"}, "-decline", "probabilities from 0 to 1"),
		usage("think negative", []string{"-think", "-1s"}, "-think", "non-negative durations"),
		usage("timeout zero", []string{"-timeout", "0"}, "-timeout", "positive durations"),
		usage("timeout huge", []string{"-timeout", "9999999h"}, "-timeout", "438000h"),
		usage("seeds empty", []string{"-seeds", ""}, "-seeds", "empty list"),
		usage("seeds blank", []string{"-seeds", " "}, "-seeds", "empty list"),
		usage("seeds negative", []string{"-seeds", "-1"}, "-seeds", "bad element", "N or A-B"),
		usage("seeds overlap", []string{"-seeds", "1-10,5"}, "-seeds", "value 5 given twice"),
		usage("seeds 2^64", []string{"-seeds", "18446744073709551616"}, "-seeds", "18446744073709551615"),
		usage("strategies unicode", []string{"-strategies", "randöm"}, `"randöm"`, "random, first-fit"),
		usage("variants empty element", []string{"-variants", "mpi,,rest"}, "-variants", "empty element"),
		usage("seeds twice", []string{"-seeds", "1", "-seeds", "2"}, "-seeds", "more than once"),
		usage("shard zero count", []string{"-shard", "1/0"}, "-shard", "0 <= i < n"),
		usage("shard huge", []string{"-shard", "0/99999999999999999999"}, "-shard"),
		usage("report format empty", []string{"-report-format", ""}, "-report-format", "csv, jsonl"),
		usage("empty -o", []string{"-o", ""}, "-o", "empty"),
		usage("positional", []string{"-quiet", "sweep.csv"}, `unexpected argument "sweep.csv"`),
		usage("bad flag prints no usage", []string{"-nope"}, "flag provided but not defined: -nope", "sweep -h"),
		{Name: "help", Args: []string{"-h"}, Code: 0, Want: []string{"Limits:", "1000000 runs", "-workers"}},
		{Name: "merge help", Args: []string{"merge", "-h"}, Code: 0, Want: []string{"Usage: sweep merge", "Limits:"}},
	}
	clitest.Table(t, func(args []string, stdout, stderr io.Writer) int { return realCLI().main(args, stdout, stderr) }, cases)
}
