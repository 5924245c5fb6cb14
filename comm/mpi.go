package comm

import (
	"github.com/edgesim/edgesim/cpu"
	"github.com/edgesim/edgesim/engine"
)

// Message is one MPI message as its recipient sees it.
type Message struct {
	From, To string
	Body     any
	Size     int         // bytes on the wire (see Size)
	Tag      uint64      // correlation: a reply carries the tag of the message it answers
	SentAt   engine.Time // when it left the sender
	// Reply marks an answer (Reply, ReplyTo). Any other message is a request: with service
	// time on (Load), its recipient works on it before it reaches the mailbox.
	Reply bool
	// Trace is the exchange's trace up to the message's delivery (and the recipient's work
	// on it, for a request).
	Trace Trace
	// Err is set only on the notices an Inbox gets when a request of its exchange was
	// refused by its recipient (ErrRejected): the message never arrived.
	Err error
}

// MPI gives every service of the application a FIFO mailbox.
type MPI struct {
	f     *Fabric
	boxes []*engine.Store[Message] // by service id
	// demux holds, per service id that opened an Inbox, the open inboxes by tag (looked
	// up, never iterated).
	demux   []map[uint64]*Inbox
	pool    []*engine.Store[Message] // stores of closed inboxes, for reuse
	parcels []*parcel                // free parcels (see send)
	loops   []*recvLoop              // by service id: the receive loop of Handle, if any
}

// NewMPI makes one unbounded mailbox per application service.
func NewMPI(f *Fabric) *MPI {
	m := &MPI{f: f, boxes: make([]*engine.Store[Message], len(f.names)), demux: make([]map[uint64]*Inbox, len(f.names)),
		loops: make([]*recvLoop, len(f.names))}
	for i := range f.names {
		m.boxes[i] = engine.NewStore[Message](f.sim, 0)
	}
	return m
}

// Endpoint returns the MPI interface of one service (nil for a service not in the app).
func (m *MPI) Endpoint(service string) *Endpoint {
	id, ok := m.f.id(service)
	if !ok {
		return nil
	}
	return &Endpoint{m: m, name: service, id: id, box: m.boxes[id]}
}

// Endpoint is one service's view of MPI.
type Endpoint struct {
	m    *MPI
	name string
	id   int32 // the service's id in the fabric
	box  *engine.Store[Message]
}

// Name is the service's name.
func (e *Endpoint) Name() string { return e.name }

// Send sends body to service to as a request. The returned event succeeds when the message
// is delivered (for a request with service time on: when its recipient has worked on it),
// fails at once with an *UnreachableError if it cannot leave, with ErrLost if it is lost in
// flight, and with an error matching ErrRejected if its recipient's queue is full. The sender
// need not wait on it.
func (e *Endpoint) Send(to string, body any) *engine.Event { return e.SendTag(to, 0, body) }

// SendTag is Send with a correlation tag.
func (e *Endpoint) SendTag(to string, tag uint64, body any) *engine.Event {
	return e.send(Message{To: to, Tag: tag, Body: body})
}

// SendTrace is SendTag for a request that continues an exchange whose trace so far is tr.
func (e *Endpoint) SendTrace(to string, tag uint64, body any, tr Trace) *engine.Event {
	return e.send(Message{To: to, Tag: tag, Body: body, Trace: tr})
}

// Reply answers msg: a message to its sender with its tag, continuing its trace.
func (e *Endpoint) Reply(msg Message, body any) *engine.Event {
	return e.send(Message{To: msg.From, Tag: msg.Tag, Body: body, Trace: msg.Trace, Reply: true})
}

// ReplyTo answers the exchange of msg to another service than its sender (the end of a chain
// that began elsewhere), with msg's tag and trace.
func (e *Endpoint) ReplyTo(msg Message, to string, body any) *engine.Event {
	return e.send(Message{To: to, Tag: msg.Tag, Body: body, Trace: msg.Trace, Reply: true})
}

// Forward sends a request to service to that continues the exchange of msg (its tag and
// trace): the next link of a chain.
func (e *Endpoint) Forward(msg Message, to string, body any) *engine.Event {
	return e.send(Message{To: to, Tag: msg.Tag, Body: body, Trace: msg.Trace})
}

func (e *Endpoint) send(msg Message) *engine.Event {
	ev := e.m.f.sim.NewEvent()
	if err := e.post(&msg, ev, nil, nil); err != nil {
		ev.Fail(err)
	}
	return ev
}

// Post sends msg (its To, Tag, Body, Trace and Reply as given; From, Size and SentAt are
// set) without making an event for it: the send of a sender that does not wait for the
// delivery, such as a reply. It returns at once the error the event of Send would fail
// with at once (an *UnreachableError, or a body that cannot be sized); a message lost in
// flight is counted and otherwise silent. refused, if not nil, is called with the message as
// sent and the error when its recipient refuses it (ErrRejected: queue full), through the
// queue at the instant the event of Send would be processed, so that the run is the same as
// with Send and a callback on its event. Post allocates nothing in steady state.
func (e *Endpoint) Post(msg Message, refused func(Message, error)) error {
	return e.post(&msg, nil, nil, refused)
}

// post sends *msg; ev (if not nil) follows the message's fate, and a refusal by its
// recipient goes to in (a notice, see Inbox.Refused) and to refused, if not nil.
func (e *Endpoint) post(msg *Message, ev *engine.Event, in *Inbox, refused func(Message, error)) error {
	f := e.m.f
	size, err := f.size(sizeKey{kind: sizeMessage, body: msg.Body})
	if err != nil {
		return err
	}
	ti, ok := f.id(msg.To)
	if !ok {
		ti = -1
	}
	msg.From, msg.Size, msg.SentAt = e.name, size, f.sim.Now()
	pc := e.m.newParcel()
	pc.msg, pc.ev, pc.in, pc.refused = *msg, ev, in, refused
	if in != nil {
		pc.inGen = in.gen
	}
	pc.from, pc.to, pc.sentTrace = e.id, ti, msg.Trace
	if err := f.transmitOn(e.id, ti, e.name, msg.To, false, size, pc); err != nil {
		pc.release()
		return err
	}
	return nil
}

// parcel is an MPI message in flight with its send event (nil when the sender made none) and
// where a refusal goes; parcels are pooled by the MPI layer and their callbacks bound once.
type parcel struct {
	m         *MPI
	msg       Message
	from, to  int32 // service ids (to: -1 for a name outside the application)
	sentTrace Trace // msg.Trace when it left
	ev        *engine.Event
	in        *Inbox
	inGen     uint32 // in's generation when the message left (see Inbox.gen)
	refused   func(Message, error)
	onJob     func(cpu.Job) // bound to (*parcel).worked
}

func (m *MPI) newParcel() *parcel {
	if n := len(m.parcels); n > 0 {
		pc := m.parcels[n-1]
		m.parcels = m.parcels[:n-1]
		return pc
	}
	pc := &parcel{m: m}
	pc.onJob = pc.worked
	return pc
}

func (pc *parcel) release() {
	m, onJob := pc.m, pc.onJob
	*pc = parcel{m: m, onJob: onJob}
	m.parcels = append(m.parcels, pc)
}

// arrived: a reply goes to the mailbox; a request first has its recipient work on it.
func (pc *parcel) arrived() {
	f, msg := pc.m.f, &pc.msg
	delay := f.sim.Now() - msg.SentAt
	f.delivered(pc.from, pc.to, msg.From, msg.To, delay)
	msg.Trace.Network += delay
	if msg.Reply {
		pc.worked(cpu.Job{})
		return
	}
	if err := f.work(pc.to, pc.onJob); err != nil {
		pc.fail(err)
	}
}

// fail ends a message refused by its recipient: its event fails, and its inbox and refused
// callback hear of it through the queue, at the instant the failed event is processed.
func (pc *parcel) fail(err error) {
	ev, in, gen, refused, msg := pc.ev, pc.in, pc.inGen, pc.refused, pc.msg
	msg.Trace = pc.sentTrace
	pc.release()
	if ev != nil { // (post never has both an event and a refusal sink)
		ev.Fail(err)
		return
	}
	if in != nil || refused != nil {
		_, _ = pc.m.f.sim.Schedule(0, func() { refusedNow(in, gen, refused, msg, err) })
	}
}

func refusedNow(in *Inbox, gen uint32, refused func(Message, error), msg Message, err error) {
	if in != nil && in.gen == gen { // (not an exchange opened since in the same Inbox)
		in.Refused(err)
	}
	if refused != nil {
		refused(msg, err)
	}
}

// worked delivers the message once its recipient has worked on it (at once for a reply or
// without service time).
func (pc *parcel) worked(j cpu.Job) {
	m, ev := pc.m, pc.ev
	if !pc.msg.Reply {
		m.f.worked(pc.from, pc.to, pc.msg.From, pc.msg.To, j, &pc.msg.Trace)
	}
	msg, to := pc.msg, pc.to
	pc.release()
	m.deliver(to, &msg)
	if ev != nil {
		ev.Succeed(nil)
	}
}

func (pc *parcel) lost() {
	ev := pc.ev
	pc.release()
	if ev != nil {
		ev.Fail(ErrLost)
	}
}

// deliver puts an arrived message for service id to in its mailbox, or in the inbox of its
// tag when its recipient demultiplexes.
func (m *MPI) deliver(to int32, msg *Message) {
	if d := m.demux[to]; d != nil {
		if in := d[msg.Tag]; in != nil {
			in.box.TryPut(*msg)
		} else {
			m.f.discard() // a late reply: its exchange is over
		}
		return
	}
	if l := m.loops[to]; l != nil {
		l.put(msg)
		return
	}
	m.boxes[to].TryPut(*msg)
}

// Inbox opens a private mailbox for the messages tagged tag sent to this endpoint, so that
// many exchanges (workflows) can wait on one service at once, each for its own replies. From
// the first Inbox on, the endpoint demultiplexes: a message whose tag has an open inbox goes
// there, and any other is a late reply of a finished exchange, discarded on arrival and
// counted (its ordinary mailbox receives nothing more). Close the inbox when the exchange
// ends. Opening a tag that is already open panics (a programmer error).
func (e *Endpoint) Inbox(tag uint64) *Inbox {
	in := new(Inbox)
	e.OpenInbox(in, tag)
	return in
}

// OpenInbox is Inbox in memory the caller provides: *in must be a zero Inbox or a closed
// one, which a caller running one exchange after another (a workflow) reuses, so that an
// exchange costs no allocation. What was sent from its earlier exchanges never reaches the
// new one.
func (e *Endpoint) OpenInbox(in *Inbox, tag uint64) {
	if in.box != nil {
		panic("comm: OpenInbox: inbox still open on " + in.e.name)
	}
	m := e.m
	d := m.demux[e.id]
	if d == nil {
		d = make(map[uint64]*Inbox)
		m.demux[e.id] = d
	}
	if d[tag] != nil {
		panic("comm: Inbox: tag already open on " + e.name)
	}
	var box *engine.Store[Message]
	if n := len(m.pool); n > 0 {
		box, m.pool = m.pool[n-1], m.pool[:n-1]
	} else {
		box = engine.NewStore[Message](m.f.sim, 0)
	}
	*in = Inbox{e: e, tag: tag, box: box, gen: in.gen + 1}
	d[tag] = in
}

// Inbox is the mailbox of one exchange (see Endpoint.Inbox).
type Inbox struct {
	e   *Endpoint
	tag uint64
	box *engine.Store[Message]
	gen uint32 // counts the exchanges opened in it: a late refusal of an earlier one is dropped
}

// Send sends body to service to as a request of the inbox's exchange (tagged with its tag,
// continuing the trace tr), without an event: a refusal by its recipient (ErrRejected) comes
// to the inbox as a notice (see Refused), at the instant the event of SendTrace would be
// processed; a message lost in flight is counted and otherwise silent (the exchange times
// out). It returns at once the error the event of SendTrace would fail with at once.
func (in *Inbox) Send(to string, body any, tr Trace) error {
	msg := Message{To: to, Tag: in.tag, Body: body, Trace: tr}
	return in.e.post(&msg, nil, in, nil)
}

// RecvTimeout blocks p until the next message of the exchange arrives or d passes; ok is
// false when it gave up.
func (in *Inbox) RecvTimeout(p *engine.Proc, d engine.Time) (msg Message, ok bool, err error) {
	return in.box.GetTimeout(p, d)
}

// RecvTimeoutLoop is RecvTimeout in a loop while again says to wait again and how long
// (see engine.Store.GetTimeoutLoop): ok is false once again says to stop.
func (in *Inbox) RecvTimeoutLoop(p *engine.Proc, d engine.Time, again func() (engine.Time, bool)) (msg Message, ok bool, err error) {
	return in.box.GetTimeoutLoop(p, d, again)
}

// Refused puts in the inbox a notice (a Message with Err set) that a request of its exchange
// was refused by its recipient; it does nothing once the inbox is closed.
func (in *Inbox) Refused(err error) {
	if in.box != nil {
		in.box.TryPut(Message{To: in.e.name, Tag: in.tag, Err: err})
	}
}

// Close ends the exchange: messages still unread, and any that arrive later with its tag, are
// discarded and counted.
func (in *Inbox) Close() {
	m := in.e.m
	if d := m.demux[in.e.id]; d == nil || d[in.tag] != in {
		return // already closed
	}
	delete(m.demux[in.e.id], in.tag)
	for _, ok := in.box.TryGet(); ok; _, ok = in.box.TryGet() {
		m.f.discard()
	}
	m.pool = append(m.pool, in.box)
	in.box = nil
}

// Multicast sends the same body to several services; the event succeeds when all are
// delivered and fails with the first failure.
func (e *Endpoint) Multicast(to []string, body any) *engine.Event {
	evs := make([]*engine.Event, len(to))
	for i, t := range to {
		evs[i] = e.Send(t, body)
	}
	return e.m.f.sim.AllOf(evs...)
}

// Broadcast sends body to every application neighbour of the service (the targets of its
// interactions, in interaction order).
func (e *Endpoint) Broadcast(body any) *engine.Event {
	var to []string
	for _, in := range e.m.f.app.Interactions {
		if in.From == e.name {
			to = append(to, in.To)
		}
	}
	return e.Multicast(to, body)
}

// Recv blocks p until the next message arrives (FIFO).
func (e *Endpoint) Recv(p *engine.Proc) (Message, error) { return e.box.Get(p) }

// RecvTimeout is Recv that gives up after d; ok is false when it gave up.
func (e *Endpoint) RecvTimeout(p *engine.Proc, d engine.Time) (msg Message, ok bool, err error) {
	return e.box.GetTimeout(p, d)
}

// Serve is the receive-handle-reply loop of a service: it takes every message in turn and
// replies with what handle returns (nothing when it returns nil). It returns when the run
// ends.
func (e *Endpoint) Serve(p *engine.Proc, handle func(msg Message) any) {
	for {
		msg, err := e.Recv(p)
		if err != nil {
			return
		}
		if reply := handle(msg); reply != nil {
			// As Reply, without an event: nobody waits on it.
			rp := Message{To: msg.From, Tag: msg.Tag, Body: reply, Trace: msg.Trace, Reply: true}
			_ = e.post(&rp, nil, nil, nil)
		}
	}
}

// Discard counts msg as a late reply nobody wants (it belonged to an abandoned exchange).
func (e *Endpoint) Discard(Message) { e.m.f.discard() }

// Handle runs fn on every message the endpoint receives, in arrival order, as a process
// started now that calls Recv in a loop and fn on each message would, but without a process:
// fn runs as a callback, so a message costs no switch to and from a process. The run is the
// same as with the process, event for event: its start and each wake-up of its Recv are the
// same queue entries, scheduled at the same instants, and a message that comes while fn is
// due or running waits its turn as in the mailbox. fn must not block (it has no process);
// it may send. Recv and RecvTimeout must not be used on the endpoint once Handle is called,
// and Handle may be called once per endpoint (a second call panics: a programmer error).
// After the simulation is closed messages are dropped, as TryPut on a closed mailbox does.
// A panic in fn is a panic in a callback, not a failed process.
func (e *Endpoint) Handle(fn func(msg Message)) {
	m := e.m
	if m.loops[e.id] != nil {
		panic("comm: Handle: " + e.name + " already has a handler")
	}
	l := &recvLoop{sim: m.f.sim, fn: fn}
	l.turnFn, l.startFn = l.turn, l.start
	m.loops[e.id] = l
	// As Sim.Process: the loop's first turn is one queue entry at now, none once closed.
	_, _ = l.sim.Schedule(0, l.startFn)
}

// Answer is Serve without a process: Handle with the replies of Serve (what handle returns
// goes back to the sender, nothing when it returns nil).
func (e *Endpoint) Answer(handle func(msg Message) any) {
	e.Handle(func(msg Message) {
		if reply := handle(msg); reply != nil {
			rp := Message{To: msg.From, Tag: msg.Tag, Body: reply, Trace: msg.Trace, Reply: true}
			_ = e.post(&rp, nil, nil, nil)
		}
	})
}

// recvLoop is the receive loop of Handle, in the states of the process it stands for: not yet
// started (its start entry is queued), waiting in Recv (the next message is handed to it and
// its wake-up queued, as Store.TryPut does for a blocked getter), or due or running (messages
// wait in the mailbox, queued, and are taken in turn before it waits again).
type recvLoop struct {
	sim             *engine.Sim
	fn              func(Message)
	waiting         bool
	next            Message   // the message handed to the queued turn
	queued          []Message // the mailbox: messages that came while not waiting
	head            int       // queued[head:] are pending
	turnFn, startFn func()    // bound once to turn and start
}

// put is a message's arrival.
func (l *recvLoop) put(msg *Message) {
	switch {
	case l.sim.Closed():
		return
	case l.waiting:
		l.waiting, l.next = false, *msg
		_, _ = l.sim.Schedule(0, l.turnFn)
	default:
		l.queued = append(l.queued, *msg)
	}
}

// start is the process's start: it takes what is already in the mailbox, then waits.
func (l *recvLoop) start() { l.drain() }

// turn is a wake-up of the process's Recv with the message handed to it.
func (l *recvLoop) turn() {
	msg := l.next
	l.next = Message{}
	l.fn(msg)
	l.drain()
}

// drain takes the mailbox's messages in turn, then waits in Recv.
func (l *recvLoop) drain() {
	for l.head < len(l.queued) {
		msg := l.queued[l.head]
		l.queued[l.head] = Message{}
		l.head++
		l.fn(msg)
	}
	l.queued, l.head = l.queued[:0], 0
	l.waiting = true
}
