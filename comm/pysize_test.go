package comm

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"
)

// Sizes by hand, from CPython 3.11's sys.getsizeof on 64 bits (ECLYPSE's reference
// interpreter): an ASCII str of n characters is 49+n bytes, an int below 2^30 is 28, a float
// 24, None 16; ECLYPSE sums them over a dict's keys and values and a list's elements, and
// counts no container header. The keys and values that recur:
//
//	"request_type" 61, "response_type" 62, "user_id" 56, "items" 54, "order_id" 57,
//	"amount" 55, "products" 57, "id" 51, "name" 53, "price" 54, "email" 54, "address" 56,
//	"phone" 54, "quantity" 57, "transaction_id" 63, "status" 55, "shipping_details" 65,
//	"carrier" 56, "tracking_number" 64, "estimated_delivery_date" 72; "1" and "2" 50,
//	"Product 1" 58, "success" and "failure" 56.
//
// One product {id, name, price} = 51+50 + 53+58 + 54+24 = 290; one cart item {id, quantity}
// = 51+50 + 57+28 = 186; one order item {id, amount} = 51+50 + 55+24 = 180; the shipping
// details {carrier "UPS", tracking_number "1234567890", estimated_delivery_date
// "2026-01-04"} = 56+52 + 64+59 + 72+59 = 362.
var (
	products = []any{
		map[string]any{"id": "1", "name": "Product 1", "price": 19.99},
		map[string]any{"id": "2", "name": "Product 2", "price": 29.99},
	}
	cartItems = []any{
		map[string]any{"id": "1", "quantity": 2},
		map[string]any{"id": "2", "quantity": 1},
	}
	orderItems = []any{
		map[string]any{"id": "1", "amount": 39.98},
		map[string]any{"id": "2", "amount": 29.99},
	}
	shipment = map[string]any{"carrier": "UPS", "tracking_number": "1234567890", "estimated_delivery_date": "2026-01-04"}
)

// TestPySizeSockShop pins the size of every SockShop body (the bodies of docs/SOCKSHOP.md, as
// our sockshop package sends them), each computed by hand in its comment.
func TestPySizeSockShop(t *testing.T) {
	tests := []struct {
		name string
		body any
		want int
	}{
		// MPI bodies.
		{"catalog request", map[string]any{"request_type": "catalog_data"}, 61 + 61},
		{"catalog response", map[string]any{"response_type": "catalog_response", "products": products},
			62 + 65 + 57 + 2*290}, // 764
		{"user request", map[string]any{"request_type": "user_data", "user_id": 12345}, 61 + 58 + 56 + 28},
		{"user response", map[string]any{"response_type": "user_response", "name": "John Doe", "email": "john@example.com",
			"address": "123 Main St", "phone": "555-1234"}, 62 + 62 + 53 + 57 + 54 + 65 + 56 + 60 + 54 + 57}, // 580
		{"cart request", map[string]any{"request_type": "cart_data", "user_id": 12345}, 61 + 58 + 56 + 28},
		{"cart response", map[string]any{"response_type": "cart_response", "items": cartItems}, 62 + 62 + 54 + 2*186}, // 550
		{"order request", map[string]any{"request_type": "order_request", "user_id": 12345, "items": orderItems},
			61 + 62 + 56 + 28 + 54 + 2*180}, // 621
		{"payment request", map[string]any{"request_type": "payment_request", "order_id": 54321, "amount": 69.97},
			61 + 64 + 57 + 28 + 55 + 24}, // 289
		// transaction_id is drawn in 1000..9999: 28 bytes whatever it is.
		{"payment response", map[string]any{"response_type": "payment_response", "order_id": 54321, "transaction_id": 4242, "status": "success"},
			62 + 65 + 57 + 28 + 63 + 28 + 55 + 56}, // 414
		{"shipping request", map[string]any{"request_type": "shipping_request", "order_id": 54321}, 61 + 65 + 57 + 28},
		{"shipping response", map[string]any{"response_type": "shipping_response", "order_id": 54321, "status": "success", "shipping_details": shipment},
			62 + 66 + 57 + 28 + 55 + 56 + 65 + 362}, // 751
		{"order response", map[string]any{"response_type": "order_response", "status": "success", "shipping_details": shipment, "transaction_id": 4242},
			62 + 63 + 55 + 56 + 65 + 362 + 63 + 28}, // 754
		// A failed order has no shipping details: None, 16 bytes.
		{"order response failed", map[string]any{"response_type": "order_response", "status": "failure", "shipping_details": nil, "transaction_id": 4242},
			62 + 63 + 55 + 56 + 65 + 16 + 63 + 28}, // 408
		{"invalid", map[string]any{"status": "Invalid request"}, 55 + 64},
		// REST bodies.
		{"products", map[string]any{"products": products}, 57 + 2*290}, // 637
		{"user", map[string]any{"user_id": "12345", "name": "John Doe", "email": "john@example.com",
			"address": "123 Main St", "phone": "555-1234"}, 56 + 54 + 53 + 57 + 54 + 65 + 56 + 60 + 54 + 57}, // 566
		{"items", map[string]any{"items": cartItems}, 54 + 2*186},                      // 426
		{"order", map[string]any{"items": orderItems}, 54 + 2*180},                     // 414
		{"pay", map[string]any{"order_id": 54321, "amount": 69.97}, 57 + 28 + 55 + 24}, // 164
		{"paid", map[string]any{"order_id": 54321, "amount": 69.97, "transaction_id": 4242, "status": "success"},
			57 + 28 + 55 + 24 + 63 + 28 + 55 + 56}, // 366
		{"details", map[string]any{"order_id": 54321, "status": "success", "shipping_details": shipment},
			57 + 28 + 55 + 56 + 65 + 362}, // 623
		{"ordered", map[string]any{"order_id": 54321, "transaction_id": 4242, "shipping_details": shipment, "status": "success"},
			57 + 28 + 63 + 28 + 65 + 362 + 55 + 56}, // 714
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := PySize(tc.body)
			if err != nil || got != tc.want {
				t.Fatalf("PySize = %d, %v; want %d", got, err, tc.want)
			}
			// The same body written as JSON and read back the way Python's json.loads
			// reads it gives the same size (no float here is whole).
			data, _ := json.Marshal(tc.body)
			if viaJSON, err := pyJSON(data); err != nil || viaJSON != tc.want {
				t.Fatalf("via JSON %d, %v; want %d", viaJSON, err, tc.want)
			}
		})
	}
}

// TestPyRESTSizes pins ECLYPSE's extra REST weight: a request carries "url" and "method"
// (an HTTPMethod StrEnum member, 113+len bytes: 116 for GET) among its keyword arguments, a
// response is the tuple (HTTPStatusCode, body), the status an IntEnum member of 44 bytes.
func TestPyRESTSizes(t *testing.T) {
	// GET CatalogService/catalog: "url" 52 + "CatalogService/catalog" (22) 71 + "method" 55 +
	// GET 116 = 294 bytes.
	if n, err := PyRequestSize("CatalogService/catalog", "GET", nil); err != nil || n != 294 {
		t.Fatalf("catalog request %d, %v; want 294", n, err)
	}
	// GET UserService/user with user_id=12345: 56+28 more, and the url (16) is 65.
	if n, err := PyRequestSize("UserService/user", "GET", map[string]int{"user_id": 12345}); err != nil || n != 56+28+52+65+55+116 {
		t.Fatalf("user request %d, %v; want 372", n, err)
	}
	// DELETE is 119 bytes.
	if n, _ := PyRequestSize("a", "DELETE", struct{}{}); n != 52+50+55+119 {
		t.Fatalf("delete request %d", n)
	}
	// The catalog's 200 response: 44 + 637 = 681.
	if n, err := PyResponseSize(map[string]any{"products": products}); err != nil || n != 681 {
		t.Fatalf("catalog response %d, %v; want 681", n, err)
	}
	if _, err := PyResponseSize(math.NaN()); err == nil {
		t.Fatal("NaN body accepted")
	}
	if _, err := PyRequestSize("a", "GET", func() {}); err == nil {
		t.Fatal("func args accepted")
	}
}

type pyInner struct {
	A int    `json:"a"`
	B string `json:"b,omitempty"`
}

type pyOuter struct {
	pyInner          // promoted: a, b
	C       float64  `json:"c"`
	D       *pyInner `json:"d"`
	E       []int    `json:"e"`
	F       []byte   `json:"f"`
	G       int      `json:"g,string"`
	H       string   `json:"-"`
	I       string   `json:"-,"` // named "-"
	j       int      // unexported: not written
	K       time.Time
	L       map[int]bool  `json:"l"`
	M       json.Number   `json:"m"`
	N       *int          `json:"n,omitempty"`
	O       [2]uint8      `json:"o"`
	P       any           `json:"p"`
	Q       time.Duration `json:"q,omitzero"`
}

// clash has two embedded structs giving the same name at the same depth (both untagged: the
// field is dropped) and a tagged field winning a tie.
type clash struct {
	X1
	X2
	Y1
	Y2
}
type X1 struct{ Same int }
type X2 struct{ Same int }
type Y1 struct {
	Tie int `json:"Tie"`
}
type Y2 struct{ Tie int }

func TestPySizeRules(t *testing.T) {
	one := 1
	tests := []struct {
		name string
		body any
		want int
	}{
		{"nil", nil, 16},
		{"true", true, 28},
		{"false", false, 28},
		{"zero", 0, 28},
		{"2^30-1", 1<<30 - 1, 28},
		{"2^30", 1 << 30, 32},
		{"-2^30", -(1 << 30), 32},
		{"2^60", int64(1) << 60, 36},
		{"min int64", int64(math.MinInt64), 36},
		{"max uint64", uint64(math.MaxUint64), 36},
		// A whole float64 is a Python float although json.Marshal writes it as 2.
		{"float 2.0", 2.0, 24},
		{"float32", float32(0.5), 24},
		{"empty str", "", 49},
		{"latin-1", "é", 74},          // 72 + 2 bytes
		{"latin-1 mixed", "aé", 75},   // 72 + 3
		{"UCS-2", "€", 76},            // 72 + 2*2
		{"UCS-2 mixed", "a€", 78},     // 72 + 2*3
		{"UCS-4", "😀", 80},            // 72 + 4*2
		{"UCS-4 mixed", "a😀b", 88},    // 72 + 4*4
		{"invalid UTF-8", "\xff", 76}, // written as U+FFFD: 72 + 2*2
		{"empty map", map[string]any{}, 0},
		{"empty list", []any{}, 0},
		{"nil slice", []int(nil), 16},
		{"nil map", map[string]int(nil), 16},
		{"list", []any{1, "a", nil, 1.5}, 28 + 50 + 16 + 24},
		{"nested", map[string]any{"k": []any{map[string]any{}}}, 50},
		{"int keys", map[int]string{7: "x"}, 50 + 50},
		{"json.Number int", json.Number("12345678901234567890"), 36},
		{"json.Number float", json.Number("1e3"), 24},
		{"pointer", &one, 28},
		{"bytes", []byte{1, 2, 3, 4}, 49 + 8}, // base64 "AQIDBA=="
		{"byte array", [2]byte{1, 2}, 56},
		{"struct omitempty", pyInner{A: 1}, 50 + 28},
		{"struct full", pyInner{A: 1, B: "x"}, 50 + 28 + 50 + 50},
		// pyOuter{}: a 50+28, (b omitted), c 50+24, d 50+16, e 50+16, f 50+16, g 50+(the str
		// "0") 50, i ("-") 50+49, K 50+ the str "0001-01-01T00:00:00Z" (20) 69, l 50+16,
		// m 50+28 (an empty Number is written 0), (n omitted), o 50+28+28, p 50+16,
		// (q omitted: zero).
		{"struct rules", pyOuter{}, 78 + 74 + 66 + 66 + 66 + 100 + 99 + 119 + 66 + 78 + 106 + 66},
		{"embedded clash", clash{X1{1}, X2{2}, Y1{3}, Y2{4}}, 52 + 28},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := PySize(tc.body)
			if err != nil || got != tc.want {
				t.Fatalf("PySize = %d, %v; want %d", got, err, tc.want)
			}
		})
	}
}

// TestPySizeMatchesJSON checks the struct rules against encoding/json itself: for bodies
// without whole floats, walking the Go value gives the size of what json.Marshal writes,
// read back as Python's json.loads would.
func TestPySizeMatchesJSON(t *testing.T) {
	n := 7
	bodies := []any{
		pyOuter{pyInner: pyInner{A: -3, B: "bé"}, C: 0.25, D: &pyInner{A: 1 << 40}, E: []int{1, 2}, F: []byte("hello"),
			G: 99, H: "hidden", I: "dash", j: 5, K: time.Date(2026, 1, 4, 0, 0, 0, 0, time.UTC), L: map[int]bool{1: true, 2: false},
			M: json.Number("1.5"), N: &n, O: [2]uint8{9, 8}, P: map[string]any{"x": []any{"y", nil}}, Q: time.Second},
		clash{},
		struct {
			*pyInner
			Z string `json:"z,string"`
		}{nil, `q"<`},
		map[string]any{"a": []string{"€", "😀"}},
	}
	for i, b := range bodies {
		got, err := PySize(b)
		if err != nil {
			t.Fatal(err)
		}
		data, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		want, err := pyJSON(data)
		if err != nil || got != want {
			t.Fatalf("body %d: PySize %d, via JSON %d (%v): %s", i, got, want, err, data)
		}
	}
}

type loop struct{ Next *loop }

func TestPySizeErrors(t *testing.T) {
	l := &loop{}
	l.Next = l
	for _, tc := range []struct {
		name string
		body any
		want string
	}{
		{"chan", make(chan int), "unsupported type chan int"},
		{"func field", struct{ F func() }{}, "unsupported type func()"},
		{"complex", complex(1, 2), "unsupported type"},
		{"NaN", math.NaN(), "unsupported value NaN"},
		{"inf in a list", []float64{math.Inf(1)}, "unsupported value +Inf"},
		{"bad key", map[[2]int]int{{1, 2}: 3}, "unsupported map key type"},
		{"cycle", l, "deeper than 1000"},
		{"bad number", json.Number("x"), "invalid number"},
	} {
		if _, err := PySize(tc.body); err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "comm: pysize: ") {
			t.Errorf("%s: err = %v, want %q", tc.name, err, tc.want)
		}
	}
}

// FuzzPySize feeds arbitrary JSON: PySize never panics, and on the decoded value (numbers
// kept as json.Number, so ints and floats stay apart) it equals the size read from the
// JSON text itself. The same text decoded into typed structs must not panic either.
func FuzzPySize(f *testing.F) {
	for _, s := range []string{`{"a":1}`, `[1,2.5,"é",null,true,{"x":[]}]`, `"😀"`, `123456789012345678901234567890`, `{"a":{"a":{"a":-0.0}}}`,
		`{"A":1,"b":"x","c":2,"d":{"a":3},"e":[1],"f":"AQID","g":"5","l":{"1":true},"m":7,"o":[1,2],"p":{"q":1}}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		d := json.NewDecoder(strings.NewReader(string(data)))
		d.UseNumber()
		var x any
		if err := d.Decode(&x); err != nil {
			return
		}
		got, err := PySize(x)
		want, err2 := pyJSON(data)
		if (err == nil) != (err2 == nil) || got != want {
			t.Fatalf("PySize %d (%v), from the text %d (%v)", got, err, want, err2)
		}
		var o pyOuter
		if json.Unmarshal(data, &o) == nil {
			PySize(o)
			PySize(&o)
		}
		var m map[string][]float64
		if json.Unmarshal(data, &m) == nil {
			PySize(m)
		}
	})
}

// TestPySizeDeepJSON: nesting beyond 1000 levels is refused on both paths (Python's
// json.loads stops near there too, on its recursion limit).
func TestPySizeDeepJSON(t *testing.T) {
	data := []byte(strings.Repeat("[", 1100) + strings.Repeat("]", 1100))
	var x any
	if err := json.Unmarshal(data, &x); err != nil {
		t.Fatal(err)
	}
	if _, err := PySize(x); err == nil {
		t.Fatal("PySize accepted 1100 levels")
	}
	if _, err := pyJSON(data); err == nil {
		t.Fatal("pyJSON accepted 1100 levels")
	}
}

// TestPySizeDepthAgrees: 1000 levels of lists pass on both paths, 1001 fail on both.
func TestPySizeDepthAgrees(t *testing.T) {
	for _, levels := range []int{1000, 1001} {
		data := []byte(strings.Repeat("[", levels) + strings.Repeat("]", levels))
		var x any
		json.Unmarshal(data, &x)
		_, err1 := PySize(x)
		_, err2 := pyJSON(data)
		if (err1 == nil) != (err2 == nil) || (err1 == nil) != (levels <= 1000) {
			t.Fatalf("%d levels: PySize %v, pyJSON %v", levels, err1, err2)
		}
	}
}
