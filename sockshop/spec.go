package sockshop

import (
	"slices"

	"github.com/edgesim/edgesim/placement"
)

// Service names, in application order (docs/SOCKSHOP.md: a seeded random placement draws in it).
const (
	User     = "UserService"
	Frontend = "FrontendService"
	Catalog  = "CatalogService"
	Order    = "OrderService"
	Cart     = "CartService"
	Payment  = "PaymentService"
	Shipping = "ShippingService"
)

// App returns the SockShop application spec of ECLYPSE's sock_shop builder: services with
// their requirements, symmetric interactions (both directions, each pair listed caller
// first) and the flows used for the analytic response time.
func App() *placement.Application {
	svc := func(name string, cpu, ram, storage, avail, procMS float64) placement.Service {
		return placement.Service{Name: name, Requirements: placement.Requirements{
			CPU: cpu, RAM: ram, Storage: storage, Availability: avail, ProcessingTimeMS: procMS}}
	}
	app := &placement.Application{
		Name: "SockShop",
		Services: []placement.Service{
			svc(User, 1, 0.75, 0.3, 0.92, 9),
			svc(Frontend, 2, 1.5, 0.3, 0.94, 20),
			svc(Catalog, 1, 1.0, 0.75, 0.92, 11),
			svc(Order, 2, 3.0, 0.75, 0.92, 20),
			svc(Cart, 2, 1.5, 0.3, 0.92, 14),
			svc(Payment, 1, 0.75, 0.3, 0.95, 11),
			svc(Shipping, 2, 1.5, 0.3, 0.92, 15),
		},
		Flows: [][]string{
			{Frontend, User, Frontend},
			{Frontend, Catalog, Frontend},
			{Frontend, Cart, Frontend},
			{Frontend, Order, Payment, Order, Frontend},
			{Frontend, Order, Shipping, Order, Frontend},
		},
	}
	for _, in := range []struct {
		a, b         string
		latMS, bwMbs float64
	}{
		{Frontend, Catalog, 40, 2},
		{Frontend, User, 40, 2},
		{Frontend, Cart, 40, 2},
		{Frontend, Order, 50, 10},
		{Order, Payment, 50, 10},
		{Order, Shipping, 70, 10},
	} {
		app.Interactions = append(app.Interactions,
			placement.Interaction{From: in.a, To: in.b, MaxLatencyMS: in.latMS, MinBandwidthMbps: in.bwMbs},
			placement.Interaction{From: in.b, To: in.a, MaxLatencyMS: in.latMS, MinBandwidthMbps: in.bwMbs})
	}
	return app
}

// UserID is the one user every workflow shops for; OrderID the one order id the original
// hard-codes.
const (
	UserID  = 12345
	OrderID = 54321
)

// Product is a catalog entry.
type Product struct {
	ID    string  `json:"id"`
	Name  string  `json:"name"`
	Price float64 `json:"price"`
}

// CartItem is a line of the cart.
type CartItem struct {
	ID       string `json:"id"`
	Quantity int    `json:"quantity"`
}

// OrderItem is a line of an order: amount = price x quantity.
type OrderItem struct {
	ID     string  `json:"id"`
	Amount float64 `json:"amount"`
}

// ShippingDetails is what Shipping answers. The original's estimated_delivery_date comes from
// the wall clock; ours is a fixed date so that sizes and outputs are reproducible.
type ShippingDetails struct {
	Carrier               string `json:"carrier"`
	TrackingNumber        string `json:"tracking_number"`
	EstimatedDeliveryDate string `json:"estimated_delivery_date"`
}

// The lists bodies carry are shared and never modified; bodies hold them by pointer, so that
// a body is a comparable value and the fabric can cache its size on the wire.
var (
	products = []Product{{"1", "Product 1", 19.99}, {"2", "Product 2", 29.99}}
	cart     = []CartItem{{"1", 2}, {"2", 1}}
	shipment = ShippingDetails{Carrier: "UPS", TrackingNumber: "1234567890", EstimatedDeliveryDate: "2026-01-04"}
)

// user is the profile User answers with.
var user = struct{ Name, Email, Address, Phone string }{"John Doe", "john@example.com", "123 Main St", "555-1234"}

// orderItems is the Frontend's computation of step 4: amount = price x quantity, in cart
// order. Equal results share one list (the shop's last), so their bodies compare equal.
func (s *shop) orderItems(catalog []Product, items []CartItem) *[]OrderItem {
	var buf [8]OrderItem // the usual order fits: no allocation unless it is new
	out := buf[:0]
	for _, it := range items {
		for _, p := range catalog {
			if p.ID == it.ID {
				out = append(out, OrderItem{ID: it.ID, Amount: p.Price * float64(it.Quantity)})
			}
		}
	}
	if last := s.lastOrder; last != nil && slices.Equal(*last, out) {
		return last
	}
	kept := slices.Clone(out)
	s.lastOrder = &kept
	return s.lastOrder
}

// total is the amount Order charges.
func total(items []OrderItem) float64 {
	sum := 0.0
	for _, it := range items {
		sum += it.Amount
	}
	return sum
}
