package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/edgesim/edgesim/internal/golden"
)

// TestGolden pins the output of a few invocations. Regenerate with
// go test ./experiments/routes -run TestGolden -update (and read the diff).
func TestGolden(t *testing.T) {
	tests := []struct {
		name string
		args []string
	}{
		{"hierarchical-12.txt", []string{"-n", "12", "-seed", "22"}},
		{"sockshop-30.csv", []string{"-format", "csv"}},
		{"fat-tree-2.md", []string{"-gen", "fat-tree", "-k", "2", "-format", "markdown"}},
		{"eclypse.csv", []string{"-infra", "testdata/eclypse-io-round-trip-node-link.json", "-format", "csv"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			if code := run(tc.args, &out, &errOut); code != 0 {
				t.Fatalf("exit %d: %s", code, errOut.String())
			}
			golden.Check(t, tc.name, out.Bytes())
		})
	}
}

func TestRunTwice(t *testing.T) {
	for _, gen := range []string{"hierarchical", "star", "random", "scale-free", "small-world", "fat-tree"} {
		args := []string{"-gen", gen, "-n", "15", "-seed", "7", "-format", "csv"}
		var a, b, e bytes.Buffer
		if code := run(args, &a, &e); code != 0 {
			t.Fatalf("%s: exit %d: %s", gen, code, e.String())
		}
		run(args, &b, &e)
		if !bytes.Equal(a.Bytes(), b.Bytes()) || a.Len() == 0 {
			t.Fatalf("%s: two runs differ", gen)
		}
		var c bytes.Buffer
		run([]string{"-gen", gen, "-n", "15", "-seed", "8", "-format", "csv"}, &c, &e)
		if bytes.Equal(a.Bytes(), c.Bytes()) && gen != "fat-tree" && gen != "star" {
			t.Fatalf("%s: seeds 7 and 8 give the same output", gen)
		}
	}
}

func TestDOT(t *testing.T) {
	dot := filepath.Join(t.TempDir(), "x.dot")
	var out, errOut bytes.Buffer
	if code := run([]string{"-n", "6", "-partitioning", "0.5,0.5", "-dot", dot}, &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	b, err := os.ReadFile(dot)
	if err != nil || !strings.HasPrefix(string(b), "digraph infrastructure {") || !strings.Contains(string(b), `"n5"`) {
		t.Fatalf("dot file: %v\n%s", err, b)
	}
}

func TestErrors(t *testing.T) {
	tests := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"-h"}, 0, "-partitioning fractions"},
		{[]string{"-bogus"}, 2, "flag provided but not defined: -bogus"},
		{[]string{"-n", "x"}, 2, `-n "x": want an integer from 1 to 1000`},
		{[]string{"extra"}, 2, `unexpected argument "extra"`},
		{[]string{"-gen", "mesh"}, 2, `-gen "mesh": want one of hierarchical, star`},
		{[]string{"-format", "xml"}, 2, `-format "xml": want one of table, markdown, csv`},
		{[]string{"-partitioning", "0.5,a"}, 2, `-partitioning "0.5,a": "a" is not a number`},
		{[]string{"-infra", "x.json", "-n", "4"}, 2, "do not combine"},
		{[]string{"-infra", "testdata/missing.json"}, 2, "routes: -infra testdata/missing.json: no such file"},
		{[]string{"-infra", "main.go"}, 2, "routes: -infra: network: load main.go: invalid JSON"},
		{[]string{"-n", "2"}, 2, "gets no node"},
		{[]string{"-gen", "fat-tree", "-k", "3"}, 2, "-k 3: the port count of a fat-tree is even"},
		{[]string{"-n", "100000"}, 2, `-n "100000": want an integer from 1 to 1000`},
		{[]string{"-n", "4", "-partitioning", "1", "-dot", "main.go/x.dot"}, 1, "-dot main.go/x.dot"},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := run(tc.args, &out, &errOut)
			if code != tc.code || !strings.Contains(errOut.String(), tc.want) {
				t.Fatalf("exit %d, stderr %q; want %d and %q", code, errOut.String(), tc.code, tc.want)
			}
			if code != 0 && out.Len() != 0 {
				t.Fatalf("output on failure: %s", out.String())
			}
		})
	}
}
