package network

import (
	"bytes"
	"math"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/edgesim/edgesim/internal/golden"
)

func TestReadNodeLinkECLYPSE(t *testing.T) {
	g, err := ReadNodeLink("testdata/eclypse-io-round-trip-node-link.json")
	if err != nil {
		t.Fatal(err)
	}
	if got := g.Nodes(); !slices.Equal(got, []string{"cloud", "edge-a", "edge-b"}) {
		t.Fatalf("nodes %v", got)
	}
	if a, _ := g.Node("edge-a"); a != (NodeAssets{CPU: 16, RAM: 32, Storage: 512, Availability: 0.995}) {
		t.Fatalf("edge-a %+v", a)
	}
	want := []Link{
		{"edge-a", "cloud", LinkAssets{18, 500}},
		{"edge-b", "cloud", LinkAssets{22, 450}},
		{"edge-a", "edge-b", LinkAssets{4, 1000}},
	}
	if got := g.Links(); !slices.Equal(got, want) {
		t.Fatalf("links %v", got)
	}
	p, err := g.Route("edge-a", "cloud")
	if err != nil || p.LatencyMS != 18 {
		t.Fatalf("route %v %v", p, err)
	}
	if _, err := g.Route("cloud", "edge-a"); err == nil {
		t.Fatal("directed file: cloud->edge-a must not exist")
	}
	roundTrip(t, g)
}

func TestParseNodeLink(t *testing.T) {
	tests := []struct {
		name, json string
		want       string // error substring, "" for success
		nodes      []string
		links      int
	}{
		{"undirected links key", `{"nodes":[{"id":"a"},{"id":"b"}],"links":[{"source":"a","target":"b","latency":3}]}`, "", []string{"a", "b"}, 2},
		{"numeric ids", `{"directed":true,"nodes":[{"id":0},{"id":1.0},{"id":2.5}],"edges":[{"source":0,"target":2.5}]}`, "", []string{"0", "1", "2.5"}, 1},
		{"unknown attributes", `{"nodes":[{"id":"a","tier":"cloud","x":[1,{}]}],"edges":[],"graph":{"k":1}}`, "", []string{"a"}, 0},
		{"no edges", `{"nodes":[]}`, "", nil, 0},
		{"malformed", `{"nodes":[`, "invalid JSON", nil, 0},
		{"not object", `[1,2]`, "invalid JSON", nil, 0},
		{"null", `null`, "not a JSON object", nil, 0},
		{"no nodes", `{"edges":[]}`, `no "nodes"`, nil, 0},
		{"nodes not array", `{"nodes":{}}`, `"nodes" is not an array`, nil, 0},
		{"node not object", `{"nodes":[null]}`, "node 0: not an object", nil, 0},
		{"both keys", `{"nodes":[],"edges":[],"links":[]}`, `both "edges" and "links"`, nil, 0},
		{"bad directed", `{"directed":"yes","nodes":[]}`, `"directed"`, nil, 0},
		{"duplicate id", `{"nodes":[{"id":"a"},{"id":"a"}]}`, `node 1: duplicate id "a"`, nil, 0},
		{"duplicate numeric id", `{"nodes":[{"id":1},{"id":"1"}]}`, `node 1: duplicate id "1"`, nil, 0},
		{"missing id", `{"nodes":[{"cpu":1}]}`, `node 0: no "id"`, nil, 0},
		{"empty id", `{"nodes":[{"id":""}]}`, `node 0: empty "id"`, nil, 0},
		{"bool id", `{"nodes":[{"id":true}]}`, `node 0: "id" true is neither`, nil, 0},
		{"null id", `{"nodes":[{"id":null}]}`, `neither a string nor a number`, nil, 0},
		{"string asset", `{"nodes":[{"id":"a","cpu":"4"}]}`, `node 0 "a": cpu "4" is not a number`, nil, 0},
		{"availability", `{"nodes":[{"id":"a","availability":1.5}]}`, `node 0 "a": availability 1.5 must be in 0..1`, nil, 0},
		{"negative ram", `{"nodes":[{"id":"a","ram":-2}]}`, `node 0 "a": ram -2`, nil, 0},
		{"unknown node", `{"nodes":[{"id":"a"}],"edges":[{"source":"a","target":"fog"}]}`, `edge 0: target: unknown node "fog"`, nil, 0},
		{"unknown source", `{"nodes":[{"id":"a"}],"links":[{"source":"x","target":"a"}]}`, `link 0: source: unknown node "x"`, nil, 0},
		{"node not object in array", `{"nodes":[{"id":"a"},3]}`, `node 1: not an object`, nil, 0},
		{"link not object", `{"nodes":[{"id":"a"}],"links":[[]]}`, `link 0: not an object`, nil, 0},
		{"link field", `{"nodes":[{"id":"a"},{"id":"b"}],"links":[{"source":"a","target":"b"},{"source":"b","target":"a","bandwidth":"x"}]}`, `link 1 "b"->"a": bandwidth "x" is not a number`, nil, 0},
		{"edges not array", `{"nodes":[],"edges":{}}`, `"edges" is not an array of objects`, nil, 0},
		{"syntax offset", "{\"nodes\": [}", "invalid JSON at byte 12", nil, 0},
		{"byte-order mark", "\xef\xbb\xbf{\"nodes\":[{\"id\":\"a\"}]}", "", []string{"a"}, 0},
		{"two marks", "\xef\xbb\xbf\xef\xbb\xbf{\"nodes\":[]}", "invalid JSON", nil, 0},
		{"missing target", `{"nodes":[{"id":"a"}],"edges":[{"source":"a"}]}`, `edge 0: no "target"`, nil, 0},
		{"negative latency", `{"nodes":[{"id":"a"},{"id":"b"}],"edges":[{"source":"a","target":"b","latency":-1}]}`, `edge 0 "a"->"b": latency -1`, nil, 0},
		{"zero bandwidth", `{"nodes":[{"id":"a"},{"id":"b"}],"edges":[{"source":"a","target":"b","bandwidth":0}]}`, `edge 0 "a"->"b": bandwidth 0`, nil, 0},
		{"nan latency", `{"nodes":[{"id":"a"},{"id":"b"}],"edges":[{"source":"a","target":"b","latency":NaN}]}`, `invalid JSON`, nil, 0},
		{"huge latency", `{"nodes":[{"id":"a"},{"id":"b"}],"edges":[{"source":"a","target":"b","latency":1e400}]}`, `edge 0 "a"->"b": latency 1e400 is not a number`, nil, 0},
		{"self loop", `{"nodes":[{"id":"a"}],"edges":[{"source":"a","target":"a"}]}`, `edge 0 "a"->"a": self-loop`, nil, 0},
		{"duplicate undirected", `{"nodes":[{"id":"a"},{"id":"b"}],"edges":[{"source":"a","target":"b"},{"source":"b","target":"a"}]}`, `edge 1 "b"->"a": duplicate edge`, nil, 0},
		{"reverse ok when directed", `{"directed":true,"nodes":[{"id":"a"},{"id":"b"}],"edges":[{"source":"a","target":"b"},{"source":"b","target":"a"}]}`, "", []string{"a", "b"}, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			g, err := ParseNodeLink("x.json", []byte(tc.json))
			if tc.want != "" {
				if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "network: load x.json: ") {
					t.Fatalf("err = %v, want one containing %q", err, tc.want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(g.Nodes(), tc.nodes) && len(tc.nodes)+g.Len() > 0 || g.NumLinks() != tc.links {
				t.Fatalf("nodes %v links %d, want %v %d", g.Nodes(), g.NumLinks(), tc.nodes, tc.links)
			}
			roundTrip(t, g)
		})
	}
}

func TestNodeLinkDefaults(t *testing.T) {
	g, err := ParseNodeLink("d.json", []byte(`{"nodes":[{"id":"a"},{"id":"b"}],"edges":[{"source":"a","target":"b"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if a, _ := g.Node("a"); a != DefaultNodeAssets || !g.Up("a") {
		t.Fatalf("defaults %+v", a)
	}
	if l, _ := g.Link("b", "a"); l.LatencyMS != 0 || !math.IsInf(l.BandwidthMbps, 1) {
		t.Fatalf("link defaults %+v", l)
	}
	roundTrip(t, g)
}

func TestReadNodeLinkMissingFile(t *testing.T) {
	_, err := ReadNodeLink("testdata/nope.json")
	if err == nil || !strings.Contains(err.Error(), "network: load testdata/nope.json") {
		t.Fatalf("err = %v", err)
	}
}

// roundTrip writes g and reads it back, requiring the same nodes, assets and links.
func roundTrip(t *testing.T, g *Graph) {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteNodeLink(&buf, g); err != nil {
		t.Fatal(err)
	}
	h, err := ParseNodeLink("round-trip", buf.Bytes())
	if err != nil {
		t.Fatalf("written graph not readable: %v\n%s", err, buf.String())
	}
	assets := func(g *Graph) []NodeAssets {
		var out []NodeAssets
		for _, id := range g.Nodes() {
			a, _ := g.Node(id)
			out = append(out, a)
		}
		return out
	}
	if !slices.Equal(g.Nodes(), h.Nodes()) || !slices.Equal(assets(g), assets(h)) || !slices.Equal(g.Links(), h.Links()) {
		t.Fatalf("round trip changed the graph:\n%s", buf.String())
	}
}

func TestHierarchicalRoundTrip(t *testing.T) { roundTrip(t, sockShopInfra(t)) }

// endless is an io.Reader that never ends, like /dev/zero.
type endless struct{ read int64 }

func (e *endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = ' '
	}
	e.read += int64(len(p))
	return len(p), nil
}

// TestNodeLinkSizeLimit: an endless input is cut at the limit (plus one byte, to tell a file
// of exactly the limit from a bigger one) and refused with an error naming the limit.
func TestNodeLinkSizeLimit(t *testing.T) {
	e := &endless{}
	_, err := decodeNodeLink("zero", e, 1<<20)
	if err == nil || !strings.Contains(err.Error(), "network: load zero: larger than the limit of 1048576 bytes (1 MiB)") {
		t.Fatalf("err = %v", err)
	}
	if e.read > 1<<20+64<<10 {
		t.Fatalf("read %d bytes for a limit of 1 MiB", e.read)
	}
	// Exactly at the limit is accepted (the JSON is padded with spaces up to it).
	doc := `{"nodes":[{"id":"a"}]}`
	padded := doc + strings.Repeat(" ", 1000-len(doc))
	if g, err := decodeNodeLink("pad", strings.NewReader(padded), 1000); err != nil || g.Len() != 1 {
		t.Fatalf("at the limit: %v", err)
	}
	if _, err := decodeNodeLink("pad", strings.NewReader(padded+" "), 1000); err == nil {
		t.Fatal("one byte over the limit accepted")
	}
	if MaxNodeLinkBytes != 256<<20 {
		t.Fatalf("MaxNodeLinkBytes = %d", MaxNodeLinkBytes)
	}
	if _, err := DecodeNodeLink("r", strings.NewReader(doc)); err != nil {
		t.Fatal(err)
	}
}

func FuzzParseNodeLink(f *testing.F) {
	seed, _ := os.ReadFile("testdata/eclypse-io-round-trip-node-link.json")
	f.Add(seed)
	f.Add([]byte(`{"nodes":[{"id":"a"},{"id":1}],"links":[{"source":"a","target":1,"latency":0.5}]}`))
	f.Add([]byte(`{"directed":true,"nodes":[{"id":"a","availability":0}],"edges":[]}`))
	f.Add([]byte("\xef\xbb\xbf{\"nodes\":[{\"id\":1}],\"links\":[]}"))
	var buf bytes.Buffer
	WriteNodeLink(&buf, mustGraphF())
	f.Add(buf.Bytes())
	f.Fuzz(func(t *testing.T, data []byte) {
		g, err := ParseNodeLink("fuzz.json", data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "network: load fuzz.json: ") {
				t.Fatalf("error without context: %v", err)
			}
			return
		}
		roundTrip(t, g)
	})
}

func mustGraphF() *Graph {
	g := NewGraph()
	g.AddNode("x\"y", NodeAssets{CPU: 1.5, Availability: 0.25, ProcessingTimeMS: 3})
	g.AddNode("z", NodeAssets{})
	g.AddSymmetricLink("x\"y", "z", LinkAssets{LatencyMS: 0.1, BandwidthMbps: 1e9})
	return g
}

// TestWriteDOT pins the picture of a small graph. Regenerate with -update.
func TestWriteDOT(t *testing.T) {
	g := mustGraphF()
	g.AddNode("w", NodeAssets{Availability: 1})
	g.AddLink("w", "z", LinkAssets{LatencyMS: 2, BandwidthMbps: 10})
	g.AddLink("z", "w", LinkAssets{LatencyMS: 3, BandwidthMbps: 10})
	var buf bytes.Buffer
	if err := WriteDOT(&buf, g); err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "small.dot", buf.Bytes())
}
