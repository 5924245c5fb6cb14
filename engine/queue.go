package engine

import "math/bits"

// entry is one scheduled item: due time, scheduling sequence and the index of its slot (what
// to do) in Sim.slots. Entries are plain values: no interface boxing, no pointers for the GC to
// scan in the heap array.
type entry struct {
	at   Time
	seq  uint64
	slot uint32
}

// before is the queue order: earlier time first, then earlier sequence. It compares the
// 128-bit keys (at, seq) with a subtract-with-borrow chain, which compiles to branch-free code:
// ties in time are common and a branchy comparison mispredicts on them. Times in the queue are
// never negative, so comparing them as unsigned is exact.
func before(a, b *entry) bool { return beforeBit(a, b) != 0 }

// beforeBit is before as 0 or 1, for branch-free index selection.
func beforeBit(a, b *entry) int {
	_, borrow := bits.Sub64(a.seq, b.seq, 0)
	_, borrow = bits.Sub64(uint64(a.at), uint64(b.at), borrow)
	return int(borrow)
}

// heap4 is a 4-ary min-heap of entries ordered by before.
//
// Invariant: for every i > 0, !before(&a[i], &a[(i-1)/4]) (no child precedes its parent).
type heap4 struct {
	a []entry
}

func (h *heap4) len() int { return len(h.a) }

func (h *heap4) push(e entry) {
	h.a = append(h.a, e)
	a := h.a
	i := len(a) - 1
	for i > 0 {
		p := (i - 1) >> 2
		if !before(&e, &a[p]) {
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
	top := a[0]
	n := len(a) - 1
	e := a[n]
	a = a[:n]
	h.a = a
	if n == 0 {
		return top
	}
	i := 0
	for {
		c := 4*i + 1
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
	for i > 0 {
		p := (i - 1) >> 2
		if !before(&e, &a[p]) {
			break
		}
		a[i] = a[p]
		i = p
	}
	a[i] = e
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

// peek returns the next entry without removing it.
func (q *queue) peek() (entry, bool) {
	if q.head < len(q.fifo) {
		f := &q.fifo[q.head]
		if q.h.len() > 0 && before(&q.h.a[0], f) {
			return q.h.a[0], true
		}
		return *f, true
	}
	if q.h.len() > 0 {
		return q.h.a[0], true
	}
	return entry{}, false
}

// popUntil removes and returns the next entry if it is due at or before t.
func (q *queue) popUntil(t Time) (entry, bool) {
	if q.head < len(q.fifo) {
		f := &q.fifo[q.head]
		if q.h.len() > 0 && before(&q.h.a[0], f) {
			if q.h.a[0].at > t {
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
	if q.h.len() > 0 && q.h.a[0].at <= t {
		return q.h.pop(), true
	}
	return entry{}, false
}
