package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"testing"

	"github.com/edgesim/edgesim/internal/golden"
	"github.com/edgesim/edgesim/network"
)

func runOK(t *testing.T, args ...string) []byte {
	t.Helper()
	var out, errb bytes.Buffer
	if code := run(args, &out, &errb); code != 0 {
		t.Fatalf("compare %v: exit %d: %s", args, code, errb.String())
	}
	return out.Bytes()
}

func TestGolden(t *testing.T) {
	for _, tc := range []struct {
		file string
		args []string
	}{
		{"default.txt", nil},
		{"default.json", []string{"-format", "json"}},
		{"default.csv", []string{"-format", "csv"}},
		{"static-nodyn.md", []string{"-format", "markdown", "-steps", "20", "-dynamics=false", "-place",
			"FrontendService=n0,CatalogService=n0,UserService=n3,CartService=n3,OrderService=n8,PaymentService=n8,ShippingService=n24"}},
		{"static-infeasible.txt", []string{"-steps", "3", "-place", "FrontendService=n0,CatalogService=n0,UserService=n1,CartService=n1,OrderService=n2,PaymentService=n2,ShippingService=n3"}},
		{"outage.txt", []string{"-steps", "20", "-dynamics=false", "-outage", "n8@3s+2s", "-place",
			"FrontendService=n0,CatalogService=n0,UserService=n3,CartService=n3,OrderService=n8,PaymentService=n8,ShippingService=n24"}},
		{"best-fit-latency.txt", []string{"-strategy", "best-fit", "-model", "latency", "-steps", "30", "-seed", "7"}},
		{"eclypse-file.txt", []string{"-infra", "../../network/testdata/eclypse-io-round-trip-node-link.json", "-strategy", "first-fit", "-steps", "10"}},
		{"two-apps.txt", twoApps},
		{"two-apps.json", append([]string{"-format", "json"}, twoApps...)},
		{"two-apps.csv", append([]string{"-format", "csv"}, twoApps...)},
		{"scenario-file.txt", []string{"-apps", filepath.Join("..", "..", "apps", "scenarios", "shop_and_hotel.yaml"), "-service", "exp", "-cpu", "node", "-steps", "40"}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			first := runOK(t, tc.args...)
			if second := runOK(t, tc.args...); !bytes.Equal(first, second) {
				t.Fatalf("two runs printed different output:\n%s\n---\n%s", first, second)
			}
			golden.Check(t, tc.file, first)
		})
	}
}

// TestGOMAXPROCS: one run is one goroutine at a time, so the number of Ps cannot matter.
func TestGOMAXPROCS(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	one := runOK(t, "-format", "json")
	runtime.GOMAXPROCS(2)
	if two := runOK(t, "-format", "json"); !bytes.Equal(one, two) {
		t.Error("GOMAXPROCS 1 and 2 printed different results")
	}
}

func TestJSONFields(t *testing.T) {
	var doc map[string]any
	if err := json.Unmarshal(runOK(t, "-format", "json", "-steps", "5"), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc) != 2 || doc["config"] == nil || doc["variants"] == nil {
		t.Fatalf("top level: %v", doc)
	}
	want := "breakdown_ms bytes failed interactions latency_ms little lost measured_ms messages rejected saturated stations throughput_per_s variant workflows"
	for _, v := range doc["variants"].([]any) {
		var keys []string
		for k := range v.(map[string]any) {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		if got := strings.Join(keys, " "); got != want {
			t.Errorf("variant fields %q, want %q", got, want)
		}
	}
}

func TestOutDir(t *testing.T) {
	dir, figs := t.TempDir(), t.TempDir()
	stdout := runOK(t, "-format", "json", "-steps", "5", "-out", dir, "-cdf", filepath.Join(figs, "cdf.svg"))
	if b, err := os.ReadFile(filepath.Join(figs, "cdf.svg")); err != nil || !bytes.Contains(b, []byte("<svg")) {
		t.Errorf("cdf.svg: %v", err)
	}
	again := t.TempDir()
	runOK(t, "-format", "json", "-steps", "5", "-out", again)
	for _, f := range []string{"config.json", "mpi/steps.csv", "rest/interactions.csv", "rest/nodes.csv"} {
		a, _ := os.ReadFile(filepath.Join(dir, f))
		b, _ := os.ReadFile(filepath.Join(again, f))
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs between two runs", f)
		}
	}
	got, err := os.ReadFile(filepath.Join(dir, "compare.json"))
	if err != nil || !bytes.Equal(got, stdout) {
		t.Errorf("compare.json differs from stdout (%v)", err)
	}
	for _, f := range []string{"summary.csv", "interactions.csv", "config.json", "mpi/steps.csv", "rest/services.csv", "rest/nodes.csv"} {
		b, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil || len(b) == 0 {
			t.Errorf("%s: %v", f, err)
		}
	}
	// links.csv (links x steps rows) only on request.
	if _, err := os.Stat(filepath.Join(dir, "rest", "links.csv")); !os.IsNotExist(err) {
		t.Errorf("links.csv without -link-rows: %v", err)
	}
	withLinks := t.TempDir()
	runOK(t, "-steps", "2", "-out", withLinks, "-link-rows")
	if b, err := os.ReadFile(filepath.Join(withLinks, "rest", "links.csv")); err != nil || len(b) == 0 {
		t.Errorf("-link-rows: links.csv: %v", err)
	}
}

func TestBadFlags(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"-format", "xml"}, 2, "table, markdown, csv, json"},
		{[]string{"-steps", "0"}, 2, "-steps \"0\": want an integer from 1 to 1000000"},
		{[]string{"-step", "-1s"}, 2, "-step \"-1s\": want a duration"},
		{[]string{"-strategy", "worst"}, 2, "worst"},
		{[]string{"-strategy", "static"}, 2, "needs -place"},
		{[]string{"-model", "fast"}, 2, "eclypse, latency"},
		{[]string{"-variants", "mpi,grpc"}, 2, "valid: mpi, rest"},
		{[]string{"-place", "Frontend=n1"}, 2, "unknown service \"Frontend\""},
		{[]string{"-place", "FrontendService"}, 2, "want Service=node"},
		{[]string{"-place", "FrontendService=n1"}, 2, "CatalogService"},
		{[]string{"-place", "FrontendService=zz,CatalogService=n0,UserService=n1,CartService=n1,OrderService=n2,PaymentService=n2,ShippingService=n3"}, 2, `unknown node "zz" (valid: n0..n29`},
		{[]string{"-partitioning", "0.5,x"}, 2, `"x" is not a number`},
		{[]string{"-infra", "no/such/file.json"}, 2, "no/such/file.json"},
		{[]string{"-nodes", "abc"}, 2, "-nodes \"abc\": want an integer"},
		{[]string{"extra"}, 2, "unexpected argument"},
		{[]string{"-decline", "1.5"}, 2, "decline"},
		{[]string{"-outage", "n1"}, 2, "node@start"},
		{[]string{"-report-format", "xml"}, 2, "csv"},
		{[]string{"-cdf", "x.gif"}, 2, ".svg"},
		{[]string{"-outage", "n1@x"}, 2, "bad start"},
		{[]string{"-outage", "n1@1s+0s"}, 2, "positive duration"},
		{[]string{"-outage", "zz@1s"}, 2, `unknown node "zz"`},
	} {
		var out, errb bytes.Buffer
		code := run(tc.args, &out, &errb)
		if code != tc.code || !strings.Contains(errb.String(), tc.want) {
			t.Errorf("compare %v: exit %d, stderr %q; want exit %d mentioning %q", tc.args, code, errb.String(), tc.code, tc.want)
		}
	}
	var out, errb bytes.Buffer
	if code := run([]string{"-h"}, &out, &errb); code != 0 || !strings.Contains(errb.String(), "-timeout") {
		t.Errorf("-h: exit %d, %q", code, errb.String())
	}
}

// TestResultsAreFresh fails when results/ no longer matches what `make results` makes.
func TestResultsAreFresh(t *testing.T) {
	for _, tc := range []struct{ file, format string }{
		{"compare.md", "markdown"},
		{"compare.json", "json"},
	} {
		want, err := os.ReadFile(filepath.Join("..", "..", "results", tc.file))
		if err != nil {
			t.Fatal(err)
		}
		if got := runOK(t, "-format", tc.format); !bytes.Equal(got, want) {
			t.Errorf("results/%s is stale: run `make results` and commit it", tc.file)
		}
	}
	cdf := filepath.Join(t.TempDir(), "cdf.svg")
	runOK(t, "-format", "json", "-cdf", cdf)
	got, err := os.ReadFile(cdf)
	if err != nil {
		t.Fatal(err)
	}
	if want, err := os.ReadFile(filepath.Join("..", "..", "results", "latency-cdf.svg")); err != nil || !bytes.Equal(got, want) {
		t.Errorf("results/latency-cdf.svg is stale (%v): run `make results` and commit it", err)
	}
}

// SockShop written as a spec (apps/catalog/sock_shop.yaml) prints exactly what the Go
// SockShop prints, the settings line aside (it names the application), in the reference run
// and under load.
func TestAppSockShopSpecEqualsGo(t *testing.T) {
	spec := filepath.Join("..", "..", "apps", "catalog", "sock_shop.yaml")
	for _, args := range [][]string{
		{"-steps", "40"},
		{"-steps", "20", "-users", "20", "-service", "exp", "-cpu", "node", "-sched", "ps"},
	} {
		goOut := runOK(t, args...)
		specOut := runOK(t, append([]string{"-app", spec}, args...)...)
		trim := func(b []byte) string {
			s := string(b)
			return s[:strings.LastIndex(strings.TrimRight(s, "\n"), "\n")]
		}
		if trim(goOut) != trim(specOut) {
			t.Errorf("%v: -app sock_shop.yaml differs from the Go SockShop:\n%s\n---\n%s", args, goOut, specOut)
		}
		if !bytes.Contains(specOut, []byte("application SockShop (")) {
			t.Errorf("%v: the settings line does not name the application:\n%s", args, specOut)
		}
	}
	var out, errb bytes.Buffer
	if code := run([]string{"-app", spec, "-decline", "0.1"}, &out, &errb); code != 2 || !strings.Contains(errb.String(), "-decline") {
		t.Errorf("-app with -decline: exit %d, %s", code, errb.String())
	}
	if code := run([]string{"-app", "nope.yaml"}, &out, &errb); code != 2 || !strings.Contains(errb.String(), "-app") {
		t.Errorf("-app with a missing file: exit %d, %s", code, errb.String())
	}
}

// twoApps runs two copies of SockShop-as-a-spec at once, under load, their services queueing
// on the nodes' shared cores.
var twoApps = []string{"-app", filepath.Join("..", "..", "apps", "catalog", "sock_shop.yaml"), "-app", filepath.Join("..", "..", "apps", "catalog", "sock_shop.yaml"),
	"-users", "5", "-think", "1s", "-service", "exp", "-cpu", "node", "-steps", "20"}

// Several applications: every row names its application, the second copy of one spec is
// told apart, the applications' totals are their own, and -out (one application's per-step
// report) is refused.
func TestSeveralApps(t *testing.T) {
	var doc jsonOutput
	if err := json.Unmarshal(runOK(t, append([]string{"-format", "json"}, twoApps...)...), &doc); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, v := range doc.Variants {
		names = append(names, v.Variant+" "+v.App)
	}
	if want := []string{"mpi SockShop", "mpi SockShop#2", "rest SockShop", "rest SockShop#2"}; !slices.Equal(names, want) {
		t.Fatalf("rows %q, want %q", names, want)
	}
	if len(doc.Config.Apps) != 2 {
		t.Errorf("config apps %q, want both files", doc.Config.Apps)
	}
	for _, v := range doc.Variants {
		if v.Workflows == 0 {
			t.Errorf("%s %s: no workflow completed", v.Variant, v.App)
		}
	}
	if doc.Variants[0].Messages == doc.Variants[1].Messages && doc.Variants[0].LatencyMS == doc.Variants[1].LatencyMS {
		t.Errorf("the two copies have the same totals: not counted apart")
	}
	// -out: one directory per application, each with its variants' per-step tables; the
	// files at the top name the application in every row; written twice, the same bytes.
	dir := filepath.Join(t.TempDir(), "r")
	runOK(t, append([]string{"-out", dir}, twoApps...)...)
	first := map[string][]byte{}
	for _, f := range []string{"summary.csv", "interactions.csv", "config.json", "app1/mpi/steps.csv", "app2/rest/summary.csv", "app2/mpi/services.csv"} {
		b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(f)))
		if err != nil {
			t.Fatalf("-out with two -app: %v", err)
		}
		first[f] = b
	}
	if !bytes.HasPrefix(first["summary.csv"], []byte("app,variant,")) || !bytes.Contains(first["summary.csv"], []byte("\nSockShop#2,rest,")) {
		t.Errorf("summary.csv does not name the applications:\n%s", first["summary.csv"])
	}
	if !bytes.Contains(first["config.json"], []byte(`"app2": "SockShop#2 (`)) {
		t.Errorf("config.json does not say which application app2 holds:\n%s", first["config.json"])
	}
	runOK(t, append([]string{"-out", dir}, twoApps...)...) // replaces its own report
	for f, b := range first {
		if again, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(f))); err != nil || !bytes.Equal(again, b) {
			t.Errorf("%s differs between two runs (%v)", f, err)
		}
	}
	// On one node with room for one SockShop (11 cores of its 12), the second copy is never
	// deployed, and the line says the audit saw what the first leaves.
	g := network.NewGraph()
	if err := g.AddNode("solo", network.NodeAssets{CPU: 12, GPU: 4, RAM: 64, Storage: 64, Availability: 1}); err != nil {
		t.Fatal(err)
	}
	var infra bytes.Buffer
	if err := network.WriteNodeLink(&infra, g); err != nil {
		t.Fatal(err)
	}
	infraFile := filepath.Join(t.TempDir(), "solo.json")
	if err := os.WriteFile(infraFile, infra.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	shop := filepath.Join("..", "..", "apps", "catalog", "sock_shop.yaml")
	solo := string(runOK(t, "-app", shop, "-app", shop, "-infra", infraFile, "-strategy", "first-fit", "-steps", "3", "-dynamics=false", "-variants", "mpi"))
	if !strings.Contains(solo, "mpi SockShop: deployed in 3 of 3 steps") ||
		!strings.Contains(solo, "mpi SockShop#2: deployed in 0 of 3 steps") ||
		!strings.Contains(solo, "never deployed, the last audit found (on what the other applications leave): placement: first-fit: cannot place") {
		t.Errorf("one node for two SockShops:\n%s", solo)
	}
	// -place names the services of both (one name, one node).
	place := "FrontendService=n0,CatalogService=n0,UserService=n3,CartService=n3,OrderService=n8,PaymentService=n8,ShippingService=n24"
	txt := string(runOK(t, append([]string{"-place", place, "-dynamics=false"}, twoApps...)...))
	if !strings.Contains(txt, "SockShop: User=n3 Frontend=n0") || !strings.Contains(txt, "SockShop#2: User=n3 Frontend=n0") {
		t.Errorf("-place with two applications: settings line does not show both placements:\n%s", txt)
	}
}

// -apps: the applications of a scenario file with their own workloads; bad combinations and
// bad files are usage errors naming the flag.
func TestScenarioFileFlag(t *testing.T) {
	file := filepath.Join("..", "..", "apps", "scenarios", "shop_and_hotel.yaml")
	var doc jsonOutput
	if err := json.Unmarshal(runOK(t, "-apps", file, "-format", "json", "-steps", "20"), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Variants) != 4 || doc.Variants[1].App != "hotel" || len(doc.Config.Apps) != 2 {
		t.Fatalf("variants %+v, apps %q", doc.Variants, doc.Config.Apps)
	}
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("applications:\n  - spec: x.yaml\n    users: 0\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "pipe.yaml")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	viaFifo := filepath.Join(dir, "via-pipe.yaml")
	if err := os.WriteFile(viaFifo, []byte("applications:\n  - spec: pipe.yaml\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "missing.yaml")
	if err := os.WriteFile(missing, []byte("applications:\n  - spec: nope.yaml\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-apps", file, "-app", file}, "-app and -apps"},
		{[]string{"-apps", file, "-decline", "0.1"}, "-decline"},
		{[]string{"-apps", filepath.Join(dir, "none.yaml")}, "-apps"},
		{[]string{"-apps", bad}, "applications[0]: users 0"},
		{[]string{"-apps", missing}, "applications[0]: "},
		{[]string{"-apps", " "}, "-apps: empty file name"},
		// A named pipe is refused, not read (reading it would wait for a writer forever).
		{[]string{"-apps", fifo}, "a named pipe, not a regular file"},
		{[]string{"-app", fifo}, "a named pipe, not a regular file"},
		{[]string{"-apps", viaFifo}, "applications[0]: apps: " + fifo + ": not a regular file"},
		{[]string{"-apps", dir}, "-apps " + dir},
	} {
		var out, errb bytes.Buffer
		if code := run(tc.args, &out, &errb); code != 2 || !strings.Contains(errb.String(), tc.want) {
			t.Errorf("%q: exit %d, %s; want 2 and %q", tc.args, code, errb.String(), tc.want)
		}
	}
}
