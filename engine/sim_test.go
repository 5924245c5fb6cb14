package engine

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// timeline records (who, when) pairs.
type timeline struct {
	s   *Sim
	got []string
}

func (tl *timeline) add(who string) { tl.got = append(tl.got, fmt.Sprintf("%s@%v", who, tl.s.Now())) }

func (tl *timeline) check(t *testing.T, want ...string) {
	t.Helper()
	if !slices.Equal(tl.got, want) {
		t.Errorf("timeline:\n got  %s\n want %s", strings.Join(tl.got, " "), strings.Join(want, " "))
	}
}

func run(t *testing.T, s *Sim) {
	t.Helper()
	if err := s.Run(); err != nil {
		t.Fatalf("Run: %v", err)
	}
}

func TestTimelines(t *testing.T) {
	tests := []struct {
		name  string
		setup func(s *Sim, tl *timeline)
		want  []string
	}{
		{
			name: "sleeps interleave; ties in scheduling order",
			setup: func(s *Sim, tl *timeline) {
				for _, n := range []string{"a", "b"} {
					s.Process(n, func(p *Proc) {
						tl.add(n + ".start")
						p.Sleep(2 * Millisecond)
						tl.add(n + ".mid")
						p.Sleep(Millisecond)
						tl.add(n + ".end")
					})
				}
			},
			want: []string{"a.start@0s", "b.start@0s", "a.mid@2ms", "b.mid@2ms", "a.end@3ms", "b.end@3ms"},
		},
		{
			name: "process starts via the queue, after callbacks already due",
			setup: func(s *Sim, tl *timeline) {
				s.Schedule(0, func() { tl.add("cb1") })
				s.Process("p", func(p *Proc) { tl.add("p") })
				tl.add("after-Process") // Process did not run p synchronously
				s.Schedule(0, func() { tl.add("cb2") })
			},
			want: []string{"after-Process@0s", "cb1@0s", "p@0s", "cb2@0s"},
		},
		{
			name: "wait on event; callbacks and waiters in registration order",
			setup: func(s *Sim, tl *timeline) {
				e := s.NewEvent()
				e.OnTrigger(func(*Event) { tl.add("cb1") })
				s.Process("w1", func(p *Proc) {
					v, err := p.Wait(e)
					tl.add(fmt.Sprintf("w1=%v,%v", v, err))
				})
				s.Schedule(Millisecond, func() {
					e.OnTrigger(func(*Event) { tl.add("cb2") })
					tl.add("succeed")
					if err := e.Succeed(7); err != nil {
						panic(err)
					}
					if err := e.Succeed(8); !errors.Is(err, ErrAlreadyTriggered) {
						panic(err)
					}
					tl.add(fmt.Sprintf("triggered=%v", e.Triggered()))
				})
				s.Schedule(2*Millisecond, func() {
					e.OnTrigger(func(*Event) { tl.add("late-cb") }) // processed: via queue
					tl.add("registered-late")
				})
			},
			want: []string{"succeed@1ms", "triggered=true@1ms", "cb1@1ms", "w1=7,<nil>@1ms", "cb2@1ms",
				"registered-late@2ms", "late-cb@2ms"},
		},
		{
			name: "wait on failed event and processed event",
			setup: func(s *Sim, tl *timeline) {
				e := s.NewEvent()
				boom := errors.New("boom")
				s.Schedule(Millisecond, func() { e.Fail(boom) })
				s.Process("w", func(p *Proc) {
					_, err := p.Wait(e)
					tl.add(fmt.Sprintf("err=%v", err))
					_, err = p.Wait(e) // already processed: at once
					tl.add(fmt.Sprintf("again=%v", err))
				})
			},
			want: []string{"err=boom@1ms", "again=boom@1ms"},
		},
		{
			name: "timeout, AnyOf, AllOf",
			setup: func(s *Sim, tl *timeline) {
				s.Process("p", func(p *Proc) {
					a, b := s.Timeout(3*Millisecond), s.Timeout(Millisecond)
					v, _ := p.Wait(s.AnyOf(a, b))
					tl.add(fmt.Sprintf("any=b:%v", v == b))
					v, err := p.Wait(s.AllOf(a, b, s.Timeout(0)))
					tl.add(fmt.Sprintf("all=%v,%v", v, err))
					f := s.NewEvent()
					f.Fail(errors.New("nope"))
					_, err = p.Wait(s.AllOf(s.Timeout(5*Millisecond), f))
					tl.add(fmt.Sprintf("allfail=%v", err))
					v, _ = p.Wait(s.AnyOf(f, s.Timeout(Second)))
					tl.add(fmt.Sprintf("anyfailed=%v", v.(*Event).Err()))
					v, _ = p.Wait(s.AnyOf())
					tl.add(fmt.Sprintf("anyempty=%v", v))
					_, err = p.Wait(s.Timeout(-1))
					tl.add(fmt.Sprintf("neg=%v", errors.Is(err, ErrNegativeDelay)))
				})
			},
			want: []string{"any=b:true@1ms", "all=[<nil> <nil> <nil>],<nil>@3ms", "allfail=nope@3ms",
				"anyfailed=nope@3ms", "anyempty=<nil>@3ms", "neg=true@3ms"},
		},
		{
			name: "process done, process started from a process",
			setup: func(s *Sim, tl *timeline) {
				s.Process("parent", func(p *Proc) {
					c := s.Process("child", func(c *Proc) {
						c.Sleep(Millisecond)
						tl.add("child-end")
					})
					v, err := p.Wait(c.Done())
					tl.add(fmt.Sprintf("joined=%v,%v", v, err))
				})
			},
			want: []string{"child-end@1ms", "joined=<nil>,<nil>@1ms"},
		},
		{
			name: "store FIFO among getters, blocking put",
			setup: func(s *Sim, tl *timeline) {
				st := NewStore[string](s, 1)
				for _, n := range []string{"g1", "g2"} {
					s.Process(n, func(p *Proc) {
						v, _ := st.Get(p)
						tl.add(n + "=" + v)
					})
				}
				s.Process("put", func(p *Proc) {
					p.Sleep(Millisecond)
					st.Put(p, "x") // to g1
					st.Put(p, "y") // to g2
					st.Put(p, "z") // buffered
					tl.add("put-z")
					st.Put(p, "w") // full: blocks until the getter below
					tl.add("put-w")
				})
				s.Process("late", func(p *Proc) {
					p.Sleep(5 * Millisecond)
					v, _ := st.Get(p)
					tl.add("late=" + v + fmt.Sprint(st.Len()))
				})
			},
			want: []string{"put-z@1ms", "g1=x@1ms", "g2=y@1ms", "late=z1@5ms", "put-w@5ms"},
		},
		{
			name: "TryPut from callback, GetTimeout withdraws",
			setup: func(s *Sim, tl *timeline) {
				st := NewStore[int](s, 2)
				s.Process("g", func(p *Proc) {
					v, ok, _ := st.GetTimeout(p, Millisecond)
					tl.add(fmt.Sprintf("first=%v,%v", v, ok))
					v, ok, _ = st.GetTimeout(p, 10*Millisecond)
					tl.add(fmt.Sprintf("second=%v,%v", v, ok))
				})
				s.Schedule(2*Millisecond, func() { tl.add(fmt.Sprint("try=", st.TryPut(5), st.Len())) })
				s.Schedule(3*Millisecond, func() {
					tl.add(fmt.Sprint("try=", st.TryPut(6), st.TryPut(7), st.TryPut(8), st.Len()))
				})
			},
			want: []string{"first=0,false@1ms", "try=true 0@2ms", "second=5,true@2ms", "try=true true false 2@3ms"},
		},
		{
			name: "resource FIFO",
			setup: func(s *Sim, tl *timeline) {
				r := NewResource(s, 2)
				for i := range 4 {
					n := fmt.Sprint("u", i)
					s.Process(n, func(p *Proc) {
						r.Acquire(p)
						tl.add(fmt.Sprintf("%s+%d/%d", n, r.InUse(), r.Queued()))
						p.Sleep(Time(i+1) * Millisecond)
						r.Release()
					})
				}
			},
			want: []string{"u0+1/0@0s", "u1+2/0@0s", "u2+2/1@1ms", "u3+2/0@2ms"},
		},
		{
			name: "RunUntil advances the clock",
			setup: func(s *Sim, tl *timeline) {
				s.Schedule(Millisecond, func() { tl.add("a") })
				s.Schedule(2*Millisecond, func() { tl.add("b") })
				s.Schedule(3*Millisecond, func() { tl.add("c") })
				if err := s.RunUntil(2 * Millisecond); err != nil {
					panic(err)
				}
				tl.add("until")
				s.RunUntil(Millisecond) // in the past: no-op
				tl.add("past")
			},
			want: []string{"a@1ms", "b@2ms", "until@2ms", "past@2ms", "c@3ms"},
		},
		{
			name: "RunBefore leaves the instant's items queued",
			setup: func(s *Sim, tl *timeline) {
				s.Schedule(Millisecond, func() { tl.add("a") })
				s.Schedule(2*Millisecond, func() { tl.add("b") })
				if err := s.RunBefore(2 * Millisecond); err != nil {
					panic(err)
				}
				tl.add("boundary")       // runs at 2ms before b, though b was queued first
				s.RunBefore(Millisecond) // in the past: no-op
				tl.add("past")
			},
			want: []string{"a@1ms", "boundary@2ms", "past@2ms", "b@2ms"},
		},
		{
			name: "Stop and resume",
			setup: func(s *Sim, tl *timeline) {
				s.Schedule(Millisecond, func() { tl.add("a"); s.Stop() })
				s.Schedule(Millisecond, func() { tl.add("b") })
				if err := s.Run(); err != nil {
					panic(err)
				}
				tl.add("stopped")
			},
			want: []string{"a@1ms", "stopped@1ms", "b@1ms"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := New(1)
			defer s.Close()
			tl := &timeline{s: s}
			tt.setup(s, tl)
			run(t, s)
			tl.check(t, tt.want...)
		})
	}
}

func TestGetTimeoutWithdraws(t *testing.T) {
	s := New(1)
	defer s.Close()
	st := NewStore[int](s, 0)
	var got []string
	s.Process("g", func(p *Proc) {
		v, ok, err := st.GetTimeout(p, Millisecond)
		got = append(got, fmt.Sprint(v, ok, err, p.Now()))
		p.Sleep(5 * Millisecond)
		v, ok, err = st.GetTimeout(p, 0) // item waiting: at once
		got = append(got, fmt.Sprint(v, ok, err, p.Now()))
		_, _, err = st.GetTimeout(p, -1)
		got = append(got, fmt.Sprint(errors.Is(err, ErrNegativeDelay)))
	})
	s.Schedule(2*Millisecond, func() {
		st.TryPut(9) // the timed-out get must not take it
		got = append(got, fmt.Sprint("len", st.Len()))
	})
	run(t, s)
	want := []string{"0 false <nil> 1ms", "len1", "9 true <nil> 6ms", "true"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestBadUse(t *testing.T) {
	s := New(1)
	defer s.Close()
	if _, err := s.Schedule(-1, func() {}); !errors.Is(err, ErrNegativeDelay) {
		t.Errorf("Schedule(-1) err = %v", err)
	}
	s.RunUntil(5)
	if _, err := s.At(4, func() {}); err == nil {
		t.Errorf("At(past) succeeded")
	}
	r := NewResource(s, 1)
	if err := r.Release(); !errors.Is(err, ErrNotHeld) {
		t.Errorf("Release without Acquire err = %v", err)
	}
	e := s.NewEvent()
	if err := e.Fail(nil); err == nil {
		t.Errorf("Fail(nil) succeeded")
	}
	var outside *Proc
	var sleepErr error
	s.Process("p", func(p *Proc) {
		outside = p
		sleepErr = p.Sleep(-1)
		p.Sleep(Millisecond)
	})
	run(t, s)
	if !errors.Is(sleepErr, ErrNegativeDelay) {
		t.Errorf("Sleep(-1) err = %v", sleepErr)
	}
	if err := outside.Sleep(1); !errors.Is(err, ErrNotRunning) {
		t.Errorf("Sleep from outside err = %v", err)
	}
	if err := NewStore[int](s, 0).Put(nil, 1); !errors.Is(err, ErrNotRunning) {
		t.Errorf("Put(nil) err = %v", err)
	}
	if _, err := NewStore[int](s, 0).Get(outside); !errors.Is(err, ErrNotRunning) {
		t.Errorf("Get from outside err = %v", err)
	}
	s.Close()
	if err := s.Run(); !errors.Is(err, ErrClosed) {
		t.Errorf("Run after Close err = %v", err)
	}
	if _, err := s.Schedule(1, func() {}); !errors.Is(err, ErrClosed) {
		t.Errorf("Schedule after Close err = %v", err)
	}
	if err := s.NewEvent().Succeed(1); !errors.Is(err, ErrClosed) {
		t.Errorf("Succeed after Close err = %v", err)
	}
}

func TestProcessPanic(t *testing.T) {
	s := New(1)
	defer s.Close()
	var after bool
	s.Process("Frontend", func(p *Proc) {
		p.Sleep(1500 * Microsecond)
		panic("bad request")
	})
	w := s.Process("watcher", func(p *Proc) {
		p.Sleep(Second)
		after = true
	})
	err := s.Run()
	var pe *ProcessError
	if !errors.As(err, &pe) {
		t.Fatalf("Run err = %v, want *ProcessError", err)
	}
	if want := `engine: process "Frontend" panicked at 1.5ms: bad request`; err.Error() != want {
		t.Errorf("err = %q, want %q", err, want)
	}
	if pe.Name != "Frontend" || pe.At != 1500*Microsecond || pe.Value != "bad request" || len(pe.Stack) == 0 {
		t.Errorf("ProcessError = %+v", pe)
	}
	if s.Now() != 1500*Microsecond || after {
		t.Errorf("Run did not stop at the panic: now %v, after %v", s.Now(), after)
	}
	// The kernel stays consistent: running again continues the other processes.
	run(t, s)
	if !after || !w.Done().Processed() {
		t.Errorf("watcher did not finish after the panic")
	}
	// Errors as panic values unwrap.
	sentinel := errors.New("sentinel")
	s2 := New(1)
	defer s2.Close()
	p := s2.Process("x", func(p *Proc) { panic(sentinel) })
	if err := s2.Run(); !errors.Is(err, sentinel) {
		t.Errorf("Run err = %v, want wrapping sentinel", err)
	}
	if !errors.As(p.Done().Err(), &pe) {
		t.Errorf("Done().Err() = %v, want *ProcessError", p.Done().Err())
	}
}

func TestCloseUnwinds(t *testing.T) {
	s := New(1)
	var deferred []string
	st := NewStore[int](s, 0)
	r := NewResource(s, 1)
	for _, n := range []string{"getter", "sleeper", "waiter", "holder", "acquirer"} {
		s.Process(n, func(p *Proc) {
			defer func() { deferred = append(deferred, n) }()
			switch n {
			case "getter":
				st.Get(p)
			case "sleeper":
				p.Sleep(MaxTime)
			case "waiter":
				p.Wait(s.NewEvent())
			case "holder":
				r.Acquire(p)
				defer r.Release() // errors after Close; must not block
				p.Sleep(MaxTime)
			case "acquirer":
				r.Acquire(p)
			}
			t.Errorf("%s returned", n)
		})
	}
	if err := s.RunUntil(Second); err != nil {
		t.Fatal(err)
	}
	s.Process("never-started", func(p *Proc) { t.Error("started after Close") })
	s.Close()
	s.Close()
	want := []string{"getter", "sleeper", "waiter", "holder", "acquirer"}
	if !slices.Equal(deferred, want) {
		t.Errorf("deferred = %v, want %v", deferred, want)
	}
}

func TestCloseFromInsideProcess(t *testing.T) {
	s := New(1)
	var log []string
	s.Process("other", func(p *Proc) {
		defer func() { log = append(log, "other-unwound") }()
		p.Sleep(Second)
	})
	s.Process("closer", func(p *Proc) {
		defer func() { log = append(log, "closer-unwound") }()
		p.Sleep(Millisecond)
		s.Close()
		log = append(log, "closed")
		p.Sleep(Millisecond) // unwinds
		log = append(log, "not reached")
	})
	if err := s.Run(); err != nil {
		t.Fatal(err)
	}
	want := []string{"closed", "closer-unwound", "other-unwound"}
	if !slices.Equal(log, want) {
		t.Errorf("log = %v, want %v", log, want)
	}
}
