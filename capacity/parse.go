package capacity

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// ParseLoads reads a comma-separated list of loads of kind k: users as whole numbers
// ("1,10,100"), rates as numbers of workflows per second ("0.5,2,10"). It sorts them
// ascending and refuses an empty list or element, a repeated load, more than MaxLoads loads
// and any load out of range (the error names the valid values).
func ParseLoads(k Kind, text string) ([]float64, error) {
	want := "whole numbers of users from 1, e.g. 1,10,100"
	if k == Rate {
		want = "positive rates in workflows per second, e.g. 0.5,2,10"
	} else if k != Users {
		return nil, fmt.Errorf("capacity: unknown load kind %q (valid: %s, %s)", k, Users, Rate)
	}
	if strings.TrimSpace(text) == "" {
		return nil, fmt.Errorf("capacity: empty list (valid: %s)", want)
	}
	parts := strings.Split(text, ",")
	if len(parts) > MaxLoads {
		return nil, fmt.Errorf("capacity: %d loads: at most %d", len(parts), MaxLoads)
	}
	out := make([]float64, 0, len(parts))
	for _, p := range parts {
		p = strings.TrimSpace(p)
		var v float64
		var err error
		if k == Users {
			var n int
			n, err = strconv.Atoi(p)
			v = float64(n)
		} else {
			v, err = strconv.ParseFloat(p, 64)
		}
		if err != nil {
			return nil, fmt.Errorf("capacity: bad element %q (valid: %s)", p, want)
		}
		if err := checkLoad(k, v); err != nil {
			return nil, fmt.Errorf("capacity: %q: %v", p, err)
		}
		if slices.Contains(out, v) {
			return nil, fmt.Errorf("capacity: load %s appears twice", FormatLoad(k, v))
		}
		out = append(out, v)
	}
	slices.Sort(out)
	return out, nil
}
