package theory

import (
	"errors"
	"math"
	"testing"
)

// okOrErr fails unless err matches ErrInvalid or ErrUnstable, or err is nil and every value is
// finite: the package's promise that bad input gives an error, never a panic or a NaN.
func okOrErr(t *testing.T, what string, err error, vals ...float64) {
	t.Helper()
	if err != nil {
		if !errors.Is(err, ErrInvalid) && !errors.Is(err, ErrUnstable) {
			t.Fatalf("%s: error %v matches neither ErrInvalid nor ErrUnstable", what, err)
		}
		return
	}
	for i, v := range vals {
		if !finite(v) {
			t.Fatalf("%s: value %d is %v with no error", what, i, v)
		}
	}
}

func FuzzSingleStation(f *testing.F) {
	f.Add(0.5, 1.0, 1, 0.3, 0.95)
	f.Add(240.0, 1.0, 256, 1.0, 0.5)
	f.Add(0.0, 1e-300, 3, 0.0, 0.0)
	f.Add(1e-300, 1e300, 2, 1e300, 0.999999)
	f.Add(math.Inf(1), 1.0, 2, math.NaN(), 2.0)
	f.Fuzz(func(t *testing.T, lambda, mu float64, c int, x, p float64) {
		c %= 2000 // keep Erlang's O(c) recursion quick
		q, err := NewMMc(lambda, mu, c)
		okOrErr(t, "NewMMc", err, q.PWait, q.Wait, q.Response, q.Number, q.QueueLength, q.Utilisation)
		if err == nil {
			w, err := q.WaitTail(x)
			okOrErr(t, "WaitTail", err, w)
			r, err := q.ResponseTail(x)
			okOrErr(t, "ResponseTail", err, r)
			wq, err := q.WaitQuantile(p)
			okOrErr(t, "WaitQuantile", err, wq)
			rq, err := q.ResponseQuantile(p)
			okOrErr(t, "ResponseQuantile", err, rq)
		}
		q, err = NewMM1(lambda, mu)
		okOrErr(t, "NewMM1", err, q.PWait, q.Wait, q.Response, q.Number, q.QueueLength)
		m, err := MG1(lambda, mu, x)
		okOrErr(t, "MG1", err, m.Wait, m.Response, m.Number, m.QueueLength)
		m, err = PS(lambda, mu, c)
		okOrErr(t, "PS", err, m.Wait, m.Response, m.Number, m.QueueLength)
		s, err := PSResponseForSize(lambda, mu, x)
		okOrErr(t, "PSResponseForSize", err, s)
		k := c % 64
		a, err := ForkJoinApprox(k, lambda, mu)
		okOrErr(t, "ForkJoinApprox", err, a)
		lo, hi, err := ForkJoinBounds(k, lambda, mu)
		okOrErr(t, "ForkJoinBounds", err, lo, hi)
	})
}

func FuzzMVA(f *testing.F) {
	f.Add(1.0, 0.1, 4, 0.02, 1, 50)
	f.Add(0.0, 1e-300, 2, 0.0, 1, 10)
	f.Add(1e300, 1e300, 3, 1e-300, 7, 100)
	f.Add(0.0, 0.0, 1, 0.0, 1, 3)
	f.Fuzz(func(t *testing.T, z, d1 float64, c1 int, d2 float64, c2 int, n int) {
		n %= 300
		c1 %= 100
		c2 %= 100
		net := ClosedNetwork{Think: z, Stations: []ClosedStation{{"a", d1, c1}, {"b", d2, c2}}}
		res, err := MVA(net, n)
		vals := []float64{res.Throughput, res.Response}
		vals = append(vals, res.QueueLength...)
		vals = append(vals, res.Utilisation...)
		vals = append(vals, res.Residence...)
		vals = append(vals, res.Throughputs...)
		okOrErr(t, "MVA", err, vals...)
		lo, hi, err := ThroughputBounds(net, n)
		okOrErr(t, "ThroughputBounds", err, lo, hi)
	})
}

func FuzzJackson(f *testing.F) {
	f.Add(1.0, 0.0, 2.0, 1, 3.0, 2, 0.5, 0.3, 0.2, 0.1)
	f.Add(1e-300, 1e300, 1e-300, 1, 1e300, 3, 1.0, 0.0, 0.0, 1.0)
	f.Fuzz(func(t *testing.T, g1, g2, mu1 float64, c1 int, mu2 float64, c2 int, p11, p12, p21, p22 float64) {
		res, err := Jackson(OpenNetwork{
			Stations: []OpenStation{{"a", mu1, c1 % 100}, {"b", mu2, c2 % 100}},
			Arrivals: []float64{g1, g2},
			Routing:  [][]float64{{p11, p12}, {p21, p22}},
		})
		vals := []float64{res.Throughput, res.Number, res.Response}
		for _, q := range res.Stations {
			vals = append(vals, q.Lambda, q.Response, q.Number)
		}
		okOrErr(t, "Jackson", err, vals...)
	})
}
