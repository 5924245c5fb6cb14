package spec

import (
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
)

// decodeError is a problem at one place of the file.
type decodeError struct {
	line int
	path string
	msg  string
}

func (e *decodeError) Error() string {
	if e.line > 0 {
		return fmt.Sprintf("line %d: %s: %s", e.line, e.path, e.msg)
	}
	return e.path + ": " + e.msg
}

var rawType = reflect.TypeOf(json.RawMessage(nil))

// decode fills v (a pointer) from n, strictly: every key must name a field, every value must
// have the field's type. Errors name the path (services[2].endpoints[0].steps[1]) and line.
func decode(n *node, v any) error {
	d := &decoder{}
	return d.value(n, reflect.ValueOf(v).Elem())
}

type decoder struct {
	path []string
}

func (d *decoder) fail(n *node, format string, a ...any) error {
	return &decodeError{line: n.line, path: jsonPath(d.path), msg: fmt.Sprintf(format, a...)}
}

func (d *decoder) value(n *node, v reflect.Value) error {
	t := v.Type()
	if t == rawType {
		text, err := canonicalKeep(n)
		if err != nil {
			return d.fail(n, "%v", err)
		}
		v.SetBytes(text)
		return nil
	}
	switch t.Kind() {
	case reflect.Pointer:
		if n.kind == kNull {
			v.SetZero()
			return nil
		}
		p := reflect.New(t.Elem())
		if err := d.value(n, p.Elem()); err != nil {
			return err
		}
		v.Set(p)
		return nil
	case reflect.Struct:
		if n.kind != kObject {
			return d.fail(n, "want an object, got %s", n.kind)
		}
		fields := fieldsOf(t)
		for _, r := range fields.required {
			if n.get(r) == nil {
				return d.fail(n, "missing field %q", r)
			}
		}
		for i, k := range n.keys {
			idx, ok := fields.index[k]
			if !ok {
				return d.fail(n.vals[i], "unknown field %q (valid: %s)", k, strings.Join(fields.names, ", "))
			}
			d.path = append(d.path, "."+k)
			err := d.value(n.vals[i], v.Field(idx))
			d.path = d.path[:len(d.path)-1]
			if err != nil {
				return err
			}
		}
		return nil
	case reflect.Slice:
		if n.kind == kNull {
			v.SetZero()
			return nil
		}
		if n.kind != kArray {
			return d.fail(n, "want a list, got %s", n.kind)
		}
		if len(n.arr) == 0 {
			v.SetZero() // an empty list and an absent one are the same model
			return nil
		}
		s := reflect.MakeSlice(t, len(n.arr), len(n.arr))
		for i, e := range n.arr {
			d.path = append(d.path, "["+strconv.Itoa(i)+"]")
			err := d.value(e, s.Index(i))
			d.path = d.path[:len(d.path)-1]
			if err != nil {
				return err
			}
		}
		v.Set(s)
		return nil
	case reflect.String:
		if n.kind != kString {
			return d.fail(n, "want a string, got %s", n.kind)
		}
		v.SetString(n.str)
		return nil
	case reflect.Bool:
		if n.kind != kBool {
			return d.fail(n, "want true or false, got %s", n.kind)
		}
		v.SetBool(n.b)
		return nil
	case reflect.Float64:
		if n.kind != kNumber {
			return d.fail(n, "want a number, got %s", n.kind)
		}
		v.SetFloat(n.num)
		return nil
	case reflect.Int:
		if n.kind != kNumber {
			return d.fail(n, "want an integer, got %s", n.kind)
		}
		if n.num != math.Trunc(n.num) || math.Abs(n.num) > maxExactInt {
			return d.fail(n, "want an integer of at most 2^53 in magnitude, got %v", n.num)
		}
		v.SetInt(int64(n.num))
		return nil
	}
	return d.fail(n, "cannot decode into %s", t) // a programmer error in the model
}

// structFields maps the JSON names of a struct's fields to their indices.
type structFields struct {
	index    map[string]int
	names    []string // in declaration order, for messages
	required []string // fields tagged ",required" (an option encoding/json ignores)
}

var fieldCache = map[reflect.Type]*structFields{}

// fieldsOf reads a struct type's json tags. The model is fixed at compile time, so the cache
// is filled by init (see below) and only read afterwards: safe for concurrent use.
func fieldsOf(t reflect.Type) *structFields {
	if f := fieldCache[t]; f != nil {
		return f
	}
	return buildFields(t)
}

func buildFields(t reflect.Type) *structFields {
	f := &structFields{index: map[string]int{}}
	for i := range t.NumField() {
		sf := t.Field(i)
		name, opts, _ := strings.Cut(sf.Tag.Get("json"), ",")
		if name == "-" || !sf.IsExported() {
			continue
		}
		for _, o := range strings.Split(opts, ",") {
			if o == "required" {
				f.required = append(f.required, name)
			}
		}
		if name == "" {
			name = sf.Name
		}
		f.index[name] = i
		f.names = append(f.names, name)
	}
	return f
}

func init() {
	// Fill the cache for every struct of the model, so decoding never writes to it.
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		switch t.Kind() {
		case reflect.Pointer, reflect.Slice:
			if t != rawType {
				walk(t.Elem())
			}
		case reflect.Struct:
			if fieldCache[t] != nil {
				return
			}
			fieldCache[t] = buildFields(t)
			for i := range t.NumField() {
				walk(t.Field(i).Type)
			}
		}
	}
	walk(reflect.TypeOf(Spec{}))
	walk(reflect.TypeOf(Scenario{}))
}
