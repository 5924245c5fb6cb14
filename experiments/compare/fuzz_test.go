package main

import (
	"strings"
	"testing"
)

// FuzzParseFlags: the flag parsers never panic, and what they accept is well formed.
func FuzzParseFlags(f *testing.F) {
	for _, s := range []string{"FrontendService=n1,CatalogService=n2", "n14@10s+5s", "x@", "=,", "0.6,0.1", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if m, err := parsePlacement(s, nil, ""); err == nil {
			for svc, node := range m {
				if svc == "" || node == "" || !strings.HasSuffix(svc, "Service") {
					t.Errorf("parsePlacement(%q) accepted %q=%q", s, svc, node)
				}
			}
		}
		if o, err := parseOutage(s); err == nil && (o.Node == "" || o.At < 0 || o.For < 0) {
			t.Errorf("parseOutage(%q) accepted %+v", s, o)
		}
	})
}
