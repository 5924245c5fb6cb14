package comm

import (
	"github.com/edgesim/edgesim/engine"
	"github.com/edgesim/edgesim/placement"
)

// Stats counts what crossed the fabric. Every message sent is delivered, lost or discarded:
// Messages = delivered + Lost (+ in flight at the end); Discarded counts delivered replies
// that nobody wanted any more.
type Stats struct {
	Messages    int // messages that left their sender (every MPI message, every REST request and response)
	Bytes       int // their total size
	Lost        int // lost in flight (destination down, moved or undeployed)
	Discarded   int // late replies of abandoned exchanges
	Unreachable int // sends refused at once (not counted in Messages)
	Rejected    int // requests refused by a full CPU queue (their messages are in Messages)

	order *placement.Application
	ids   map[string]int32 // the application's services by id (the fabric's); nil: none
	// grid holds the pairs of two application services, at from*n+to (n = len(ids)),
	// created on first use; pairs with an end outside the application are in others.
	grid   pairTable[Pair]
	others map[[2]string]*Pair
	extra  []*Pair // pairs not in the application's interactions, in first-seen order
}

// Pair is the measured traffic of one caller -> callee pair: MPI messages from -> to, or REST
// calls from caller to callee (request, handler and response).
type Pair struct {
	From, To string
	Count    int
	Total    engine.Time // summed latency of the Count samples
	// Late counts REST responses that arrived after the caller had abandoned the call: the
	// caller never saw them, so they are neither samples nor in Total.
	Late int
	// Network sums the delays of the pair's messages (REST: both legs of every call);
	// Queue and Service sum the wait and work of the callee on the pair's requests.
	Network, Queue, Service engine.Time
}

// MeanMS is the mean latency in milliseconds (0 with no sample).
func (p Pair) MeanMS() float64 {
	if p.Count == 0 {
		return 0
	}
	return p.Total.Milliseconds() / float64(p.Count)
}

// id is the id of an application service, -1 for any other name.
func (s *Stats) id(name string) int32 {
	if i, ok := s.ids[name]; ok {
		return i
	}
	return -1
}

// pairAt returns the entry of from -> to, creating it on first use; fi and ti are the ends'
// ids (-1: not an application service).
func (s *Stats) pairAt(fi, ti int32, from, to string) *Pair {
	if fi >= 0 && ti >= 0 {
		n := len(s.ids)
		if s.grid.keys == 0 {
			s.grid = newPairTable[Pair](n * n)
		}
		k := int(fi)*n + int(ti)
		if p := s.grid.get(k); p != nil {
			return p
		}
		return s.grid.at(k, func() *Pair { return s.newPair(from, to) })
	}
	if s.others == nil {
		s.others = make(map[[2]string]*Pair)
	}
	k := [2]string{from, to}
	p := s.others[k]
	if p == nil {
		p = s.newPair(from, to)
		s.others[k] = p
	}
	return p
}

func (s *Stats) newPair(from, to string) *Pair {
	p := &Pair{From: from, To: to}
	if !s.inApp(from, to) {
		s.extra = append(s.extra, p)
	}
	return p
}

// lookup returns the entry of from -> to, nil if it was never used.
func (s *Stats) lookup(from, to string) *Pair {
	fi, ti := s.id(from), s.id(to)
	if fi >= 0 && ti >= 0 {
		if s.grid.keys == 0 {
			return nil
		}
		return s.grid.get(int(fi)*len(s.ids) + int(ti))
	}
	return s.others[[2]string{from, to}]
}

func (s *Stats) inApp(from, to string) bool {
	if s.order == nil {
		return false
	}
	for _, in := range s.order.Interactions {
		if in.From == from && in.To == to {
			return true
		}
	}
	return false
}

// Pairs returns the measured pairs: the application's interactions in their order, then any
// other pair in first-seen order. Pairs with neither a sample nor a late response are left
// out.
func (s *Stats) Pairs() []Pair {
	var out []Pair
	if s.order != nil {
		for _, in := range s.order.Interactions {
			if p := s.lookup(in.From, in.To); p != nil {
				out = append(out, *p)
			}
		}
	}
	for _, p := range s.extra {
		out = append(out, *p)
	}
	return out
}

func (s *Stats) reset() {
	order, ids, grid := s.order, s.ids, s.grid
	grid.reset()
	*s = Stats{order: order, ids: ids, grid: grid}
}
