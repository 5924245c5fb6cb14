package main

import (
	"strings"
	"testing"

	"github.com/edgesim/edgesim/engine"
	"github.com/edgesim/edgesim/internal/cli"
	"github.com/edgesim/edgesim/sockshop"
)

// FuzzParseFlags: the flag parsers never panic, and what they accept is well formed.
func FuzzParseFlags(f *testing.F) {
	for _, s := range []string{"FrontendService=n1,CatalogService=n2", "n14@10s+5s", "x@", "=,", "0.6,0.1", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if m, err := parsePlacement(s, sockshop.App(), nil, ""); err == nil {
			for svc, node := range m {
				if svc == "" || node == "" || !strings.HasSuffix(svc, "Service") {
					t.Errorf("parsePlacement(%q) accepted %q=%q", s, svc, node)
				}
			}
		}
		if o, err := parseOutage(s); err == nil && (o.Node == "" || o.At < 0 || o.For < 0) {
			t.Errorf("parseOutage(%q) accepted %+v", s, o)
		}
		// any node id can be named, escaped
		if s != "" {
			if m, err := parsePlacement(placeAll(s), sockshop.App(), func(id string) bool { return id == s }, ""); err != nil || m["FrontendService"] != s {
				t.Errorf("node %q escaped as %q: %v, %q", s, placeAll(s), err, m["FrontendService"])
			}
			if o, err := parseOutage(cli.Escape(s) + "@1s+2s"); err != nil || o.Node != s || o.At != engine.Second || o.For != 2*engine.Second {
				t.Errorf("outage of node %q: %v, %+v", s, err, o)
			}
		}
	})
}
