package spec

import (
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/edgesim/edgesim/comm"
)

// Sizes of payloads under comm's two size rules. The json rule counts the length of a body's
// canonical JSON encoding (canonical, in tree.go); the eclypse rule what ECLYPSE 0.9.0
// charges, the sum of CPython's sys.getsizeof over the body's parts (comm.PySize), which
// depends on the kind of each number: a number written with a fraction or an exponent is a
// Python float (24 bytes), any other an int of its magnitude, as json.loads reads them.

// pyNone is what the eclypse rule charges for a message without a body (None).
var pyNone = mustPy(nil)

func mustPy(v any) int {
	n, err := comm.PySize(v)
	if err != nil {
		panic("apps: " + err.Error()) // a constant value comm cannot size: a programmer error
	}
	return n
}

// pyInt is what the eclypse rule charges for the int v.
func pyInt(v int64) int { return mustPy(v) }

// pySize is what the eclypse rule charges for the value n (random integers left out: they
// are counted when drawn).
func pySize(n *node) (int, error) {
	switch n.kind {
	case kNull:
		return pyNone, nil
	case kBool:
		return comm.PySize(n.b)
	case kString:
		return comm.PySize(n.str)
	case kNumber:
		lit := strconv.FormatFloat(n.num, 'f', -1, 64) // an int's digits
		if n.frac {
			lit = "0.5" // any float weighs the same
		}
		return comm.PySize(json.Number(lit))
	case kArray:
		sum := 0
		for _, e := range n.arr {
			s, err := pySize(e)
			if err != nil {
				return 0, err
			}
			sum += s
		}
		return sum, nil
	}
	if len(n.keys) == 1 && n.keys[0] == randIntKey {
		return 0, nil
	}
	sum := 0
	for i, k := range n.keys {
		ks, err := comm.PySize(k)
		if err != nil {
			return 0, err
		}
		vs, err := pySize(n.vals[i])
		if err != nil {
			return 0, err
		}
		sum += ks + vs
	}
	return sum, nil
}

// bodySizes are the two sizes of a body without random integers.
func bodySizes(n *node) (j, py int, err error) {
	text, holes, err := canonical(n)
	if err != nil {
		return 0, 0, err
	}
	if len(holes) > 0 {
		return 0, 0, fmt.Errorf("%s is not allowed here", randIntKey)
	}
	if py, err = pySize(n); err != nil {
		return 0, 0, err
	}
	return len(text), py, nil
}

// queryText is a query parameter as it is written in a URL.
func queryText(n *node) (string, error) {
	switch n.kind {
	case kString:
		return n.str, nil
	case kBool:
		return strconv.FormatBool(n.b), nil
	case kNumber:
		b, err := json.Marshal(n.num)
		return string(b), err
	}
	return "", fmt.Errorf("a query parameter is a string, a number or a boolean, not %s", n.kind)
}

// querySizes are the two sizes of a REST request's query parameters, as comm counts a query:
// under the json rule the JSON object of the parameters as strings; under the eclypse rule
// the keyword arguments ECLYPSE's callers pass, a parameter that reads as an integer or a
// float being a number.
func querySizes(n *node) (j, py int, err error) {
	if n.kind != kObject {
		return 0, 0, fmt.Errorf("a query is an object of parameters, not %s", n.kind)
	}
	strs := make(map[string]string, len(n.keys))
	args := make(map[string]any, len(n.keys))
	for i, k := range n.keys {
		v, err := queryText(n.vals[i])
		if err != nil {
			return 0, 0, fmt.Errorf("query parameter %q: %w", k, err)
		}
		strs[k] = v
		if x, err := strconv.ParseInt(v, 10, 64); err == nil {
			args[k] = x
		} else if f, err := strconv.ParseFloat(v, 64); err == nil {
			args[k] = f
		} else {
			args[k] = v
		}
	}
	if j, err = comm.Size(strs); err != nil {
		return 0, 0, err
	}
	if py, err = comm.PySize(args); err != nil {
		return 0, 0, err
	}
	return j, py, nil
}
