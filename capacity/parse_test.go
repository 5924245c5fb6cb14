package capacity

import (
	"slices"
	"strings"
	"testing"

	"github.com/edgesim/edgesim/engine"
)

func TestParseSLO(t *testing.T) {
	ms := engine.Millisecond
	for _, tc := range []struct {
		in   string
		want SLO
		text string // String() of the result
	}{
		{"p95=500ms", SLO{P95: 500 * ms}, "p95=500ms"},
		{" p99 = 1s , p50=200ms ", SLO{P50: 200 * ms, P99: engine.Second}, "p50=200ms,p99=1s"},
		{"mean=1.5s,failed=1%", SLO{Mean: 1500 * ms, MaxFailed: 0.01, HasFailed: true}, "mean=1.5s,failed=0.01"},
		{"failed=0", SLO{HasFailed: true}, "failed=0"},
		{"failed=0.25,p95=2s", SLO{P95: 2 * engine.Second, MaxFailed: 0.25, HasFailed: true}, "p95=2s,failed=0.25"},
		{"failed=100%", SLO{MaxFailed: 1, HasFailed: true}, "failed=1"},
	} {
		got, err := ParseSLO(tc.in)
		if err != nil || got != tc.want || got.String() != tc.text {
			t.Errorf("ParseSLO(%q) = %+v (%q), %v; want %+v (%q)", tc.in, got, got.String(), err, tc.want, tc.text)
		}
	}
	for _, tc := range []struct{ in, want string }{
		{"", "empty SLO"},
		{"  ", "empty SLO"},
		{"p95", "want STAT=VALUE"},
		{"p95=", "want STAT=VALUE"},
		{"=1s", "want STAT=VALUE"},
		{"p95=1s,", "want STAT=VALUE"},
		{"p90=1s", `unknown statistic "p90" (valid: mean, p50, p95, p99, failed)`},
		{"P95=1s", "unknown statistic"},
		{"p95=1s,p95=2s", "p95 is bounded twice"},
		{"p95=-1s", "bad bound \"-1s\" (valid: a positive duration"},
		{"p95=0s", "bad bound"},
		{"p95=500", "bad bound"},
		{"failed=2", "bad failed fraction"},
		{"failed=-1%", "bad failed fraction"},
		{"failed=NaN", "bad failed fraction"},
		{"failed=x%", "bad failed fraction"},
		{"failed=1%,failed=2%", "failed is bounded twice"},
	} {
		_, err := ParseSLO(tc.in)
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "capacity: ") {
			t.Errorf("ParseSLO(%q): error %v, want one mentioning %q", tc.in, err, tc.want)
		}
	}
	if s := (SLO{}).String(); s != "none" {
		t.Errorf("zero SLO prints %q", s)
	}
}

func TestParseLoads(t *testing.T) {
	for _, tc := range []struct {
		kind Kind
		in   string
		want []float64
	}{
		{Users, "1,10,100", []float64{1, 10, 100}},
		{Users, " 400, 1 ,25", []float64{1, 25, 400}},
		{Users, "100000", []float64{100000}},
		{Rate, "0.5,2,10", []float64{0.5, 2, 10}},
		{Rate, "1e3,5", []float64{5, 1000}},
	} {
		got, err := ParseLoads(tc.kind, tc.in)
		if err != nil || !slices.Equal(got, tc.want) {
			t.Errorf("ParseLoads(%s, %q) = %v, %v; want %v", tc.kind, tc.in, got, err, tc.want)
		}
	}
	for _, tc := range []struct {
		kind     Kind
		in, want string
	}{
		{Users, "", "empty list (valid: whole numbers of users"},
		{Users, "1,,2", `bad element ""`},
		{Users, "1,x", `bad element "x"`},
		{Users, "2.5", `bad element "2.5"`},
		{Users, "0", "users must be whole numbers in 1..100000, got 0"},
		{Users, "-3", "users must be whole numbers in 1..100000"},
		{Users, "100001", "users must be whole numbers in 1..100000"},
		{Users, "99999999999999999999", "bad element"},
		{Users, "5,5", "load 5 users appears twice"},
		{Users, strings.Repeat("1,", 100) + "1", "101 loads: at most 100"},
		{Rate, "0", "rates must be in (0, 1e+09]"},
		{Rate, "-1", "rates must be in"},
		{Rate, "NaN", "rates must be in"},
		{Rate, "Inf", "rates must be in"},
		{Rate, "2e9", "rates must be in"},
		{Rate, "1,1.0", "load 1/s appears twice"},
		{Rate, "1;2", "bad element"},
		{"bogus", "1", `unknown load kind "bogus"`},
	} {
		_, err := ParseLoads(tc.kind, tc.in)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ParseLoads(%s, %q): error %v, want one mentioning %q", tc.kind, tc.in, err, tc.want)
		}
	}
}

// FuzzParseSLO: no input panics; an accepted SLO is valid and prints in a form that parses
// back to the same SLO.
func FuzzParseSLO(f *testing.F) {
	for _, s := range []string{"p95=500ms", "p50=1s,p99=2s,failed=1%", "mean=1h", "failed=0.5", "p95==1s", ",", "failed=%", "p99=1e3ms"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		slo, err := ParseSLO(s)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "capacity: ") {
				t.Errorf("ParseSLO(%q): error without the package prefix: %v", s, err)
			}
			return
		}
		if err := slo.validate(); err != nil {
			t.Errorf("ParseSLO(%q) accepted an invalid SLO: %v", s, err)
		}
		again, err := ParseSLO(slo.String())
		if err != nil || again != slo {
			t.Errorf("ParseSLO(%q) = %+v prints %q, which parses to %+v, %v", s, slo, slo.String(), again, err)
		}
	})
}

// FuzzParseLoads: no input panics; accepted loads are valid, sorted, distinct and at most
// MaxLoads, and print in a form that parses back to the same list.
func FuzzParseLoads(f *testing.F) {
	for _, s := range []string{"1,10,100", "0.5,2", "1e3", "-1", "1,,2", " 7 ", "1,1"} {
		f.Add(s, true)
		f.Add(s, false)
	}
	f.Fuzz(func(t *testing.T, s string, users bool) {
		k := Rate
		if users {
			k = Users
		}
		loads, err := ParseLoads(k, s)
		if err != nil {
			return
		}
		if len(loads) == 0 || len(loads) > MaxLoads {
			t.Fatalf("ParseLoads(%s, %q) = %d loads", k, s, len(loads))
		}
		texts := make([]string, len(loads))
		for i, l := range loads {
			if err := checkLoad(k, l); err != nil {
				t.Errorf("ParseLoads(%s, %q) accepted %v: %v", k, s, l, err)
			}
			if i > 0 && loads[i-1] >= l {
				t.Errorf("ParseLoads(%s, %q) = %v: not strictly ascending", k, s, loads)
			}
			texts[i] = loadCell(l)
		}
		again, err := ParseLoads(k, strings.Join(texts, ","))
		if err != nil || !slices.Equal(again, loads) {
			t.Errorf("ParseLoads(%s, %q) = %v prints %v, which parses to %v, %v", k, s, loads, texts, again, err)
		}
	})
}
