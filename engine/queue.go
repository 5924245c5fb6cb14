package engine

import (
	"math/bits"
	"slices"
)

// Queue entries pack the scheduling sequence and the slot index into one word, so an entry is
// 16 bytes and a node's four children fill exactly one 64-byte cache line.
const (
	slotBits = 28 // up to 2^28 (268M) entries pending at once
	slotMask = 1<<slotBits - 1
)

// maxSeq is the largest sequence number before the kernel renumbers the pending entries
// (renumber keeps their order). A variable so tests can exercise renumbering.
var maxSeq uint64 = 1<<(64-slotBits) - 1

// entry is one scheduled item: due time, then key = seq<<slotBits | slot, where seq is the
// scheduling sequence (unique among pending entries) and slot indexes Sim.slots (what to do).
// Ordering by (at, key) is ordering by (at, seq). Entries are plain values: no interface
// boxing and no pointers for the GC to scan.
type entry struct {
	at  Time
	key uint64
}

func mkEntry(at Time, seq uint64, slot uint32) entry {
	return entry{at: at, key: seq<<slotBits | uint64(slot)}
}

func (e entry) seq() uint64  { return e.key >> slotBits }
func (e entry) slot() uint32 { return uint32(e.key & slotMask) }

// before is the queue order: earlier time first, then earlier sequence.
func before(a, b *entry) bool { return beforeBit(a, b) != 0 }

// beforeBit is before as 0 or 1. It compares the 128-bit keys (at, key) with a
// subtract-with-borrow chain, which compiles to branch-free code (ties in time are common and
// a branchy comparison mispredicts on them) and lets pop select children without branches.
// Times in the queue are never negative, so comparing them as unsigned is exact.
func beforeBit(a, b *entry) int {
	_, borrow := bits.Sub64(a.key, b.key, 0)
	_, borrow = bits.Sub64(uint64(a.at), uint64(b.at), borrow)
	return int(borrow)
}

// heapPad is the number of unused entries before the root. With the root at index 3, the
// children of the node at index i are at 4i-8 .. 4i-5, four entries starting at a multiple of
// four: one aligned cache line (large slices are at least 64-byte aligned).
const heapPad = 3

func parent(i int) int     { return i/4 + 2 }
func firstChild(i int) int { return 4*i - 8 }

// heap4 is a 4-ary min-heap of entries ordered by before, stored from index heapPad.
//
// Invariant: for every i > heapPad, !before(&a[i], &a[parent(i)]) (no child precedes its
// parent).
type heap4 struct {
	a []entry
}

func (h *heap4) len() int {
	if len(h.a) == 0 {
		return 0
	}
	return len(h.a) - heapPad
}

func (h *heap4) top() *entry { return &h.a[heapPad] }

func (h *heap4) push(e entry) {
	if len(h.a) == 0 {
		h.a = make([]entry, heapPad, 64)
	}
	h.a = append(h.a, e)
	h.up(len(h.a)-1, e)
}

func (h *heap4) up(i int, e entry) {
	a := h.a
	for i > heapPad {
		p := parent(i)
		if beforeBit(&e, &a[p]) == 0 {
			break
		}
		a[i] = a[p]
		i = p
	}
	a[i] = e
}

// pop removes and returns the minimum; the heap must not be empty.
//
// It uses Floyd's bottom-up variant: the hole left at the root moves down along the smallest
// children to a leaf without comparing against the displaced last element, which is then
// sifted up from there (it is usually large, so that loop stops at once). The child selection
// is branch-free.
func (h *heap4) pop() entry {
	a := h.a
	top := a[heapPad]
	n := len(a) - 1
	e := a[n]
	a = a[:n]
	h.a = a
	if n == heapPad {
		return top
	}
	i := heapPad
	for {
		c := firstChild(i)
		if c+3 >= n {
			if c < n {
				m := c
				for j := c + 1; j < n; j++ {
					if before(&a[j], &a[m]) {
						m = j
					}
				}
				a[i] = a[m]
				i = m
			}
			break
		}
		ch := a[c : c+4 : c+4]
		m1 := beforeBit(&ch[1], &ch[0])
		m2 := 2 + beforeBit(&ch[3], &ch[2])
		m := c + (m1 ^ ((m1 ^ m2) & -beforeBit(&ch[m2], &ch[m1])))
		a[i] = a[m]
		i = m
	}
	h.up(i, e)
	return top
}

// replaceTop replaces the minimum with e, which may belong anywhere, and restores the heap;
// the heap must not be empty. It is pop followed by push in one pass down from the root that
// stops where e belongs: a new entry is usually due soon, so it stops near the top, where a
// pop would carry the hole to a leaf and a push climb back from one.
func (h *heap4) replaceTop(e entry) {
	a := h.a
	n := len(a)
	i := heapPad
	for {
		c := firstChild(i)
		var m int
		switch {
		case c+3 < n:
			ch := a[c : c+4 : c+4]
			m1 := beforeBit(&ch[1], &ch[0])
			m2 := 2 + beforeBit(&ch[3], &ch[2])
			m = c + (m1 ^ ((m1 ^ m2) & -beforeBit(&ch[m2], &ch[m1])))
		case c < n:
			m = c
			for j := c + 1; j < n; j++ {
				if before(&a[j], &a[m]) {
					m = j
				}
			}
		default:
			a[i] = e
			return
		}
		if !before(&a[m], &e) {
			a[i] = e
			return
		}
		a[i] = a[m]
		i = m
	}
}

// queue is the kernel's event queue. It is a 4-ary min-heap keyed by (time, insertion seq)
// whose nodes are buckets: FIFO lists of slots due at the same time. Discrete-event models are
// full of ties (many processes sleeping the same durations, hand-offs at the current time), so
// consecutive schedulings for one instant share a bucket and pay for one heap push and pop
// between them; popping the rest of a bucket is a slice read.
//
// Order: a bucket's seq is taken when it is created, and items are only ever appended to the
// newest bucket of their time (the one a small direct-mapped cache remembers; a cache miss just
// creates a newer bucket). So for one time t, every item of an older bucket was scheduled
// before every item of a newer one, items within a bucket are in scheduling order, and popping
// buckets in (time, seq) order and items in FIFO order runs items in exactly (time, scheduling
// order). An item scheduled for the current time goes to the bucket being drained, if it is
// still the newest for that time, behind the items already in it.
//
// A drained bucket's node stays at the root, dead, until the queue is next used: a push of a
// new bucket then takes its place (replaceTop), one pass instead of a pop and a push, which is
// the common case (an item runs and schedules the next); a pop removes it first.
type queue struct {
	h       heap4 // nodes: at, key = seq<<slotBits | bucket index
	buckets []bucket
	freeB   []uint32
	cache   [cacheSize]cacheLine
	seq     uint64 // last bucket seq
	n       int    // items queued
	dead    bool   // the heap's root is a drained bucket's node, to be replaced or popped
}

type bucket struct {
	items []uint32 // slot indices, FIFO from head
	head  int
	gen   uint32 // bumped when the bucket is freed: invalidates cache lines
}

const cacheSize = 64

type cacheLine struct {
	at  Time
	b   uint32
	gen uint32 // 0: empty
}

func (q *queue) len() int { return q.n }

// push queues slot at time at.
func (q *queue) push(at Time, slot uint32) {
	q.n++
	c := &q.cache[(uint64(at)*0x9e3779b97f4a7c15)>>(64-6)]
	if c.at == at && c.gen != 0 {
		if b := &q.buckets[c.b]; b.gen == c.gen {
			b.items = append(b.items, slot)
			return
		}
	}
	var bi uint32
	if n := len(q.freeB); n > 0 {
		bi = q.freeB[n-1]
		q.freeB = q.freeB[:n-1]
	} else {
		if len(q.buckets) > slotMask {
			panic("engine: too many distinct pending times (2^28)")
		}
		bi = uint32(len(q.buckets))
		q.buckets = append(q.buckets, bucket{gen: 1})
	}
	b := &q.buckets[bi]
	b.items = append(b.items, slot)
	if q.seq >= maxSeq {
		q.seq = q.renumber()
	}
	q.seq++
	e := mkEntry(at, q.seq, bi)
	switch {
	case !q.dead:
		q.h.push(e)
	case before(&e, &q.h.a[len(q.h.a)-1]):
		// Due before the last leaf: it belongs near the top, where replaceTop stops.
		q.dead = false
		q.h.replaceTop(e)
	default:
		// Due late (a long sleep): a pop and a push that stops at once cost less.
		q.dead = false
		q.h.pop()
		q.h.push(e)
	}
	*c = cacheLine{at: at, b: bi, gen: b.gen}
}

// popUntil removes and returns the next item (its time and slot) if it is due at or before t.
func (q *queue) popUntil(t Time) (Time, uint32, bool) {
	if q.dead {
		q.dead = false
		q.h.pop()
	}
	if q.h.len() == 0 {
		return 0, 0, false
	}
	top := q.h.top()
	at := top.at
	if at > t {
		return 0, 0, false
	}
	bi := top.slot()
	b := &q.buckets[bi]
	slot := b.items[b.head]
	b.head++
	q.n--
	if b.head == len(b.items) {
		q.dead = true // (its node is replaced by the next new bucket, or popped)
		b.items = b.items[:0]
		b.head = 0
		b.gen++
		if b.gen == 0 {
			b.gen = 1
		}
		q.freeB = append(q.freeB, bi)
	}
	return at, slot, true
}

// renumber gives the buckets in the heap the sequence numbers 1..n in their current order and
// returns n. It runs when the sequence counter would overflow its bits (after about 6.9e10
// buckets): the queue order, which is all sequence numbers are for, is unchanged.
func (q *queue) renumber() uint64 {
	if q.dead {
		q.dead = false
		q.h.pop()
	}
	all := slices.Clone(q.h.a[min(heapPad, len(q.h.a)):])
	slices.SortFunc(all, func(a, b entry) int {
		if before(&a, &b) {
			return -1
		}
		if before(&b, &a) {
			return 1
		}
		return 0
	})
	for i := range all {
		all[i] = mkEntry(all[i].at, uint64(i+1), all[i].slot())
	}
	// A sorted array is a valid heap.
	q.h.a = append(make([]entry, heapPad, heapPad+len(all)), all...)
	return uint64(len(all))
}
