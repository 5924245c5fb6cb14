package comm

import (
	"strings"
	"testing"

	"github.com/edgesim/edgesim/cpu"
	"github.com/edgesim/edgesim/engine"
	"github.com/edgesim/edgesim/placement"
)

// Two applications' fabrics on one simulation and graph: with their loads shared, a message
// of each crossing the same link at once gets half the bandwidth (17 ms, as two messages of
// one fabric in TestFairLinksShareBandwidth); without, each has the link to itself (16 ms).
func TestShareLoadSharesLinks(t *testing.T) {
	for _, tc := range []struct {
		share bool
		want  engine.Time
	}{{false, 16 * engine.Millisecond}, {true, 17 * engine.Millisecond}} {
		sim, g, f := fixture(t)
		other := NewFabric(sim, g, f.App(), Eclypse{})
		if err := other.SetSizeRule("json"); err != nil {
			t.Fatal(err)
		}
		other.Deploy(placement.Placement{"X": "a", "Y": "b", "Z": "a"})
		for _, fab := range []*Fabric{f, other} {
			if err := fab.SetLoad(Load{Links: "fair"}); err != nil {
				t.Fatal(err)
			}
		}
		if tc.share {
			if err := other.ShareLoad(f); err != nil {
				t.Fatal(err)
			}
		}
		body := strings.Repeat("x", 1998) // 2000 bytes of JSON
		var got []engine.Time
		for _, fab := range []*Fabric{f, other} {
			ep := NewMPI(fab).Endpoint("X")
			sim.Process("sender", func(p *engine.Proc) {
				p.Wait(ep.Send("Y", body))
				got = append(got, p.Now())
			})
		}
		if err := sim.Run(); err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[0] != tc.want || got[1] != tc.want {
			t.Errorf("shared %v: arrivals %v, want both at %v", tc.share, got, tc.want)
		}
	}
}

// With CPU node, the shared fabrics queue on one station per node: both report it, with the
// work of both.
func TestShareLoadSharesNodeStations(t *testing.T) {
	sim, g, f := fixture(t)
	other := NewFabric(sim, g, f.App(), Eclypse{})
	other.Deploy(placement.Placement{"X": "a", "Y": "b", "Z": "a"})
	load := Load{Service: "const", CPU: "node"}
	for _, fab := range []*Fabric{f, other} {
		if err := fab.SetLoad(load); err != nil {
			t.Fatal(err)
		}
	}
	if err := other.ShareLoad(f); err != nil {
		t.Fatal(err)
	}
	for _, fab := range []*Fabric{f, other} {
		sim.Process("work", func(p *engine.Proc) {
			if err := fab.WorkFor("Y", engine.Millisecond, func(cpu.Job) {}); err != nil {
				t.Error(err)
			}
		})
	}
	if err := sim.Run(); err != nil {
		t.Fatal(err)
	}
	a, b := f.Stations(), other.Stations()
	if len(a) != 1 || len(b) != 1 || a[0] != b[0] || a[0].Completed != 2 {
		t.Errorf("stations %+v and %+v: want one node station, shared, with both jobs", a, b)
	}
}

func TestShareLoadErrors(t *testing.T) {
	sim, g, f := fixture(t)
	if err := f.SetLoad(Load{Links: "fair"}); err != nil {
		t.Fatal(err)
	}
	otherSim := engine.New(1)
	t.Cleanup(otherSim.Close)
	elsewhere := NewFabric(otherSim, g, f.App(), Eclypse{})
	_ = elsewhere.SetLoad(Load{Links: "fair"})
	differs := NewFabric(sim, g, f.App(), Eclypse{})
	_ = differs.SetLoad(Load{Links: "free"})
	for _, tc := range []struct {
		fab  *Fabric
		want string
	}{
		{f, "itself"},
		{elsewhere, "different simulations"},
		{differs, "different loads"},
	} {
		if err := tc.fab.ShareLoad(f); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("err = %v, want %q", err, tc.want)
		}
	}
}
