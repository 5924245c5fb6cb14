package theory

import (
	"strconv"
	"testing"
)

// BenchmarkMVA measures the exact solver on a saturated network with a 64-server and a
// 4-server station (the log-space constants dominate: O(M N sum_k c_k)).
func BenchmarkMVA(b *testing.B) {
	net := largeNets[0]
	for _, n := range []int{100, 1000, 3000} {
		b.Run("N="+strconv.Itoa(n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := MVA(net, n); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkMVASingleServer is the plain recursion, for comparison in the same run.
func BenchmarkMVASingleServer(b *testing.B) {
	net := ClosedNetwork{Think: 5, Stations: []ClosedStation{{"a", 0.025, 1}, {"b", 0.02, 1}, {"c", 0.02, 1}}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := MVA(net, 3000); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkNewMMc(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := NewMMc(240, 1, 256); err != nil {
			b.Fatal(err)
		}
	}
}
