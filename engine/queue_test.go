package engine

import (
	mathrand "math/rand"
	"math/rand/v2"
	"slices"
	"testing"
	"testing/quick"
)

// checkHeap verifies the heap invariant: no child precedes its parent.
func checkHeap(t *testing.T, h *heap4) {
	t.Helper()
	for i := heapPad + 1; i < len(h.a); i++ {
		if p := parent(i); before(&h.a[i], &h.a[p]) {
			t.Fatalf("heap invariant broken: a[%d]=%v precedes parent a[%d]=%v", i, h.a[i], p, h.a[p])
		}
	}
}

func TestBefore(t *testing.T) {
	tests := []struct {
		a, b entry
		want bool
	}{
		{mkEntry(1, 5, 0), mkEntry(2, 1, 0), true},
		{mkEntry(2, 1, 0), mkEntry(1, 5, 0), false},
		{mkEntry(1, 1, 0), mkEntry(1, 2, 0), true},
		{mkEntry(1, 2, 0), mkEntry(1, 1, 0), false},
		{mkEntry(1, 1, 0), mkEntry(1, 1, 0), false},
		{mkEntry(0, maxSeq, 0), mkEntry(1, 0, 0), true},
		{mkEntry(MaxTime, 0, 0), mkEntry(0, 0, 0), false},
	}
	for _, tt := range tests {
		if got := before(&tt.a, &tt.b); got != tt.want {
			t.Errorf("before(%v, %v) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

// TestHeapRandomOps pushes, pops and replaces the top at random (with many ties in time), checks the invariant
// after every operation and compares every pop with a naive sorted reference.
func TestHeapRandomOps(t *testing.T) {
	for seed := range uint64(20) {
		r := rand.New(rand.NewPCG(seed, 1))
		var h heap4
		var ref []entry
		var seq uint64
		for range 2000 {
			if len(ref) > 0 && r.IntN(4) == 0 {
				// replaceTop: the minimum out, a new entry in.
				seq++
				e := mkEntry(Time(r.IntN(20)), seq, uint32(seq))
				i := 0
				for j := range ref {
					if before(&ref[j], &ref[i]) {
						i = j
					}
				}
				if top := *h.top(); top != ref[i] {
					t.Fatalf("seed %d: top = %v, want %v", seed, top, ref[i])
				}
				h.replaceTop(e)
				ref[i] = e
			} else if len(ref) == 0 || r.IntN(3) != 0 {
				seq++
				e := mkEntry(Time(r.IntN(20)), seq, uint32(seq))
				h.push(e)
				ref = append(ref, e)
			} else {
				got := h.pop()
				i := 0
				for j := range ref {
					if before(&ref[j], &ref[i]) {
						i = j
					}
				}
				if got != ref[i] {
					t.Fatalf("seed %d: pop = %v, want %v", seed, got, ref[i])
				}
				ref = slices.Delete(ref, i, i+1)
			}
			checkHeap(t, &h)
			if h.len() != len(ref) {
				t.Fatalf("len = %d, want %d", h.len(), len(ref))
			}
		}
	}
}

// op is one step of a random schedule for the differential test.
type op struct {
	Delay  uint8 // delay of a new callback (small: many ties)
	Nested uint8 // callbacks this callback schedules when it runs (mod 3)
	Cancel uint8 // if odd, cancel the timer scheduled Cancel/2 ops earlier
}

// TestKernelMatchesReference runs random schedules (callbacks that schedule more callbacks,
// cancellations, zero delays) and checks that the kernel runs them in exactly the order of a
// naive reference: all scheduled items stably sorted by (time, scheduling order), minus the
// cancelled ones.
func TestKernelMatchesReference(t *testing.T) {
	// mod 8: heavy ties; mod 256: many distinct times, so the bucket cache (64 lines) evicts
	// and times get several buckets.
	for _, mod := range []uint8{8, 0} {
		checkAgainstReference(t, mod)
	}
}

func checkAgainstReference(t *testing.T, mod uint8) {
	delay := func(d uint8) Time {
		if mod == 0 {
			return Time(d)
		}
		return Time(d % mod)
	}
	f := func(ops []op) bool {
		s := New(1)
		type item struct {
			id  int
			at  Time
			seq int
		}
		var sched []item // every item scheduled, in scheduling order
		cancelled := map[int]bool{}
		var ran []int
		var timers []Timer
		next := 0
		var add func(d Time, nested int)
		add = func(d Time, nested int) {
			id := next
			next++
			sched = append(sched, item{id: id, at: s.Now() + d, seq: len(sched)})
			tm, err := s.Schedule(d, func() {
				ran = append(ran, id)
				for k := range nested {
					add(delay(uint8(k*37)), 0) // zero and other delays from inside a callback
				}
			})
			if err != nil {
				t.Fatal(err)
			}
			timers = append(timers, tm)
		}
		for i, o := range ops {
			add(delay(o.Delay), int(o.Nested%3))
			if o.Cancel%2 == 1 {
				j := i - int(o.Cancel/2)
				if j >= 0 {
					was := !cancelled[j]
					if got := s.Cancel(timers[j]); got != was {
						t.Logf("Cancel(%d) = %v, want %v", j, got, was)
						return false
					}
					cancelled[j] = true
				}
			}
		}
		if err := s.Run(); err != nil {
			t.Fatal(err)
		}
		// Reference: callbacks that ran schedule nested items when they run; the kernel's
		// scheduling order is recorded in sched, so a stable sort of the uncancelled items
		// by time must equal the run order.
		ref := slices.Clone(sched)
		slices.SortStableFunc(ref, func(a, b item) int {
			switch {
			case a.at < b.at:
				return -1
			case a.at > b.at:
				return 1
			}
			return 0
		})
		var want []int
		for _, it := range ref {
			if !cancelled[it.id] {
				want = append(want, it.id)
			}
		}
		if !slices.Equal(ran, want) {
			t.Logf("ran  %v\nwant %v", ran, want)
			return false
		}
		// Cancelling after the run is a no-op.
		for _, tm := range timers {
			if s.Cancel(tm) {
				return false
			}
		}
		return s.Pending() == 0
	}
	if err := quick.Check(f, &quick.Config{MaxCount: 300, Rand: mathrand.New(mathrand.NewSource(1))}); err != nil {
		t.Fatal(err)
	}
}

// TestRenumberKeepsOrder forces sequence renumbering every few schedulings and checks that
// the tie-heavy model and the reference comparison are unaffected.
func TestRenumberKeepsOrder(t *testing.T) {
	want, n := tieModel(3)
	old := maxSeq
	maxSeq = 37
	defer func() { maxSeq = old }()
	got, m := tieModel(3)
	if got != want || m != n {
		t.Fatalf("with renumbering: %x/%d, want %x/%d", got, m, want, n)
	}
	TestKernelMatchesReference(t)
}

func TestEntryPacking(t *testing.T) {
	e := mkEntry(5, maxSeq, slotMask)
	if e.seq() != maxSeq || e.slot() != slotMask || e.at != 5 {
		t.Fatalf("packing lost bits: seq %d slot %d", e.seq(), e.slot())
	}
}

func TestTimerReuseIsSafe(t *testing.T) {
	s := New(1)
	old, _ := s.Schedule(1, func() {})
	if err := s.Run(); err != nil {
		t.Fatal(err)
	}
	ran := false
	fresh, _ := s.Schedule(1, func() { ran = true }) // reuses old's slot
	if fresh.slot != old.slot {
		t.Logf("slot not reused (%d vs %d); test is weaker", fresh.slot, old.slot)
	}
	if s.Cancel(old) {
		t.Fatal("stale timer cancelled a new callback")
	}
	if s.Cancel(Timer{}) {
		t.Fatal("zero Timer cancelled something")
	}
	if err := s.Run(); err != nil {
		t.Fatal(err)
	}
	if !ran {
		t.Fatal("callback did not run")
	}
}
