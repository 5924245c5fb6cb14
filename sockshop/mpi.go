package sockshop

import (
	"errors"

	"github.com/edgesim/edgesim/comm"
	"github.com/edgesim/edgesim/engine"
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

var invalid = invalidResponse{Status: "Invalid request"}

// startMPI starts the six MPI services behind the Frontend and returns the Frontend's
// workflow.
func (s *shop) startMPI(env *scenario.Env) scenario.Entry {
	m := env.MPI
	answer := func(name string, handle func(body any) any) {
		ep := m.Endpoint(name)
		env.Sim.Process(name, func(p *engine.Proc) {
			ep.Serve(p, func(msg comm.Message) any { return handle(msg.Body) })
		})
	}
	answer(Catalog, func(body any) any {
		if b, ok := body.(catalogRequest); ok && b.RequestType == "catalog_data" {
			return catalogResponse{ResponseType: "catalog_response", Products: &products}
		}
		return invalid
	})
	answer(User, func(body any) any {
		if b, ok := body.(userRequest); ok && b.RequestType == "user_data" {
			return userResponse{"user_response", user.Name, user.Email, user.Address, user.Phone}
		}
		return invalid
	})
	answer(Cart, func(body any) any {
		if b, ok := body.(cartRequest); ok && b.RequestType == "cart_data" {
			return cartResponse{ResponseType: "cart_response", Items: &cart}
		}
		return invalid
	})
	answer(Payment, func(body any) any {
		if b, ok := body.(paymentRequest); ok && b.RequestType == "payment_request" {
			tx, status := s.pay()
			return paymentResponse{"payment_response", b.OrderID, tx, status}
		}
		return invalid
	})
	answer(Shipping, func(body any) any {
		if b, ok := body.(shippingRequest); ok && b.RequestType == "shipping_request" {
			return shippingResponse{"shipping_response", b.OrderID, "success", shipment}
		}
		return invalid
	})
	env.Sim.Process(Order, func(p *engine.Proc) { mpiOrder(p, m.Endpoint(Order)) })
	fe := m.Endpoint(Frontend)
	return scenario.Entry{Service: Frontend, Run: func(w *scenario.Workflow) bool { return s.mpiWorkflow(w, fe) }}
}

// mpiOrder is the Order service: a strict chain per order (payment, then shipping, then the
// answer), written as a state machine over its mailbox so that a stale reply of an abandoned
// order is discarded instead of being taken for the current one. Each request it sends
// continues the order's exchange (its tag and trace); a request its recipient refuses (queue
// full) fails the order at once.
func mpiOrder(p *engine.Proc, ep *comm.Endpoint) {
	type pending struct {
		tx int
	}
	orders := map[uint64]*pending{} // by tag; looked up, never iterated
	fail := func(msg comm.Message, tx int) {
		delete(orders, msg.Tag)
		ep.ReplyTo(msg, Frontend, orderResponse{ResponseType: "order_response", Status: "failure", TransactionID: tx})
	}
	// forward sends the next request of msg's order; false if it could not leave.
	forward := func(msg comm.Message, to string, body any) bool {
		ev := ep.Forward(msg, to, body)
		if ev.Err() != nil {
			return false
		}
		ev.OnTrigger(func(e *engine.Event) {
			if o := orders[msg.Tag]; o != nil && errors.Is(e.Err(), comm.ErrRejected) {
				fail(msg, o.tx)
			}
		})
		return true
	}
	for {
		msg, err := ep.Recv(p)
		if err != nil {
			return
		}
		switch b := msg.Body.(type) {
		case orderRequest:
			if b.RequestType != "order_request" {
				ep.Reply(msg, invalid)
				continue
			}
			orders[msg.Tag] = &pending{}
			if !forward(msg, Payment, paymentRequest{"payment_request", OrderID, total(*b.Items)}) {
				fail(msg, 0)
			}
		case paymentResponse:
			o := orders[msg.Tag]
			if o == nil {
				ep.Discard(msg)
				continue
			}
			if b.Status != "success" {
				fail(msg, b.TransactionID)
				continue
			}
			o.tx = b.TransactionID
			if !forward(msg, Shipping, shippingRequest{"shipping_request", b.OrderID}) {
				fail(msg, o.tx)
			}
		case shippingResponse:
			o := orders[msg.Tag]
			if o == nil {
				ep.Discard(msg)
				continue
			}
			delete(orders, msg.Tag)
			details := b.ShippingDetails
			ep.ReplyTo(msg, Frontend, orderResponse{"order_response", b.Status, &details, o.tx})
		default:
			ep.Reply(msg, invalid)
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
	b, ok = ask(Order, orderRequest{"order_request", UserID, s.orderItems(*cat.Products, *crt.Items)})
	ord, isOrder := b.(orderResponse)
	return ok && isOrder && ord.Status == "success"
}
