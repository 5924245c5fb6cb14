package comm

import "testing"

// A dense and a sparse table answer alike: nil before first use, the same entry after,
// nothing after reset.
func TestPairTable(t *testing.T) {
	for _, keys := range []int{16, denseKeys, denseKeys + 1, 1 << 20} {
		tab := newPairTable[int](keys)
		made := 0
		mk := func() *int { made++; v := made; return &v }
		for _, k := range []int{0, keys - 1, keys / 2, 0} {
			if k == 0 && made == 0 && tab.get(k) != nil {
				t.Fatalf("keys %d: entry before first use", keys)
			}
			e := tab.at(k, mk)
			if tab.get(k) != e || tab.at(k, mk) != e {
				t.Fatalf("keys %d: key %d does not keep its entry", keys, k)
			}
		}
		if made != 3 {
			t.Errorf("keys %d: %d entries made for 3 keys", keys, made)
		}
		if dense := keys <= denseKeys; dense != (tab.dense != nil) || dense == (tab.sparse != nil) {
			t.Errorf("keys %d: dense %v sparse %v", keys, tab.dense != nil, tab.sparse != nil)
		}
		tab.reset()
		if tab.get(0) != nil || tab.get(keys-1) != nil {
			t.Errorf("keys %d: entries after reset", keys)
		}
	}
}
