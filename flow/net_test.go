package flow

import (
	"errors"
	"fmt"
	"math"
	"testing"

	"github.com/edgesim/edgesim/engine"
)

const (
	ms = engine.Millisecond
	s  = engine.Second
)

type startSpec struct {
	name  string
	at    engine.Time
	links []int32
	bytes int
	cap   float64 // Mbit/s; 0 for none
}

type eventSpec struct {
	at    engine.Time
	link  int32   // capacity change of link to mbps, if mbps > 0
	mbps  float64 //
	abort string  // else abort this transfer
}

// runNet runs the starts and events on a fresh Net and returns each transfer's completion
// instant (absent if it never completed) and the Net, at the end of the run.
func runNet(t *testing.T, capacity []float64, starts []startSpec, events []eventSpec) (map[string]engine.Time, *Net, *engine.Sim) {
	t.Helper()
	sim := engine.New(1)
	n := New(sim)
	for l, c := range capacity {
		if err := n.SetCapacity(int32(l), c); err != nil {
			t.Fatal(err)
		}
	}
	got := map[string]engine.Time{}
	handles := map[string]Transfer{}
	for _, st := range starts {
		sim.At(st.at, func() {
			maxRate := inf
			if st.cap > 0 {
				maxRate = st.cap
			}
			h, err := n.StartCapped(st.links, st.bytes, maxRate, func() {
				if _, dup := got[st.name]; dup {
					t.Errorf("%s: done called twice", st.name)
				}
				got[st.name] = sim.Now()
			})
			if err != nil {
				t.Fatalf("%s: %v", st.name, err)
			}
			handles[st.name] = h
		})
	}
	for _, ev := range events {
		sim.At(ev.at, func() {
			if ev.mbps > 0 {
				if err := n.SetCapacity(ev.link, ev.mbps); err != nil {
					t.Fatal(err)
				}
				return
			}
			if !n.Abort(handles[ev.abort]) {
				t.Errorf("abort %s at %v: not live", ev.abort, sim.Now())
			}
		})
	}
	if err := sim.Run(); err != nil {
		t.Fatal(err)
	}
	if n.Active() != 0 {
		t.Errorf("Active() = %d after the run, want 0", n.Active())
	}
	return got, n, sim
}

// TestNetHandCases: every completion instant below is worked by hand in its comment, in
// Mbit (1e6 bytes = 8 Mbit) and Mbit/s; a transfer of b bits at r bit/s takes b/r s, rounded
// up to a whole nanosecond.
func TestNetHandCases(t *testing.T) {
	tests := []struct {
		name     string
		capacity []float64
		starts   []startSpec
		events   []eventSpec
		want     map[string]engine.Time
	}{
		{
			// 8 Mbit over 8 Mbit/s: 1 s.
			name: "one flow one link", capacity: []float64{8},
			starts: []startSpec{{"f", 0, []int32{0}, 1e6, 0}},
			want:   map[string]engine.Time{"f": s},
		},
		{
			// 1500 bytes = 12000 bits over 100 Mbit/s: 120 us.
			name: "packet", capacity: []float64{100},
			starts: []startSpec{{"f", 0, []int32{0}, 1500, 0}},
			want:   map[string]engine.Time{"f": 120 * engine.Microsecond},
		},
		{
			// 8000 bits over 3 Mbit/s: 2666.666... us, rounded up to 2666667 ns.
			name: "fraction rounds up", capacity: []float64{3},
			starts: []startSpec{{"f", 0, []int32{0}, 1000, 0}},
			want:   map[string]engine.Time{"f": 2666667},
		},
		{
			// 3 Mbit/s shared by 11 flows of 9 Mbit: 3/11 Mbit/s each, 9*11/3 = 33 s exactly.
			// The float64 quotient is 33.000000000000004 s; the snap rule keeps it at 33 s
			// instead of adding a nanosecond.
			name: "float noise snapped", capacity: []float64{3},
			starts: elevenFlows(),
			want: map[string]engine.Time{"f0": 33 * s, "f1": 33 * s, "f2": 33 * s, "f3": 33 * s,
				"f4": 33 * s, "f5": 33 * s, "f6": 33 * s, "f7": 33 * s, "f8": 33 * s, "f9": 33 * s, "f10": 33 * s},
		},
		{
			// Path 10, 100, 5 Mbit/s: 8 Mbit at min = 5 Mbit/s, 1.6 s (store-and-forward
			// would charge 0.8 + 0.08 + 1.6 = 2.48 s).
			name: "series path", capacity: []float64{10, 100, 5},
			starts: []startSpec{{"f", 0, []int32{0, 1, 2}, 1e6, 0}},
			want:   map[string]engine.Time{"f": 1600 * ms},
		},
		{
			// Started at 250 ms: 8 Mbit over 8 Mbit/s ends at 1.25 s.
			name: "late start", capacity: []float64{8},
			starts: []startSpec{{"f", 250 * ms, []int32{0}, 1e6, 0}},
			want:   map[string]engine.Time{"f": 1250 * ms},
		},
		{
			// 10 Mbit/s, a: 8 Mbit, b: 16 Mbit, 5 Mbit/s each. a ends at 8/5 = 1.6 s; b has
			// moved 8 Mbit, the other 8 at 10 Mbit/s take 0.8 s: 2.4 s.
			name: "two flows one link", capacity: []float64{10},
			starts: []startSpec{{"a", 0, []int32{0}, 1e6, 0}, {"b", 0, []int32{0}, 2e6, 0}},
			want:   map[string]engine.Time{"a": 1600 * ms, "b": 2400 * ms},
		},
		{
			// 10 Mbit/s. a (16 Mbit) alone until 0.4 s: 4 Mbit. Then b (4 Mbit) joins, 5
			// each: b ends 4/5 = 0.8 s later, at 1.2 s, when a has moved 4+4 = 8 Mbit; a's last
			// 8 Mbit at 10 take 0.8 s: 2.0 s (20 Mbit in all over 10 Mbit/s).
			name: "late joiner", capacity: []float64{10},
			starts: []startSpec{{"a", 0, []int32{0}, 2e6, 0}, {"b", 400 * ms, []int32{0}, 5e5, 0}},
			want:   map[string]engine.Time{"a": 2 * s, "b": 1200 * ms},
		},
		{
			// b starts at a's completion instant (its start was queued before a's timer): a
			// is settled first and b gets the whole 8 Mbit/s: 1 s + 1 s.
			name: "start at a completion instant", capacity: []float64{8},
			starts: []startSpec{{"a", 0, []int32{0}, 1e6, 0}, {"b", s, []int32{0}, 1e6, 0}},
			want:   map[string]engine.Time{"a": s, "b": 2 * s},
		},
		{
			// A=10 (link 0), B=100 (link 1); f1 over A (5 Mbit), f2 over A,B (10 Mbit), f3
			// over B (10 Mbit). Rates 5, 5, 95. f3 ends at 10/95 s = 105263157.9 ns -> 105263158;
			// f1 and f2 are held by A and do not change. f1 ends at 5/5 = 1 s; f2 has 5 Mbit
			// left and A to itself: 0.5 s more, 1.5 s.
			name: "one bottleneck", capacity: []float64{10, 100},
			starts: []startSpec{
				{"f1", 0, []int32{0}, 625000, 0},
				{"f2", 0, []int32{0, 1}, 1250000, 0},
				{"f3", 0, []int32{1}, 1250000, 0},
			},
			want: map[string]engine.Time{"f3": 105263158, "f1": s, "f2": 1500 * ms},
		},
		{
			// A=10, B=8; f1 over A (44 Mbit), f2 over A,B, f3 and f4 over B (8 Mbit each).
			// Rates: B's share 8/3 first, so f2 = f3 = f4 = 8/3: 8 Mbit take 3 s, all three at
			// the same instant. f1 gets 10 - 8/3 = 22/3: 22 Mbit by 3 s, the other 22 alone
			// at 10 Mbit/s take 2.2 s: 5.2 s.
			name: "two bottlenecks", capacity: []float64{10, 8},
			starts: []startSpec{
				{"f1", 0, []int32{0}, 5500000, 0},
				{"f2", 0, []int32{0, 1}, 1e6, 0},
				{"f3", 0, []int32{1}, 1e6, 0},
				{"f4", 0, []int32{1}, 1e6, 0},
			},
			want: map[string]engine.Time{"f1": 5200 * ms, "f2": 3 * s, "f3": 3 * s, "f4": 3 * s},
		},
		{
			// Parking lot, links 10, 10, 10: long flow over all three (10 Mbit), one short
			// flow per link (5 Mbit): 5 Mbit/s each. Shorts end at 1 s; the long flow has 5
			// Mbit left at 10 Mbit/s: 0.5 s more.
			name: "parking lot", capacity: []float64{10, 10, 10},
			starts: []startSpec{
				{"long", 0, []int32{0, 1, 2}, 1250000, 0},
				{"s0", 0, []int32{0}, 625000, 0},
				{"s1", 0, []int32{1}, 625000, 0},
				{"s2", 0, []int32{2}, 625000, 0},
			},
			want: map[string]engine.Time{"long": 1500 * ms, "s0": s, "s1": s, "s2": s},
		},
		{
			// A=12, B=4; f1, f2 over A (10 Mbit each), f3 over A,B (8 Mbit), f4 over B (2
			// Mbit). Rates: B's share 2 first: f3 = f4 = 2; f1 = f2 = (12-2)/2 = 5. f4 ends at
			// 2/2 = 1 s and frees B: f3 rises to 4 (A and B tie at share 4) and f1, f2 drop to
			// 4. f1, f2 have 5 Mbit left: 1.25 s more, 2.25 s. f3 has 6 left: 1.5 s more,
			// 2.5 s; at 2.25 s it is alone but B still holds it at 4, so 2.5 s stands.
			name: "flow ending frees its share", capacity: []float64{12, 4},
			starts: []startSpec{
				{"f1", 0, []int32{0}, 1250000, 0},
				{"f2", 0, []int32{0}, 1250000, 0},
				{"f3", 0, []int32{0, 1}, 1e6, 0},
				{"f4", 0, []int32{1}, 250000, 0},
			},
			want: map[string]engine.Time{"f4": s, "f1": 2250 * ms, "f2": 2250 * ms, "f3": 2500 * ms},
		},
		{
			// 10 Mbit/s, a and b 8 Mbit each at 5; b aborted at 0.4 s, when a has moved 2
			// Mbit: the other 6 at 10 Mbit/s take 0.6 s, a ends at 1 s; b never completes.
			name: "abort frees its share", capacity: []float64{10},
			starts: []startSpec{{"a", 0, []int32{0}, 1e6, 0}, {"b", 0, []int32{0}, 1e6, 0}},
			events: []eventSpec{{at: 400 * ms, abort: "b"}},
			want:   map[string]engine.Time{"a": s},
		},
		{
			// 8 Mbit at 8 Mbit/s; at 0.5 s (4 Mbit moved) the link drops to 2 Mbit/s: the other
			// 4 Mbit take 2 s, 2.5 s.
			name: "capacity drop", capacity: []float64{8},
			starts: []startSpec{{"f", 0, []int32{0}, 1e6, 0}},
			events: []eventSpec{{at: 500 * ms, link: 0, mbps: 2}},
			want:   map[string]engine.Time{"f": 2500 * ms},
		},
		{
			// 16 Mbit at 8 Mbit/s; at 1 s (8 moved) the link rises to 16 Mbit/s: 0.5 s more.
			name: "capacity rise", capacity: []float64{8},
			starts: []startSpec{{"f", 0, []int32{0}, 2e6, 0}},
			events: []eventSpec{{at: s, link: 0, mbps: 16}},
			want:   map[string]engine.Time{"f": 1500 * ms},
		},
		{
			// Over A=10, B=100, 10 Mbit at 10 Mbit/s; B dropping to 50 at 0.5 s does not
			// touch the bottleneck A: 1 s.
			name: "capacity change off the bottleneck", capacity: []float64{10, 100},
			starts: []startSpec{{"f", 0, []int32{0, 1}, 1250000, 0}},
			events: []eventSpec{{at: 500 * ms, link: 1, mbps: 50}},
			want:   map[string]engine.Time{"f": s},
		},
		{
			// Link 100; a capped at 10 (10 Mbit): 1 s. b uncapped gets 90: 18 Mbit in 0.2 s.
			// After b ends, a stays at its cap.
			name: "capped", capacity: []float64{100},
			starts: []startSpec{{"a", 0, []int32{0}, 1250000, 10}, {"b", 0, []int32{0}, 2250000, 0}},
			want:   map[string]engine.Time{"a": s, "b": 200 * ms},
		},
		{
			// No link, cap 4 Mbit/s: 8 Mbit in 2 s. Zero bytes or no link and no cap: done at
			// the start instant.
			name: "no link", capacity: []float64{10},
			starts: []startSpec{
				{"capped", 0, nil, 1e6, 4},
				{"free", 300 * ms, nil, 1e6, 0},
				{"empty", 700 * ms, []int32{0}, 0, 0},
			},
			want: map[string]engine.Time{"capped": 2 * s, "free": 300 * ms, "empty": 700 * ms},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _, _ := runNet(t, tt.capacity, tt.starts, tt.events)
			if len(got) != len(tt.want) {
				t.Errorf("completed %v, want %v", got, tt.want)
			}
			for name, w := range tt.want {
				if g, ok := got[name]; !ok || g != w {
					t.Errorf("%s: completed at %v (%d ns, ok=%v), want %v (%d ns)", name, g, int64(g), ok, w, int64(w))
				}
			}
		})
	}
}

func elevenFlows() []startSpec {
	var st []startSpec
	for i := range 11 {
		st = append(st, startSpec{fmt.Sprint("f", i), 0, []int32{0}, 1125000, 0})
	}
	return st
}

// TestTransferNs pins the rounding rule: the ceiling of rem*8000/rate ns, a fraction below
// min(1e-3, 1e-13 x duration) ns ignored, at least 1 ns; -1 when there is no finite end.
func TestTransferNs(t *testing.T) {
	tests := []struct {
		name      string
		rem, rate float64
		now       int64
		want      int64
	}{
		{"exact", 1e6, 8, 0, 1e9},                     // 8e9/8
		{"fraction", 1000, 3, 0, 2666667},             // 8e6/3 = 2666666.67
		{"noise above", 1125000, 3.0 / 11, 0, 33e9},   // 33000000000.000004 snapped
		{"noise below", 1e6, 10.0 / 3, 0, 2400000000}, // 2399999999.9999995 -> ceil
		{"real fraction", 1e9 + 0.01, 8000, 0, 1e9 + 1},
		{"half", 1.5, 8000, 0, 2},
		{"below a ns", 1, 16000, 0, 1},
		{"nothing left", 0, 10, 0, 1},
		{"stalled", 1, 0, 0, -1},
		{"beyond time", 1e18, 1e-3, 0, -1},
		{"beyond time from now", 1e6, 8, math.MaxInt64 - 10, -1},
	}
	for _, tt := range tests {
		if got := transferNs(tt.rem, tt.rate, tt.now); got != tt.want {
			t.Errorf("%s: transferNs(%v, %v) = %d, want %d", tt.name, tt.rem, tt.rate, got, tt.want)
		}
	}
}

// TestNetCallbackOrder: transfers completing at one instant are reported in start order,
// from an engine callback, never from inside Start.
func TestNetCallbackOrder(t *testing.T) {
	sim := engine.New(1)
	n := New(sim)
	must(t, n.SetCapacity(0, 8))
	var order []string
	inStart := false
	for _, name := range []string{"a", "b", "c"} {
		_, err := n.Start([]int32{0}, 1e6, func() {
			if inStart {
				t.Errorf("%s: done called inside Start", name)
			}
			order = append(order, name)
		})
		must(t, err)
	}
	inStart = true
	_, err := n.Start(nil, 0, func() { order = append(order, "instant") })
	inStart = false
	must(t, err)
	must(t, sim.Run())
	// The instant transfer completes at 0; a, b, c share 8 Mbit/s: 8 Mbit each at 8/3
	// Mbit/s, all at 3 s, in start order.
	want := []string{"instant", "a", "b", "c"}
	if len(order) != len(want) {
		t.Fatalf("order %v, want %v", order, want)
	}
	for i := range want {
		if order[i] != want[i] {
			t.Fatalf("order %v, want %v", order, want)
		}
	}
	if sim.Now() != 3*s {
		t.Errorf("ended at %v, want 3s", sim.Now())
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestNetQueries checks Rate, Remaining, End and Active along "two flows one link".
func TestNetQueries(t *testing.T) {
	sim := engine.New(1)
	n := New(sim)
	must(t, n.SetCapacity(0, 10))
	a, err := n.Start([]int32{0}, 1e6, func() {})
	must(t, err)
	b, err := n.Start([]int32{0}, 2e6, func() {})
	must(t, err)
	check := func(at engine.Time, h Transfer, rate, rem float64, end engine.Time, live bool) {
		t.Helper()
		if r := n.Rate(h); r != rate {
			t.Errorf("at %v: rate %v, want %v", at, r, rate)
		}
		if r := n.Remaining(h); r != rem {
			t.Errorf("at %v: remaining %v, want %v", at, r, rem)
		}
		if e, ok := n.End(h); ok != live || e != end {
			t.Errorf("at %v: end %v %v, want %v %v", at, e, ok, end, live)
		}
	}
	must(t, sim.RunUntil(800*ms))
	// 0.8 s at 5 Mbit/s = 4 Mbit = 500000 bytes moved by each. End assumes the rates hold:
	// b's 12 Mbit left at 5 Mbit/s would end at 0 + 16/5 = 3.2 s.
	check(800*ms, a, 5, 500000, 1600*ms, true)
	check(800*ms, b, 5, 1500000, 3200*ms, true)
	if n.Active() != 2 {
		t.Errorf("Active %d, want 2", n.Active())
	}
	must(t, sim.RunUntil(2*s))
	// a done at 1.6 s; b alone at 10 Mbit/s since then: 1e6 - 0.4 s * 10/8 MB/s = 500000.
	check(2*s, a, 0, 0, 0, false)
	check(2*s, b, 10, 500000, 2400*ms, true)
	if n.Active() != 1 || n.Abort(a) {
		t.Errorf("Active %d (want 1), or a finished transfer could be aborted", n.Active())
	}
	must(t, sim.Run())
	if n.Active() != 0 || n.Abort(b) || n.Abort(Transfer{}) {
		t.Errorf("Active %d (want 0), or a stale handle could be aborted", n.Active())
	}
}

// TestNetAbortDue: a transfer whose completion instant has come can be aborted before its
// callback runs; the callback then never runs.
func TestNetAbortDue(t *testing.T) {
	sim := engine.New(1)
	n := New(sim)
	must(t, n.SetCapacity(0, 8))
	var h Transfer
	called := false
	// Queued before the transfer's timer, so it runs first at 1 s.
	sim.At(s, func() {
		if !n.Abort(h) {
			t.Errorf("abort at the completion instant failed")
		}
	})
	h, err := n.Start([]int32{0}, 1e6, func() { called = true })
	must(t, err)
	must(t, sim.Run())
	if called || n.Active() != 0 {
		t.Errorf("called=%v active=%d after aborting a due transfer", called, n.Active())
	}
	// Its bytes were all delivered: the link counts them.
	if st := n.LinkStats(0); st.Bytes != 1e6 {
		t.Errorf("link bytes %v, want 1e6", st.Bytes)
	}
}

// TestNetLinkStats works "two flows one link" (10 Mbit/s, a 8 Mbit and b 16 Mbit from 0, a
// ends at 1.6 s, b at 2.4 s) with a statistics window reset at 1 s and read at 3 s.
func TestNetLinkStats(t *testing.T) {
	sim := engine.New(1)
	n := New(sim)
	must(t, n.SetCapacity(0, 10))
	must(t, n.SetCapacity(1, 10)) // unused
	_, err := n.Start([]int32{0}, 1e6, func() {})
	must(t, err)
	_, err = n.Start([]int32{0}, 2e6, func() {})
	must(t, err)
	must(t, sim.RunUntil(3*s))
	// Whole run: 3e6 bytes; busy 0..2.4 s; flows x time = 2*1.6 + 1*0.8 = 4 s over 3 s.
	st := n.LinkStats(0)
	want := LinkStats{Capacity: 10, Bytes: 3e6, Busy: 2400 * ms, MeanFlows: 4.0 / 3, MaxFlows: 2, Flows: 0, Span: 3 * s}
	if st.Bytes != want.Bytes || st.Busy != want.Busy || !close12(st.MeanFlows, want.MeanFlows) ||
		st.MaxFlows != want.MaxFlows || st.Flows != 0 || st.Span != want.Span || st.Capacity != 10 {
		t.Errorf("whole run: %+v, want %+v", st, want)
	}
	if st := n.LinkStats(1); st != (LinkStats{Capacity: 10, Span: 3 * s}) {
		t.Errorf("unused link: %+v", st)
	}
	if st := n.LinkStats(7); st != (LinkStats{}) {
		t.Errorf("unknown link: %+v", st)
	}

	// Again with a reset at 1 s. From 1 to 1.6 s both move 5 Mbit/s * 0.6 s = 3 Mbit =
	// 375000 bytes; then b moves 10 Mbit/s * 0.8 s = 1e6 bytes: 1.75e6 bytes. Busy 1.4 s;
	// flows x time = 2*0.6 + 1*0.8 = 2 s over 2 s; max 2 (both were on at the reset).
	sim = engine.New(1)
	n = New(sim)
	must(t, n.SetCapacity(0, 10))
	_, err = n.Start([]int32{0}, 1e6, func() {})
	must(t, err)
	_, err = n.Start([]int32{0}, 2e6, func() {})
	must(t, err)
	must(t, sim.RunUntil(s))
	n.ResetStats()
	if st := n.LinkStats(0); st.Bytes != 0 || st.Busy != 0 || st.Span != 0 || st.MaxFlows != 2 || st.Flows != 2 {
		t.Errorf("just after reset: %+v", st)
	}
	must(t, sim.RunUntil(3*s))
	st = n.LinkStats(0)
	if !close12(st.Bytes, 1.75e6) || st.Busy != 1400*ms || !close12(st.MeanFlows, 1) || st.MaxFlows != 2 || st.Span != 2*s {
		t.Errorf("after reset at 1s: %+v", st)
	}
}

func TestNetErrors(t *testing.T) {
	sim := engine.New(1)
	n := New(sim)
	must(t, n.SetCapacity(0, 10))
	must(t, n.SetCapacity(2, 10)) // link 1 exists but has no capacity
	nop := func() {}
	for _, tc := range []struct {
		name string
		err  error
	}{
		{"negative link", n.SetCapacity(-1, 10)},
		{"huge link", n.SetCapacity(MaxLinks, 10)},
		{"zero capacity", n.SetCapacity(0, 0)},
		{"NaN capacity", n.SetCapacity(0, math.NaN())},
		{"infinite capacity", n.SetCapacity(0, inf)},
	} {
		if tc.err == nil {
			t.Errorf("%s: no error", tc.name)
		}
	}
	starts := []struct {
		name  string
		links []int32
		bytes int
		cap   float64
		done  func()
		is    error
	}{
		{"nil done", []int32{0}, 1, inf, nil, nil},
		{"negative size", []int32{0}, -1, inf, nop, nil},
		{"zero cap", []int32{0}, 1, 0, nop, nil},
		{"NaN cap", []int32{0}, 1, math.NaN(), nop, nil},
		{"unset link", []int32{1}, 1, inf, nop, ErrNoCapacity},
		{"unknown link", []int32{3}, 1, inf, nop, ErrNoCapacity},
		{"negative link", []int32{-1}, 1, inf, nop, ErrNoCapacity},
		{"link twice", []int32{0, 2, 0}, 1, inf, nop, nil},
	}
	for _, tc := range starts {
		_, err := n.StartCapped(tc.links, tc.bytes, tc.cap, tc.done)
		if err == nil || (tc.is != nil && !errors.Is(err, tc.is)) {
			t.Errorf("%s: error %v, want one (matching %v)", tc.name, err, tc.is)
		}
	}
	if n.Active() != 0 || sim.Pending() != 0 {
		t.Errorf("failed starts left state: active %d, pending %d", n.Active(), sim.Pending())
	}
}

// TestNetEpochWrap: the marking epoch wrapping around mid-run changes nothing ("one
// bottleneck" again, completion instants from TestNetHandCases).
func TestNetEpochWrap(t *testing.T) {
	sim := engine.New(1)
	n := New(sim)
	must(t, n.SetCapacity(0, 10))
	must(t, n.SetCapacity(1, 100))
	n.epoch = math.MaxUint32 - 2
	got := map[string]engine.Time{}
	for _, st := range []startSpec{
		{"f1", 0, []int32{0}, 625000, 0},
		{"f2", 0, []int32{0, 1}, 1250000, 0},
		{"f3", 0, []int32{1}, 1250000, 0},
	} {
		_, err := n.Start(st.links, st.bytes, func() { got[st.name] = sim.Now() })
		must(t, err)
	}
	must(t, sim.Run())
	want := map[string]engine.Time{"f3": 105263158, "f1": s, "f2": 1500 * ms}
	if fmt.Sprint(got) != fmt.Sprint(want) || n.epoch > 10 {
		t.Errorf("completions %v (epoch %d), want %v", got, n.epoch, want)
	}
	if n.Capacity(1) != 100 || n.Capacity(2) != 0 || n.Capacity(-1) != 0 || n.Links() != 2 {
		t.Errorf("Capacity/Links: %v %v %v %v", n.Capacity(1), n.Capacity(2), n.Capacity(-1), n.Links())
	}
}

// TestNetAbortAtCompletionInstant: aborting, at 2 s, a transfer that completes at 2 s
// together with another one settles both before anything else, so the third one sees its
// new rate at once. Link 12 Mbit/s; t and u 8 Mbit, v 24 Mbit: 4 Mbit/s each, t and u end at
// 2 s; v has 16 Mbit left at 12 Mbit/s: 4/3 s more, 3333333333.3 ns -> 3333333334 ns.
func TestNetAbortAtCompletionInstant(t *testing.T) {
	sim := engine.New(1)
	n := New(sim)
	must(t, n.SetCapacity(0, 12))
	got := map[string]engine.Time{}
	h := map[string]Transfer{}
	sim.At(2*s, func() {
		if !n.Abort(h["t"]) {
			t.Errorf("abort of t at its completion instant failed")
		}
		if r := n.Rate(h["v"]); r != 12 {
			t.Errorf("v's rate right after the abort: %v, want 12", r)
		}
	})
	for _, st := range []startSpec{{"t", 0, []int32{0}, 1e6, 0}, {"u", 0, []int32{0}, 1e6, 0}, {"v", 0, []int32{0}, 3e6, 0}} {
		tr, err := n.Start(st.links, st.bytes, func() { got[st.name] = sim.Now() })
		must(t, err)
		h[st.name] = tr
	}
	must(t, sim.Run())
	want := map[string]engine.Time{"u": 2 * s, "v": 3333333334}
	if fmt.Sprint(got) != fmt.Sprint(want) || n.Active() != 0 {
		t.Errorf("completions %v, active %d; want %v, 0", got, n.Active(), want)
	}
}
