package placement

import (
	"fmt"
	"slices"
	"strings"

	"github.com/edgesim/edgesim/network"
)

// Problem is one reason a placement is not feasible.
type Problem struct {
	Service     string // or "" for an interaction, node-capacity or link problem
	Node        string
	From, To    string // interaction, if any
	Link        string // "from->to" of the directed link, for a link's bandwidth problem
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
	if p.Link != "" {
		who = append(who, "link "+p.Link)
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

// Audit checks a placement against the current infrastructure (docs/MODEL.md, "Placement and audit"), as
// ECLYPSE 0.9.0's placement audit does, except for one of its bugs (below). Problems come in
// this order:
//  1. per service in application order: "unplaced" (not in p), "unknown-node" (p names a
//     node g does not have), "down" (its node is down), "availability" (node availability
//     below the service's);
//  2. per node in node order, among nodes hosting services: "cpu", "gpu", "ram", "storage"
//     when the summed requirements of its services exceed the node's capacity (Detail lists
//     the services);
//  3. per interaction in application order, when both ends are placed on up nodes and the
//     nodes differ (services on the same node satisfy it trivially): "path" when there is
//     no route, else "latency" when the path latency exceeds the interaction's own maximum,
//     with Node set to the path's nodes joined by "->";
//  4. per directed link, in the order the interactions' paths (application order, hops in
//     path order) first use it: "bandwidth" when the link's bandwidth is below the sum of
//     the minimum bandwidths of all the interactions whose paths cross it (Link names the
//     link; Detail lists the interactions and their shares; Required is the sum).
//
// ECLYPSE sums bandwidth per link the same way (interactions sharing a link share its
// bandwidth). When several interactions connect the same pair of hosts, ECLYPSE keeps only
// the last one's latency bound for that pair; we check every interaction's own bound.
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
	// Bandwidth demand per directed link, in order of first use.
	type demand struct {
		link int32
		sum  float64
	}
	var demands []demand // a placement's paths use a few dozen links: a list is enough
	// routed lists the interactions whose bandwidth counts, with their paths.
	routed := func(yield func(Interaction, network.Path) bool) {
		for _, in := range app.Interactions {
			a, okA := p[in.From]
			b, okB := p[in.To]
			if !okA || !okB || !g.Up(a) || !g.Up(b) || a == b {
				continue // unplaced, unknown or down ends are reported above
			}
			if path, err := g.Route(a, b); err == nil && !yield(in, path) {
				return
			}
		}
	}
	for _, in := range app.Interactions {
		a, okA := p[in.From]
		b, okB := p[in.To]
		if !okA || !okB || !g.Up(a) || !g.Up(b) || a == b {
			continue
		}
		path, err := g.Route(a, b)
		if err != nil {
			probs = append(probs, Problem{From: in.From, To: in.To, Node: a + "->" + b, Requirement: "path", Detail: fmt.Sprintf("no path from %q to %q", a, b)})
			continue
		}
		if path.LatencyMS > in.MaxLatencyMS {
			probs = append(probs, Problem{From: in.From, To: in.To, Node: strings.Join(path.Nodes, "->"), Requirement: "latency", Required: in.MaxLatencyMS, Available: path.LatencyMS,
				Detail: fmt.Sprintf("path latency %g ms > max %g ms", path.LatencyMS, in.MaxLatencyMS)})
		}
	}
	for in, path := range routed {
		for _, k := range path.LinkIdx {
			i := slices.IndexFunc(demands, func(d demand) bool { return d.link == k })
			if i < 0 {
				i = len(demands)
				demands = append(demands, demand{link: k})
			}
			demands[i].sum += in.MinBandwidthMbps
		}
	}
	for _, d := range demands {
		l := g.LinkAt(d.link)
		if l.BandwidthMbps >= d.sum {
			continue
		}
		var users []string
		for in, path := range routed {
			if slices.Contains(path.LinkIdx, d.link) {
				users = append(users, fmt.Sprintf("%s->%s %g", in.From, in.To, in.MinBandwidthMbps))
			}
		}
		probs = append(probs, Problem{Link: l.From + "->" + l.To, Requirement: "bandwidth", Required: d.sum, Available: l.BandwidthMbps,
			Detail: fmt.Sprintf("link bandwidth %g Mbit/s < %g Mbit/s required by %s", l.BandwidthMbps, d.sum, strings.Join(users, " + "))})
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
