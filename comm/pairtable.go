package comm

// denseKeys is the largest key space a pairTable holds as a dense table: 4096 pointers (32
// KiB). An application of more services keys a map instead, whose memory grows with the
// pairs used rather than with the square of the services (uqSim's fan-out has 1001
// services, a million pairs, of which it uses 2000).
const denseKeys = 1 << 12

// pairTable holds entries keyed by a small integer built from two service ids (and a bit),
// each created on first use: a lookup is a slice index in a small application, a map lookup
// of an integer in a big one.
type pairTable[T any] struct {
	keys   int
	dense  []*T // len keys once used, when keys <= denseKeys
	sparse map[int]*T
}

func newPairTable[T any](keys int) pairTable[T] { return pairTable[T]{keys: keys} }

// get returns the entry of key k, nil if it has none.
func (t *pairTable[T]) get(k int) *T {
	if t.keys <= denseKeys {
		if t.dense == nil {
			return nil
		}
		return t.dense[k]
	}
	return t.sparse[k]
}

// at returns the entry of key k, made by newEntry (and kept) if it has none.
func (t *pairTable[T]) at(k int, newEntry func() *T) *T {
	if e := t.get(k); e != nil {
		return e
	}
	e := newEntry()
	if t.keys <= denseKeys {
		if t.dense == nil {
			t.dense = make([]*T, t.keys)
		}
		t.dense[k] = e
		return e
	}
	if t.sparse == nil {
		t.sparse = map[int]*T{}
	}
	t.sparse[k] = e
	return e
}

// reset forgets every entry, keeping the memory of the table.
func (t *pairTable[T]) reset() {
	clear(t.dense)
	clear(t.sparse)
}
