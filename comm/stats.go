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
	pairs map[[2]string]*Pair
	extra [][2]string // pairs not in the application, in first-seen order
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

func (s *Stats) record(from, to string, latency engine.Time) {
	p := s.pair(from, to)
	p.Count++
	p.Total += latency
}

// pair returns the entry of from -> to, creating it on first use.
func (s *Stats) pair(from, to string) *Pair {
	if s.pairs == nil {
		s.pairs = make(map[[2]string]*Pair)
	}
	k := [2]string{from, to}
	p := s.pairs[k]
	if p == nil {
		p = &Pair{From: from, To: to}
		s.pairs[k] = p
		if !s.inApp(from, to) {
			s.extra = append(s.extra, k)
		}
	}
	return p
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
			if p := s.pairs[[2]string{in.From, in.To}]; p != nil {
				out = append(out, *p)
			}
		}
	}
	for _, k := range s.extra {
		out = append(out, *s.pairs[k])
	}
	return out
}

func (s *Stats) reset() {
	order := s.order
	*s = Stats{order: order}
}
