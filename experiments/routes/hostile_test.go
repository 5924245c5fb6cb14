package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/edgesim/edgesim/internal/clitest"
)

var twoNodes = []byte(`{"nodes": [{"id": "a"}, {"id": "b"}], "edges": [{"source": "a", "target": "b", "latency": 1, "bandwidth": 10}]}`)

// TestHostileInputs feeds routes what a careless or hostile user would, each case under a
// time and memory bound (clitest).
func TestHostileInputs(t *testing.T) {
	usage := func(name string, args []string, want ...string) clitest.Case {
		return clitest.Case{Name: name, Args: args, Code: 2, Want: want, Time: 5 * time.Second, Mem: 64 << 20}
	}
	file := func(name string, data []byte) func(t *testing.T, dir string) {
		return func(t *testing.T, dir string) { clitest.WriteFile(t, filepath.Join(dir, name), data) }
	}
	cases := []clitest.Case{
		usage("infra /dev/zero", []string{"-infra", "/dev/zero"}, "-infra /dev/zero", "not a regular file"),
		usage("infra directory", []string{"-infra", "."}, "-infra .", "is a directory"),
		usage("infra missing", []string{"-infra", "nope.json"}, "-infra nope.json", "no such file"),
		usage("infra not JSON", []string{"-infra", "main.go"}, "-infra", "invalid JSON"),
		{Name: "infra bad element", Args: []string{"-infra", "{dir}/x.json"}, Code: 2, Want: []string{"-infra", "node 1", `duplicate id "a"`},
			Setup: file("x.json", []byte(`{"nodes": [{"id": "a"}, {"id": "a"}]}`))},
		{Name: "infra negative latency", Args: []string{"-infra", "{dir}/x.json"}, Code: 2, Want: []string{"-infra", "edge 0"},
			Setup: file("x.json", []byte(`{"nodes": [{"id": "a"}, {"id": "b"}], "edges": [{"source": "a", "target": "b", "latency": -1}]}`))},
		{Name: "infra too many nodes", Args: []string{"-infra", "{dir}/x.json"}, Code: 2, Want: []string{"1001 up nodes", "limit of 1000"},
			Setup: func(t *testing.T, dir string) {
				var ids []string
				for i := range 1001 {
					ids = append(ids, fmt.Sprintf(`{"id": %d}`, i))
				}
				clitest.WriteFile(t, filepath.Join(dir, "x.json"), []byte(`{"nodes": [`+strings.Join(ids, ",")+`]}`))
			}},
		{Name: "infra with a UTF-8 BOM", Args: []string{"-infra", "{dir}/bom.json"}, Code: 0,
			Setup: file("bom.json", append([]byte("\xef\xbb\xbf"), twoNodes...))},
		{Name: "dot is the infra input", Args: []string{"-infra", "{dir}/x.json", "-dot", "{dir}/x.json"}, Code: 2, Want: []string{"same file"},
			Setup: file("x.json", twoNodes),
			Check: func(t *testing.T, dir, _, _ string) {
				if b, _ := os.ReadFile(filepath.Join(dir, "x.json")); string(b) != string(twoNodes) {
					t.Error("the input was overwritten")
				}
			}},
		usage("dot is a directory", []string{"-dot", "."}, "-dot .", "is a directory"),
		{Name: "dot unwritable", Args: []string{"-dot", "main.go/x.dot"}, Code: 1, Want: []string{"-dot main.go/x.dot"}},
		usage("n above the limit", []string{"-n", "1001"}, "-n", "from 1 to 1000"),
		usage("n huge", []string{"-n", "99999999999999999999"}, "-n", "from 1 to 1000"),
		usage("n zero", []string{"-n", "0"}, "-n", "from 1 to 1000"),
		usage("n too small for the tiers", []string{"-n", "2"}, "-gen hierarchical", "gets no node"),
		usage("fat-tree k 16", []string{"-gen", "fat-tree", "-k", "16"}, "-k", "from 2 to 14"),
		usage("fat-tree k odd", []string{"-gen", "fat-tree", "-k", "3"}, "-k 3", "even"),
		usage("p NaN", []string{"-gen", "random", "-p", "NaN"}, "-p", "from 0 to 1"),
		usage("seed -1", []string{"-seed", "-1"}, "-seed", "0 to 18446744073709551615"),
		usage("partitioning zero", []string{"-partitioning", "1,0"}, "partitioning[1] = 0", "fraction > 0"),
		usage("partitioning empty", []string{"-partitioning", ""}, "-partitioning"),
		usage("gen unicode", []string{"-gen", "stär"}, "-gen", "hierarchical, star"),
		usage("infra and generator flags", []string{"-infra", "x.json", "-n", "5"}, "do not combine"),
		usage("infra empty", []string{"-infra", ""}, "-infra", "empty"),
		usage("n twice", []string{"-n", "5", "-n", "6"}, "-n", "more than once"),
		usage("positional", []string{"infra.json"}, `unexpected argument "infra.json"`, "-infra"),
		usage("bad flag prints no usage", []string{"-nope"}, "flag provided but not defined: -nope", "routes -h"),
		{Name: "help", Args: []string{"-h"}, Code: 0, Want: []string{"Limits:", "1000"}},
		{Name: "largest star", Args: []string{"-gen", "star", "-n", "300", "-format", "csv"}, Code: 0, Time: 30 * time.Second, Mem: 256 << 20,
			Want: []string{"source,target,hops"}},
	}
	clitest.Table(t, run, cases)
}
