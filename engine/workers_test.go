package engine

import (
	"errors"
	"reflect"
	"testing"
)

// Run runs a job at once, in the caller's instant and before the caller goes on; a worker
// that is done is reused; a job that blocks leaves its worker busy.
func TestWorkersRun(t *testing.T) {
	sim := New(1)
	defer sim.Close()
	ws := sim.NewWorkers("w")
	var log []string
	procs := map[*Proc]bool{}
	job := func(tag string, d Time) func(p *Proc) {
		return func(p *Proc) {
			procs[p] = true
			log = append(log, tag+" starts at "+p.Now().String())
			if d > 0 {
				p.Sleep(d)
				log = append(log, tag+" ends at "+p.Now().String())
			}
		}
	}
	sim.At(5, func() {
		log = append(log, "before")
		if err := ws.Run(job("a", 3)); err != nil {
			t.Error(err)
		}
		log = append(log, "after")
		if err := ws.Run(job("b", 0)); err != nil { // a is asleep: a second worker
			t.Error(err)
		}
	})
	sim.At(10, func() {
		if ws.Idle() != 2 {
			t.Errorf("%d idle workers, want 2", ws.Idle())
		}
		if err := ws.Run(job("c", 0)); err != nil {
			t.Error(err)
		}
	})
	if err := sim.Run(); err != nil {
		t.Fatal(err)
	}
	want := []string{"before", "a starts at 5ns", "after", "b starts at 5ns", "a ends at 8ns", "c starts at 10ns"}
	if !reflect.DeepEqual(log, want) {
		t.Errorf("log %q, want %q", log, want)
	}
	if len(procs) != 2 {
		t.Errorf("%d processes, want 2 (the third job reuses one)", len(procs))
	}
}

// Run refuses to be called from a process and after Close; a job's panic fails the run as
// a process's does; Close unwinds a blocked worker.
func TestWorkersErrors(t *testing.T) {
	sim := New(1)
	ws := sim.NewWorkers("w")
	sim.Process("p", func(p *Proc) {
		if err := ws.Run(func(*Proc) {}); !errors.Is(err, ErrNotRunning) {
			t.Errorf("Run inside a process: %v, want ErrNotRunning", err)
		}
	})
	unwound := false
	sim.At(1, func() {
		_ = ws.Run(func(p *Proc) {
			defer func() { unwound = true }()
			p.Sleep(100)
		})
	})
	sim.At(2, func() { _ = ws.Run(func(*Proc) { panic("boom") }) })
	err := sim.Run()
	var pe *ProcessError
	if !errors.As(err, &pe) || pe.Name != "w" || pe.Value != "boom" {
		t.Errorf("Run = %v, want the worker's panic", err)
	}
	sim.Close()
	if !unwound {
		t.Error("Close did not unwind the blocked worker")
	}
	if err := ws.Run(func(*Proc) {}); !errors.Is(err, ErrClosed) {
		t.Errorf("Run after Close: %v, want ErrClosed", err)
	}
}

// BenchmarkWorkersRun: a callback hands a job to a worker, which runs it and is idle again.
func BenchmarkWorkersRun(b *testing.B) {
	sim := New(1)
	defer sim.Close()
	ws := sim.NewWorkers("w")
	job := func(*Proc) {}
	var tick func()
	n := 0
	tick = func() {
		_ = ws.Run(job)
		if n++; n < b.N {
			_, _ = sim.Schedule(1, tick)
		}
	}
	_, _ = sim.Schedule(0, tick)
	b.ResetTimer()
	if err := sim.Run(); err != nil {
		b.Fatal(err)
	}
}
