package tables

import (
	"bytes"
	"strings"
	"testing"
)

func TestRender(t *testing.T) {
	header := []string{"variant", "latency_ms"}
	rows := [][]string{{"mpi", "1.50"}, {"rest", "12.25"}}
	for _, tc := range []struct {
		format string
		want   []string
	}{
		{"csv", []string{"variant,latency_ms\nmpi,1.50\nrest,12.25\n"}},
		{"table", []string{"latency_ms", "│      12.25 │", "│ mpi     │"}},
		{"markdown", []string{"| variant", "latency_ms |", "12.25 |"}},
	} {
		var b bytes.Buffer
		if err := Render(&b, tc.format, header, rows); err != nil {
			t.Fatalf("%s: %v", tc.format, err)
		}
		for _, w := range tc.want {
			if !strings.Contains(b.String(), w) {
				t.Errorf("%s output lacks %q:\n%s", tc.format, w, b.String())
			}
		}
	}
	if err := Render(&bytes.Buffer{}, "xml", header, rows); err == nil || !strings.Contains(err.Error(), "table, markdown, csv") {
		t.Errorf("unknown format: got %v, want an error listing the formats", err)
	}
}
