package cpu

import (
	"errors"
	"fmt"

	"github.com/edgesim/edgesim/engine"
)

// ErrQueueFull is matched (errors.Is) by every *QueueFullError.
var ErrQueueFull = errors.New("cpu: queue full")

// QueueFullError is returned by Submit and Do when the station already holds its limit of
// jobs. A station returns the same *QueueFullError every time, so a rejection allocates
// nothing.
type QueueFullError struct {
	Station string // station name
	Limit   int    // the most jobs it holds at once
}

// Error formats as `cpu: station "Catalog@n3": queue full (limit 64 jobs)`.
func (e *QueueFullError) Error() string {
	return fmt.Sprintf("cpu: station %q: queue full (limit %d jobs)", e.Station, e.Limit)
}

// Is makes errors.Is(err, ErrQueueFull) true.
func (e *QueueFullError) Is(target error) bool { return target == ErrQueueFull }

// Job is the record of a completed job.
type Job struct {
	Arrived  engine.Time // when it was submitted
	Finished engine.Time // when it completed
	Work     engine.Time // the core time it asked for
	// Wait is Finished - Arrived - Work: the time it spent at the station beyond its own
	// work. Under FCFS a started job runs to completion at rate 1, so this is the time it
	// waited before starting; under PS it is the slowdown caused by sharing.
	Wait engine.Time
}

// Response returns Finished - Arrived, the job's time at the station.
func (j Job) Response() engine.Time { return j.Finished - j.Arrived }

// job is a job present at the station. Records live in Station.jobs and are recycled through
// Station.free, so a job costs no allocation in steady state and nothing is kept after it
// completes.
type job struct {
	arrived engine.Time
	work    engine.Time
	seq     uint64        // submission order, for ties
	done    func(Job)     // Submit's callback, or nil
	ev      *engine.Event // Do's event, or nil
}

// finished is a completed job waiting for its callback (PS completes several jobs at one
// instant and calls back only once its state is consistent).
type finished struct {
	rec  Job
	done func(Job)
	ev   *engine.Event
}

// Station is a CPU: cores shared by the jobs submitted to it under one Discipline, with room
// for at most a limit of jobs (in service and waiting). It runs inside one simulation, in
// kernel context (callbacks) or in processes, like the rest of the model; it is not safe for
// concurrent use.
//
// Invariants between events: n = jobs present = len(records in use) <= limit; FCFS: n =
// running + waiting, and waiting > 0 only if running >= cores; PS: n = len(heap), and
// a pending completion timer is due when the job with the smallest mark completes.
type Station struct {
	sim   *engine.Sim
	name  string
	disc  Discipline
	cores int
	limit int
	full  *QueueFullError

	jobs   []job
	free   []int32
	evs    []*engine.Event // Do's events whose use is over, for reuse
	awaits []*awaiting     // free records of Await
	n      int             // jobs present
	seq    uint64          // jobs admitted so far
	last   engine.Time     // statistics are integrated up to last

	// FCFS: waiting jobs in arrival order; running jobs keyed by finish time. Each started
	// job has its own completion callback in the kernel's queue (finish times never change
	// under FCFS, so nothing is ever cancelled); it completes the earliest job of run.
	waiting ring
	run     markHeap
	fcfsFn  func()

	// PS: v is the attained-service clock, the service every job present since v was 0 has
	// received; a job arriving when the clock reads v leaves when it reads v + work, its mark.
	// marks holds the marks of the jobs present; one timer is due at the next completion.
	v       fix
	vAt     engine.Time // v is up to date at vAt
	marks   markHeap
	timer   engine.Timer
	timerAt engine.Time
	timerOn bool
	psFn    func()
	fin     []finished

	w window
}

// window accumulates the statistics since the last ResetStats. The integrals are exact
// 128-bit integers (jobs x ns, cores x ns) accumulated up to Station.last.
type window struct {
	start                       engine.Time
	jobs, queue, busy, capacity acc
	wait, resp                  acc
	arrivals, completed, reject uint64
	maxJobs                     int
}

// NewStation returns an idle station named name (the name is only used in errors and
// Stats) with cores cores (>= 1), sharing them by d, that holds at most queueLimit jobs
// (>= 1) at once, in service and waiting: an arrival beyond that is rejected. It returns an
// error for invalid arguments.
func NewStation(sim *engine.Sim, name string, cores int, d Discipline, queueLimit int) (*Station, error) {
	switch {
	case sim == nil:
		return nil, fmt.Errorf("cpu: station %q: nil simulation", name)
	case cores < 1:
		return nil, fmt.Errorf("cpu: station %q: %d cores (need at least 1)", name, cores)
	case !d.valid():
		return nil, fmt.Errorf("cpu: station %q: invalid discipline %v", name, d)
	case queueLimit < 1:
		return nil, fmt.Errorf("cpu: station %q: queue limit %d (need at least 1)", name, queueLimit)
	}
	s := &Station{
		sim: sim, name: name, disc: d, cores: cores, limit: queueLimit,
		full: &QueueFullError{Station: name, Limit: queueLimit},
		last: sim.Now(), vAt: sim.Now(),
	}
	s.w.start = s.last
	s.fcfsFn = s.fcfsComplete
	s.psFn = s.psComplete
	return s, nil
}

// Name returns the station's name.
func (s *Station) Name() string { return s.name }

// Discipline returns how the station shares its cores.
func (s *Station) Discipline() Discipline { return s.disc }

// Cores returns the current number of cores.
func (s *Station) Cores() int { return s.cores }

// Limit returns the most jobs the station holds at once.
func (s *Station) Limit() int { return s.limit }

// Jobs returns the number of jobs present (in service and waiting).
func (s *Station) Jobs() int { return s.n }

// Submit starts a job asking for work of one core's time. If the station already holds its
// limit of jobs, Submit returns its *QueueFullError (matching ErrQueueFull) at once and the
// job is counted as rejected; done is never called. Otherwise done (which may be nil) is
// called exactly once, in kernel context at the virtual instant the job completes, with its
// record; done may submit further jobs. Submit itself never calls done: a job with work 0 is
// an ordinary job that needs no service, so under PS it completes at its arrival instant and
// under FCFS at the instant it would start, in both cases through the kernel's queue, after
// the items already due at that instant. Negative work, or work that would end beyond
// engine.MaxTime, is an error. After the simulation is closed nothing completes, and Submit
// returns an error wrapping engine.ErrClosed whenever it asks the kernel for a callback (a
// PS job always, an FCFS job that starts at once; an FCFS job that must wait is only queued).
func (s *Station) Submit(work engine.Time, done func(Job)) error {
	return s.submit(work, done, nil)
}

// Do is the process form of Submit: it blocks p until the job completes and returns its
// record, or returns Submit's error at once. p must be the running process; otherwise the
// job is still submitted but Do returns the engine's error (engine.ErrNotRunning) and the
// record is lost. Do allocates nothing in steady state: its event is private to the call, so
// once the process has been woken by it nothing refers to it and it is reused.
func (s *Station) Do(p *engine.Proc, work engine.Time) (Job, error) {
	if p == nil || p.Sim() != s.sim {
		return Job{}, fmt.Errorf("cpu: station %q: Do: process of another simulation", s.name)
	}
	arrived, ev := s.sim.Now(), s.event()
	if err := s.submit(work, nil, ev); err != nil {
		return Job{}, err // (not reused: a job may have kept it)
	}
	if _, err := p.Wait(ev); err != nil {
		return Job{}, err // (not reused: the job may still refer to it)
	}
	s.recycle(ev)
	now := s.sim.Now()
	return Job{Arrived: arrived, Finished: now, Work: work, Wait: now - arrived - work}, nil
}

// Await is Do for a caller without a process: it submits the job and calls then with its
// record, in kernel context, where Do would resume its process: at the processing of the
// same completion event, so a model that waits this way runs as one whose process waits in
// Do. Submit's errors are returned at once and then is never called. Await allocates nothing
// in steady state.
func (s *Station) Await(work engine.Time, then func(Job)) error {
	arrived, ev := s.sim.Now(), s.event()
	if err := s.submit(work, nil, ev); err != nil {
		return err // (not reused: a job may have kept it)
	}
	var a *awaiting
	if n := len(s.awaits); n > 0 {
		a, s.awaits = s.awaits[n-1], s.awaits[:n-1]
	} else {
		a = &awaiting{s: s}
		a.fire = a.done
	}
	a.ev, a.arrived, a.work, a.then = ev, arrived, work, then
	ev.OnTrigger(a.fire)
	return nil
}

// awaiting is a job of Await on its way, with what its caller is told; pooled by the station,
// its callback bound once.
type awaiting struct {
	s             *Station
	ev            *engine.Event
	arrived, work engine.Time
	then          func(Job)
	fire          func(*engine.Event) // bound to done
}

func (a *awaiting) done(*engine.Event) {
	s, ev, arrived, work, then := a.s, a.ev, a.arrived, a.work, a.then
	a.ev, a.then = nil, nil
	s.awaits = append(s.awaits, a)
	s.recycle(ev)
	now := s.sim.Now()
	then(Job{Arrived: arrived, Finished: now, Work: work, Wait: now - arrived - work})
}

// event is a pending event for Do or Await: one whose use is over, or a new one.
func (s *Station) event() *engine.Event {
	if n := len(s.evs); n > 0 {
		ev := s.evs[n-1]
		s.evs = s.evs[:n-1]
		return ev
	}
	return s.sim.NewEvent()
}

// recycle makes ev, one of Do's events whose use is over, pending again for the next Do.
func (s *Station) recycle(ev *engine.Event) {
	s.sim.InitEvent(ev)
	s.evs = append(s.evs, ev)
}

func (s *Station) submit(work engine.Time, done func(Job), ev *engine.Event) error {
	now := s.sim.Now()
	switch {
	case work < 0:
		return fmt.Errorf("cpu: station %q: negative work %v", s.name, work)
	case work > engine.MaxTime-now:
		return fmt.Errorf("cpu: station %q: work %v at %v ends beyond the largest time", s.name, work, now)
	}
	s.advance(now)
	if s.n >= s.limit {
		s.w.reject++
		return s.full
	}
	if s.disc == PS {
		s.clock(now)
	}
	id := s.alloc()
	s.seq++
	s.jobs[id] = job{arrived: now, work: work, seq: s.seq, done: done, ev: ev}
	s.n++
	s.w.arrivals++
	if s.n > s.w.maxJobs {
		s.w.maxJobs = s.n
	}
	var err error
	if s.disc == FCFS {
		if s.waiting.len() == 0 && s.run.len() < s.cores {
			err = s.start(id)
		} else {
			s.waiting.push(id)
		}
	} else {
		s.marks.push(mark{key: s.v.add(fix{w: uint64(work)}), seq: s.seq, id: id})
		err = s.psSchedule()
	}
	if err != nil {
		return fmt.Errorf("cpu: station %q: %w", s.name, err)
	}
	return nil
}

func (s *Station) alloc() int32 {
	if n := len(s.free); n > 0 {
		id := s.free[n-1]
		s.free = s.free[:n-1]
		return id
	}
	s.jobs = append(s.jobs, job{})
	return int32(len(s.jobs) - 1)
}

// retire frees job id, which completes now, counts it and returns what to call back.
func (s *Station) retire(id int32, now engine.Time) finished {
	j := &s.jobs[id]
	rec := Job{Arrived: j.arrived, Finished: now, Work: j.work, Wait: now - j.arrived - j.work}
	f := finished{rec: rec, done: j.done, ev: j.ev}
	*j = job{}
	s.free = append(s.free, id)
	s.n--
	s.w.completed++
	s.w.wait.add(uint64(rec.Wait))
	s.w.resp.add(uint64(rec.Response()))
	return f
}

func (f *finished) deliver() {
	if f.done != nil {
		f.done(f.rec)
	}
	if f.ev != nil {
		_ = f.ev.Succeed(nil) // fails only after Close, when no one can be waiting
	}
}

// busyQueue returns the cores in use and the jobs waiting, by the discipline's definition.
func (s *Station) busyQueue() (busy, queue int) {
	if s.disc == FCFS {
		return s.run.len(), s.waiting.len()
	}
	if s.n <= s.cores {
		return s.n, 0
	}
	return s.cores, s.n - s.cores
}

// advance integrates the statistics from s.last to now under the state that held since
// s.last. It must run before any change of state.
func (s *Station) advance(now engine.Time) {
	if dt := now - s.last; dt > 0 {
		s.last = now
		s.w.integrate(s, dt)
	}
}

// clock brings the PS attained-service clock from s.vAt to now, under the jobs and cores
// that held since s.vAt. It runs only where the completion timer is then set again from the
// clock (an admitted arrival, a completion, SetCores): each update rounds the service down
// (by less than 2^-64 ns), and the timer's guarantee, that the head job has its work when the
// timer fires, holds for the clock it was computed from plus one update, not for an interval
// cut in two by an update that did not reset the timer.
func (s *Station) clock(now engine.Time) {
	dt := now - s.vAt
	if dt <= 0 {
		return
	}
	s.vAt = now
	switch {
	case s.n == 0:
	case s.n <= s.cores:
		s.v.w += uint64(dt)
	default:
		s.v = s.v.add(share(dt, s.cores, s.n))
	}
}

func (w *window) integrate(s *Station, dt engine.Time) {
	busy, queue := s.busyQueue()
	d := uint64(dt)
	w.jobs.addMul(uint64(s.n), d)
	w.queue.addMul(uint64(queue), d)
	w.busy.addMul(uint64(busy), d)
	w.capacity.addMul(uint64(s.cores), d)
}

// start puts waiting job id on a free core (FCFS) and schedules its completion.
func (s *Station) start(id int32) error {
	j := &s.jobs[id]
	end := s.sim.Now() + j.work
	s.run.push(mark{key: fix{w: uint64(end)}, seq: j.seq, id: id})
	_, err := s.sim.At(end, s.fcfsFn)
	return err
}

// fcfsComplete is due at the finish time of a running FCFS job; the earliest running job
// (ties: submission order) is that job or one due at the same instant.
func (s *Station) fcfsComplete() {
	now := s.sim.Now()
	s.advance(now)
	if s.run.len() == 0 || engine.Time(s.run.top().key.w) != now {
		panic(fmt.Sprintf("cpu: station %q: internal error: FCFS completion at %v finds no job due", s.name, now))
	}
	f := s.retire(s.run.pop().id, now)
	for s.waiting.len() > 0 && s.run.len() < s.cores {
		_ = s.start(s.waiting.pop()) // fails only after Close
	}
	f.deliver()
}

// psSchedule makes the completion timer due when the job with the smallest mark completes,
// at the current rate, rounded up to the next nanosecond (so a job is never credited before
// it has attained its work). It keeps the pending timer when that is already right.
func (s *Station) psSchedule() error {
	if s.marks.len() == 0 {
		if s.timerOn {
			s.sim.Cancel(s.timer)
			s.timerOn = false
		}
		return nil
	}
	now := s.sim.Now()
	var d engine.Time
	if head := s.marks.top().key; s.v.less(head) {
		if r := head.sub(s.v); s.n <= s.cores {
			d = ceilNS(r)
		} else {
			d = stretch(r, s.cores, s.n)
		}
	}
	at := engine.MaxTime
	if d <= engine.MaxTime-now {
		at = now + d
	}
	if s.timerOn {
		if s.timerAt == at {
			return nil
		}
		s.sim.Cancel(s.timer)
	}
	t, err := s.sim.At(at, s.psFn)
	s.timer, s.timerAt, s.timerOn = t, at, err == nil
	return err
}

// psComplete is the completion timer: every job whose mark the clock has reached completes,
// in mark order (ties: submission order). Callbacks run after the station is consistent and
// the next timer is set, so they may submit jobs.
func (s *Station) psComplete() {
	s.timerOn = false
	now := s.sim.Now()
	s.advance(now)
	s.clock(now)
	for s.marks.len() > 0 && !s.v.less(s.marks.top().key) {
		s.fin = append(s.fin, s.retire(s.marks.pop().id, now))
	}
	if len(s.fin) == 0 {
		// The timer is re-set at every change of state, to the instant the head job
		// completes at the current rate (rounded up); firing with nothing due would loop.
		panic(fmt.Sprintf("cpu: station %q: internal error: PS completion at %v finds no job due", s.name, now))
	}
	if s.n == 0 {
		s.v = fix{} // no marks refer to the clock: restart it, keeping it small
	}
	_ = s.psSchedule() // fails only after Close
	for i := range s.fin {
		s.fin[i].deliver()
	}
	clear(s.fin)
	s.fin = s.fin[:0]
}

// SetCores changes the number of cores from now on (n >= 1; otherwise an error and no
// change). FCFS: running jobs run to completion, even if more are running than there are
// cores left; waiting jobs start as cores free up under the new count (at once if it grew).
// PS: the rate of every job changes from now on.
func (s *Station) SetCores(n int) error {
	if n < 1 {
		return fmt.Errorf("cpu: station %q: SetCores(%d): need at least 1 core", s.name, n)
	}
	now := s.sim.Now()
	s.advance(now)
	if s.disc == PS {
		s.clock(now)
	}
	s.cores = n
	var err error
	if s.disc == FCFS {
		for s.waiting.len() > 0 && s.run.len() < s.cores && err == nil {
			err = s.start(s.waiting.pop())
		}
	} else {
		err = s.psSchedule()
	}
	if err != nil {
		return fmt.Errorf("cpu: station %q: %w", s.name, err)
	}
	return nil
}

// Stats are a station's measurements over a window: from its creation or last ResetStats to
// the time Stats was called. Time averages integrate exactly over integer virtual time.
type Stats struct {
	Name       string
	Discipline Discipline
	Cores      int         // cores at the end of the window
	Elapsed    engine.Time // length of the window
	Arrivals   uint64      // jobs admitted in the window
	Rejected   uint64      // jobs refused because the station was full
	Completed  uint64      // jobs completed in the window (wherever they arrived)
	Jobs       int         // jobs present at the end of the window
	MaxJobs    int         // most jobs present at once in the window
	// MeanCores is the time-average number of cores (they change with SetCores).
	MeanCores float64
	// Utilisation is busy core time / available core time (the integral of Cores). Busy
	// cores are the running jobs under FCFS and min(jobs, cores) under PS. Under FCFS it can
	// exceed 1 in a window where SetCores took cores from running jobs, which finish anyway.
	Utilisation float64
	// MeanJobs is the time-average number of jobs present (L in Little's law).
	MeanJobs float64
	// MeanQueue is the time-average number of jobs waiting: FCFS jobs not started, PS
	// max(0, jobs - cores), the jobs beyond one per core.
	MeanQueue float64
	// MeanWaitMS and MeanResponseMS are the mean Wait and Response of the jobs completed in
	// the window, in milliseconds (0 if none completed).
	MeanWaitMS     float64
	MeanResponseMS float64
}

// Stats returns the measurements from the last ResetStats (or creation) to now.
func (s *Station) Stats() Stats {
	now := s.sim.Now()
	w := s.w
	if dt := now - s.last; dt > 0 {
		w.integrate(s, dt)
	}
	st := Stats{
		Name: s.name, Discipline: s.disc, Cores: s.cores, Elapsed: now - w.start,
		Arrivals: w.arrivals, Rejected: w.reject, Completed: w.completed,
		Jobs: s.n, MaxJobs: w.maxJobs,
	}
	if st.Elapsed > 0 {
		el := float64(st.Elapsed)
		st.MeanCores = w.capacity.float() / el
		st.MeanJobs = w.jobs.float() / el
		st.MeanQueue = w.queue.float() / el
		st.Utilisation = w.busy.float() / w.capacity.float()
	}
	if w.completed > 0 {
		c := float64(w.completed)
		st.MeanWaitMS = w.wait.float() / c / 1e6
		st.MeanResponseMS = w.resp.float() / c / 1e6
	}
	return st
}

// ResetStats starts a new measurement window now (a warm-up ends): everything measured so
// far is forgotten; the jobs present stay, and count in the new window when they complete.
func (s *Station) ResetStats() {
	now := s.sim.Now()
	s.advance(now)
	s.w = window{start: now, maxJobs: s.n}
}
