package engine

// CONTRACT STUB written by the lead: the exported names and signatures below are what comm/
// and sockshop/ are being written against. The engine owner replaces the bodies (and may split
// this file), but keeps these signatures and documented semantics.

import (
	"errors"
	"math/rand/v2"
)

// Time is virtual time in integer nanoseconds.
type Time int64

// Units of virtual time.
const (
	Nanosecond  Time = 1
	Microsecond      = 1000 * Nanosecond
	Millisecond      = 1000 * Microsecond
	Second           = 1000 * Millisecond
)

// FromMilliseconds converts ms to Time, rounding to the nearest nanosecond (halves away from zero).
func FromMilliseconds(ms float64) Time { panic("todo") }

// FromSeconds converts s to Time with the same rounding rule.
func FromSeconds(s float64) Time { panic("todo") }

// Milliseconds returns t in (fractional) milliseconds.
func (t Time) Milliseconds() float64 { return float64(t) / 1e6 }

// Seconds returns t in (fractional) seconds.
func (t Time) Seconds() float64 { return float64(t) / 1e9 }

// Stream returns a generator seeded from (seed, name) by a stable hash.
func Stream(seed uint64, name string) *rand.Rand { panic("todo") }

// Errors.
var (
	ErrNegativeDelay    = errors.New("engine: negative delay")
	ErrAlreadyTriggered = errors.New("engine: event already triggered")
	ErrClosed           = errors.New("engine: simulation closed")
)

// Sim is one simulation.
type Sim struct{}

// New returns a simulation at time 0 with the given seed.
func New(seed uint64) *Sim { panic("todo") }

func (s *Sim) Now() Time                                     { panic("todo") }
func (s *Sim) Seed() uint64                                  { panic("todo") }
func (s *Sim) Rand(name string) *rand.Rand                   { panic("todo") }
func (s *Sim) Schedule(delay Time, fn func()) (Timer, error) { panic("todo") }
func (s *Sim) At(t Time, fn func()) (Timer, error)           { panic("todo") }
func (s *Sim) Cancel(t Timer) bool                           { panic("todo") }
func (s *Sim) Run() error                                    { panic("todo") }
func (s *Sim) RunUntil(t Time) error                         { panic("todo") }
func (s *Sim) Stop()                                         { panic("todo") }
func (s *Sim) Close()                                        { panic("todo") }

// Timer identifies a scheduled callback.
type Timer struct{}

// Event is a one-shot event: pending -> triggered -> processed.
type Event struct{}

func (s *Sim) NewEvent() *Event              { panic("todo") }
func (s *Sim) Timeout(d Time) *Event         { panic("todo") }
func (s *Sim) AnyOf(evs ...*Event) *Event    { panic("todo") }
func (s *Sim) AllOf(evs ...*Event) *Event    { panic("todo") }
func (e *Event) Succeed(v any) error         { panic("todo") }
func (e *Event) Fail(err error) error        { panic("todo") }
func (e *Event) Triggered() bool             { panic("todo") }
func (e *Event) Value() any                  { panic("todo") }
func (e *Event) Err() error                  { panic("todo") }
func (e *Event) OnTrigger(fn func(e *Event)) { panic("todo") }

// Proc is a process: a coroutine driven by the kernel.
type Proc struct{}

func (s *Sim) Process(name string, fn func(p *Proc)) *Proc { panic("todo") }
func (p *Proc) Name() string                               { panic("todo") }
func (p *Proc) Sim() *Sim                                  { panic("todo") }
func (p *Proc) Now() Time                                  { panic("todo") }
func (p *Proc) Done() *Event                               { panic("todo") }
func (p *Proc) Sleep(d Time) error                         { panic("todo") }
func (p *Proc) Wait(e *Event) (any, error)                 { panic("todo") }

// Store is a FIFO mailbox.
type Store[T any] struct{}

func NewStore[T any](s *Sim, capacity int) *Store[T]                      { panic("todo") }
func (st *Store[T]) Put(p *Proc, v T) error                               { panic("todo") }
func (st *Store[T]) TryPut(v T) bool                                      { panic("todo") }
func (st *Store[T]) Get(p *Proc) (T, error)                               { panic("todo") }
func (st *Store[T]) GetTimeout(p *Proc, d Time) (v T, ok bool, err error) { panic("todo") }
func (st *Store[T]) Len() int                                             { panic("todo") }

// Resource has capacity n and a FIFO queue of requests.
type Resource struct{}

func NewResource(s *Sim, capacity int) *Resource { panic("todo") }
func (r *Resource) Acquire(p *Proc) error        { panic("todo") }
func (r *Resource) Release() error               { panic("todo") }
func (r *Resource) InUse() int                   { panic("todo") }
func (r *Resource) Queued() int                  { panic("todo") }
