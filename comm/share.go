package comm

import (
	"errors"
	"fmt"
)

// SetNamespace prefixes the names of the fabric's random streams (its services' service
// times) with ns: two applications of one run whose services have the same names then draw
// independently. Call it before SetLoad.
func (f *Fabric) SetNamespace(ns string) { f.ns = ns }

// ShareLoad makes f share with's contention: with Load.CPU node, the services of f queue on
// the same node stations as with's (several applications on one infrastructure compete for
// its cores); with Load.Links fair, f's transfers share the links with with's. Both fabrics
// must run on one simulation and one graph, with the same Load. Call it after SetLoad on
// both and before the run starts. A shared node station is reported by both fabrics'
// Stations (the same figures: the node's, all applications together).
func (f *Fabric) ShareLoad(with *Fabric) error {
	switch {
	case f == with:
		return errors.New("comm: share load: a fabric cannot share with itself")
	case f.sim != with.sim || f.graph != with.graph:
		return errors.New("comm: share load: the fabrics run on different simulations or graphs")
	case (f.load == nil) != (with.load == nil) || f.load != nil && f.load.cfg != with.load.cfg:
		return fmt.Errorf("comm: share load: the fabrics model different loads")
	}
	if f.load != nil {
		f.load.byNode = with.load.byNode // one slice: a station made by either is both's
	}
	f.flows = with.flows
	return nil
}
