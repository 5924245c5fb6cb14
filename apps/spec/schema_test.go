package spec

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// jsonSchema is the subset of JSON Schema that schema.json uses, enough to check a document
// against it: $ref to $defs, type, enum, properties, required, additionalProperties
// (a boolean or a schema), items, minItems, minProperties, maxProperties, minimum, maximum,
// minLength, maxLength, pattern, not, anyOf; type as a name or a list of names. A keyword it does not know makes the test fail, so the schema
// cannot grow past what is checked.
type jsonSchema struct {
	root map[string]any
}

var knownKeywords = []string{"$schema", "$id", "title", "description", "$defs", "$ref", "type", "enum",
	"properties", "required", "additionalProperties", "items", "minItems", "minProperties", "maxProperties",
	"minimum", "maximum", "minLength", "maxLength", "pattern", "not", "anyOf"}

func loadSchema(t testing.TB) *jsonSchema {
	t.Helper()
	var root map[string]any
	if err := json.Unmarshal(Schema(), &root); err != nil {
		t.Fatalf("schema.json: %v", err)
	}
	var walk func(v any)
	walk = func(v any) {
		m, ok := v.(map[string]any)
		if !ok {
			return
		}
		for k, sub := range m {
			if !slices.Contains(knownKeywords, k) {
				t.Fatalf("schema.json uses %q, which the test validator does not check", k)
			}
			switch k {
			case "properties", "$defs":
				for _, p := range sub.(map[string]any) {
					walk(p)
				}
			case "items", "not", "additionalProperties":
				walk(sub)
			case "anyOf":
				for _, e := range sub.([]any) {
					walk(e)
				}
			}
		}
	}
	walk(root)
	return &jsonSchema{root: root}
}

// validate returns the first violation, "" if v conforms.
func (s *jsonSchema) validate(v any) string { return s.check(s.root, v, "") }

var patterns = map[string]*regexp.Regexp{}

func pattern(p string) *regexp.Regexp {
	re := patterns[p]
	if re == nil {
		re = regexp.MustCompile(p)
		patterns[p] = re
	}
	return re
}

func (s *jsonSchema) check(sc map[string]any, v any, at string) string {
	if ref, ok := sc["$ref"].(string); ok {
		name, _ := strings.CutPrefix(ref, "#/$defs/")
		return s.check(s.root["$defs"].(map[string]any)[name].(map[string]any), v, at)
	}
	if ty, ok := sc["type"].(string); ok && !isType(ty, v) {
		return fmt.Sprintf("%s: want %s, got %T", at, ty, v)
	}
	if tys, ok := sc["type"].([]any); ok && !slices.ContainsFunc(tys, func(ty any) bool { return isType(ty.(string), v) }) {
		return fmt.Sprintf("%s: want one of %v, got %T", at, tys, v)
	}
	if alts, ok := sc["anyOf"].([]any); ok && !slices.ContainsFunc(alts, func(e any) bool { return s.check(e.(map[string]any), v, at) == "" }) {
		return fmt.Sprintf("%s: matches none of the allowed forms", at)
	}
	if en, ok := sc["enum"].([]any); ok && !slices.Contains(en, v) {
		return fmt.Sprintf("%s: %v not in %v", at, v, en)
	}
	if n, ok := sc["not"].(map[string]any); ok && s.check(n, v, at) == "" {
		return fmt.Sprintf("%s: matches a forbidden form", at)
	}
	switch x := v.(type) {
	case map[string]any:
		props, _ := sc["properties"].(map[string]any)
		for _, r := range asList(sc["required"]) {
			if _, ok := x[r.(string)]; !ok {
				return fmt.Sprintf("%s: missing %q", at, r)
			}
		}
		if mn, ok := sc["minProperties"].(float64); ok && float64(len(x)) < mn {
			return fmt.Sprintf("%s: fewer than %v properties", at, mn)
		}
		if mx, ok := sc["maxProperties"].(float64); ok && float64(len(x)) > mx {
			return fmt.Sprintf("%s: more than %v properties", at, mx)
		}
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			p, ok := props[k].(map[string]any)
			if !ok {
				switch ap := sc["additionalProperties"].(type) {
				case bool:
					if !ap {
						return fmt.Sprintf("%s: unknown property %q", at, k)
					}
					continue
				case map[string]any:
					p = ap
				default:
					continue
				}
			}
			if e := s.check(p, x[k], at+"."+k); e != "" {
				return e
			}
		}
	case []any:
		if mn, ok := sc["minItems"].(float64); ok && float64(len(x)) < mn {
			return fmt.Sprintf("%s: fewer than %v items", at, mn)
		}
		if it, ok := sc["items"].(map[string]any); ok {
			for i, e := range x {
				if m := s.check(it, e, fmt.Sprintf("%s[%d]", at, i)); m != "" {
					return m
				}
			}
		}
	case float64:
		if mn, ok := sc["minimum"].(float64); ok && x < mn {
			return fmt.Sprintf("%s: %v below %v", at, x, mn)
		}
		if mx, ok := sc["maximum"].(float64); ok && x > mx {
			return fmt.Sprintf("%s: %v above %v", at, x, mx)
		}
	case string:
		n := float64(len([]rune(x)))
		if mn, ok := sc["minLength"].(float64); ok && n < mn {
			return fmt.Sprintf("%s: shorter than %v", at, mn)
		}
		if mx, ok := sc["maxLength"].(float64); ok && n > mx {
			return fmt.Sprintf("%s: longer than %v", at, mx)
		}
		if p, ok := sc["pattern"].(string); ok && !pattern(p).MatchString(x) {
			return fmt.Sprintf("%s: %q does not match %s", at, x, p)
		}
	}
	return ""
}

func asList(v any) []any { l, _ := v.([]any); return l }

func isType(ty string, v any) bool {
	switch ty {
	case "object":
		_, ok := v.(map[string]any)
		return ok
	case "array":
		_, ok := v.([]any)
		return ok
	case "string":
		_, ok := v.(string)
		return ok
	case "number":
		_, ok := v.(float64)
		return ok
	case "integer":
		f, ok := v.(float64)
		return ok && f == math.Trunc(f)
	case "boolean":
		_, ok := v.(bool)
		return ok
	case "null":
		return v == nil
	}
	return false
}

// asJSON returns a file (JSON or YAML) as the JSON value the schema sees.
func asJSON(t testing.TB, name string, data []byte) any {
	t.Helper()
	var n *node
	var err error
	if isJSON(name, data) {
		n, err = parseJSON(data)
	} else {
		n, err = parseYAML(data)
	}
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	text, err := canonicalKeep(n)
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := json.Unmarshal(text, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

// The schema accepts what the parser accepts: the examples of this package, as written and
// as the model encodes them.
func TestSchemaAcceptsExamples(t *testing.T) {
	sc := loadSchema(t)
	for name, text := range examples {
		if e := sc.validate(asJSON(t, name, []byte(text))); e != "" {
			t.Errorf("%s as written: %s", name, e)
		}
		s, err := Parse(name, []byte(text))
		if err != nil {
			t.Fatal(err)
		}
		b, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		var v any
		if err := json.Unmarshal(b, &v); err != nil {
			t.Fatal(err)
		}
		if e := sc.validate(v); e != "" {
			t.Errorf("%s encoded by the model: %s", name, e)
		}
	}
}

// SchemaAgrees checks, on random mutations of a valid file, that whatever the schema
// rejects the parser rejects too (the parser checks more: references, cycles, sums). It
// returns how many mutations the schema rejected, so that callers can tell the test was not
// vacuous. Exported to the catalogue's tests through export_test.go.
func schemaAgrees(t *testing.T, name string, data []byte, mutations int) int {
	t.Helper()
	sc := loadSchema(t)
	orig := asJSON(t, name, data)
	if e := sc.validate(orig); e != "" {
		t.Fatalf("%s: the schema rejects the file: %s", name, e)
	}
	if _, err := Parse(name, data); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	rng := rand.New(rand.NewPCG(1, uint64(len(data))))
	rejected := 0
	for i := range mutations {
		v := mutate(deepCopy(orig), rng)
		text, _ := json.Marshal(v)
		schemaErr := sc.validate(v)
		_, parseErr := Parse(name+".json", text)
		if schemaErr != "" {
			rejected++
			if parseErr == nil {
				t.Errorf("%s mutation %d: the schema rejects it (%s) but the parser accepts it", name, i, schemaErr)
			}
		}
	}
	return rejected
}

func deepCopy(v any) any {
	switch x := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = deepCopy(e)
		}
		return m
	case []any:
		l := make([]any, len(x))
		for i, e := range x {
			l[i] = deepCopy(e)
		}
		return l
	}
	return v
}

// mutate changes one random place of v: adds an unknown key, drops a key, or replaces a
// value by one of another type or sign.
func mutate(v any, rng *rand.Rand) any {
	type slot struct {
		get func() any
		set func(any)
	}
	root := v
	var slots []slot
	var walk func(get func() any, set func(any))
	walk = func(get func() any, set func(any)) {
		slots = append(slots, slot{get, set})
		switch x := get().(type) {
		case map[string]any:
			keys := make([]string, 0, len(x))
			for k := range x {
				keys = append(keys, k)
			}
			slices.Sort(keys) // map order must not decide which place is mutated
			for _, k := range keys {
				walk(func() any { return x[k] }, func(n any) { x[k] = n })
			}
		case []any:
			for i := range x {
				walk(func() any { return x[i] }, func(n any) { x[i] = n })
			}
		}
	}
	walk(func() any { return root }, func(n any) { root = n })
	s := slots[rng.IntN(len(slots))]
	switch x := s.get().(type) {
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		if rng.IntN(2) == 0 || len(keys) == 0 {
			x["surprise"] = 1.0
		} else {
			delete(x, keys[rng.IntN(len(keys))])
		}
	case []any:
		s.set(map[string]any{"not": "a list"})
	case float64:
		if rng.IntN(2) == 0 {
			s.set(-1 - x)
		} else {
			s.set("12")
		}
	case string:
		s.set(5.0)
	case bool:
		s.set("true")
	case nil:
		s.set(1.0)
	}
	return root
}
