package spec

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Limits on what a file may hold, so that a hostile or mistaken file fails with a message
// instead of exhausting memory or the stack.
const (
	// MaxFileBytes bounds the size of a spec file.
	MaxFileBytes = 64 << 20
	// MaxNodes bounds the values of a file, YAML aliases expanded.
	MaxNodes = 4 << 20
	// MaxDepth bounds the nesting of values (and so of steps).
	MaxDepth = 200
)

type kind uint8

const (
	kNull kind = iota
	kBool
	kNumber
	kString
	kArray
	kObject
)

func (k kind) String() string {
	return [...]string{"null", "a boolean", "a number", "a string", "a list", "an object"}[k]
}

// node is a value read from JSON or YAML, with object keys in the order written and the
// line it started on (0 when unknown).
type node struct {
	kind kind
	b    bool
	num  float64
	frac bool // a number written as a float (a fraction or an exponent): a Python float
	str  string
	arr  []*node
	keys []string
	vals []*node
	line int
}

// get returns the value of key in an object (nil if absent).
func (n *node) get(key string) *node {
	for i, k := range n.keys {
		if k == key {
			return n.vals[i]
		}
	}
	return nil
}

// parseJSON reads one JSON value (and nothing after it).
func parseJSON(data []byte) (*node, error) {
	lines := newLineIndex(data)
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	count := 0
	var read func(depth int) (*node, error)
	read = func(depth int) (*node, error) {
		if depth > MaxDepth {
			return nil, fmt.Errorf("nested deeper than %d", MaxDepth)
		}
		if count++; count > MaxNodes {
			return nil, fmt.Errorf("more than %d values", MaxNodes)
		}
		off := dec.InputOffset()
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		n := &node{line: lines.line(off, data)}
		switch t := tok.(type) {
		case nil:
		case bool:
			n.kind, n.b = kBool, t
		case json.Number:
			f, err := strconv.ParseFloat(string(t), 64)
			if err != nil || math.IsInf(f, 0) {
				return nil, fmt.Errorf("line %d: number %s out of range", n.line, t)
			}
			n.kind, n.num, n.frac = kNumber, f, strings.ContainsAny(string(t), ".eE")
		case string:
			n.kind, n.str = kString, t
		case json.Delim:
			switch t {
			case '[':
				n.kind = kArray
				for dec.More() {
					v, err := read(depth + 1)
					if err != nil {
						return nil, err
					}
					n.arr = append(n.arr, v)
				}
			case '{':
				n.kind = kObject
				for dec.More() {
					kt, err := dec.Token()
					if err != nil {
						return nil, err
					}
					k, _ := kt.(string)
					if n.get(k) != nil {
						return nil, fmt.Errorf("line %d: key %q given twice", lines.line(dec.InputOffset(), data), k)
					}
					v, err := read(depth + 1)
					if err != nil {
						return nil, err
					}
					n.keys, n.vals = append(n.keys, k), append(n.vals, v)
				}
			default:
				return nil, fmt.Errorf("unexpected %v", t)
			}
			if _, err := dec.Token(); err != nil { // the closing delimiter
				return nil, err
			}
		}
		return n, nil
	}
	n, err := read(0)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("data after the JSON value")
	}
	return n, nil
}

// newlineIndex holds the offsets of the newlines of a file, to turn offsets into lines.
type lineIndex []int

func newLineIndex(data []byte) lineIndex {
	var idx lineIndex
	for i, c := range data {
		if c == '\n' {
			idx = append(idx, i)
		}
	}
	return idx
}

// line is the 1-based line of the first non-space byte at or after offset.
func (idx lineIndex) line(off int64, data []byte) int {
	o := int(off)
	for o < len(data) && (data[o] == ' ' || data[o] == '\t' || data[o] == '\n' || data[o] == '\r' || data[o] == ',' || data[o] == ':') {
		o++
	}
	return sort.SearchInts(idx, o) + 1
}

// parseYAML reads one YAML document.
func parseYAML(data []byte) (*node, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if err == io.EOF {
			return nil, errors.New("empty document")
		}
		return nil, err
	}
	var more yaml.Node
	if err := dec.Decode(&more); err != io.EOF {
		if err != nil {
			return nil, err
		}
		return nil, errors.New("more than one YAML document")
	}
	count := 0
	var conv func(y *yaml.Node, depth int) (*node, error)
	conv = func(y *yaml.Node, depth int) (*node, error) {
		if depth > MaxDepth {
			return nil, fmt.Errorf("line %d: nested deeper than %d", y.Line, MaxDepth)
		}
		if count++; count > MaxNodes {
			return nil, fmt.Errorf("more than %d values (aliases expanded)", MaxNodes)
		}
		n := &node{line: y.Line}
		switch y.Kind {
		case yaml.DocumentNode:
			if len(y.Content) != 1 {
				return nil, errors.New("empty document")
			}
			return conv(y.Content[0], depth)
		case yaml.AliasNode:
			if y.Alias == nil {
				return nil, fmt.Errorf("line %d: unknown alias", y.Line)
			}
			return conv(y.Alias, depth+1)
		case yaml.SequenceNode:
			n.kind = kArray
			for _, c := range y.Content {
				v, err := conv(c, depth+1)
				if err != nil {
					return nil, err
				}
				n.arr = append(n.arr, v)
			}
		case yaml.MappingNode:
			n.kind = kObject
			for i := 0; i+1 < len(y.Content); i += 2 {
				k, v := y.Content[i], y.Content[i+1]
				if k.Kind != yaml.ScalarNode {
					return nil, fmt.Errorf("line %d: a key must be a plain value", k.Line)
				}
				if k.Tag == "!!merge" {
					return nil, fmt.Errorf("line %d: merge keys (<<) are not supported", k.Line)
				}
				if n.get(k.Value) != nil {
					return nil, fmt.Errorf("line %d: key %q given twice", k.Line, k.Value)
				}
				val, err := conv(v, depth+1)
				if err != nil {
					return nil, err
				}
				n.keys, n.vals = append(n.keys, k.Value), append(n.vals, val)
			}
		case yaml.ScalarNode:
			switch y.ShortTag() {
			case "!!null":
				n.kind = kNull
			case "!!bool":
				var b bool
				if err := y.Decode(&b); err != nil {
					return nil, fmt.Errorf("line %d: %w", y.Line, err)
				}
				n.kind, n.b = kBool, b
			case "!!int", "!!float":
				var f float64
				if err := y.Decode(&f); err != nil {
					return nil, fmt.Errorf("line %d: %w", y.Line, err)
				}
				if math.IsNaN(f) || math.IsInf(f, 0) {
					return nil, fmt.Errorf("line %d: number %s is not finite", y.Line, y.Value)
				}
				n.kind, n.num, n.frac = kNumber, f, y.ShortTag() == "!!float"
			default: // !!str, and timestamps or binary read as the text written
				n.kind, n.str = kString, y.Value
			}
		default:
			return nil, fmt.Errorf("line %d: unsupported YAML node", y.Line)
		}
		return n, nil
	}
	return conv(&doc, 0)
}

// hole is a random integer inside a body: its bounds and stream, at byte pos of the body's
// text (the text has nothing there).
type hole struct {
	pos      int
	min, max int64
	stream   string
}

// canonical writes n as compact JSON the way Go's encoding/json writes the same value
// (strings escaped alike, numbers as a float64), keys in the order written. Random-integer
// objects ({"$randint": ...}) are checked, left out of the text and returned as holes.
func canonical(n *node) (text []byte, holes []hole, err error) { return encode(n, false) }

// canonicalKeep is canonical with random-integer objects kept in the text (to store a body).
func canonicalKeep(n *node) ([]byte, error) {
	text, _, err := encode(n, true)
	return text, err
}

func encode(n *node, keep bool) (text []byte, holes []hole, err error) {
	var buf bytes.Buffer
	var write func(n *node, depth int) error
	write = func(n *node, depth int) error {
		if depth > MaxDepth {
			return fmt.Errorf("nested deeper than %d", MaxDepth)
		}
		switch n.kind {
		case kNull:
			buf.WriteString("null")
		case kBool:
			buf.WriteString(strconv.FormatBool(n.b))
		case kNumber:
			b, err := json.Marshal(n.num)
			if err != nil {
				return err
			}
			buf.Write(b)
			if keep && n.frac && !bytes.ContainsAny(b, ".eE") {
				buf.WriteString(".0") // stored, a float stays a float (129.0, not 129)
			}
		case kString:
			b, _ := json.Marshal(n.str)
			buf.Write(b)
		case kArray:
			buf.WriteByte('[')
			for i, v := range n.arr {
				if i > 0 {
					buf.WriteByte(',')
				}
				if err := write(v, depth+1); err != nil {
					return err
				}
			}
			buf.WriteByte(']')
		case kObject:
			if len(n.keys) == 1 && n.keys[0] == randIntKey {
				h, err := randInt(n.vals[0])
				if err != nil {
					return err
				}
				h.pos = buf.Len()
				holes = append(holes, h)
				if !keep {
					return nil
				}
			}
			buf.WriteByte('{')
			for i, k := range n.keys {
				if i > 0 {
					buf.WriteByte(',')
				}
				b, _ := json.Marshal(k)
				buf.Write(b)
				buf.WriteByte(':')
				if err := write(n.vals[i], depth+1); err != nil {
					return err
				}
			}
			buf.WriteByte('}')
		}
		return nil
	}
	if err := write(n, 0); err != nil {
		return nil, nil, err
	}
	return buf.Bytes(), holes, nil
}

// randIntKey marks a random integer in a body.
const randIntKey = "$randint"

// maxExactInt is the largest integer a float64 holds exactly (2^53).
const maxExactInt = 1 << 53

// randInt reads the bounds of a random integer.
func randInt(n *node) (hole, error) {
	bad := func(format string, a ...any) (hole, error) {
		return hole{}, fmt.Errorf(randIntKey+": "+format, a...)
	}
	if n.kind != kObject {
		return bad("want an object {min, max, stream}, got %s", n.kind)
	}
	var h hole
	var haveMin, haveMax bool
	for i, k := range n.keys {
		v := n.vals[i]
		switch k {
		case "min", "max":
			if v.kind != kNumber || v.num != math.Trunc(v.num) || math.Abs(v.num) > maxExactInt {
				return bad("%s must be an integer of at most 2^53 in magnitude", k)
			}
			if k == "min" {
				h.min, haveMin = int64(v.num), true
			} else {
				h.max, haveMax = int64(v.num), true
			}
		case "stream":
			if v.kind != kString {
				return bad("stream must be a string")
			}
			h.stream = v.str
		default:
			return bad("unknown field %q (valid: min, max, stream)", k)
		}
	}
	if !haveMin || !haveMax {
		return bad("needs min and max")
	}
	if h.min > h.max {
		return bad("min %d is above max %d", h.min, h.max)
	}
	return h, nil
}

// digits is the length of the decimal text of v (with its sign).
func digits(v int64) int {
	n := 1
	if v < 0 {
		n++
		if v == math.MinInt64 {
			return 20
		}
		v = -v
	}
	for v >= 10 {
		v /= 10
		n++
	}
	return n
}

// jsonPath renders a path of keys and indices for an error message.
func jsonPath(parts []string) string {
	if len(parts) == 0 {
		return "(top level)"
	}
	return strings.Join(parts, "")
}
