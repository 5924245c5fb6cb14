package report

import (
	"math"
	"testing"

	"github.com/edgesim/edgesim/network"
	"github.com/edgesim/edgesim/placement"
)

func TestFlowResponseTime(t *testing.T) {
	g, app := testInfra(), testApp()
	spread := placement.Placement{"A": "n1", "B": "n2", "C": "n3"}
	tests := []struct {
		name string
		p    placement.Placement
		flow []string
		want float64 // NaN: no response time
	}{
		// (2+1) + 7 + (3+4) + 7 + (2+1)
		{"A>B>A spread", spread, []string{"A", "B", "A"}, 27},
		// (2+1) + 20 (two hops; intermediate n2's processing time is not added) + (5+10)
		{"A>C spread", spread, []string{"A", "C"}, 38},
		// same host: route latency 0, both host processing times still added
		{"A>B>A colocated", placement.Placement{"A": "n2", "B": "n2", "C": "n3"}, []string{"A", "B", "A"}, (2 + 4) + (3 + 4) + (2 + 4)},
		{"single service", spread, []string{"C"}, 15},
		{"unplaced", placement.Placement{"A": "n1", "C": "n3"}, []string{"A", "B", "A"}, math.NaN()},
		{"empty host", placement.Placement{"A": "n1", "B": ""}, []string{"A", "B"}, math.NaN()},
		{"unknown node", placement.Placement{"A": "n1", "B": "n9"}, []string{"A", "B"}, math.NaN()},
		{"unknown service", spread, []string{"A", "Z"}, math.NaN()},
		{"nil placement", nil, []string{"A"}, math.NaN()},
		{"empty flow", spread, nil, math.NaN()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := FlowResponseTime(app, g, tt.p, tt.flow)
			if math.IsNaN(tt.want) {
				if ok || !math.IsNaN(got) {
					t.Fatalf("got %v, %v; want no response time", got, ok)
				}
				return
			}
			if !ok || got != tt.want {
				t.Fatalf("got %v, %v; want %v", got, ok, tt.want)
			}
		})
	}
}

func TestResponseTimeMaxOverFlows(t *testing.T) {
	g, app := testInfra(), testApp()
	got, ok := ResponseTime(app, g, placement.Placement{"A": "n1", "B": "n2", "C": "n3"})
	if !ok || got != 38 {
		t.Fatalf("got %v, %v; want 38 (flow A>C)", got, ok)
	}
	// C next to A: A>C = (2+1)+(5+1) = 9, so A>B>A (27) is the maximum.
	got, ok = ResponseTime(app, g, placement.Placement{"A": "n1", "B": "n2", "C": "n1"})
	if !ok || got != 27 {
		t.Fatalf("got %v, %v; want 27 (flow A>B>A)", got, ok)
	}
	// n3 cut off: no route n1-n3, so the application has no response time.
	g.routes = map[[2]string]network.Path{}
	if got, ok := ResponseTime(app, g, placement.Placement{"A": "n1", "B": "n2", "C": "n3"}); ok {
		t.Fatalf("got %v with no routes; want none", got)
	}
	if _, ok := ResponseTime(&placement.Application{}, g, placement.Placement{}); ok {
		t.Fatal("an application without flows has a response time")
	}
}
