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

func ok(body any) (*comm.Response, error) {
	return &comm.Response{Status: comm.StatusOK, Body: body}, nil
}

// startREST registers the handlers of the six REST services behind the Frontend and returns
// the Frontend's workflow.
func (s *shop) startREST(env *scenario.Env) (scenario.Entry, error) {
	rest := env.REST
	handle := func(service, pattern string, h comm.Handler) error {
		if err := rest.Mux(service).Handle(pattern, h); err != nil {
			return fmt.Errorf("sockshop: %s: %w", service, err)
		}
		return nil
	}
	for _, reg := range []struct {
		service, pattern string
		h                comm.Handler
	}{
		{Catalog, "GET /catalog", func(*comm.Context, *comm.Request) (*comm.Response, error) {
			return ok(productsBody{&products})
		}},
		{User, "GET /user", func(_ *comm.Context, req *comm.Request) (*comm.Response, error) {
			return ok(userBody{req.Param("user_id"), user.Name, user.Email, user.Address, user.Phone})
		}},
		{Cart, "GET /cart", func(*comm.Context, *comm.Request) (*comm.Response, error) {
			return ok(itemsBody{&cart})
		}},
		{Payment, "POST /pay", func(_ *comm.Context, req *comm.Request) (*comm.Response, error) {
			b, isPay := req.Body.(payBody)
			if !isPay {
				return &comm.Response{Status: comm.StatusBadRequest, Body: invalid}, nil
			}
			tx, status := s.pay()
			return ok(paidBody{b.OrderID, b.Amount, tx, status})
		}},
		{Shipping, "GET /details", func(_ *comm.Context, req *comm.Request) (*comm.Response, error) {
			id, err := strconv.Atoi(req.Param("order_id"))
			if err != nil {
				return &comm.Response{Status: comm.StatusBadRequest, Body: invalid}, nil
			}
			return ok(detailsBody{id, "success", shipment})
		}},
		{Order, "POST /order", restOrder},
	} {
		if err := handle(reg.service, reg.pattern, reg.h); err != nil {
			return scenario.Entry{}, err
		}
	}
	fe := rest.Client(Frontend)
	return scenario.Entry{Service: Frontend, Run: func(w *scenario.Workflow) bool { return s.restWorkflow(w, fe) }}, nil
}

// restOrder starts the payment and the shipping calls before waiting on either, so they
// overlap: the order lasts its own two legs plus the longer of the two inner calls.
func restOrder(ctx *comm.Context, req *comm.Request) (*comm.Response, error) {
	b, isOrder := req.Body.(orderBody)
	if !isOrder {
		return &comm.Response{Status: comm.StatusBadRequest, Body: invalid}, nil
	}
	pay := ctx.Client.Post("PaymentService/pay", payBody{OrderID, total(*b.Items)})
	ship := ctx.Client.Get("ShippingService/details?order_id=" + strconv.Itoa(OrderID))
	paid, shipped := pay.Wait(ctx.Proc), ship.Wait(ctx.Proc)
	if !paid.OK() {
		return nil, fmt.Errorf("payment: status %d", paid.Status)
	}
	if !shipped.OK() {
		return nil, fmt.Errorf("shipping: status %d", shipped.Status)
	}
	pb := paid.Body.(paidBody)
	if pb.Status != "success" {
		return &comm.Response{Status: comm.StatusCreated, Body: orderedBody{OrderID, pb.TransactionID, nil, "failure"}}, nil
	}
	details := shipped.Body.(detailsBody).ShippingDetails
	return &comm.Response{Status: comm.StatusCreated, Body: orderedBody{OrderID, pb.TransactionID, &details, "success"}}, nil
}

// restWorkflow is one Frontend iteration in the REST variant: three sequential GETs, then the
// order.
func (s *shop) restWorkflow(w *scenario.Workflow, fe *comm.Client) bool {
	fe = w.Client(fe)
	resp, good := w.Await(fe.Get("CatalogService/catalog"))
	if !good {
		return false
	}
	cat, isCat := resp.Body.(productsBody)
	if _, good = w.Await(fe.Get("UserService/user?user_id=" + strconv.Itoa(UserID))); !good || !isCat {
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
