package main

import (
	"errors"
	"strings"
	"testing"
)

// FuzzParseLists: any flag text gives a grid or a usage error, never a panic.
//
//	go test ./experiments/sweep -run '^$' -fuzz FuzzParseLists -fuzztime 30s
func FuzzParseLists(f *testing.F) {
	for _, s := range []string{"1-20,25", "", "5-1", "a", "0.6:0.1;0.2", "1,,2", "500ms,1s", "-1", "18446744073709551615"} {
		f.Add(s, s)
	}
	def := fakeCLI().defaults
	f.Fuzz(func(t *testing.T, a, b string) {
		for _, p := range []params{
			{seeds: a, nodes: b}, {strategies: a, variants: b}, {partitioning: a, step: b},
			{flap: a, think: b}, {steps: a, timeout: b}, {model: a, decline: b, flapUp: a},
		} {
			g, err := newGrid(p, def)
			var ue *usageError
			if err != nil && !errors.As(err, &ue) {
				t.Fatalf("%+v: %v is not a usage error", p, err)
			}
			if err == nil && (g.total < 1 || g.total > maxRuns) {
				t.Fatalf("%+v: %d runs", p, g.total)
			}
		}
		if _, err := parseShard(a, func(string) string { return b }); err != nil && !strings.HasPrefix(err.Error(), "sweep: ") {
			t.Fatalf("shard %q: %v", a, err)
		}
		if r, err := recordOfLine(a + "\n"); err == nil && len(r.fields) != len(header()) {
			t.Fatalf("record of %q has %d fields", a, len(r.fields))
		}
	})
}
