package cpu

// mark is a heap entry: a job's key and its submission sequence number. The key is the
// job's finish mark on the station's attained-service clock (PS) or its finish time (FCFS,
// whole part only); seq breaks ties, so jobs that finish at the same instant complete in
// submission order. Entries are plain values (no pointers for the garbage collector).
type mark struct {
	key fix
	seq uint64
	id  int32 // index of the job record
}

func (a *mark) before(b *mark) bool {
	if a.key.w != b.key.w {
		return a.key.w < b.key.w
	}
	if a.key.f != b.key.f {
		return a.key.f < b.key.f
	}
	return a.seq < b.seq
}

// markHeap is a binary min-heap ordered by mark.before.
//
// Invariant: for every i > 0, !a[i].before(&a[(i-1)/2]) (no child precedes its parent).
// Push and pop are O(log n); the slice keeps its capacity, so in steady state they allocate
// nothing.
type markHeap struct {
	a []mark
}

func (h *markHeap) len() int { return len(h.a) }

func (h *markHeap) top() *mark { return &h.a[0] }

func (h *markHeap) push(m mark) {
	h.a = append(h.a, m)
	i := len(h.a) - 1
	for i > 0 {
		p := (i - 1) / 2
		if !m.before(&h.a[p]) {
			break
		}
		h.a[i] = h.a[p]
		i = p
	}
	h.a[i] = m
}

func (h *markHeap) pop() mark {
	top := h.a[0]
	n := len(h.a) - 1
	last := h.a[n]
	h.a = h.a[:n]
	if n == 0 {
		return top
	}
	i := 0
	for {
		c := 2*i + 1
		if c >= n {
			break
		}
		if r := c + 1; r < n && h.a[r].before(&h.a[c]) {
			c = r
		}
		if !h.a[c].before(&last) {
			break
		}
		h.a[i] = h.a[c]
		i = c
	}
	h.a[i] = last
	return top
}
