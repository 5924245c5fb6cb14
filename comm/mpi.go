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
	boxes map[string]*engine.Store[Message]
	// demux holds, per service that opened an Inbox, the open inboxes by tag (looked up,
	// never iterated).
	demux   map[string]map[uint64]*Inbox
	pool    []*engine.Store[Message] // stores of closed inboxes, for reuse
	parcels []*parcel                // free parcels (see send)
}

// NewMPI makes one unbounded mailbox per application service.
func NewMPI(f *Fabric) *MPI {
	m := &MPI{f: f, boxes: make(map[string]*engine.Store[Message], len(f.app.Services))}
	for _, s := range f.app.Services {
		m.boxes[s.Name] = engine.NewStore[Message](f.sim, 0)
	}
	return m
}

// Endpoint returns the MPI interface of one service (nil for a service not in the app).
func (m *MPI) Endpoint(service string) *Endpoint {
	box := m.boxes[service]
	if box == nil {
		return nil
	}
	return &Endpoint{m: m, name: service, box: box}
}

// Endpoint is one service's view of MPI.
type Endpoint struct {
	m    *MPI
	name string
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
	f := e.m.f
	ev := f.sim.NewEvent()
	size, err := f.size(sizeKey{kind: sizeMessage, body: msg.Body})
	if err != nil {
		ev.Fail(err)
		return ev
	}
	msg.From, msg.Size, msg.SentAt = e.name, size, f.sim.Now()
	pc := e.m.newParcel()
	pc.msg, pc.ev = msg, ev
	if err := f.transmit(e.name, msg.To, size, pc); err != nil {
		pc.release()
		ev.Fail(err)
	}
	return ev
}

// parcel is an MPI message in flight with its send event; parcels are pooled by the MPI
// layer and their callbacks bound once.
type parcel struct {
	m     *MPI
	msg   Message
	ev    *engine.Event
	onJob func(cpu.Job) // bound to (*parcel).worked
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
	pc.msg, pc.ev = Message{}, nil
	pc.m.parcels = append(pc.m.parcels, pc)
}

// arrived: a reply goes to the mailbox; a request first has its recipient work on it.
func (pc *parcel) arrived() {
	f, msg := pc.m.f, &pc.msg
	delay := f.sim.Now() - msg.SentAt
	f.record(msg.From, msg.To, delay)
	f.carried(msg.From, msg.To, delay)
	msg.Trace.Network += delay
	if msg.Reply {
		pc.worked(cpu.Job{})
		return
	}
	if err := f.work(msg.To, pc.onJob); err != nil {
		ev := pc.ev
		pc.release()
		ev.Fail(err)
	}
}

// worked delivers the message once its recipient has worked on it (at once for a reply or
// without service time).
func (pc *parcel) worked(j cpu.Job) {
	m, ev := pc.m, pc.ev
	if !pc.msg.Reply {
		m.f.worked(pc.msg.From, pc.msg.To, j, &pc.msg.Trace)
	}
	msg := pc.msg
	pc.release()
	m.deliver(msg)
	ev.Succeed(nil)
}

func (pc *parcel) lost() {
	ev := pc.ev
	pc.release()
	ev.Fail(ErrLost)
}

// deliver puts an arrived message in its mailbox, or in the inbox of its tag when its
// recipient demultiplexes.
func (m *MPI) deliver(msg Message) {
	if d := m.demux[msg.To]; d != nil {
		if in := d[msg.Tag]; in != nil {
			in.box.TryPut(msg)
		} else {
			m.f.discard() // a late reply: its exchange is over
		}
		return
	}
	m.boxes[msg.To].TryPut(msg)
}

// Inbox opens a private mailbox for the messages tagged tag sent to this endpoint, so that
// many exchanges (workflows) can wait on one service at once, each for its own replies. From
// the first Inbox on, the endpoint demultiplexes: a message whose tag has an open inbox goes
// there, and any other is a late reply of a finished exchange, discarded on arrival and
// counted (its ordinary mailbox receives nothing more). Close the inbox when the exchange
// ends. Opening a tag that is already open panics (a programmer error).
func (e *Endpoint) Inbox(tag uint64) *Inbox {
	m := e.m
	if m.demux == nil {
		m.demux = make(map[string]map[uint64]*Inbox)
	}
	d := m.demux[e.name]
	if d == nil {
		d = make(map[uint64]*Inbox)
		m.demux[e.name] = d
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
	in := &Inbox{e: e, tag: tag, box: box}
	d[tag] = in
	return in
}

// Inbox is the mailbox of one exchange (see Endpoint.Inbox).
type Inbox struct {
	e   *Endpoint
	tag uint64
	box *engine.Store[Message]
}

// RecvTimeout blocks p until the next message of the exchange arrives or d passes; ok is
// false when it gave up.
func (in *Inbox) RecvTimeout(p *engine.Proc, d engine.Time) (msg Message, ok bool, err error) {
	return in.box.GetTimeout(p, d)
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
	if d := m.demux[in.e.name]; d == nil || d[in.tag] != in {
		return // already closed
	}
	delete(m.demux[in.e.name], in.tag)
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
			e.Reply(msg, reply)
		}
	}
}

// Discard counts msg as a late reply nobody wants (it belonged to an abandoned exchange).
func (e *Endpoint) Discard(Message) { e.m.f.discard() }
