package cpu

import (
	"testing"

	"github.com/edgesim/edgesim/engine"
)

// Station.Await gives the same records at the same instants as Do in a process.
func TestAwaitMatchesDo(t *testing.T) {
	run := func(callbacks bool) []Job {
		sim := engine.New(3)
		defer sim.Close()
		st, err := NewStation(sim, "s", 1, FCFS, 100)
		if err != nil {
			t.Fatal(err)
		}
		var jobs []Job
		for i := range 20 {
			work := engine.Time(1+i%3) * engine.Millisecond
			at := engine.Time(i/4) * engine.Millisecond
			if callbacks {
				sim.At(at, func() {
					if err := st.Await(work, func(j Job) { jobs = append(jobs, j) }); err != nil {
						t.Error(err)
					}
				})
				continue
			}
			sim.At(at, func() {
				sim.Process("p", func(p *engine.Proc) {
					j, err := st.Do(p, work)
					if err != nil {
						t.Error(err)
					}
					jobs = append(jobs, j)
				})
			})
		}
		if err := sim.Run(); err != nil {
			t.Fatal(err)
		}
		return jobs
	}
	want, got := run(false), run(true)
	if len(want) != 20 {
		t.Fatalf("%d jobs", len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("job %d: Await %+v, Do %+v", i, got[i], want[i])
		}
	}
}
