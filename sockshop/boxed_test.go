package sockshop

import "testing"

// boxed reuses the interface value of a body equal to the previous one and boxes a new one
// for a different body; the value inside is always the body given.
func TestBoxedReusesEqualBodies(t *testing.T) {
	var b boxed[paymentResponse]
	first := paymentResponse{"payment_response", 1, 1000, "success"}
	a1 := b.of(first)
	a2 := b.of(first)
	if a1.(paymentResponse) != first || a2.(paymentResponse) != first {
		t.Fatalf("boxed %v, %v; want %v", a1, a2, first)
	}
	other := paymentResponse{"payment_response", 1, 1001, "success"}
	if got := b.of(other); got.(paymentResponse) != other {
		t.Errorf("boxed %v, want %v", got, other)
	}
	if got := b.of(first); got.(paymentResponse) != first {
		t.Errorf("boxed %v after a change, want %v", got, first)
	}
	if n := testing.AllocsPerRun(100, func() { b.of(first) }); n != 0 {
		t.Errorf("%v allocations boxing an equal body, want none", n)
	}
	var z boxed[shippingRequest] // the zero value boxes too
	if got := z.of(shippingRequest{}); got == nil || got.(shippingRequest) != (shippingRequest{}) {
		t.Errorf("zero body boxed as %v", got)
	}
}
