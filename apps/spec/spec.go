package spec

import "encoding/json"

// Spec is one application, as a file describes it. The same model is read from JSON and from
// YAML (see Parse); field names are the JSON/YAML keys. A Spec from Parse or Load has been
// validated; one built in Go should go through Validate (New does).
type Spec struct {
	// Name is the application's name (placement.Application.Name).
	Name        string `json:"name,required"`
	Description string `json:"description,omitempty"`
	// Provenance says where the application comes from and under which licence.
	Provenance *Provenance `json:"provenance,omitempty"`
	// Services in application order: placement strategies place them in this order (a
	// seeded random placement draws in it), and outputs list them in it.
	Services []Service `json:"services,required"`
	// Interactions are the directed edges with their requirements. Every pair of services
	// that exchange messages (caller -> callee, and the answer back) that is not listed is
	// added after these, in the order the calls appear, with no requirement (see
	// App.Application).
	Interactions []Interaction `json:"interactions,omitempty"`
	// Flows are service paths for the analytic response time of the reports; derived from
	// the entry's call trees when absent.
	Flows [][]string `json:"flows,omitempty"`
	// Entry is where workflows start and which requests users send.
	Entry Entry `json:"entry,required"`
}

// Provenance is free text about the application's source.
type Provenance struct {
	Source  []string `json:"source,omitempty"`
	Licence string   `json:"licence,omitempty"`
	Notes   []string `json:"notes,omitempty"`
}

// Service is one service: its requirements (ECLYPSE's), the shape of its service-time
// distribution, and its endpoints.
type Service struct {
	Name         string       `json:"name,required"`
	Requirements Requirements `json:"requirements"`
	// ServiceTime optionally gives this service its own service-time distribution shape:
	// const, exp or lognormal:CV. It applies when the run has service time on
	// (comm.Load.Service); the mean is always ProcessingTimeMS. Empty: the run's shape.
	ServiceTime string     `json:"service_time,omitempty"`
	Endpoints   []Endpoint `json:"endpoints,omitempty"`
}

// Requirements are what a service needs from the node that hosts it (placement) and its
// mean CPU work per request (ProcessingTimeMS, charged by comm when the run has service
// time on: once per request the service receives, and once per workflow at the entry).
type Requirements struct {
	CPU              float64 `json:"cpu"`
	GPU              float64 `json:"gpu"`
	RAM              float64 `json:"ram"`
	Storage          float64 `json:"storage"`
	Availability     float64 `json:"availability"`
	ProcessingTimeMS float64 `json:"processing_time_ms"`
}

// Endpoint is one operation of a service: a small program run once per request, and the
// answer it gives. In REST it is the handler of "Method /Name"; in MPI a request tagged for
// it.
type Endpoint struct {
	// Name is the endpoint's path without the leading slash ("details", "wrk2-api/compose").
	Name string `json:"name,required"`
	// Method is the REST method: GET, POST, PUT or DELETE (default POST). MPI ignores it.
	Method string `json:"method,omitempty"`
	// Steps run in order for every request (none: answer at once).
	Steps []Step `json:"steps,omitempty"`
	// Response is the answer when the steps complete (default: an empty body, status 200).
	Response *Payload `json:"response,omitempty"`
	// Failure is the answer when a step fails and says nothing more specific (default: an
	// empty body, status 500).
	Failure *Payload `json:"failure,omitempty"`
}

// Step is one step of an endpoint's program: exactly one of its fields is set.
type Step struct {
	// Work is CPU work on top of the service's processing time (see Work).
	Work *Work `json:"work,omitempty"`
	// Call sends a request and waits for its answer.
	Call *Call `json:"call,omitempty"`
	// Parallel starts its calls together and waits for every answer (fan-out / fan-in).
	Parallel []Call `json:"parallel,omitempty"`
	// Forward hands the request on: the callee's answer is this endpoint's answer. In MPI
	// the callee answers the original caller directly (one message fewer per hop); in REST
	// it is a call whose response the handler relays. It must be the program's last step.
	Forward *Call `json:"forward,omitempty"`
	// Branch runs one of its cases, drawn at random.
	Branch *Branch `json:"branch,omitempty"`
	// Repeat runs its steps a number of times.
	Repeat *Repeat `json:"repeat,omitempty"`
	// Fail ends the program with a failure; its payload is the answer (an empty payload
	// {}: the endpoint's Failure).
	Fail *Payload `json:"fail,omitempty"`
	// Variant runs different steps in the two communication styles, for applications whose
	// MPI and REST versions differ.
	Variant *Variant `json:"variant,omitempty"`
}

// Work is CPU work of mean MS milliseconds, drawn from the service's service-time
// distribution shape and queued on the service's CPU station, like the work comm charges
// for a request. With service time off (the reference run) it takes no time, as handlers
// take no time there.
type Work struct {
	MS float64 `json:"ms,required"`
}

// Call is one request to another service's endpoint.
type Call struct {
	// To is "Service/endpoint".
	To string `json:"to,required"`
	// Request is what is sent (default: an empty body).
	Request *Payload `json:"request,omitempty"`
	// Response, when set, replaces the callee endpoint's success answer for this call.
	Response *Payload `json:"response,omitempty"`
	// Async sends the request without waiting: in MPI a one-way message (the callee sends
	// no answer), in REST a call whose response nobody awaits.
	Async bool `json:"async,omitempty"`
	// OnFailure is this endpoint's answer when the callee answers with a failure; OnError
	// when no answer comes (the callee is unreachable, its queue is full, a REST leg is
	// lost). Default: the endpoint's Failure.
	OnFailure *Payload `json:"on_failure,omitempty"`
	OnError   *Payload `json:"on_error,omitempty"`
}

// Branch draws a number u in [0, 1) from its random stream (exactly one draw each time it
// runs) and runs the first case whose cumulative probability exceeds u.
type Branch struct {
	// Stream names the random stream (sim.Rand); default
	// "apps/<application>/branch/<service>/<endpoint>/<step>". Naming one lets several
	// branches and random ints share a stream on purpose.
	Stream string `json:"stream,omitempty"`
	Cases  []Case `json:"cases,required"`
}

// Case is one case of a branch, taken with probability P.
type Case struct {
	P     float64 `json:"p,required"`
	Steps []Step  `json:"steps,omitempty"`
}

// Repeat runs Steps Times times in a row.
type Repeat struct {
	Times int    `json:"times,required"`
	Steps []Step `json:"steps,omitempty"`
}

// Variant holds the steps of each communication style; a style without steps does nothing.
type Variant struct {
	MPI  []Step `json:"mpi,omitempty"`
	REST []Step `json:"rest,omitempty"`
}

// Payload is a message: its body (a JSON value, sized as comm sizes the same Go value under
// the run's size rule), its query parameters or its size in bytes, its REST status, and
// per-style overrides. Without any of them it is empty: no body.
//
// A body may hold random integers: an object {"$randint": {"min": A, "max": B, "stream": S}}
// stands for an integer drawn uniformly in [A, B] (as A + IntN(B-A+1)) from stream S (default
// "apps/<application>/randint/<service>/<endpoint>") each time the payload is sent; the size
// counts its digits.
type Payload struct {
	// Status is the REST status code (default 200 for an answer, 500 for a failure).
	Status int `json:"status,omitempty"`
	// Body is the JSON value sent. Under the json size rule its size is the length of its
	// canonical encoding (compact, numbers as Go's encoding/json writes a float64); under
	// the eclypse rule what ECLYPSE charges for the Python object it decodes to (a number
	// written with a fraction or an exponent, 129.0, is a float; 129 is an int). Key order
	// changes neither. A null body is no body, as comm sizes a nil body.
	Body json.RawMessage `json:"body,omitempty"`
	// Query holds a REST request's query parameters (an object of strings, numbers and
	// booleans), sized as comm sizes a URL's query: under the json rule the object of the
	// parameters as strings, under the eclypse rule ECLYPSE's keyword arguments (what reads
	// as a number is one). In MPI, and in an answer, it is the same object sent as a body.
	Query json.RawMessage `json:"query,omitempty"`
	// Size is the size in bytes when no body is given, under either size rule.
	Size *int `json:"size,omitempty"`
	// MPI and REST replace this payload in one style (they cannot nest further).
	MPI  *Payload `json:"mpi,omitempty"`
	REST *Payload `json:"rest,omitempty"`
}

// Entry says where workflows start: the entry service runs one of its endpoints per
// workflow, drawn from the mix. Nothing may call the entry service.
type Entry struct {
	Service string `json:"service,required"`
	// Stream names the random stream of the mix (default "apps/<application>/mix"); a mix
	// of one request draws nothing.
	Stream string       `json:"stream,omitempty"`
	Mix    []EntryShare `json:"mix,required"`
}

// EntryShare is one kind of user request: an endpoint of the entry service and the
// probability that a workflow is one.
type EntryShare struct {
	Endpoint string  `json:"endpoint,required"`
	P        float64 `json:"p,required"`
}

// Interaction is a directed edge between two services with the requirements its route must
// meet (placement audit): at most LatencyMS of path latency and at least BandwidthMbps of
// bandwidth; absent means no requirement. Symmetric also adds the reverse edge with the
// same requirements, right after it.
type Interaction struct {
	From          string   `json:"from,required"`
	To            string   `json:"to,required"`
	LatencyMS     *float64 `json:"latency_ms,omitempty"`
	BandwidthMbps *float64 `json:"bandwidth_mbps,omitempty"`
	Symmetric     bool     `json:"symmetric,omitempty"`
}
