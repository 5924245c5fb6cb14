package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/edgesim/edgesim/engine"
	"github.com/edgesim/edgesim/internal/cli"
	"github.com/edgesim/edgesim/internal/clitest"
	"github.com/edgesim/edgesim/network"
)

// oddIDs are node ids holding every separator of -place and -outage, and more.
var oddIDs = []string{"a,b", "c=d", "e@f", `g\h`, "ü+1", " sp ", "n0"}

// writeOddInfra writes a node-link file whose nodes are oddIDs, fully connected, each big
// enough for all of SockShop.
func writeOddInfra(t *testing.T, path string) {
	t.Helper()
	g := network.NewGraph()
	for _, id := range oddIDs {
		if err := g.AddNode(id, network.NodeAssets{CPU: 100, GPU: 100, RAM: 100, Storage: 100, Availability: 1, ProcessingTimeMS: 1}); err != nil {
			t.Fatal(err)
		}
	}
	for i, a := range oddIDs {
		for _, b := range oddIDs[i+1:] {
			if err := g.AddSymmetricLink(a, b, network.LinkAssets{LatencyMS: 1, BandwidthMbps: 1000}); err != nil {
				t.Fatal(err)
			}
		}
	}
	var b bytes.Buffer
	if err := network.WriteNodeLink(&b, g); err != nil {
		t.Fatal(err)
	}
	clitest.WriteFile(t, path, b.Bytes())
}

// placeAll places every service on the node id, escaped.
func placeAll(ids ...string) string {
	svcs := []string{"FrontendService", "UserService", "CatalogService", "OrderService", "CartService", "PaymentService", "ShippingService"}
	var parts []string
	for i, s := range svcs {
		parts = append(parts, s+"="+cli.Escape(ids[i%len(ids)]))
	}
	return strings.Join(parts, ",")
}

const goodPlace = "FrontendService=n0,CatalogService=n0,UserService=n3,CartService=n3,OrderService=n8,PaymentService=n8,ShippingService=n24"

// earlierReport runs compare into dir/out with the given report format, as an earlier run
// the user made.
func earlierReport(t *testing.T, dir, format string) {
	t.Helper()
	var o, e bytes.Buffer
	if code := run([]string{"-steps", "2", "-out", filepath.Join(dir, "out"), "-report-format", format, "-format", "csv"}, &o, &e); code != 0 {
		t.Fatalf("earlier run: %s", e.String())
	}
}

func fileEquals(path string, want []byte) func(t *testing.T, dir, _, _ string) {
	return func(t *testing.T, dir, _, _ string) {
		got, err := os.ReadFile(strings.ReplaceAll(path, "{dir}", dir))
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s changed (%v): an input was overwritten", path, err)
		}
	}
}

var infraJSON = []byte(`{"directed": false, "nodes": [{"id": "a", "cpu": 64, "ram": 64, "storage": 64}, {"id": "b", "cpu": 64, "ram": 64, "storage": 64}], "edges": [{"source": "a", "target": "b", "latency": 1, "bandwidth": 100}]}`)

func writeInfra(name string) func(t *testing.T, dir string) {
	return func(t *testing.T, dir string) { clitest.WriteFile(t, filepath.Join(dir, name), infraJSON) }
}

// TestHostileInputs feeds compare what a careless or hostile user would, each case under a
// time and memory bound (clitest): the exit code must be 2 for every bad flag, value or
// input file and 1 for a failed output, the message must name the flag or the file element
// and what is valid, and nothing may panic, hang or grow without bound.
func TestHostileInputs(t *testing.T) {
	usage := func(name string, args []string, want ...string) clitest.Case {
		return clitest.Case{Name: name, Args: args, Code: 2, Want: want, Time: 5 * time.Second, Mem: 64 << 20}
	}
	cases := []clitest.Case{
		// from the issue
		usage("steps 1e9", []string{"-steps", "1000000000"}, "-steps", "from 1 to 1000000"),
		// The largest run: the run loop holds one step boundary at a time and keeps nothing
		// per step (the report's Observer writes steps out as they end), so memory does not
		// grow with the steps: a leak of 100 bytes a step would break the bound.
		{Name: "steps 1000000 memory", Args: []string{"-steps", "1000000", "-step", "1us", "-dynamics=false", "-variants", "mpi", "-format", "csv"},
			Code: 0, Long: true, Time: 120 * time.Second, Mem: 64 << 20},
		usage("infra /dev/zero", []string{"-infra", "/dev/zero"}, "-infra /dev/zero", "not a regular file", "33554432 bytes"),
		usage("steps x step overflows", []string{"-step", "2562047h", "-steps", "2"}, "-step", "438000h"),
		usage("steps x step beyond the horizon", []string{"-step", "300000h", "-steps", "2"}, "-steps 2 x -step 300000h", "at most 1 steps"),
		usage("steps x step overflow 3", []string{"-step", "100000h", "-steps", "9"}, "438000h", "at most 4 steps"),
		usage("nodes 1", []string{"-nodes", "1"}, "-nodes 1", "valid: 10..10000"),
		usage("nodes huge", []string{"-nodes", "100000"}, "-nodes", "from 1 to 10000"),
		usage("nodes too many links", []string{"-nodes", "10000", "-partitioning", "0.5,0.5"}, "-nodes 10000", "links, above the limit of 33554432", "valid: 2..8190"),
		usage("nodes one tier too many", []string{"-nodes", "10001", "-partitioning", "1"}, "-nodes", "from 1 to 10000"),
		usage("partitioning with a zero", []string{"-partitioning", "0.5,0,0.5"}, "-partitioning 0.5,0,0.5", "fraction 2 is 0", "> 0"),
		usage("place unknown node", []string{"-place", strings.Replace(goodPlace, "n24", "n30", 1)}, `unknown node "n30"`, "n0..n29"),
		usage("outage unknown node", []string{"-outage", "n30@1s"}, `-outage "n30@1s"`, `unknown node "n30"`, "n0..n29"),
		usage("seed -1", []string{"-seed", "-1"}, `-seed "-1"`, "0 to 18446744073709551615 (2^64-1)", "seed names the run"),
		usage("seed 2^64", []string{"-seed", "18446744073709551616"}, "0 to 18446744073709551615"),
		{Name: "seed 2^64-1", Args: []string{"-seed", "18446744073709551615", "-steps", "2"}, Code: 0, Want: []string{"seed 18446744073709551615"}},
		usage("bad flag prints no usage", []string{"-nope"}, "flag provided but not defined: -nope", "compare -h"),
		{Name: "no latency 0.000 (table)", Args: []string{"-steps", "1", "-step", "1ms"}, Code: 0,
			Check: func(t *testing.T, _, stdout, _ string) {
				if strings.Contains(strings.Split(stdout, "Interactions")[0], "0.000") {
					t.Errorf("a latency of 0.000 with no workflow:\n%s", stdout)
				}
			}},
		{Name: "no latency 0.000 (csv)", Args: []string{"-steps", "1", "-step", "1ms", "-format", "csv"}, Code: 0,
			Want: []string{"mpi,0,0,,,,,,", "rest,0,0,,,,,,"}},
		{Name: "no latency 0.000 (json null)", Args: []string{"-steps", "1", "-step", "1ms", "-format", "json"}, Code: 0,
			Check: func(t *testing.T, _, stdout, _ string) {
				var doc struct {
					Variants []struct {
						Latency map[string]*float64 `json:"latency_ms"`
					} `json:"variants"`
				}
				if err := json.Unmarshal([]byte(stdout), &doc); err != nil || len(doc.Variants) != 2 {
					t.Fatalf("json: %v", err)
				}
				for _, v := range doc.Variants {
					if len(v.Latency) != 5 || v.Latency["mean"] != nil || v.Latency["max"] != nil {
						t.Errorf("latency_ms %v, want 5 nulls", v.Latency)
					}
				}
			}},

		// -out DIR from an earlier run, and what the user owns
		{Name: "out replaces an earlier report", Args: []string{"-steps", "2", "-out", "{dir}/out", "-format", "csv"}, Code: 0,
			Setup: func(t *testing.T, dir string) { earlierReport(t, dir, "jsonl") },
			Check: func(t *testing.T, dir, _, _ string) {
				var stale []string
				filepath.WalkDir(filepath.Join(dir, "out"), func(p string, _ os.DirEntry, _ error) error {
					if strings.HasSuffix(p, ".jsonl") {
						stale = append(stale, p)
					}
					return nil
				})
				if len(stale) > 0 {
					t.Errorf("files of the earlier run left beside the new ones: %v", stale)
				}
				if _, err := os.Stat(filepath.Join(dir, "out", "mpi", "steps.csv")); err != nil {
					t.Error(err)
				}
				if m, _ := filepath.Glob(filepath.Join(dir, ".out.edgesim-*")); len(m) > 0 {
					t.Errorf("temporary directories left: %v", m)
				}
			}},
		{Name: "out through a symlink", Args: []string{"-steps", "2", "-out", "{dir}/link", "-format", "csv"}, Code: 0,
			Setup: func(t *testing.T, dir string) {
				earlierReport(t, dir, "csv")
				if err := os.Symlink(filepath.Join(dir, "out"), filepath.Join(dir, "link")); err != nil {
					t.Skip(err)
				}
			},
			Check: func(t *testing.T, dir, _, _ string) {
				if fi, err := os.Lstat(filepath.Join(dir, "link")); err != nil || fi.Mode()&os.ModeSymlink == 0 {
					t.Errorf("the symbolic link was replaced: %v", err)
				}
			}},
		{Name: "out with a user file", Args: []string{"-out", "{dir}/out"}, Code: 2, Want: []string{"holds notes.txt", "move it away"},
			Setup: func(t *testing.T, dir string) {
				earlierReport(t, dir, "csv")
				clitest.WriteFile(t, filepath.Join(dir, "out", "notes.txt"), []byte("mine"))
			},
			Check: fileEquals("{dir}/out/notes.txt", []byte("mine"))},
		{Name: "out not a report", Args: []string{"-out", "{dir}/out"}, Code: 2, Want: []string{"not a compare report", "new or empty directory"},
			Setup: func(t *testing.T, dir string) {
				os.Mkdir(filepath.Join(dir, "out"), 0o755)
				clitest.WriteFile(t, filepath.Join(dir, "out", "summary.csv"), []byte("mine"))
			},
			Check: fileEquals("{dir}/out/summary.csv", []byte("mine"))},
		{Name: "out report of another program", Args: []string{"-out", "{dir}/out"}, Code: 2, Want: []string{"not a compare report"},
			Setup: func(t *testing.T, dir string) {
				os.Mkdir(filepath.Join(dir, "out"), 0o755)
				clitest.WriteFile(t, filepath.Join(dir, "out", "config.json"), []byte(`{"program": "sweep"}`))
			}},
		usage("out is a file", []string{"-out", "compare.go"}, "-out compare.go", "not a directory"),
		{Name: "out unwritable", Args: []string{"-out", "compare.go/out", "-steps", "1"}, Code: 1, Want: []string{"-out compare.go/out", "not a directory"}},
		usage("out is the working directory", []string{"-out", "."}, "-out ."),
		{Name: "out holds the infra input", Args: []string{"-out", "{dir}/out", "-infra", "{dir}/out/summary.csv"}, Code: 2,
			Want: []string{"-infra", "is inside -out"},
			Setup: func(t *testing.T, dir string) {
				earlierReport(t, dir, "csv")
				clitest.WriteFile(t, filepath.Join(dir, "out", "summary.csv"), infraJSON)
			},
			Check: fileEquals("{dir}/out/summary.csv", infraJSON)},
		{Name: "cdf inside out", Args: []string{"-out", "{dir}/out", "-cdf", "{dir}/out/cdf.svg"}, Code: 2, Want: []string{"-cdf", "is inside -out"}},
		{Name: "cdf is the infra input", Args: []string{"-infra", "{dir}/x.svg", "-cdf", "{dir}/x.svg", "-steps", "2"}, Code: 2,
			Want: []string{"same file"}, Setup: writeInfra("x.svg"), Check: fileEquals("{dir}/x.svg", infraJSON)},
		{Name: "cdf is the infra input, spelled differently", Args: []string{"-infra", "{dir}/x.svg", "-cdf", "{dir}/./sub/../x.svg", "-steps", "2"}, Code: 2,
			Want: []string{"same file"}, Setup: func(t *testing.T, dir string) {
				writeInfra("x.svg")(t, dir)
				os.Mkdir(filepath.Join(dir, "sub"), 0o755)
			}, Check: fileEquals("{dir}/x.svg", infraJSON)},
		{Name: "cdf is the infra input through a symlink", Args: []string{"-infra", "{dir}/x.svg", "-cdf", "{dir}/link.svg", "-steps", "2"}, Code: 2,
			Want: []string{"same file"}, Setup: func(t *testing.T, dir string) {
				writeInfra("x.svg")(t, dir)
				if err := os.Symlink(filepath.Join(dir, "x.svg"), filepath.Join(dir, "link.svg")); err != nil {
					t.Skip(err)
				}
			}, Check: fileEquals("{dir}/x.svg", infraJSON)},
		{Name: "cdf is a directory", Args: []string{"-cdf", "{dir}/d.svg", "-steps", "1"}, Code: 2, Want: []string{"-cdf", "d.svg: is a directory"},
			Setup: func(t *testing.T, dir string) { os.Mkdir(filepath.Join(dir, "d.svg"), 0o755) }},
		{Name: "cdf unwritable", Args: []string{"-cdf", "compare.go/x.svg", "-steps", "1"}, Code: 1, Want: []string{"-cdf compare.go/x.svg", "not a directory"}},
		usage("cdf bad extension", []string{"-cdf", "x.gif"}, "-cdf x.gif", ".svg or .png"),
		{Name: "no figure without workflows", Args: []string{"-steps", "1", "-step", "1ms", "-cdf", "{dir}/c.svg"}, Code: 0,
			Check: func(t *testing.T, dir, _, _ string) {
				if b, err := os.ReadFile(filepath.Join(dir, "c.svg")); err != nil || !bytes.Contains(b, []byte("no data")) {
					t.Errorf("figure: %v", err)
				}
			}},

		// node ids holding separators
		{Name: "place odd node ids", Args: []string{"-infra", "{dir}/odd.json", "-place", placeAll(oddIDs...), "-steps", "3", "-dynamics=false"},
			Setup: func(t *testing.T, dir string) { writeOddInfra(t, filepath.Join(dir, "odd.json")) }, Code: 0,
			Want: []string{`Frontend=a,b`, `User=c=d`, `Catalog=e@f`, `Order=g\h`, `Cart=ü+1`, `Payment= sp `, `Shipping=n0`}},
		{Name: "outage odd node id, last @", Args: []string{"-infra", "{dir}/odd.json", "-outage", "e@f@1s+1s", "-outage", `a\,b@0s`, "-outage", `ü\+1@1s`, "-steps", "3"},
			Setup: func(t *testing.T, dir string) { writeOddInfra(t, filepath.Join(dir, "odd.json")) }, Code: 0,
			Want: []string{"outage e@f at 1s for 1s", "outage a,b at 0s", "outage ü+1 at 1s"}},
		{Name: "place unescaped comma", Args: []string{"-infra", "{dir}/odd.json", "-place", "FrontendService=a,b"},
			Setup: func(t *testing.T, dir string) { writeOddInfra(t, filepath.Join(dir, "odd.json")) }, Code: 2,
			Want: []string{`-place: bad entry "b"`, "backslash"}},
		usage("place trailing backslash", []string{"-place", `FrontendService=n1\`}, "backslash at the end"),
		usage("place duplicate service", []string{"-place", "FrontendService=n1,FrontendService=n2"}, "FrontendService placed twice"),
		usage("place unknown service", []string{"-place", "Frontend=n1"}, `unknown service "Frontend"`, "FrontendService"),
		usage("place and strategy", []string{"-place", goodPlace, "-strategy", "best-fit"}, "-strategy best-fit and -place"),
		usage("static without place", []string{"-strategy", "static"}, "needs -place"),
		usage("outage no node", []string{"-outage", "@1s"}, "empty node id"),
		usage("outage no start", []string{"-outage", "n1@"}, "bad start"),
		usage("outage empty duration", []string{"-outage", "n1@1s+"}, "bad duration"),
		usage("outage negative start", []string{"-outage", "n1@-1s"}, "bad start"),
		usage("outage after the end", []string{"-outage", "n1@50s"}, "not before the end of the run at 50s"),
		usage("outage huge duration", []string{"-outage", "n1@1s+9999999h"}, "bad duration", "438000h"),
		{Name: "outage for good stays down", Args: []string{"-outage", "n14@1s", "-steps", "40", "-variants", "mpi", "-flap-up", "1", "-out", "{dir}/o"}, Code: 0,
			Check: func(t *testing.T, dir, _, _ string) {
				f, err := os.Open(filepath.Join(dir, "o", "mpi", "nodes.csv"))
				if err != nil {
					t.Fatal(err)
				}
				defer f.Close()
				rows, err := csv.NewReader(f).ReadAll()
				if err != nil || len(rows) < 2 {
					t.Fatalf("nodes.csv: %v", err)
				}
				col := map[string]int{}
				for i, h := range rows[0] {
					col[h] = i
				}
				for _, r := range rows[1:] {
					if step, _ := strconv.Atoi(r[col["step"]]); r[col["node"]] == "n14" && step >= 3 && r[col["up"]] != "false" {
						t.Errorf("n14 is up at step %d after an outage for good from 1s", step)
					}
				}
			}},
		{Name: "outage is repeatable", Args: []string{"-outage", "n1@1s", "-outage", "n2@1s+1s", "-steps", "4"}, Code: 0,
			Want: []string{"outage n1 at 1s", "outage n2 at 1s for 1s"}},

		// empty strings
		usage("empty format", []string{"-format", ""}, "-format", "table, markdown, csv, json"),
		usage("empty variants", []string{"-variants", ""}, "-variants", "mpi, rest"),
		usage("empty infra", []string{"-infra", ""}, "-infra", "empty"),
		usage("empty out", []string{"-out", ""}, "-out", "empty"),
		usage("empty cdf", []string{"-cdf", ""}, "-cdf", "empty"),
		usage("empty place", []string{"-place", ""}, "-place", "empty"),
		usage("empty partitioning", []string{"-partitioning", ""}, "-partitioning"),
		usage("empty strategy", []string{"-strategy", ""}, "-strategy", "random, first-fit"),
		usage("empty model", []string{"-model", ""}, "-model", "eclypse, latency"),
		usage("empty outage", []string{"-outage", ""}, "-outage", "node@start"),
		usage("empty seed", []string{"-seed", ""}, "-seed", "0 to 18446744073709551615"),
		usage("empty step", []string{"-step", ""}, "-step", "such as 500ms"),

		// NaN, Inf, huge, negative
		usage("flap NaN", []string{"-flap-down", "NaN"}, "-flap-down", "from 0 to 1"),
		usage("flap Inf", []string{"-flap-up", "Inf"}, "-flap-up", "from 0 to 1"),
		usage("decline negative", []string{"-decline", "-0.1"}, "-decline", "from 0 to 1"),
		usage("decline 1e309", []string{"-decline", "1e309"}, "-decline", "from 0 to 1"),
		usage("steps beyond int64", []string{"-steps", "99999999999999999999"}, "-steps", "from 1 to 1000000"),
		usage("steps negative", []string{"-steps", "-5"}, "-steps", "from 1 to 1000000"),
		usage("nodes beyond int64", []string{"-nodes", "9223372036854775808"}, "-nodes", "from 1 to"),
		usage("timeout huge", []string{"-timeout", "9999999h"}, "-timeout", "438000h"),
		usage("timeout zero", []string{"-timeout", "0s"}, "-timeout", "from 1ns"),
		usage("think negative", []string{"-think", "-1s"}, "-think", "from 0s"),
		usage("step zero", []string{"-step", "0"}, "-step", "from 1ns"),
		usage("step without unit", []string{"-step", "500"}, "-step", "with its unit"),
		usage("step NaN", []string{"-step", "NaNs"}, "-step"),

		// unicode, duplicates, odd arguments
		usage("unicode variant", []string{"-variants", "mpi,réşt"}, `unknown variant "réşt"`),
		usage("unicode format", []string{"-format", "táble"}, "-format", "table"),
		usage("emoji strategy", []string{"-strategy", "🙂"}, "-strategy", "random"),
		usage("seed twice", []string{"-seed", "1", "-seed", "1"}, "-seed", "more than once"),
		usage("steps twice", []string{"-steps", "1", "-steps", "2"}, "-steps", "more than once"),
		usage("positional argument", []string{"run"}, `unexpected argument "run"`),
		usage("bad bool", []string{"-dynamics=maybe"}, "-dynamics", "true or false"),
		usage("report format", []string{"-report-format", "xml"}, "-report-format", "csv, jsonl"),
		{Name: "help", Args: []string{"-h"}, Code: 0, Want: []string{"Limits:", "438000h", "33554432", "-timeout"}},
		{Name: "variants deduplicated", Args: []string{"-variants", "mpi, mpi", "-steps", "2", "-format", "csv"}, Code: 0,
			Check: func(t *testing.T, _, stdout, _ string) {
				summary, _, _ := strings.Cut(stdout, "\n\n")
				if strings.Count(summary, "\nmpi,") != 1 || strings.Contains(stdout, "rest,") {
					t.Errorf("mpi not listed exactly once:\n%s", stdout)
				}
			}},

		// infrastructure files
		usage("infra is a directory", []string{"-infra", "."}, "-infra .", "is a directory"),
		usage("infra missing", []string{"-infra", "no/such.json"}, "-infra no/such.json", "no such file"),
		{Name: "infra too large", Args: []string{"-infra", "{dir}/big.json"}, Code: 2, Want: []string{"33554433 bytes", "limit of 33554432"},
			Setup: func(t *testing.T, dir string) {
				f, err := os.Create(filepath.Join(dir, "big.json"))
				if err != nil {
					t.Fatal(err)
				}
				defer f.Close()
				if err := f.Truncate(cli.MaxInfraFileBytes + 1); err != nil {
					t.Skip(err)
				}
			}},
		{Name: "infra unknown edge end", Args: []string{"-infra", "{dir}/x.json"}, Code: 2, Want: []string{"-infra", "edge 0", `unknown node "zz"`},
			Setup: func(t *testing.T, dir string) {
				clitest.WriteFile(t, filepath.Join(dir, "x.json"), []byte(`{"nodes": [{"id": "a"}], "edges": [{"source": "a", "target": "zz"}]}`))
			}},
		{Name: "infra with too many elements", Args: []string{"-infra", "{dir}/x.json"}, Code: 2, Want: []string{"more than 200000 nodes and edges"},
			Time: 10 * time.Second, Mem: 128 << 20,
			Setup: func(t *testing.T, dir string) {
				var b bytes.Buffer
				b.WriteString(`{"nodes": [`)
				for i := range 300000 {
					if i > 0 {
						b.WriteByte(',')
					}
					fmt.Fprintf(&b, `{"id":%d}`, i)
				}
				b.WriteString("]}")
				clitest.WriteFile(t, filepath.Join(dir, "x.json"), b.Bytes())
			}},
		{Name: "infra with too many nodes", Args: []string{"-infra", "{dir}/x.json"}, Code: 2, Want: []string{"10001 nodes, above the limit of 10000"},
			Setup: func(t *testing.T, dir string) {
				var b bytes.Buffer
				b.WriteString(`{"edges": [], "nodes": [`)
				for i := range 10001 {
					if i > 0 {
						b.WriteByte(',')
					}
					fmt.Fprintf(&b, `{"id":"n%d","cpu":[1,{"x":2}]}`, i)
				}
				b.WriteString("]}")
				clitest.WriteFile(t, filepath.Join(dir, "x.json"), b.Bytes())
			}},
		{Name: "infra without nodes", Args: []string{"-infra", "{dir}/x.json"}, Code: 2, Want: []string{"-infra", "no node"},
			Setup: func(t *testing.T, dir string) {
				clitest.WriteFile(t, filepath.Join(dir, "x.json"), []byte(`{"nodes": []}`))
			}},
		{Name: "infra not JSON", Args: []string{"-infra", "compare.go"}, Code: 2, Want: []string{"-infra", "invalid JSON"}},
		{Name: "infra with a UTF-8 BOM", Args: []string{"-infra", "{dir}/bom.json", "-steps", "2"}, Code: 0,
			Setup: func(t *testing.T, dir string) {
				clitest.WriteFile(t, filepath.Join(dir, "bom.json"), append([]byte("\xef\xbb\xbf"), infraJSON...))
			}},
		usage("infra and nodes", []string{"-infra", "compare.go", "-nodes", "30"}, "-nodes configures the generator"),
		usage("infra and partitioning", []string{"-infra", "compare.go", "-partitioning", "1,1"}, "-partitioning configures the generator"),
	}
	clitest.Table(t, run, cases)
}

// TestGeneratedNodeNames checks the names compare accepts for a generated infrastructure
// against the generator itself.
func TestGeneratedNodeNames(t *testing.T) {
	g, err := network.Hierarchical(network.HierarchicalConfig{N: 30, Partitioning: []float64{0.6, 0.1, 0.15, 0.15}}, engine.Stream(22, "infrastructure"))
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range g.Nodes() {
		if !generatedNode(id, 30) {
			t.Errorf("generatedNode(%q, 30) = false", id)
		}
	}
	for _, id := range []string{"n30", "n01", "n", "n-1", "x1", "n1 ", "n+1", "n١"} {
		if generatedNode(id, 30) {
			t.Errorf("generatedNode(%q, 30) = true", id)
		}
	}
}
