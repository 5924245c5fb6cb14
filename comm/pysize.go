package comm

import (
	"bytes"
	"encoding"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"math/bits"
	"reflect"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// ECLYPSE 0.9.0 sizes a message (remote/communication/route.py, _get_bytes_size) by walking
// the Python object: an int, float, str or bool counts sys.getsizeof of itself; a list,
// tuple or set counts the sum of its elements; a dict the sum of its keys and values; an
// object with a __dict__ its __dict__; anything else (None) sys.getsizeof of itself. No
// container counts its own header, so an empty dict or list weighs 0 bytes. The sizes below
// are CPython 3.11's on a 64-bit machine (ECLYPSE's reference interpreter), the one
// sys.getsizeof reports for objects built the way ECLYPSE's services build them.
const (
	pyNoneSize  = 16 // sys.getsizeof(None)
	pyFloatSize = 24 // any float
	pyBoolSize  = 28 // True and False (an int with one 30-bit digit)

	// PyHTTPStatusSize is sys.getsizeof of a member of ECLYPSE's HTTPStatusCode (an IntEnum:
	// an int subclass instance with a __dict__): 44 bytes, whatever the code. ECLYPSE sizes a
	// REST response as the tuple (status, body), so a response weighs this plus the body.
	PyHTTPStatusSize = 44
)

// pyIntSize is sys.getsizeof of a Python int whose magnitude has bitLen bits: a 24-byte
// header plus one 4-byte digit per 30 bits, at least one (0 and 1 both weigh 28 bytes,
// 2**30 weighs 32).
func pyIntSize(bitLen int) int {
	digits := max(1, (bitLen+29)/30)
	return 24 + 4*digits
}

// pyStrSize is sys.getsizeof of a Python str holding s (Go's invalid UTF-8 bytes count as
// U+FFFD each, as encoding/json writes them). CPython stores a string in the narrowest of
// four compact layouts that fits its largest code point, with a terminating NUL: pure ASCII
// in a 48-byte header plus 1 byte per character; up to U+00FF in a 72-byte header plus 1
// byte per character; up to U+FFFF 2 bytes; beyond 4 bytes. So "" is 49 bytes, "ab" 51,
// "é" 74, "€" 76 and "😀" 80. (A str whose UTF-8 form CPython has cached, after an
// encode, is larger; ECLYPSE's bodies never are.)
func pyStrSize(s string) int {
	n, top := 0, rune(0)
	for _, r := range s {
		n++
		top = max(top, r)
	}
	switch {
	case top < 0x80:
		return 48 + n + 1
	case top < 0x100:
		return 72 + n + 1
	case top < 0x10000:
		return 72 + 2*(n+1)
	}
	return 72 + 4*(n+1)
}

// pyNumberSize is the size of the Python value json.loads makes of a JSON number literal: a
// float (24 bytes) when it has a fraction or an exponent, else an int of its magnitude.
func pyNumberSize(lit string) (int, error) {
	if strings.ContainsAny(lit, ".eE") {
		return pyFloatSize, nil
	}
	var z big.Int
	if _, ok := z.SetString(lit, 10); !ok {
		return 0, fmt.Errorf("comm: pysize: invalid number %q", lit)
	}
	return pyIntSize(z.BitLen()), nil
}

// PySize returns the size in bytes ECLYPSE 0.9.0 charges for a message body: the sum of
// CPython's sys.getsizeof over the body's parts (see the constants above), as the Python
// object that the body's JSON encoding decodes to. A Go body is read as encoding/json would
// write it: a struct is a dict of the fields json.Marshal writes (json tags, omitempty,
// omitzero, ",string", embedded structs and their promotion rules); a map is a dict (keys
// become strings); a slice or array is a list ([]byte a base64 str); a string is a str; a
// bool a bool; a nil pointer, interface, slice or map None (16 bytes); a value with its own
// MarshalJSON or MarshalText is sized as the JSON it writes. Numbers keep their Go kind: a
// float64 is a Python float (24 bytes) even when whole, such as 2.0, although json.Marshal
// writes it as 2; an integer is a Python int of its magnitude (28 bytes below 2^30, 32 below
// 2^60, 36 up to 2^90); a json.Number follows its literal, as json.loads reads it.
//
// Two examples: {"request_type": "catalog_data"} weighs (49+12) + (49+12) = 122 bytes;
// {"order_id": 54321, "amount": 69.97} weighs (49+8) + 28 + (49+6) + 24 = 204 bytes.
//
// What json.Marshal refuses (a channel, a function, a complex number, NaN or an infinity, a
// map with unsupported keys, nesting deeper than 1000 levels, such as a cycle) is an error
// starting with "comm: pysize: ".
//
// A Sized body weighs its PySize.
func PySize(body any) (int, error) {
	if s, ok := body.(Sized); ok {
		return max(s.PySize(), 0), nil
	}
	return pyValue(reflect.ValueOf(body), 0)
}

// PyRequestSize is what ECLYPSE charges for a REST request: its keyword arguments (args, a
// struct or map sized as a dict, nil for none) plus the two entries ECLYPSE adds to them,
// "url" (the "Service/path" string) and "method" (an HTTPMethod, a StrEnum member: a str
// subclass instance that sys.getsizeof puts at 113 bytes plus its length, 116 for GET).
func PyRequestSize(url, method string, args any) (int, error) {
	n := 0
	if args != nil {
		var err error
		if n, err = PySize(args); err != nil {
			return 0, err
		}
	}
	return n + pyStrSize("url") + pyStrSize(url) + pyStrSize("method") + 113 + utf8.RuneCountInString(method), nil
}

// PyResponseSize is what ECLYPSE charges for a REST response: the tuple (status, body), so
// PyHTTPStatusSize plus PySize(body).
func PyResponseSize(body any) (int, error) {
	n, err := PySize(body)
	if err != nil {
		return 0, err
	}
	return PyHTTPStatusSize + n, nil
}

const pyMaxDepth = 1000

var (
	marshalerType     = reflect.TypeFor[json.Marshaler]()
	textMarshalerType = reflect.TypeFor[encoding.TextMarshaler]()
	numberType        = reflect.TypeFor[json.Number]()
)

// marshals reports whether encoding/json would call a MarshalJSON or MarshalText method
// for v, and returns the value to call it on.
func marshals(v reflect.Value) (reflect.Value, bool) {
	m := marshalersOf(v.Type())
	if m&selfMarshals != 0 {
		return v, true
	}
	if m&pointerMarshals != 0 && v.CanAddr() {
		return v.Addr(), true
	}
	return reflect.Value{}, false
}

// What marshalersOf says of a type.
const (
	selfMarshals    = 1 << iota // it implements json.Marshaler or encoding.TextMarshaler
	pointerMarshals             // it is not a pointer, and a pointer to it implements one
)

// marshalCache holds marshalersOf per type: asking reflect each time costs more than the
// rest of sizing a small body.
var marshalCache sync.Map // reflect.Type -> uint8

// marshalersOf tells which of a type and its pointer type encoding/json would marshal
// through a method.
func marshalersOf(t reflect.Type) uint8 {
	if m, ok := marshalCache.Load(t); ok {
		return m.(uint8)
	}
	var m uint8
	if t.Implements(marshalerType) || t.Implements(textMarshalerType) {
		m |= selfMarshals
	}
	if t.Kind() != reflect.Pointer {
		if pt := reflect.PointerTo(t); pt.Implements(marshalerType) || pt.Implements(textMarshalerType) {
			m |= pointerMarshals
		}
	}
	marshalCache.Store(t, m)
	return m
}

func pyValue(v reflect.Value, depth int) (int, error) {
	var m uint8
	if v.IsValid() {
		m = marshalersOf(v.Type())
	}
	return pyValueOf(v, depth, m)
}

// pyValueOf is pyValue for a value whose type's marshalersOf the caller knows (a field's,
// an element's): the lookup is made once per field or list, not once per value.
func pyValueOf(v reflect.Value, depth int, marshal uint8) (int, error) {
	if depth >= pyMaxDepth {
		return 0, fmt.Errorf("comm: pysize: nesting deeper than %d levels (a cycle?)", pyMaxDepth)
	}
	if !v.IsValid() {
		return pyNoneSize, nil
	}
	if (v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface) && v.IsNil() {
		return pyNoneSize, nil
	}
	if marshal&selfMarshals != 0 || marshal&pointerMarshals != 0 && v.CanAddr() {
		m := v
		if marshal&selfMarshals == 0 {
			m = v.Addr()
		}
		data, err := json.Marshal(m.Interface())
		if err != nil {
			return 0, fmt.Errorf("comm: pysize: %v", err)
		}
		return pyJSON(data)
	}
	switch v.Kind() {
	case reflect.Bool:
		return pyBoolSize, nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		i := v.Int()
		mag := uint64(i)
		if i < 0 {
			mag = -mag
		}
		return pyIntSize(bits.Len64(mag)), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return pyIntSize(bits.Len64(v.Uint())), nil
	case reflect.Float32, reflect.Float64:
		if f := v.Float(); math.IsNaN(f) || math.IsInf(f, 0) {
			return 0, fmt.Errorf("comm: pysize: unsupported value %v", f)
		}
		return pyFloatSize, nil
	case reflect.String:
		if v.Type() == numberType {
			lit := v.String()
			if lit == "" {
				lit = "0" // encoding/json writes an empty Number as 0
			}
			return pyNumberSize(lit)
		}
		return pyStrSize(v.String()), nil
	case reflect.Interface:
		return pyValue(v.Elem(), depth) // not a level of the JSON
	case reflect.Pointer:
		return pyValue(v.Elem(), depth+1)
	case reflect.Slice:
		if v.IsNil() {
			return pyNoneSize, nil
		}
		if v.Type().Elem().Kind() == reflect.Uint8 {
			if _, ok := marshals(reflect.New(v.Type().Elem()).Elem()); !ok {
				return 48 + base64.StdEncoding.EncodedLen(v.Len()) + 1, nil // a base64 ASCII str
			}
		}
		return pyList(v, depth)
	case reflect.Array:
		return pyList(v, depth)
	case reflect.Map:
		if v.IsNil() {
			return pyNoneSize, nil
		}
		return pyMap(v, depth)
	case reflect.Struct:
		return pyStruct(v, depth)
	}
	return 0, fmt.Errorf("comm: pysize: unsupported type %s", v.Type())
}

func pyList(v reflect.Value, depth int) (int, error) {
	sum := 0
	m := marshalersOf(v.Type().Elem())
	for i := range v.Len() {
		n, err := pyValueOf(v.Index(i), depth+1, m)
		if err != nil {
			return 0, err
		}
		sum += n
	}
	return sum, nil
}

// pyMap sizes a map as the dict its JSON object decodes to. Keys become strings as
// encoding/json writes them: a string kind as is, a TextMarshaler its text, an integer its
// decimal digits.
func pyMap(v reflect.Value, depth int) (int, error) {
	kt := v.Type().Key()
	switch kt.Kind() {
	case reflect.String, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
	default:
		if !kt.Implements(textMarshalerType) {
			return 0, fmt.Errorf("comm: pysize: unsupported map key type %s", kt)
		}
	}
	sum := 0
	m := marshalersOf(v.Type().Elem())
	it := v.MapRange()
	for it.Next() {
		k, err := mapKey(it.Key())
		if err != nil {
			return 0, err
		}
		n, err := pyValueOf(it.Value(), depth+1, m)
		if err != nil {
			return 0, err
		}
		sum += pyStrSize(k) + n
	}
	return sum, nil
}

func mapKey(k reflect.Value) (string, error) {
	if k.Kind() == reflect.String {
		return k.String(), nil
	}
	if tm, ok := k.Interface().(encoding.TextMarshaler); ok {
		if k.Kind() == reflect.Pointer && k.IsNil() {
			return "", nil
		}
		b, err := tm.MarshalText()
		if err != nil {
			return "", fmt.Errorf("comm: pysize: map key: %v", err)
		}
		return string(b), nil
	}
	switch k.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return fmt.Sprint(k.Int()), nil
	}
	return fmt.Sprint(k.Uint()), nil
}

func pyStruct(v reflect.Value, depth int) (int, error) {
	sum := 0
	for _, f := range jsonFields(v.Type()) {
		fv, ok := fieldByIndex(v, f.index)
		if !ok {
			continue // behind a nil embedded pointer: json.Marshal writes nothing
		}
		if f.omitEmpty && emptyValue(fv) || f.omitZero && zeroValue(fv) {
			continue
		}
		var n int
		var err error
		custom := f.marshal&selfMarshals != 0 || f.marshal&pointerMarshals != 0 && fv.CanAddr()
		if f.quoted && !custom {
			n, err = pyQuoted(fv)
		} else {
			n, err = pyValueOf(fv, depth+1, f.marshal)
		}
		if err != nil {
			return 0, err
		}
		sum += f.nameSize + n
	}
	return sum, nil
}

// pyQuoted sizes a field with the ",string" option: a bool, number or string written as a
// JSON string holding its JSON text (nil pointers stay null).
func pyQuoted(v reflect.Value) (int, error) {
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			return pyNoneSize, nil
		}
		v = v.Elem()
	}
	switch v.Kind() {
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.String:
		b, err := json.Marshal(v.Interface())
		if err != nil {
			return 0, fmt.Errorf("comm: pysize: %v", err)
		}
		return pyStrSize(string(b)), nil
	}
	return pyValue(v, 0)
}

func fieldByIndex(v reflect.Value, index []int) (reflect.Value, bool) {
	for i, x := range index {
		if i > 0 && v.Kind() == reflect.Pointer {
			if v.IsNil() {
				return reflect.Value{}, false
			}
			v = v.Elem()
		}
		v = v.Field(x)
	}
	return v, true
}

// emptyValue is encoding/json's omitempty test (a float -0 is empty too).
func emptyValue(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	case reflect.Bool:
		return !v.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return v.Int() == 0
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return v.Uint() == 0
	case reflect.Float32, reflect.Float64:
		return v.Float() == 0
	case reflect.Interface, reflect.Pointer:
		return v.IsNil()
	}
	return false
}

var isZeroerType = reflect.TypeFor[interface{ IsZero() bool }]()

// zeroValue is encoding/json's omitzero test: the type's IsZero() bool method if it (or its
// pointer) has one, nil pointers and interfaces counting as zero; else the zero value.
func zeroValue(v reflect.Value) bool {
	type isZeroer interface{ IsZero() bool }
	t := v.Type()
	switch {
	case t.Kind() == reflect.Interface || t.Kind() == reflect.Pointer:
		if v.IsNil() {
			return true
		}
		if t.Kind() == reflect.Interface && v.Elem().Kind() == reflect.Pointer && v.Elem().IsNil() && t.Implements(isZeroerType) {
			return true
		}
		if t.Implements(isZeroerType) {
			return v.Interface().(isZeroer).IsZero()
		}
	case t.Implements(isZeroerType):
		return v.Interface().(isZeroer).IsZero()
	case reflect.PointerTo(t).Implements(isZeroerType):
		if !v.CanAddr() {
			box := reflect.New(t).Elem()
			box.Set(v)
			v = box
		}
		return v.Addr().Interface().(isZeroer).IsZero()
	}
	return v.IsZero()
}

// pyJSON sizes the Python value json.loads makes of data.
func pyJSON(data []byte) (int, error) {
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	var x any
	if err := d.Decode(&x); err != nil {
		return 0, fmt.Errorf("comm: pysize: %v", err)
	}
	return pyDecoded(x, 0)
}

func pyDecoded(x any, depth int) (int, error) {
	if depth >= pyMaxDepth {
		return 0, fmt.Errorf("comm: pysize: nesting deeper than %d levels (a cycle?)", pyMaxDepth)
	}
	switch x := x.(type) {
	case nil:
		return pyNoneSize, nil
	case bool:
		return pyBoolSize, nil
	case string:
		return pyStrSize(x), nil
	case json.Number:
		return pyNumberSize(string(x))
	case []any:
		sum := 0
		for _, e := range x {
			n, err := pyDecoded(e, depth+1)
			if err != nil {
				return 0, err
			}
			sum += n
		}
		return sum, nil
	case map[string]any:
		sum := 0
		for k, e := range x {
			n, err := pyDecoded(e, depth+1)
			if err != nil {
				return 0, err
			}
			sum += pyStrSize(k) + n
		}
		return sum, nil
	}
	return 0, fmt.Errorf("comm: pysize: unexpected decoded %T", x)
}

// jsonField is one field encoding/json writes for a struct type.
type jsonField struct {
	name                        string
	nameSize                    int // pyStrSize(name)
	index                       []int
	tagged                      bool
	omitEmpty, omitZero, quoted bool
	marshal                     uint8 // marshalersOf the field's type
}

var fieldCache sync.Map // reflect.Type -> []jsonField

// jsonFields lists the fields json.Marshal writes for struct type t, by encoding/json's
// rules: exported fields (and the exported fields of embedded structs, promoted), a tag
// "-" drops a field, a tag name renames it; among fields with the same name the shallowest
// wins, a tagged one breaking a tie at that depth, and an unresolved tie drops them all.
func jsonFields(t reflect.Type) []jsonField {
	if f, ok := fieldCache.Load(t); ok {
		return f.([]jsonField)
	}
	type queued struct {
		t     reflect.Type
		index []int
	}
	// Breadth first, one depth of embedding at a time. A struct type embedded more than once
	// at the same depth contributes its fields twice, so that they clash and drop out, as in
	// encoding/json; a type already seen at a shallower depth is not walked again.
	var all []jsonField
	level := []queued{{t: t}}
	count := map[reflect.Type]int{t: 1}
	visited := map[reflect.Type]bool{}
	for len(level) > 0 {
		var next []queued
		nextCount := map[reflect.Type]int{}
		for _, q := range level {
			if visited[q.t] {
				continue
			}
			visited[q.t] = true
			for i := range q.t.NumField() {
				sf := q.t.Field(i)
				ft := sf.Type
				if ft.Name() == "" && ft.Kind() == reflect.Pointer {
					ft = ft.Elem()
				}
				if sf.Anonymous {
					if !sf.IsExported() && ft.Kind() != reflect.Struct {
						continue
					}
				} else if !sf.IsExported() {
					continue
				}
				tag := sf.Tag.Get("json")
				if tag == "-" {
					continue
				}
				name, opts, _ := strings.Cut(tag, ",")
				if !validTagName(name) {
					name = ""
				}
				index := append(slices.Clone(q.index), i)
				if name == "" && sf.Anonymous && ft.Kind() == reflect.Struct {
					nextCount[ft]++
					if nextCount[ft] == 1 {
						next = append(next, queued{t: ft, index: index})
					}
					continue
				}
				f := jsonField{name: name, index: index, tagged: name != "", marshal: marshalersOf(sf.Type)}
				if f.name == "" {
					f.name = sf.Name
				}
				for o := range strings.SplitSeq(opts, ",") {
					switch o {
					case "omitempty":
						f.omitEmpty = true
					case "omitzero":
						f.omitZero = true
					case "string":
						switch ft.Kind() {
						case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
							reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
							reflect.Float32, reflect.Float64, reflect.String:
							f.quoted = true
						}
					}
				}
				f.nameSize = pyStrSize(f.name)
				all = append(all, f)
				if count[q.t] > 1 {
					all = append(all, f)
				}
			}
		}
		level, count = next, nextCount
	}
	// Resolve name clashes: shallowest wins; at equal depth, the only tagged one; else none.
	byName := map[string][]jsonField{}
	var names []string
	for _, f := range all {
		if _, ok := byName[f.name]; !ok {
			names = append(names, f.name)
		}
		byName[f.name] = append(byName[f.name], f)
	}
	var out []jsonField
	for _, name := range names {
		fs := byName[name]
		depth := len(fs[0].index)
		for _, f := range fs {
			depth = min(depth, len(f.index))
		}
		var top []jsonField
		for _, f := range fs {
			if len(f.index) == depth {
				top = append(top, f)
			}
		}
		if len(top) > 1 {
			var tagged []jsonField
			for _, f := range top {
				if f.tagged {
					tagged = append(tagged, f)
				}
			}
			top = tagged
		}
		if len(top) == 1 {
			out = append(out, top[0])
		}
	}
	fieldCache.Store(t, out)
	return out
}

// validTagName is encoding/json's rule for a usable tag name.
func validTagName(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		switch {
		case strings.ContainsRune("!#$%&()*+-./:;<=>?@[]^_{|}~ ", c):
		case !unicode.IsLetter(c) && !unicode.IsDigit(c):
			return false
		}
	}
	return true
}
