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

// queue is the kernel's event queue: a 4-ary heap plus a FIFO for entries due at the current
// time. An entry scheduled for "now" always has a larger sequence than every entry already
// queued, so appending it to a FIFO keeps (time, seq) order without touching the heap; pop
// takes whichever of the heap top and the FIFO head comes first. The FIFO only ever holds
// entries due at the current time, because the clock advances only when an entry due later is
// popped, i.e. when the FIFO is empty.
type queue struct {
	h    heap4
	fifo []entry
	head int
}

func (q *queue) len() int { return q.h.len() + len(q.fifo) - q.head }

func (q *queue) push(e entry, now Time) {
	if e.at == now {
		q.fifo = append(q.fifo, e)
		return
	}
	q.h.push(e)
}

// popUntil removes and returns the next entry if it is due at or before t.
func (q *queue) popUntil(t Time) (entry, bool) {
	if q.head < len(q.fifo) {
		f := &q.fifo[q.head]
		if q.h.len() > 0 && before(q.h.top(), f) {
			if q.h.top().at > t {
				return entry{}, false
			}
			return q.h.pop(), true
		}
		if f.at > t {
			return entry{}, false
		}
		e := *f
		q.head++
		if q.head == len(q.fifo) {
			q.fifo = q.fifo[:0]
			q.head = 0
		} else if q.head >= 1024 && 2*q.head >= len(q.fifo) {
			n := copy(q.fifo, q.fifo[q.head:])
			q.fifo = q.fifo[:n]
			q.head = 0
		}
		return e, true
	}
	if q.h.len() > 0 && q.h.top().at <= t {
		return q.h.pop(), true
	}
	return entry{}, false
}

// renumber gives the pending entries the sequence numbers 1..n in their current order and
// returns n. It runs when the sequence counter would overflow its bits (after about 6.9e10
// schedulings): the queue order, which is all sequence numbers are for, is unchanged.
func (q *queue) renumber() uint64 {
	var all []entry
	if q.h.len() > 0 {
		all = append(all, q.h.a[heapPad:]...)
	}
	all = append(all, q.fifo[q.head:]...)
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
	q.fifo = q.fifo[:0]
	q.head = 0
	return uint64(len(all))
}
