package placement

import (
	"fmt"
	"slices"
	"strings"

	"github.com/edgesim/edgesim/network"
)

// Problem is one reason a placement is not feasible.
type Problem struct {
	Service     string // or "" for an interaction or node-capacity problem
	Node        string
	From, To    string // interaction, if any
	Requirement string // "cpu", "ram", "latency", "bandwidth", "availability", "unplaced", "down", "path"...
	Detail      string
	// Required and Available are the numbers compared (0 where none applies, such as
	// "unplaced", "unknown-node", "down" and "path").
	Required, Available float64
}

// String describes the problem in one line: who, requirement, detail.
func (p Problem) String() string {
	var who []string
	if p.Service != "" {
		who = append(who, "service "+p.Service)
	}
	if p.From != "" {
		who = append(who, "interaction "+p.From+"->"+p.To)
	}
	if p.Node != "" {
		who = append(who, "node "+p.Node)
	}
	return strings.Join(who, ", ") + ": " + p.Requirement + ": " + p.Detail
}

// Report is the outcome of an audit.
type Report struct {
	Feasible bool
	Problems []Problem
}

// Audit checks a placement against the current infrastructure (DESIGN.md "Placement").
// Problems come in this order:
//  1. per service in application order: "unplaced" (not in p), "unknown-node" (p names a
//     node g does not have), "down" (its node is down), "availability" (node availability
//     below the service's);
//  2. per node in node order, among nodes hosting services: "cpu", "gpu", "ram", "storage"
//     when the summed requirements of its services exceed the node's capacity (Detail lists
//     the services);
//  3. per interaction in application order, when both ends are placed on up nodes and the
//     nodes differ (services on the same node satisfy it trivially): "path" when there is
//     no route, else "latency" (path latency > max) and/or "bandwidth" (path bandwidth <
//     min), with Node set to the path's nodes joined by "->".
//
// Feasible is true when there is no problem.
func Audit(app *Application, g *network.Graph, p Placement) Report {
	var probs []Problem
	hosted := map[string][]Service{}
	for _, s := range app.Services {
		node, ok := p[s.Name]
		if !ok {
			probs = append(probs, Problem{Service: s.Name, Requirement: "unplaced", Detail: "service not placed"})
			continue
		}
		a, known := g.Node(node)
		switch {
		case !known:
			probs = append(probs, Problem{Service: s.Name, Node: node, Requirement: "unknown-node", Detail: fmt.Sprintf("node %q not in the infrastructure", node)})
			continue
		case a.Availability <= 0:
			probs = append(probs, Problem{Service: s.Name, Node: node, Requirement: "down", Detail: "node is down"})
		case a.Availability < s.Availability:
			probs = append(probs, Problem{Service: s.Name, Node: node, Requirement: "availability",
				Detail: fmt.Sprintf("required %g > available %g", s.Availability, a.Availability), Required: s.Availability, Available: a.Availability})
		}
		hosted[node] = append(hosted[node], s)
	}
	for _, node := range g.Nodes() {
		ss := hosted[node]
		if len(ss) == 0 {
			continue
		}
		a, _ := g.Node(node)
		var sum Requirements
		names := make([]string, len(ss))
		for i, s := range ss {
			sum.CPU += s.CPU
			sum.GPU += s.GPU
			sum.RAM += s.RAM
			sum.Storage += s.Storage
			names[i] = s.Name
		}
		for _, c := range []struct {
			name      string
			req, have float64
		}{{"cpu", sum.CPU, a.CPU}, {"gpu", sum.GPU, a.GPU}, {"ram", sum.RAM, a.RAM}, {"storage", sum.Storage, a.Storage}} {
			if c.req > c.have {
				probs = append(probs, Problem{Node: node, Requirement: c.name, Required: c.req, Available: c.have,
					Detail: fmt.Sprintf("required %g (%s) > available %g", c.req, strings.Join(names, "+"), c.have)})
			}
		}
	}
	for _, in := range app.Interactions {
		a, okA := p[in.From]
		b, okB := p[in.To]
		if !okA || !okB || !g.Up(a) || !g.Up(b) || a == b {
			continue // unplaced, unknown or down ends are reported above
		}
		path, err := g.Route(a, b)
		if err != nil {
			probs = append(probs, Problem{From: in.From, To: in.To, Node: a + "->" + b, Requirement: "path", Detail: fmt.Sprintf("no path from %q to %q", a, b)})
			continue
		}
		route := strings.Join(path.Nodes, "->")
		if path.LatencyMS > in.MaxLatencyMS {
			probs = append(probs, Problem{From: in.From, To: in.To, Node: route, Requirement: "latency", Required: in.MaxLatencyMS, Available: path.LatencyMS,
				Detail: fmt.Sprintf("path latency %g ms > max %g ms", path.LatencyMS, in.MaxLatencyMS)})
		}
		if path.BandwidthMbps < in.MinBandwidthMbps {
			probs = append(probs, Problem{From: in.From, To: in.To, Node: route, Requirement: "bandwidth", Required: in.MinBandwidthMbps, Available: path.BandwidthMbps,
				Detail: fmt.Sprintf("path bandwidth %g Mbit/s < min %g Mbit/s", path.BandwidthMbps, in.MinBandwidthMbps)})
		}
	}
	return Report{Feasible: len(probs) == 0, Problems: probs}
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
