package network

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
)

// MaxNodeLinkBytes is the largest node-link input ReadNodeLink, DecodeNodeLink and
// ParseNodeLink accept (256 MiB): a bigger file, or an endless one such as /dev/zero, is an
// error naming the limit instead of a machine out of memory.
const MaxNodeLinkBytes = 256 << 20

// ReadNodeLink reads a networkx node-link JSON file; see ParseNodeLink.
func ReadNodeLink(path string) (*Graph, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("network: load %s: %w", path, err)
	}
	defer f.Close()
	return DecodeNodeLink(path, f)
}

// DecodeNodeLink reads node-link JSON from r, at most MaxNodeLinkBytes of it, and parses it
// with ParseNodeLink; name is used in error messages only.
func DecodeNodeLink(name string, r io.Reader) (*Graph, error) {
	return decodeNodeLink(name, r, MaxNodeLinkBytes)
}

func decodeNodeLink(name string, r io.Reader, limit int64) (*Graph, error) {
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, fmt.Errorf("network: load %s: %w", name, err)
	}
	if int64(len(data)) > limit {
		return nil, tooBig(name, limit)
	}
	return ParseNodeLink(name, data)
}

func tooBig(name string, limit int64) error {
	return fmt.Errorf("network: load %s: larger than the limit of %d bytes (%d MiB)", name, limit, limit>>20)
}

// Asset attribute names in node-link files.
const (
	attrCPU          = "cpu"
	attrGPU          = "gpu"
	attrRAM          = "ram"
	attrStorage      = "storage"
	attrAvailability = "availability"
	attrProcessing   = "processing_time"
	attrLatency      = "latency"
	attrBandwidth    = "bandwidth"
)

// DefaultNodeAssets are the assets of a node-link node that has none of the asset
// attributes: cpu, gpu, ram, storage and processing_time 0, availability 1 (up).
var DefaultNodeAssets = NodeAssets{Availability: 1}

// DefaultLinkAssets are the assets of a node-link edge that has none: latency 0 and
// unlimited bandwidth (+Inf, which WriteNodeLink writes by leaving the attribute out).
var DefaultLinkAssets = LinkAssets{LatencyMS: 0, BandwidthMbps: math.Inf(1)}

// ParseNodeLink parses networkx node-link JSON (as written by networkx.node_link_data);
// name is used in error messages only. A UTF-8 byte-order mark at the start is skipped;
// input over MaxNodeLinkBytes is refused.
//
// The top level is an object with "nodes" (required) and the links in "edges" (networkx >=
// 3.4) or "links" (older; not both). "directed" (default false, as in networkx) says whether
// each edge is one directed link or a symmetric pair; "multigraph" and "graph" are ignored.
// Node ids ("id") and edge ends ("source", "target") are JSON strings, or numbers which are
// turned into their shortest decimal text (1 and 1.0 are both "1", 1.5 is "1.5"); other
// types are errors. Node attributes cpu, gpu, ram, storage, availability, processing_time
// and edge attributes latency, bandwidth must be JSON numbers; missing ones take
// DefaultNodeAssets / DefaultLinkAssets; every other attribute is ignored.
//
// Nodes keep the file's order, and each node's out-links keep the order of its edges in the
// file: that is the adjacency order networkx builds from the file, and so the order in which
// Route, like networkx's Dijkstra, breaks ties between equally short paths.
//
// Rejected, with an error naming the file, the element ("node 3", "edge 7" or "link 7",
// after the key used) and the field: malformed JSON (with its byte offset), a missing or
// non-array "nodes", a duplicate or empty node id, an asset out of range (capacities and
// processing_time must be finite and >= 0, availability in 0..1, latency finite and >= 0,
// bandwidth > 0), an edge to an unknown node, a self-loop, and a duplicate edge (for an
// undirected file, a-b and b-a are duplicates).
func ParseNodeLink(name string, data []byte) (*Graph, error) {
	fail := func(format string, args ...any) error {
		return fmt.Errorf("network: load %s: %s", name, fmt.Sprintf(format, args...))
	}
	if len(data) > MaxNodeLinkBytes {
		return nil, tooBig(name, MaxNodeLinkBytes)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return nil, fail("invalid JSON at byte %d: %v", se.Offset, err)
		}
		return nil, fail("invalid JSON: %v", err)
	}
	if top == nil {
		return nil, fail("top level is not a JSON object")
	}
	directed := false
	if raw, ok := top["directed"]; ok {
		if err := json.Unmarshal(raw, &directed); err != nil || isNull(raw) {
			return nil, fail(`"directed" is not true or false`)
		}
	}
	rawNodes, ok := top["nodes"]
	if !ok {
		return nil, fail(`no "nodes"`)
	}
	nodes, bad, ok := objects(rawNodes)
	switch {
	case !ok:
		return nil, fail(`"nodes" is not an array of objects`)
	case bad >= 0:
		return nil, fail("node %d: not an object", bad)
	}
	edgeKey, elem := "edges", "edge"
	rawEdges, hasEdges := top["edges"]
	if rawLinks, hasLinks := top["links"]; hasLinks {
		if hasEdges {
			return nil, fail(`both "edges" and "links"`)
		}
		rawEdges, hasEdges, edgeKey, elem = rawLinks, true, "links", "link"
	}
	var edges []map[string]json.RawMessage
	if hasEdges {
		edges, bad, ok = objects(rawEdges)
		switch {
		case !ok:
			return nil, fail("%q is not an array of objects", edgeKey)
		case bad >= 0:
			return nil, fail("%s %d: not an object", elem, bad)
		}
	}

	g := NewGraph()
	for i, n := range nodes {
		if n == nil {
			return nil, fail("node %d: not an object", i)
		}
		id, err := parseID(n, "id")
		if err != nil {
			return nil, fail("node %d: %v", i, err)
		}
		if _, dup := g.topo.index[id]; dup {
			return nil, fail("node %d: duplicate id %q", i, id)
		}
		a := DefaultNodeAssets
		for _, f := range []struct {
			key string
			dst *float64
		}{{attrCPU, &a.CPU}, {attrGPU, &a.GPU}, {attrRAM, &a.RAM}, {attrStorage, &a.Storage},
			{attrAvailability, &a.Availability}, {attrProcessing, &a.ProcessingTimeMS}} {
			if err := parseNumber(n, f.key, f.dst); err != nil {
				return nil, fail("node %d %q: %v", i, id, err)
			}
		}
		if err := validNode(a); err != nil {
			return nil, fail("node %d %q: %v", i, id, err)
		}
		if err := g.AddNode(id, a); err != nil {
			return nil, fail("node %d: %v", i, err)
		}
	}
	seen := make(map[uint64]bool, len(edges))
	for i, e := range edges {
		if e == nil {
			return nil, fail("%s %d: not an object", elem, i)
		}
		from, err := parseID(e, "source")
		if err != nil {
			return nil, fail("%s %d: %v", elem, i, err)
		}
		to, err := parseID(e, "target")
		if err != nil {
			return nil, fail("%s %d: %v", elem, i, err)
		}
		fi, ok := g.topo.index[from]
		if !ok {
			return nil, fail("%s %d: source: unknown node %q", elem, i, from)
		}
		ti, ok := g.topo.index[to]
		if !ok {
			return nil, fail("%s %d: target: unknown node %q", elem, i, to)
		}
		if fi == ti {
			return nil, fail("%s %d %q->%q: self-loop", elem, i, from, to)
		}
		l := DefaultLinkAssets
		for _, f := range []struct {
			key string
			dst *float64
		}{{attrLatency, &l.LatencyMS}, {attrBandwidth, &l.BandwidthMbps}} {
			if err := parseNumber(e, f.key, f.dst); err != nil {
				return nil, fail("%s %d %q->%q: %v", elem, i, from, to, err)
			}
		}
		if err := validLink(l); err != nil {
			return nil, fail("%s %d %q->%q: %v", elem, i, from, to, err)
		}
		if seen[linkKey(int(fi), int(ti))] || (!directed && seen[linkKey(int(ti), int(fi))]) {
			return nil, fail("%s %d %q->%q: duplicate edge", elem, i, from, to)
		}
		seen[linkKey(int(fi), int(ti))] = true
		g.addLink(int(fi), int(ti), l)
		if !directed {
			seen[linkKey(int(ti), int(fi))] = true
			g.addLink(int(ti), int(fi), l)
		}
	}
	return g, nil
}

// objects decodes a JSON array of objects. ok is false when raw is not an array; bad is the
// index of the first element that is neither an object nor null (-1 if none). A null
// element decodes to a nil map, which the caller reports.
func objects(raw json.RawMessage) (out []map[string]json.RawMessage, bad int, ok bool) {
	var elems []json.RawMessage
	if err := json.Unmarshal(raw, &elems); err != nil || isNull(raw) {
		return nil, -1, false
	}
	out = make([]map[string]json.RawMessage, len(elems))
	for i, e := range elems {
		if err := json.Unmarshal(e, &out[i]); err != nil {
			return nil, i, true
		}
	}
	return out, -1, true
}

func isNull(raw json.RawMessage) bool { return bytes.Equal(bytes.TrimSpace(raw), []byte("null")) }

// parseID reads an id attribute: a non-empty string, or a number turned into its shortest
// decimal text.
func parseID(obj map[string]json.RawMessage, key string) (string, error) {
	raw, ok := obj[key]
	if !ok {
		return "", fmt.Errorf("no %q", key)
	}
	var s string
	if err := json.Unmarshal(raw, &s); err == nil && !isNull(raw) {
		if s == "" {
			return "", fmt.Errorf("empty %q", key)
		}
		return s, nil
	}
	var num json.Number
	if err := json.Unmarshal(raw, &num); err != nil || isNull(raw) {
		return "", fmt.Errorf("%q %s is neither a string nor a number", key, clip(raw))
	}
	f, err := strconv.ParseFloat(string(num), 64)
	if err != nil {
		return "", fmt.Errorf("%q %s: %v", key, clip(raw), err)
	}
	return strconv.FormatFloat(f, 'g', -1, 64), nil
}

// parseNumber reads an optional numeric attribute into dst.
func parseNumber(obj map[string]json.RawMessage, key string, dst *float64) error {
	raw, ok := obj[key]
	if !ok {
		return nil
	}
	var f float64
	if err := json.Unmarshal(raw, &f); err != nil || isNull(raw) {
		return fmt.Errorf("%s %s is not a number", key, clip(raw))
	}
	*dst = f
	return nil
}

func clip(raw json.RawMessage) string {
	s := string(bytes.TrimSpace(raw))
	if len(s) > 40 {
		s = s[:40] + "..."
	}
	return s
}

// WriteNodeLink writes g as networkx node-link JSON that ParseNodeLink (and
// networkx.node_link_graph) reads back: "directed": true, one edge per directed link in
// Links order, nodes in insertion order, every asset written (bandwidth left out when +Inf).
// Numbers use Go's shortest round-trip formatting, so reading the file back gives the same
// graph.
func WriteNodeLink(w io.Writer, g *Graph) error {
	bw := bufio.NewWriter(w)
	num := func(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }
	str := func(s string) string {
		b, _ := json.Marshal(s)
		return string(b)
	}
	bw.WriteString("{\n  \"directed\": true,\n  \"multigraph\": false,\n  \"graph\": {},\n  \"nodes\": [")
	for i, id := range g.topo.ids {
		a := g.nodes[i]
		if i > 0 {
			bw.WriteString(",")
		}
		fmt.Fprintf(bw, "\n    {\"id\": %s, \"cpu\": %s, \"gpu\": %s, \"ram\": %s, \"storage\": %s, \"availability\": %s, \"processing_time\": %s}",
			str(id), num(a.CPU), num(a.GPU), num(a.RAM), num(a.Storage), num(a.Availability), num(a.ProcessingTimeMS))
	}
	bw.WriteString("\n  ],\n  \"edges\": [")
	for k, l := range g.Links() {
		if k > 0 {
			bw.WriteString(",")
		}
		fmt.Fprintf(bw, "\n    {\"source\": %s, \"target\": %s, \"latency\": %s", str(l.From), str(l.To), num(l.LatencyMS))
		if !math.IsInf(l.BandwidthMbps, 1) {
			fmt.Fprintf(bw, ", \"bandwidth\": %s", num(l.BandwidthMbps))
		}
		bw.WriteString("}")
	}
	bw.WriteString("\n  ]\n}\n")
	return bw.Flush()
}

// WriteDOT writes g as a Graphviz digraph for pictures: nodes in insertion order labelled
// with their id, cpu/ram and processing time (down nodes dashed and grey), then links in
// Links order labelled "latency ms / bandwidth Mbit/s". A link whose reverse has the same
// assets is drawn once, at its first occurrence, as a two-headed edge.
func WriteDOT(w io.Writer, g *Graph) error {
	bw := bufio.NewWriter(w)
	num := func(f float64) string { return strconv.FormatFloat(f, 'g', 4, 64) }
	esc := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace
	q := func(s string) string { return `"` + esc(s) + `"` }
	bw.WriteString("digraph infrastructure {\n  node [shape=box, fontsize=10];\n  edge [fontsize=8];\n")
	for i, id := range g.topo.ids {
		a := g.nodes[i]
		label := esc(id) + "\\ncpu " + num(a.CPU) + " ram " + num(a.RAM) + "\\npt " + num(a.ProcessingTimeMS) + " ms"
		style := ""
		if a.Availability <= 0 {
			style = ", style=dashed, color=grey, fontcolor=grey"
		}
		fmt.Fprintf(bw, "  %s [label=\"%s\"%s];\n", q(id), label, style)
	}
	links := g.Links()
	at := make(map[[2]string]int, len(links))
	for k, l := range links {
		at[[2]string{l.From, l.To}] = k
	}
	for k, l := range links {
		rk, hasRev := at[[2]string{l.To, l.From}]
		both := hasRev && links[rk].LinkAssets == l.LinkAssets
		if both && rk < k {
			continue // drawn with its reverse
		}
		dir := ""
		if both {
			dir = ", dir=both"
		}
		fmt.Fprintf(bw, "  %s -> %s [label=\"%s ms / %s Mbit/s\"%s];\n", q(l.From), q(l.To), num(l.LatencyMS), num(l.BandwidthMbps), dir)
	}
	bw.WriteString("}\n")
	return bw.Flush()
}
