package sockshop

import (
	"fmt"
	"strconv"

	"github.com/edgesim/edgesim/comm"
	"github.com/edgesim/edgesim/scenario"
)

// REST bodies, as ECLYPSE's examples/sock_shop/rest services answer.
type (
	productsBody struct {
		Products *[]Product `json:"products"`
	}
	userBody struct {
		UserID  string `json:"user_id"`
		Name    string `json:"name"`
		Email   string `json:"email"`
		Address string `json:"address"`
		Phone   string `json:"phone"`
	}
	itemsBody struct {
		Items *[]CartItem `json:"items"`
	}
	orderBody struct {
		Items *[]OrderItem `json:"items"`
	}
	payBody struct {
		OrderID int     `json:"order_id"`
		Amount  float64 `json:"amount"`
	}
	paidBody struct {
		OrderID       int     `json:"order_id"`
		Amount        float64 `json:"amount"`
		TransactionID int     `json:"transaction_id"`
		Status        string  `json:"status"`
	}
	detailsBody struct {
		OrderID         int             `json:"order_id"`
		Status          string          `json:"status"`
		ShippingDetails ShippingDetails `json:"shipping_details"`
	}
	orderedBody struct {
		OrderID         int              `json:"order_id"`
		TransactionID   int              `json:"transaction_id"`
		ShippingDetails *ShippingDetails `json:"shipping_details"`
		Status          string           `json:"status"`
	}
)

// answer is a handler's response, reused from one request to the next: the REST layer copies
// the Response a handler returns as soon as it returns, so a handler that fills it and
// returns it without blocking in between may hand back the same one every time.
type answer struct{ resp comm.Response }

// with returns the answer set to status and body.
func (a *answer) with(status int, body any) (*comm.Response, error) {
	a.resp = comm.Response{Status: status, Body: body}
	return &a.resp, nil
}

// ok returns the answer set to 200 OK with body.
func (a *answer) ok(body any) (*comm.Response, error) { return a.with(comm.StatusOK, body) }

// startREST registers the handlers of the six REST services behind the Frontend and returns
// the Frontend's workflow.
func (s *shop) startREST(env *scenario.Env) (scenario.Entry, error) {
	rest := env.REST
	// The five services behind the Order never wait: they answer as leaves (in callbacks;
	// the same run as handlers in processes, see serveInProcesses).
	handle := func(service, pattern string, leaf comm.Leaf) error {
		var err error
		if serveInProcesses {
			err = rest.Mux(service).Handle(pattern, func(_ *comm.Context, req *comm.Request) (*comm.Response, error) { return leaf(req) })
		} else {
			err = rest.Mux(service).HandleLeaf(pattern, leaf)
		}
		if err != nil {
			return fmt.Errorf("sockshop: %s: %w", service, err)
		}
		return nil
	}
	var (
		catalogs, users, carts, payments, shipments answer
		userBodies                                  boxed[userBody]
		paidBodies                                  boxed[paidBody]
		detailsBodies                               boxed[detailsBody]
	)
	for _, reg := range []struct {
		service, pattern string
		h                comm.Leaf
	}{
		{Catalog, "GET /catalog", func(*comm.Request) (*comm.Response, error) {
			return catalogs.ok(productsBody{&products})
		}},
		{User, "GET /user", func(req *comm.Request) (*comm.Response, error) {
			return users.ok(userBodies.of(userBody{req.Param("user_id"), user.Name, user.Email, user.Address, user.Phone}))
		}},
		{Cart, "GET /cart", func(*comm.Request) (*comm.Response, error) {
			return carts.ok(itemsBody{&cart})
		}},
		{Payment, "POST /pay", func(req *comm.Request) (*comm.Response, error) {
			b, isPay := req.Body.(payBody)
			if !isPay {
				return &comm.Response{Status: comm.StatusBadRequest, Body: invalid}, nil
			}
			tx, status := s.pay()
			return payments.ok(paidBodies.of(paidBody{b.OrderID, b.Amount, tx, status}))
		}},
		{Shipping, "GET /details", func(req *comm.Request) (*comm.Response, error) {
			id, err := strconv.Atoi(req.Param("order_id"))
			if err != nil {
				return &comm.Response{Status: comm.StatusBadRequest, Body: invalid}, nil
			}
			return shipments.ok(detailsBodies.of(detailsBody{id, "success", shipment}))
		}},
	} {
		if err := handle(reg.service, reg.pattern, reg.h); err != nil {
			return scenario.Entry{}, err
		}
	}
	order := newOrderService()
	var err error
	if serveInProcesses {
		err = rest.Mux(Order).Handle("POST /order", order.handle)
	} else {
		err = rest.Mux(Order).HandleAsync("POST /order", order.handleAsync)
	}
	if err != nil {
		return scenario.Entry{}, fmt.Errorf("sockshop: %s: %w", Order, err)
	}
	fe, userURL := rest.Client(Frontend), "UserService/user?user_id="+strconv.Itoa(UserID)
	return scenario.Entry{Service: Frontend, Run: func(w *scenario.Workflow) bool { return s.restWorkflow(w, fe, userURL) }}, nil
}

// orderService is the Order service: it starts the payment and the shipping calls before
// waiting on either, so they overlap: the order lasts its own two legs plus the longer of
// the two inner calls. Its answer is reused (it is filled after the last wait), and equal
// bodies and shipping details are shared (see boxed). It serves as an AsyncHandler (in
// callbacks), or as a Handler in a process (serveInProcesses): the same run.
type orderService struct {
	shipURL string
	resp    answer
	pays    boxed[payBody]
	details *ShippingDetails // the last shipping details answered
	free    []*orderFlow     // free flows (see handleAsync)
}

func newOrderService() *orderService {
	return &orderService{shipURL: "ShippingService/details?order_id=" + strconv.Itoa(OrderID)}
}

// start checks the request and starts the two inner calls, or returns the answer to give at
// once to a request that is not an order.
func (o *orderService) start(cl *comm.Client, req *comm.Request) (pay, ship *comm.Call, bad *comm.Response) {
	b, isOrder := req.Body.(orderBody)
	if !isOrder {
		bad, _ = o.resp.with(comm.StatusBadRequest, invalid)
		return nil, nil, bad
	}
	pay = cl.Post("PaymentService/pay", o.pays.of(payBody{OrderID, total(*b.Items)}))
	ship = cl.Get(o.shipURL)
	return pay, ship, nil
}

// answer is the order's answer once both inner calls have answered.
func (o *orderService) answer(paid, shipped *comm.Response) (*comm.Response, error) {
	if !paid.OK() {
		return nil, fmt.Errorf("payment: status %d", paid.Status)
	}
	if !shipped.OK() {
		return nil, fmt.Errorf("shipping: status %d", shipped.Status)
	}
	pb := paid.Body.(paidBody)
	if pb.Status != "success" {
		return o.resp.with(comm.StatusCreated, orderedBody{OrderID, pb.TransactionID, nil, "failure"})
	}
	if d := shipped.Body.(detailsBody).ShippingDetails; o.details == nil || *o.details != d {
		kept := d // (a copy made only here: taking d's address would move every d to the heap)
		o.details = &kept
	}
	return o.resp.with(comm.StatusCreated, orderedBody{OrderID, pb.TransactionID, o.details, "success"})
}

// handle is the Order's handler as a process.
func (o *orderService) handle(ctx *comm.Context, req *comm.Request) (*comm.Response, error) {
	pay, ship, bad := o.start(ctx.Client, req)
	if bad != nil {
		return bad, nil
	}
	paid, shipped := pay.Wait(ctx.Proc), ship.Wait(ctx.Proc)
	return o.answer(paid, shipped)
}

// orderFlow is one order served in callbacks: its calls and the payment's answer, with its
// continuations bound once (flows are pooled by the service).
type orderFlow struct {
	o                 *orderService
	ctx               *comm.AsyncContext
	ship              *comm.Call
	paid              *comm.Response
	onPaid, onShipped func(*comm.Response)
}

// handleAsync is handle in callbacks: it waits for the payment, then the shipping, as
// handle's two Waits do.
func (o *orderService) handleAsync(ctx *comm.AsyncContext, req *comm.Request) {
	pay, ship, bad := o.start(ctx.Client, req)
	if bad != nil {
		ctx.Reply(bad, nil)
		return
	}
	var fl *orderFlow
	if n := len(o.free); n > 0 {
		fl, o.free = o.free[n-1], o.free[:n-1]
	} else {
		fl = &orderFlow{o: o}
		fl.onPaid, fl.onShipped = fl.paidThen, fl.shippedThen
	}
	fl.ctx, fl.ship = ctx, ship
	ctx.Await(pay, fl.onPaid)
}

func (fl *orderFlow) paidThen(paid *comm.Response) {
	fl.paid = paid
	fl.ctx.Await(fl.ship, fl.onShipped)
}

func (fl *orderFlow) shippedThen(shipped *comm.Response) {
	o, ctx, paid := fl.o, fl.ctx, fl.paid
	*fl = orderFlow{o: o, onPaid: fl.onPaid, onShipped: fl.onShipped}
	o.free = append(o.free, fl)
	ctx.Reply(o.answer(paid, shipped))
}

// restWorkflow is one Frontend iteration in the REST variant: three sequential GETs, then the
// order.
func (s *shop) restWorkflow(w *scenario.Workflow, fe *comm.Client, userURL string) bool {
	fe = w.Client(fe)
	resp, good := w.Await(fe.Get("CatalogService/catalog"))
	if !good {
		return false
	}
	cat, isCat := resp.Body.(productsBody)
	if _, good = w.Await(fe.Get(userURL)); !good || !isCat {
		return false
	}
	if resp, good = w.Await(fe.Get("CartService/cart")); !good {
		return false
	}
	crt, isCart := resp.Body.(itemsBody)
	if !isCart {
		return false
	}
	resp, good = w.Await(fe.Post("OrderService/order", orderBody{s.orderItems(*cat.Products, *crt.Items)}))
	if !good || resp.Status != comm.StatusCreated {
		return false
	}
	ord, isOrder := resp.Body.(orderedBody)
	return isOrder && ord.Status == "success"
}
