package spec

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/edgesim/edgesim/comm"
	"github.com/edgesim/edgesim/engine"
	"github.com/edgesim/edgesim/scenario"
)

// shopYAML is the package documentation's example.
const shopYAML = `
name: Shop
services:
  - name: Front
    requirements: {cpu: 1, ram: 1, availability: 0.9, processing_time_ms: 5}
    endpoints:
      - name: buy
        steps:
          - parallel:
              - {to: Stock/check, request: {body: {item: 42}}}
              - {to: Pay/charge, request: {size: 120}}
  - name: Stock
    requirements: {cpu: 1, processing_time_ms: 2}
    endpoints: [{name: check, response: {body: {in_stock: true}}}]
  - name: Pay
    requirements: {cpu: 1, processing_time_ms: 8}
    endpoints:
      - name: charge
        steps:
          - branch: {cases: [{p: 0.01, steps: [{fail: {}}]}, {p: 0.99}]}
        response: {size: 64}
entry: {service: Front, mix: [{endpoint: buy, p: 1}]}
`

// shopJSON is shopYAML written in JSON, keys in another order.
const shopJSON = `{
  "entry": {"mix": [{"p": 1, "endpoint": "buy"}], "service": "Front"},
  "name": "Shop",
  "services": [
    {"name": "Front", "requirements": {"processing_time_ms": 5, "cpu": 1, "ram": 1, "availability": 0.9},
     "endpoints": [{"name": "buy", "steps": [{"parallel": [
        {"to": "Stock/check", "request": {"body": {"item": 42}}},
        {"to": "Pay/charge", "request": {"size": 120}}]}]}]},
    {"name": "Stock", "requirements": {"cpu": 1, "processing_time_ms": 2},
     "endpoints": [{"name": "check", "response": {"body": {"in_stock": true}}}]},
    {"name": "Pay", "requirements": {"cpu": 1, "processing_time_ms": 8},
     "endpoints": [{"name": "charge", "steps": [{"branch": {"cases": [{"p": 0.01, "steps": [{"fail": {}}]}, {"p": 0.99}]}}],
                    "response": {"size": 64}}]}
  ]
}`

// everything uses every feature of the format.
const everything = `
name: Everything
description: every feature at least once
provenance: {source: [tests], licence: MIT, notes: [none]}
services:
  - name: Entry
    requirements: {cpu: 1, gpu: 0.5, ram: 2, storage: 3, availability: 0.5, processing_time_ms: 1}
    service_time: const
    endpoints:
      - name: a
        steps:
          - work: {ms: 2}
          - call: {to: Mid/run, request: {body: {k: [1, 2.5, "x", null, true]}}, on_failure: {size: 3}, on_error: {status: 502, size: 4}}
          - parallel: [{to: Leaf/get}, {to: Leaf/put, request: {size: 10}, response: {size: 99}}, {to: Leaf/get, async: true}]
          - repeat: {times: 2, steps: [{call: {to: Leaf/get}}]}
          - variant:
              mpi: [{call: {to: Leaf/get, request: {mpi: {size: 1}, rest: {size: 2}}}}]
              rest: []
      - name: b
        steps: [{branch: {stream: shared, cases: [{p: 0.5, steps: [{fail: {status: 503, body: {why: "no"}}}]}, {p: 0.5}]}}]
  - name: Mid
    requirements: {cpu: 2, processing_time_ms: 3}
    service_time: lognormal:0.5
    endpoints:
      - name: run
        method: PUT
        steps: [{forward: {to: Leaf/get, request: {body: {id: {$randint: {min: -5, max: 5000, stream: shared}}}}}}]
        failure: {status: 500, size: 7}
  - name: Leaf
    requirements: {cpu: 1}
    endpoints:
      - {name: get, method: GET, response: {body: {n: {$randint: {min: 1, max: 9}}}}}
      - {name: put, method: DELETE, response: {mpi: {size: 5}, rest: {status: 201, size: 6}}}
interactions:
  - {from: Entry, to: Mid, latency_ms: 100, bandwidth_mbps: 1, symmetric: true}
  - {from: Mid, to: Leaf, latency_ms: 50}
flows: [[Entry, Mid, Leaf, Entry]]
entry: {service: Entry, stream: mix, mix: [{endpoint: a, p: 0.7}, {endpoint: b, p: 0.3}]}
`

// examples are valid specs used by several tests.
var examples = map[string]string{"shop.yaml": shopYAML, "shop.json": shopJSON, "everything.yaml": everything}

func mustParse(t testing.TB, name, text string) *Spec {
	t.Helper()
	s, err := Parse(name, []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// JSON and YAML are one model: the same spec written both ways parses to the same value.
func TestJSONAndYAMLAreOneModel(t *testing.T) {
	y, j := mustParse(t, "shop.yaml", shopYAML), mustParse(t, "shop.json", shopJSON)
	if !reflect.DeepEqual(y, j) {
		a, _ := json.Marshal(y)
		b, _ := json.Marshal(j)
		t.Errorf("YAML and JSON differ:\n%s\n%s", a, b)
	}
}

// A spec encoded as JSON by the model parses back to itself.
func TestRoundTrip(t *testing.T) {
	for name, text := range examples {
		s := mustParse(t, name, text)
		b, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		back := mustParse(t, "back.json", string(b))
		if !reflect.DeepEqual(s, back) {
			t.Errorf("%s: round trip changed the spec:\n%s", name, b)
		}
	}
}

// The catalogue's files conform to the schema, and on mutations of them whatever the schema
// rejects the parser rejects too.
func TestSchemaAgreesOnCatalogue(t *testing.T) {
	files, err := filepath.Glob("../catalog/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no catalogue files: %v", err)
	}
	n := 100
	if testing.Short() {
		n = 20
	}
	for _, f := range append(files, "") {
		name, data := f, []byte(nil)
		if f == "" {
			name, data = "everything.yaml", []byte(everything)
		} else if data, err = os.ReadFile(f); err != nil {
			t.Fatal(err)
		}
		m := n
		if len(data) > 32<<10 {
			m = 3 // a large generated file: conformance and a few mutations
		}
		if r := schemaAgrees(t, filepath.Base(name), data, m); r == 0 && m > 3 {
			t.Errorf("%s: the schema rejected none of %d mutations: the check is vacuous", name, m)
		}
	}
}

// Errors name the file and the element.
func TestErrors(t *testing.T) {
	base := func(repl ...string) string {
		s := shopYAML
		for i := 0; i+1 < len(repl); i += 2 {
			if !strings.Contains(s, repl[i]) {
				t.Fatalf("fixture: %q not in the example", repl[i])
			}
			s = strings.Replace(s, repl[i], repl[i+1], 1)
		}
		return s
	}
	for _, tc := range []struct {
		name, text, want string
	}{
		{"unknown top field", base("name: Shop", "name: Shop\nowner: me"), `shop.yaml: line 3: (top level): unknown field "owner" (valid: name, description, provenance, services, interactions, flows, entry)`},
		{"unknown step field", base("- parallel:", "- paralel:"), `line 10: .services[0].endpoints[0].steps[0]: unknown field "paralel" (valid: work, call, parallel, forward, branch, repeat, fail, variant)`},
		{"wrong type", base("cpu: 1, ram: 1", `cpu: "lots", ram: 1`), `.services[0].requirements.cpu: want a number, got a string`},
		{"unknown service", base("Pay/charge", "Bank/charge"), `shop.yaml: endpoint "Front/buy" step 1 (parallel) call 2: unknown service "Bank"`},
		{"unknown endpoint", base("Stock/check", "Stock/count"), `endpoint "Front/buy" step 1 (parallel) call 1: service "Stock" has no endpoint "count"`},
		{"bad reference", base("Stock/check", "Stock"), `call to "Stock": want "Service/endpoint"`},
		{"branch sum", base("p: 0.99", "p: 0.9"), `endpoint "Pay/charge" step 1 (branch): probabilities sum to 0.91, want 1 (within 1e-09)`},
		{"branch p", base("p: 0.01", "p: -0.1"), `case 1: probability -0.1 is not in [0, 1]`},
		{"mix sum", base("p: 1}]}", "p: 0.5}]}"), `entry: mix: probabilities sum to 0.5, want 1`},
		{"mix endpoint", base("endpoint: buy", "endpoint: sell"), `entry: mix 1: service "Front" has no endpoint "sell"`},
		{"negative size", base("size: 120", "size: -1"), `step 1 (parallel) call 2: request: size -1: must be in 0..4294967296 bytes`},
		{"body and size", base("response: {size: 64}", "response: {size: 64, body: 1}"), `endpoint "Pay/charge": response: give a body, a query or a size, not more than one`},
		{"bad distribution", base("processing_time_ms: 8}", "processing_time_ms: 8}\n    service_time: gamma"), `service "Pay": service_time "gamma": want const, exp or lognormal:CV`},
		{"lognormal cv", base("processing_time_ms: 8}", "processing_time_ms: 8}\n    service_time: lognormal:0"), `service_time "lognormal:0"`},
		{"negative requirement", base("cpu: 1, processing_time_ms: 2", "cpu: -1, processing_time_ms: 2"), `service "Stock": requirement cpu must be a finite number >= 0, got -1`},
		{"availability", base("availability: 0.9", "availability: 1.5"), `requirement availability must be at most 1`},
		{"cycle", base("endpoints: [{name: check, response: {body: {in_stock: true}}}]", "endpoints: [{name: check, steps: [{call: {to: Pay/charge}}]}]", "response: {size: 64}", "response: {size: 64}\n      - {name: back, steps: [{call: {to: Stock/check}}]}", "{p: 0.99}", "{p: 0.99, steps: [{call: {to: Pay/back}}]}"),
			`a cycle of calls: Stock/check -> Pay/charge -> Pay/back -> Stock/check`},
		{"self call", base("{p: 0.99}", "{p: 0.99, steps: [{call: {to: Pay/charge}}]}"), `a cycle of calls: Pay/charge -> Pay/charge`},
		{"calls the entry", base("{p: 0.99}", "{p: 0.99, steps: [{call: {to: Front/buy}}]}"), `endpoint "Pay/charge" step 1 case 2 step 1 (call): calls the entry service "Front", which only starts workflows`},
		{"forward not last", base("- parallel:", "- forward: {to: Stock/check}\n          - parallel:"), `endpoint "Front/buy" step 1 (forward): a forward hands the answer on, so it must be the endpoint's last step`},
		{"forward at the entry", "name: x\nservices:\n  - {name: A, requirements: {}, endpoints: [{name: e, steps: [{forward: {to: B/f}}]}]}\n  - {name: B, requirements: {}, endpoints: [{name: f}]}\nentry: {service: A, mix: [{endpoint: e, p: 1}]}\n",
			`endpoint "A/e" step 1 (forward): the entry service has no caller to answer: call instead`},
		{"forward not last inner", base("{p: 0.99}", "{p: 0.99, steps: [{forward: {to: Stock/check}}, {fail: {}}]}"), `step 1 case 2 step 1 (forward): a forward hands the answer on, so it must be the endpoint's last step`},
		{"empty step", base("- parallel:", "- {}\n          - parallel:"), `endpoint "Front/buy" step 1: empty step`},
		{"two kinds", base("[{fail: {}}]", "[{fail: {}, work: {ms: 1}}]"), `a step does one thing, this one has work and fail`},
		{"duplicate service", base("- name: Pay", "- name: Stock"), `service "Stock" given twice`},
		{"duplicate key", base("cpu: 1, ram: 1", "cpu: 1, cpu: 1"), `line 5: key "cpu" given twice`},
		{"status", base("response: {size: 64}", "response: {size: 64, status: 99}"), `status 99 is not an HTTP status`},
		{"randint bounds", base("{item: 42}", "{item: {$randint: {min: 5, max: 1}}}"), `$randint: min 5 is above max 1`},
		{"randint field", base("{item: 42}", "{item: {$randint: {min: 5, max: 9, step: 2}}}"), `$randint: unknown field "step"`},
		{"reserved stream", base("branch: {cases", "branch: {stream: dynamics, cases"), `stream "dynamics" is the run's own`},
		{"repeat", base("- parallel:", "- repeat: {times: -1, steps: []}\n          - parallel:"), `step 1 (repeat): times must be in 0..1048576, got -1`},
		{"work", base("- parallel:", "- work: {ms: -3}\n          - parallel:"), `step 1 (work): ms must be in [0, 86400000], got -3`},
		{"async answer", base("{to: Pay/charge, request: {size: 120}}", "{to: Pay/charge, async: true, on_error: {size: 1}}"), `an async call waits for no answer`},
		{"no services", "name: x\nservices: []\nentry: {service: a, mix: []}\n", `no services`},
		{"no name", base("name: Shop", "name: ' '"), `the application has no name`},
		{"bad service name", base("- name: Pay", "- name: Pay/x"), `service 3: name "Pay/x"`},
		{"method", base("- name: charge", "- name: charge\n        method: PATCH"), `method "PATCH": want one of GET, POST, PUT, DELETE`},
		{"interaction", base("entry:", "interactions: [{from: Front, to: Bank}]\nentry:"), `interaction 1 (Front -> Bank): unknown service "Bank"`},
		{"interaction twice", base("entry:", "interactions: [{from: Front, to: Pay, symmetric: true}, {from: Pay, to: Front}]\nentry:"), `interaction 2 (Pay -> Front): Pay -> Front given twice`},
		{"flow", base("entry:", "flows: [[Front, Bank]]\nentry:"), `flow 1: unknown service "Bank"`},
		{"two documents", shopYAML + "\n---\nname: again\n", `more than one YAML document`},
		{"not an object", "- 1\n- 2\n", `(top level): want an object, got a list`},
		{"json trailing", shopJSON + "{}", `data after the JSON value`},
		{"json duplicate", strings.Replace(shopJSON, `"name": "Shop",`, `"name": "Shop", "name": "Shop",`, 1), `key "name" given twice`},
		{"json syntax", `{"name": }`, `shop.json: invalid character`},
		{"yaml merge", "base: &b {cpu: 1}\nname: x\nother: {<<: *b}\n", `merge keys (<<) are not supported`},
		{"json number range", strings.Replace(shopJSON, `"cpu": 1, "ram"`, `"cpu": 1e999, "ram"`, 1), `number 1e999 out of range`},
		{"yaml infinity", base("cpu: 1, ram: 1", "cpu: .inf, ram: 1"), `number .inf is not finite`},
		{"missing field", base("- {to: Stock/check,", "- {"), `.services[0].endpoints[0].steps[0].parallel[0]: missing field "to"`},
		{"integer", base("size: 120", "size: 1.5"), `want an integer of at most 2^53 in magnitude, got 1.5`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			name := "shop.yaml"
			if strings.HasPrefix(tc.name, "json") {
				name = "shop.json"
			}
			_, err := Parse(name, []byte(tc.text))
			if err == nil {
				t.Fatalf("accepted, want an error containing %q", tc.want)
			}
			if !strings.HasPrefix(err.Error(), "apps: "+name+": ") || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error\n  %v\nwant it to start with %q and contain\n  %s", err, "apps: "+name+": ", tc.want)
			}
		})
	}
}

// A body's sizes are those comm gives the same Go value: differential test against
// comm.Size (the json rule) and comm.PySize (the eclypse rule) on random values (strings with
// characters JSON escapes or that widen a Python str, integers and fractional floats of every
// magnitude, nested lists and objects), written as JSON and as YAML. Whole floats are left
// out: Go writes 2.0 as 2, which reads back as an int (a spec writes 2.0 to mean a float).
func TestBodySizesAreGoSizes(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	chars := []rune("aZ09 <>&'\"\\/\u00e9\u2028\t\n\x01\u4e16\U0001F600")
	var gen func(depth int) any
	gen = func(depth int) any {
		switch k := rng.IntN(7); {
		case k == 0 || depth > 3:
			switch rng.IntN(6) {
			case 0:
				if rng.IntN(8) == 0 { // beyond 1e21 Go writes an exponent: still a float
					return (rng.Float64() + 1) * math.Pow(10, float64(21+rng.IntN(280)))
				}
				f := (rng.Float64() + 0.01) * math.Pow(10, float64(rng.IntN(40)-25))
				if f == math.Trunc(f) {
					f += 0.5 // below 1e15 a float keeps a fraction
				}
				return f
			case 1:
				return rng.Int64N(1<<62) >> rng.IntN(62)
			case 2:
				return -rng.Int64N(1 << 40)
			case 3:
				return rng.IntN(2) == 0
			case 4:
				return nil
			}
			n := rng.IntN(8)
			r := make([]rune, n)
			for i := range r {
				r[i] = chars[rng.IntN(len(chars))]
			}
			return string(r)
		case k < 4:
			l := make([]any, rng.IntN(4))
			for i := range l {
				l[i] = gen(depth + 1)
			}
			return l
		default:
			m := map[string]any{}
			for range rng.IntN(4) {
				m[string(chars[rng.IntN(len(chars))])+"k"] = gen(depth + 1)
			}
			return m
		}
	}
	for i := range 3000 {
		v := gen(0)
		if v == nil {
			continue // a top-level null is no body: see TestEmptyPayloads
		}
		wantJSON, err := comm.Size(v)
		if err != nil {
			t.Fatal(err)
		}
		wantPy, err := comm.PySize(v)
		if err != nil {
			t.Fatal(err)
		}
		text, _ := json.Marshal(v)
		for _, parse := range []func([]byte) (*node, error){parseJSON, parseYAML} {
			n, err := parse(text) // JSON is YAML too
			if err != nil {
				t.Fatalf("value %d %s: %v", i, text, err)
			}
			j, py, err := bodySizes(n)
			if err != nil {
				t.Fatal(err)
			}
			if j != wantJSON || py != wantPy {
				t.Fatalf("value %d %s: sizes json %d, eclypse %d; Go %d, %d", i, text, j, py, wantJSON, wantPy)
			}
		}
	}
	// Numbers written differently encode as Go encodes the float64.
	for in, want := range map[string]string{"1.0": "1", "1e3": "1000", "-0": "-0", "0.10": "0.1", "1e21": "1e+21", "12345": "12345"} {
		n, err := parseJSON([]byte(in))
		if err != nil {
			t.Fatal(err)
		}
		if c, _, _ := canonical(n); string(c) != want {
			t.Errorf("%s encodes as %s, want %s", in, c, want)
		}
	}
}

// A number keeps its kind: 129.0 is a float under the eclypse rule (24 bytes) and stays one
// through the model (stored as 129.0), though JSON writes it 129; 129 is an int (28 bytes).
func TestNumberKinds(t *testing.T) {
	for _, tc := range []struct {
		yaml, stored string
		json, py     int
	}{
		{"{p: 129.0}", `{"p":129.0}`, len(`{"p":129}`), mustPy("p") + 24},
		{"{p: 129}", `{"p":129}`, len(`{"p":129}`), mustPy("p") + 28},
		{"{p: 1e3}", `{"p":1000.0}`, len(`{"p":1000}`), mustPy("p") + 24},
		{"{p: 1073741824}", `{"p":1073741824}`, len(`{"p":1073741824}`), mustPy("p") + 32}, // 2^30: two digits of 30 bits
	} {
		s := mustParse(t, "k.yaml", "name: k\nservices: [{name: a, endpoints: [{name: e, response: {body: "+tc.yaml+"}}]}]\nentry: {service: a, mix: [{endpoint: e, p: 1}]}\n")
		if got := string(s.Services[0].Endpoints[0].Response.Body); got != tc.stored {
			t.Errorf("%s stored as %s, want %s", tc.yaml, got, tc.stored)
		}
		n, _ := parseJSON(s.Services[0].Endpoints[0].Response.Body)
		if j, py, _ := bodySizes(n); j != tc.json || py != tc.py {
			t.Errorf("%s: sizes %d, %d; want %d, %d", tc.yaml, j, py, tc.json, tc.py)
		}
	}
}

// A query is sized as comm sizes a URL's query: strings in JSON, numbers as numbers for
// ECLYPSE.
func TestQuerySizes(t *testing.T) {
	n, err := parseYAML([]byte("{user_id: 12345, name: ada, ratio: 0.5, ok: true}"))
	if err != nil {
		t.Fatal(err)
	}
	j, py, err := querySizes(n)
	if err != nil {
		t.Fatal(err)
	}
	wantJ, _ := comm.Size(map[string]string{"user_id": "12345", "name": "ada", "ratio": "0.5", "ok": "true"})
	wantPy, _ := comm.PySize(map[string]any{"user_id": int64(12345), "name": "ada", "ratio": 0.5, "ok": "true"})
	if j != wantJ || py != wantPy {
		t.Errorf("sizes %d, %d; want %d, %d", j, py, wantJ, wantPy)
	}
	if _, _, err := querySizes(&node{kind: kObject, keys: []string{"a"}, vals: []*node{{kind: kArray}}}); err == nil {
		t.Error("a list as a query parameter was accepted")
	}
}

// Random integers count their digits (json) and their magnitude (eclypse).
func TestRandIntSize(t *testing.T) {
	for _, tc := range []struct {
		min, max int64
		want     int
	}{{7, 7, 1}, {1000, 9999, 4}, {-12, -12, 3}, {0, 0, 1}} {
		n, err := parseJSON([]byte(`{"a":{"$randint":{"min":` + itoa(tc.min) + `,"max":` + itoa(tc.max) + `}}}`))
		if err != nil {
			t.Fatal(err)
		}
		text, holes, err := canonical(n)
		if err != nil || len(holes) != 1 {
			t.Fatal(err, holes)
		}
		py, _ := pySize(n)
		p := &payload{json: len(text), py: py, holes: holes, rngs: []*rand.Rand{rand.New(rand.NewPCG(1, 1))}}
		j, pyd := p.draw()
		if j != len(`{"a":}`)+tc.want || pyd != mustPy("a")+28 {
			t.Errorf("[%d, %d]: sizes %d, %d; want %d, %d", tc.min, tc.max, j, pyd, len(`{"a":}`)+tc.want, mustPy("a")+28)
		}
	}
}

func itoa(v int64) string { b, _ := json.Marshal(v); return string(b) }

// Every valid spec compiles in both styles (validation leaves nothing for compile to find).
func compiles(t *testing.T, s *Spec) {
	t.Helper()
	for _, v := range scenario.Variants {
		sim := engine.New(1)
		if _, err := compile(s, &scenario.Env{Sim: sim, Variant: v}); err != nil {
			t.Errorf("%s: valid spec does not compile: %v", v, err)
		}
		sim.Close()
	}
}

func fuzzSeeds(f *testing.F) {
	for _, e := range examples {
		f.Add([]byte(e))
	}
	files, _ := filepath.Glob("../catalog/*.yaml")
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil && len(b) < 64<<10 {
			f.Add(b)
		}
	}
	f.Add([]byte("name: x\nservices: [{name: a, requirements: {}}]\nentry: {service: a, mix: [{endpoint: e, p: 1}]}"))
	f.Add([]byte(`a: &a [*a]`))
}

// fuzzOne: no input panics; an accepted spec compiles and survives a JSON round trip.
func fuzzOne(t *testing.T, name string, data []byte) {
	s, err := Parse(name, data)
	if err != nil {
		if !strings.HasPrefix(err.Error(), "apps: "+name+": ") {
			t.Errorf("error without the file's name: %v", err)
		}
		return
	}
	compiles(t, s)
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	back, err := Parse("back.json", b)
	if err != nil {
		t.Fatalf("the model's JSON does not parse: %v\n%s", err, b)
	}
	if !reflect.DeepEqual(s, back) {
		t.Errorf("round trip changed the spec:\n%s", b)
	}
	if _, err := New(s); err != nil {
		t.Errorf("New refuses a parsed spec: %v", err)
	}
}

func FuzzParseYAML(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) { fuzzOne(t, "f.yaml", data) })
}

func FuzzParseJSON(f *testing.F) {
	f.Add([]byte(shopJSON))
	for _, e := range examples {
		if n, err := parseYAML([]byte(e)); err == nil {
			if b, err := canonicalKeep(n); err == nil {
				f.Add(b)
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) { fuzzOne(t, "f.json", data) })
}
