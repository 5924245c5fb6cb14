package cpu_test

import (
	"errors"
	"fmt"

	"github.com/edgesim/edgesim/cpu"
	"github.com/edgesim/edgesim/engine"
)

// Two jobs share one core under processor sharing; a third is refused by the limit.
func Example() {
	sim := engine.New(1)
	st, err := cpu.NewStation(sim, "Catalog", 1, cpu.PS, 2)
	if err != nil {
		panic(err)
	}
	report := func(j cpu.Job) {
		fmt.Printf("work %v arrived %v finished %v wait %v\n", j.Work, j.Arrived, j.Finished, j.Wait)
	}
	sim.At(0, func() {
		st.Submit(10*engine.Millisecond, report)
		st.Submit(20*engine.Millisecond, report)
		err := st.Submit(5*engine.Millisecond, report)
		fmt.Println(err, errors.Is(err, cpu.ErrQueueFull))
	})
	sim.Run()
	s := st.Stats()
	fmt.Printf("utilisation %.2f, mean jobs %.2f, completed %d, rejected %d\n", s.Utilisation, s.MeanJobs, s.Completed, s.Rejected)
	// Output:
	// cpu: station "Catalog": queue full (limit 2 jobs) true
	// work 10ms arrived 0s finished 20ms wait 10ms
	// work 20ms arrived 0s finished 30ms wait 10ms
	// utilisation 1.00, mean jobs 1.67, completed 2, rejected 1
}

// A process waits for its CPU work with Do; two cores serve three jobs first come, first
// served.
func ExampleStation_Do() {
	sim := engine.New(1)
	st, _ := cpu.NewStation(sim, "Order", 2, cpu.FCFS, 16)
	for i := range 3 {
		sim.Process(fmt.Sprint("handler", i), func(p *engine.Proc) {
			j, err := st.Do(p, 4*engine.Millisecond)
			if err != nil {
				panic(err)
			}
			fmt.Printf("%s: started %v, finished %v\n", p.Name(), j.Finished-j.Work, j.Finished)
		})
	}
	sim.Run()
	// Output:
	// handler0: started 0s, finished 4ms
	// handler1: started 0s, finished 4ms
	// handler2: started 4ms, finished 8ms
}
