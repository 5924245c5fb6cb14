package placement

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/edgesim/edgesim/network"
)

// Strategy maps every service to a node.
type Strategy interface {
	Name() string
	Place(app *Application, g *network.Graph, r *rand.Rand) (Placement, error)
}

// UnplacedError is returned, with the partial placement of the services that could be
// placed, when a strategy cannot place every service.
type UnplacedError struct {
	Strategy string
	Services []string // not placed, in application order
}

// Error lists the services left unplaced.
func (e *UnplacedError) Error() string {
	return fmt.Sprintf("placement: %s: cannot place %s", e.Strategy, strings.Join(e.Services, ", "))
}

// Strategies returns the names NewStrategy accepts.
func Strategies() []string {
	return []string{"random", "first-fit", "best-fit", "round-robin", "static"}
}

// NewStrategy returns a strategy by name: random, first-fit, best-fit, round-robin, static
// (static uses the map, service -> node, which is copied; it must be non-nil). The map is
// checked against the application and graph at Place time, where they are known.
func NewStrategy(name string, static map[string]string) (Strategy, error) {
	switch name {
	case "random":
		return Random{}, nil
	case "first-fit":
		return FirstFit{}, nil
	case "best-fit":
		return BestFit{}, nil
	case "round-robin":
		return RoundRobin{}, nil
	case "static":
		if static == nil {
			return nil, fmt.Errorf("placement: static strategy needs a service -> node map")
		}
		m := make(map[string]string, len(static))
		for k, v := range static {
			m[k] = v
		}
		return Static{Map: m}, nil
	}
	return nil, fmt.Errorf("placement: unknown strategy %q (valid: %s)", name, strings.Join(Strategies(), ", "))
}

// Random is ECLYPSE 0.9.0's RandomStrategy (without spread): it looks neither at resources
// nor at availability. It shuffles every node of the graph, down ones included (r.Shuffle
// over the nodes in node order), then, for each service in application order, picks one of
// them with r.IntN(number of nodes), as ECLYPSE's shuffle then choice per service does. A
// service drawn onto a down node makes Audit report it "down", and the placement is not
// deployed, as in ECLYPSE. With no node at all nothing is placed (and nothing drawn).
type Random struct{}

// Name returns "random".
func (Random) Name() string { return "random" }

// Place draws the placement from r (which must not be nil).
func (s Random) Place(app *Application, g *network.Graph, r *rand.Rand) (Placement, error) {
	if r == nil {
		return nil, fmt.Errorf("placement: random: nil *rand.Rand")
	}
	nodes := g.Nodes()
	p := Placement{}
	if len(nodes) == 0 {
		return p, unplaced(s.Name(), app, p)
	}
	r.Shuffle(len(nodes), func(i, j int) { nodes[i], nodes[j] = nodes[j], nodes[i] })
	for _, sv := range app.Services {
		p[sv.Name] = nodes[r.IntN(len(nodes))]
	}
	return p, nil
}

// capacity tracks what is left of each up node while a strategy places services.
type capacity struct {
	ids   []string
	total []network.NodeAssets
	left  []network.NodeAssets
}

func newCapacity(g *network.Graph) *capacity {
	n := g.Len()
	c := &capacity{ids: make([]string, 0, n), total: make([]network.NodeAssets, 0, n), left: make([]network.NodeAssets, 0, n)}
	for _, id := range g.Nodes() {
		if a, _ := g.Node(id); a.Availability > 0 {
			c.ids = append(c.ids, id)
			c.total = append(c.total, a)
			c.left = append(c.left, a)
		}
	}
	return c
}

// fits reports whether service s fits what is left of node i.
func (c *capacity) fits(i int, s Service) bool {
	l := c.left[i]
	return l.CPU >= s.CPU && l.GPU >= s.GPU && l.RAM >= s.RAM && l.Storage >= s.Storage &&
		l.Availability >= s.Availability
}

func (c *capacity) take(i int, s Service) {
	c.left[i].CPU -= s.CPU
	c.left[i].GPU -= s.GPU
	c.left[i].RAM -= s.RAM
	c.left[i].Storage -= s.Storage
}

// slack is best-fit's metric: the sum over cpu, gpu, ram and storage of the fraction of the
// node's capacity that would be left after placing s (dimensions with capacity 0 count 0).
func (c *capacity) slack(i int, s Service) float64 {
	l, t := c.left[i], c.total[i]
	sum := 0.0
	for _, d := range [][3]float64{{l.CPU, s.CPU, t.CPU}, {l.GPU, s.GPU, t.GPU}, {l.RAM, s.RAM, t.RAM}, {l.Storage, s.Storage, t.Storage}} {
		if d[2] > 0 {
			sum += (d[0] - d[1]) / d[2]
		}
	}
	return sum
}

func unplaced(name string, app *Application, p Placement) error {
	var missing []string
	for _, s := range app.Services {
		if _, ok := p[s.Name]; !ok {
			missing = append(missing, s.Name)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	return &UnplacedError{Strategy: name, Services: missing}
}

// FirstFit puts each service, in application order, on the first up node in node order
// that still has room for it (cpu, gpu, ram, storage, after the services already put there)
// and whose availability is at least the service's. It draws nothing.
type FirstFit struct{}

// Name returns "first-fit".
func (FirstFit) Name() string { return "first-fit" }

// Place places app on g; r is not used.
func (s FirstFit) Place(app *Application, g *network.Graph, _ *rand.Rand) (Placement, error) {
	c := newCapacity(g)
	p := Placement{}
	for _, sv := range app.Services {
		for i := range c.ids {
			if c.fits(i, sv) {
				c.take(i, sv)
				p[sv.Name] = c.ids[i]
				break
			}
		}
	}
	return p, unplaced(s.Name(), app, p)
}

// BestFit puts each service, in application order, on the fitting up node (as FirstFit)
// with the least slack: the sum over cpu, gpu, ram and storage of the fraction of the
// node's capacity left after placing it. Ties go to the earlier node. It draws nothing.
type BestFit struct{}

// Name returns "best-fit".
func (BestFit) Name() string { return "best-fit" }

// Place places app on g; r is not used.
func (s BestFit) Place(app *Application, g *network.Graph, _ *rand.Rand) (Placement, error) {
	c := newCapacity(g)
	p := Placement{}
	for _, sv := range app.Services {
		best, bestSlack := -1, 0.0
		for i := range c.ids {
			if !c.fits(i, sv) {
				continue
			}
			if sl := c.slack(i, sv); best < 0 || sl < bestSlack {
				best, bestSlack = i, sl
			}
		}
		if best >= 0 {
			c.take(best, sv)
			p[sv.Name] = c.ids[best]
		}
	}
	return p, unplaced(s.Name(), app, p)
}

// RoundRobin spreads services over the up nodes: a cursor starts at the first up node (in
// node order) at every Place; each service, in application order, goes to the first node
// from the cursor onwards (wrapping around) that has room for it as in FirstFit, and the
// cursor moves to the node after it. It draws nothing.
type RoundRobin struct{}

// Name returns "round-robin".
func (RoundRobin) Name() string { return "round-robin" }

// Place places app on g; r is not used.
func (s RoundRobin) Place(app *Application, g *network.Graph, _ *rand.Rand) (Placement, error) {
	c := newCapacity(g)
	p := Placement{}
	cursor := 0
	n := len(c.ids)
	for _, sv := range app.Services {
		for k := range n {
			i := (cursor + k) % n
			if c.fits(i, sv) {
				c.take(i, sv)
				p[sv.Name] = c.ids[i]
				cursor = (i + 1) % n
				break
			}
		}
	}
	return p, unplaced(s.Name(), app, p)
}

// Static places services where its map says, without looking at resources or
// availability (Audit does). A map entry naming a service the application does not have,
// or a node the graph does not have, is an error naming it (checked in application order,
// then map keys in sorted order) and nothing is placed; services the map leaves out give a
// partial placement and an *UnplacedError.
type Static struct {
	Map map[string]string // service -> node
}

// Name returns "static".
func (Static) Name() string { return "static" }

// Place places app on g; r is not used.
func (s Static) Place(app *Application, g *network.Graph, _ *rand.Rand) (Placement, error) {
	for _, k := range sortedKeys(s.Map) {
		if _, ok := app.Service(k); !ok {
			return nil, fmt.Errorf("placement: static: unknown service %q (app %q)", k, app.Name)
		}
	}
	p := Placement{}
	for _, sv := range app.Services {
		node, ok := s.Map[sv.Name]
		if !ok {
			continue
		}
		if _, known := g.Node(node); !known {
			return nil, fmt.Errorf("placement: static: service %q: unknown node %q", sv.Name, node)
		}
		p[sv.Name] = node
	}
	return p, unplaced(s.Name(), app, p)
}
