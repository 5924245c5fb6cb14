package engine_test

import (
	"errors"
	"fmt"

	"github.com/edgesim/edgesim/engine"
)

// Two processes exchange a message through a Store; the reply arrives after a virtual delay.
func Example() {
	s := engine.New(1)
	defer s.Close()
	inbox := engine.NewStore[string](s, 0)
	s.Process("client", func(p *engine.Proc) {
		inbox.Put(p, "hello")
		fmt.Println(p.Now(), "client sent hello")
	})
	s.Process("server", func(p *engine.Proc) {
		msg, _ := inbox.Get(p)
		p.Sleep(engine.FromMilliseconds(1.5))
		fmt.Println(p.Now(), "server handled", msg)
	})
	if err := s.Run(); err != nil {
		fmt.Println(err)
	}
	// Output:
	// 0s client sent hello
	// 1.5ms server handled hello
}

// Callbacks at the same instant run in the order they were scheduled; Cancel removes one.
func ExampleSim_Schedule() {
	s := engine.New(1)
	for _, name := range []string{"a", "b", "c"} {
		t, _ := s.Schedule(engine.Millisecond, func() { fmt.Println(s.Now(), name) })
		if name == "b" {
			s.Cancel(t)
		}
	}
	_, err := s.Schedule(-1, func() {})
	fmt.Println(errors.Is(err, engine.ErrNegativeDelay))
	s.Run()
	// Output:
	// true
	// 1ms a
	// 1ms c
}

// AnyOf lets a process wait for a reply or a timeout, whichever comes first.
func ExampleSim_AnyOf() {
	s := engine.New(1)
	reply := s.NewEvent()
	s.Schedule(3*engine.Millisecond, func() { reply.Succeed("pong") })
	s.Process("caller", func(p *engine.Proc) {
		deadline := s.Timeout(2 * engine.Millisecond)
		first, _ := p.Wait(s.AnyOf(reply, deadline))
		fmt.Println(p.Now(), "timed out:", first == deadline)
		v, _ := p.Wait(reply)
		fmt.Println(p.Now(), "late reply:", v)
	})
	s.Run()
	// Output:
	// 2ms timed out: true
	// 3ms late reply: pong
}

// A panicking process stops Run with a *ProcessError naming the process and the time.
func ExampleProcessError() {
	s := engine.New(1)
	defer s.Close()
	s.Process("Frontend", func(p *engine.Proc) {
		p.Sleep(engine.FromMilliseconds(1.5))
		panic("index out of range")
	})
	err := s.Run()
	var pe *engine.ProcessError
	fmt.Println(errors.As(err, &pe), pe.Name, pe.At)
	fmt.Println(err)
	// Output:
	// true Frontend 1.5ms
	// engine: process "Frontend" panicked at 1.5ms: index out of range
}

// A resource with one unit serialises two processes.
func ExampleResource() {
	s := engine.New(1)
	cpu := engine.NewResource(s, 1)
	for _, name := range []string{"x", "y"} {
		s.Process(name, func(p *engine.Proc) {
			cpu.Acquire(p)
			fmt.Println(p.Now(), name, "runs")
			p.Sleep(engine.Millisecond)
			cpu.Release()
		})
	}
	s.Run()
	// Output:
	// 0s x runs
	// 1ms y runs
}

// Named streams depend only on (seed, name).
func ExampleStream() {
	a := engine.Stream(42, "latency").IntN(1000)
	s := engine.New(42)
	s.Rand("other").IntN(1000) // creating another stream first changes nothing
	b := s.Rand("latency").IntN(1000)
	fmt.Println(a == b)
	// Output:
	// true
}
