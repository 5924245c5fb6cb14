package comm

import (
	"encoding/json"
	"strconv"
	"testing"
)

// Types that encoding/json marshals through a method.
type (
	celsius  float64 // value receiver: always through its method
	grams    int     // pointer receiver: only when addressable
	stamp    string  // TextMarshaler, value receiver
	reading  struct{ V int }
	readings struct {
		C   celsius           `json:"c"`
		G   grams             `json:"g"`
		S   stamp             `json:"s"`
		Any any               `json:"any"`
		L   []grams           `json:"l"`
		M   map[string]stamp  `json:"m"`
		P   *reading          `json:"p"`
		Q   map[string]*grams `json:"q"`
	}
)

func (c celsius) MarshalJSON() ([]byte, error) {
	return []byte(`{"celsius":"` + strconv.FormatFloat(float64(c), 'f', 1, 64) + `"}`), nil
}
func (g *grams) MarshalJSON() ([]byte, error) {
	return []byte(`["g",` + strconv.Itoa(int(*g)) + `]`), nil
}
func (s stamp) MarshalText() ([]byte, error) { return []byte("at " + string(s)), nil }
func (r *reading) MarshalJSON() ([]byte, error) {
	return []byte(`{"reading":` + strconv.Itoa(r.V) + `,"unit":"x"}`), nil
}

// A body whose parts marshal through methods weighs what Python makes of its JSON: the size
// of the JSON text decoded (pyJSON), whether the method is reached through a field, a list
// element, a map value, an interface or a pointer, addressable or not.
func TestPySizeThroughMarshalers(t *testing.T) {
	g := grams(7)
	bodies := []any{
		celsius(21.5),
		readings{C: 1.5, G: 3, S: "noon", Any: celsius(2), L: []grams{1, 2}, M: map[string]stamp{"a": "b"}, P: &reading{V: 4}, Q: map[string]*grams{"k": &g}},
		&readings{C: 1.5, G: 3, S: "noon", Any: &g, L: []grams{5}, P: &reading{V: 9}},
		[]readings{{G: 1}, {G: 2, Any: stamp("x")}},
		map[string]any{"r": readings{}, "p": &readings{G: 8}},
	}
	for i, b := range bodies {
		data, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		want, err := pyJSON(data)
		if err != nil {
			t.Fatal(err)
		}
		got, err := PySize(b)
		if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("body %d (%s): PySize %d, the decoded JSON %d", i, data, got, want)
		}
	}
}
