package sockshop

import (
	"errors"
	"github.com/edgesim/edgesim/engine"

	"github.com/edgesim/edgesim/comm"
	"github.com/edgesim/edgesim/scenario"
)

// MPI bodies, field for field as ECLYPSE's examples/sock_shop/mpi services send them.
type (
	catalogRequest struct {
		RequestType string `json:"request_type"`
	}
	userRequest struct {
		RequestType string `json:"request_type"`
		UserID      int    `json:"user_id"`
	}
	cartRequest struct {
		RequestType string `json:"request_type"`
		UserID      int    `json:"user_id"`
	}
	orderRequest struct {
		RequestType string       `json:"request_type"`
		UserID      int          `json:"user_id"`
		Items       *[]OrderItem `json:"items"`
	}
	paymentRequest struct {
		RequestType string  `json:"request_type"`
		OrderID     int     `json:"order_id"`
		Amount      float64 `json:"amount"`
	}
	shippingRequest struct {
		RequestType string `json:"request_type"`
		OrderID     int    `json:"order_id"`
	}
	catalogResponse struct {
		ResponseType string     `json:"response_type"`
		Products     *[]Product `json:"products"`
	}
	userResponse struct {
		ResponseType string `json:"response_type"`
		Name         string `json:"name"`
		Email        string `json:"email"`
		Address      string `json:"address"`
		Phone        string `json:"phone"`
	}
	cartResponse struct {
		ResponseType string      `json:"response_type"`
		Items        *[]CartItem `json:"items"`
	}
	paymentResponse struct {
		ResponseType  string `json:"response_type"`
		OrderID       int    `json:"order_id"`
		TransactionID int    `json:"transaction_id"`
		Status        string `json:"status"`
	}
	shippingResponse struct {
		ResponseType    string          `json:"response_type"`
		OrderID         int             `json:"order_id"`
		Status          string          `json:"status"`
		ShippingDetails ShippingDetails `json:"shipping_details"`
	}
	orderResponse struct {
		ResponseType    string           `json:"response_type"`
		Status          string           `json:"status"`
		ShippingDetails *ShippingDetails `json:"shipping_details"`
		TransactionID   int              `json:"transaction_id"`
	}
	invalidResponse struct {
		Status string `json:"status"`
	}
)

// serveInProcesses runs the MPI services as processes receiving in a loop, as they were
// before Endpoint.Handle: tests set it to check that both give the same run.
var serveInProcesses = false

var invalid = invalidResponse{Status: "Invalid request"}

// boxed keeps the last body of one type sent as an interface value, so that sending a body
// equal to the previous one reuses its interface value instead of boxing a new copy: a
// service's replies are mostly the same value again and again. Interface values of struct
// type are immutable, so sharing one is the same as sending a fresh copy.
type boxed[T comparable] struct {
	last T
	box  any
}

// of returns v as an interface value.
func (b *boxed[T]) of(v T) any {
	if b.box == nil || b.last != v {
		b.last, b.box = v, v
	}
	return b.box
}

// startMPI starts the six MPI services behind the Frontend and returns the Frontend's
// workflow.
func (s *shop) startMPI(env *scenario.Env) scenario.Entry {
	m := env.MPI
	// Each service answers in a callback (Endpoint.Answer): the same run as a process
	// serving its mailbox, without a process switch per message.
	answer := func(name string, handle func(body any) any) {
		ep := m.Endpoint(name)
		h := func(msg comm.Message) any { return handle(msg.Body) }
		if serveInProcesses {
			env.Sim.Process(name, func(p *engine.Proc) { ep.Serve(p, h) })
			return
		}
		ep.Answer(h)
	}
	var invalidBody any = invalid
	var (
		catalogBody any = catalogResponse{ResponseType: "catalog_response", Products: &products}
		userBody    any = userResponse{"user_response", user.Name, user.Email, user.Address, user.Phone}
		cartBody    any = cartResponse{ResponseType: "cart_response", Items: &cart}
		payments    boxed[paymentResponse]
		shipments   boxed[shippingResponse]
	)
	answer(Catalog, func(body any) any {
		if b, ok := body.(catalogRequest); ok && b.RequestType == "catalog_data" {
			return catalogBody
		}
		return invalidBody
	})
	answer(User, func(body any) any {
		if b, ok := body.(userRequest); ok && b.RequestType == "user_data" {
			return userBody
		}
		return invalidBody
	})
	answer(Cart, func(body any) any {
		if b, ok := body.(cartRequest); ok && b.RequestType == "cart_data" {
			return cartBody
		}
		return invalidBody
	})
	answer(Payment, func(body any) any {
		if b, ok := body.(paymentRequest); ok && b.RequestType == "payment_request" {
			tx, status := s.pay()
			return payments.of(paymentResponse{"payment_response", b.OrderID, tx, status})
		}
		return invalidBody
	})
	answer(Shipping, func(body any) any {
		if b, ok := body.(shippingRequest); ok && b.RequestType == "shipping_request" {
			return shipments.of(shippingResponse{"shipping_response", b.OrderID, "success", shipment})
		}
		return invalidBody
	})
	ep := m.Endpoint(Order)
	if serveInProcesses {
		env.Sim.Process(Order, func(p *engine.Proc) {
			handle := mpiOrder(ep)
			for {
				msg, err := ep.Recv(p)
				if err != nil {
					return
				}
				handle(msg)
			}
		})
	} else {
		ep.Handle(mpiOrder(ep))
	}
	fe := m.Endpoint(Frontend)
	return scenario.Entry{Service: Frontend, Run: func(w *scenario.Workflow) bool { return s.mpiWorkflow(w, fe) }}
}

// mpiOrder returns the Order service's handler of each message (Endpoint.Handle): a strict
// chain per order (payment, then shipping, then the answer), written as a state machine over
// its mailbox so that a stale reply of an abandoned order is discarded instead of being taken
// for the current one. Each request it sends continues the order's exchange (its tag and
// trace); a request its recipient refuses (queue full) fails the order at once.
func mpiOrder(ep *comm.Endpoint) func(msg comm.Message) {
	orders := map[uint64]int{} // open orders by tag: their transaction id so far; looked up, never iterated
	var (
		invalidBody any = invalid
		payReqs     boxed[paymentRequest]
		shipReqs    boxed[shippingRequest]
		answers     boxed[orderResponse]
		details     *ShippingDetails // the last shipping details answered (see shipped)
	)
	reply := func(msg comm.Message, to string, body any) {
		_ = ep.Post(comm.Message{To: to, Tag: msg.Tag, Body: body, Trace: msg.Trace, Reply: true}, nil)
	}
	// shipped is the response to a shipped order; equal shipping details share one
	// pointer, as equal bodies share one interface value.
	shipped := func(status string, d ShippingDetails, tx int) any {
		if details == nil || *details != d {
			kept := d // (a copy made only here: taking d's address would move every d to the heap)
			details = &kept
		}
		return answers.of(orderResponse{"order_response", status, details, tx})
	}
	fail := func(msg comm.Message, tx int) {
		delete(orders, msg.Tag)
		reply(msg, Frontend, answers.of(orderResponse{ResponseType: "order_response", Status: "failure", TransactionID: tx}))
	}
	// A request refused by its recipient fails its order, if still open (the refused message
	// carries the order's tag and its trace when it left).
	refused := func(msg comm.Message, err error) {
		if tx, open := orders[msg.Tag]; open && errors.Is(err, comm.ErrRejected) {
			fail(msg, tx)
		}
	}
	// forward sends the next request of msg's order; false if it could not leave.
	forward := func(msg comm.Message, to string, body any) bool {
		return ep.Post(comm.Message{To: to, Tag: msg.Tag, Body: body, Trace: msg.Trace}, refused) == nil
	}
	return func(msg comm.Message) {
		switch b := msg.Body.(type) {
		case orderRequest:
			if b.RequestType != "order_request" {
				reply(msg, msg.From, invalidBody)
				return
			}
			orders[msg.Tag] = 0
			if !forward(msg, Payment, payReqs.of(paymentRequest{"payment_request", OrderID, total(*b.Items)})) {
				fail(msg, 0)
			}
		case paymentResponse:
			if _, open := orders[msg.Tag]; !open {
				ep.Discard(msg)
				return
			}
			if b.Status != "success" {
				fail(msg, b.TransactionID)
				return
			}
			orders[msg.Tag] = b.TransactionID
			if !forward(msg, Shipping, shipReqs.of(shippingRequest{"shipping_request", b.OrderID})) {
				fail(msg, b.TransactionID)
			}
		case shippingResponse:
			tx, open := orders[msg.Tag]
			if !open {
				ep.Discard(msg)
				return
			}
			delete(orders, msg.Tag)
			reply(msg, Frontend, shipped(b.Status, b.ShippingDetails, tx))
		default:
			reply(msg, msg.From, invalidBody)
		}
	}
}

// mpiWorkflow is one Frontend iteration in the MPI variant: a strict chain of 12 one-way
// messages. It reports whether the order succeeded.
func (s *shop) mpiWorkflow(w *scenario.Workflow, fe *comm.Endpoint) bool {
	ask := func(to string, body any) (any, bool) {
		msg, ok := w.Ask(fe, to, body)
		return msg.Body, ok
	}
	b, ok := ask(Catalog, catalogRequest{"catalog_data"})
	cat, isCat := b.(catalogResponse)
	if !ok || !isCat {
		return false
	}
	if b, ok = ask(User, userRequest{"user_data", UserID}); !ok {
		return false
	}
	if _, isUser := b.(userResponse); !isUser {
		return false
	}
	b, ok = ask(Cart, cartRequest{"cart_data", UserID})
	crt, isCart := b.(cartResponse)
	if !ok || !isCart {
		return false
	}
	b, ok = ask(Order, s.orders.of(orderRequest{"order_request", UserID, s.orderItems(*cat.Products, *crt.Items)}))
	ord, isOrder := b.(orderResponse)
	return ok && isOrder && ord.Status == "success"
}
