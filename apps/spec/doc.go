// Package spec reads declarative application files and runs them: the format (one model,
// written in JSON or YAML, published as a JSON Schema by Schema), its parser and validator,
// and an interpreter that makes any spec a scenario.App running in both communication
// styles, MPI and REST, on the same infrastructure and placement.
//
// # The format
//
// A spec lists services (with ECLYPSE's requirements: cpu, gpu, ram, storage, availability,
// processing_time_ms, and optionally their own service-time distribution shape), the
// interactions whose routes must meet latency and bandwidth requirements, and, for every
// service, endpoints: small programs of steps run once per request. A step is CPU work
// (work), a call to another endpoint that waits for its answer (call), calls started
// together and awaited together (parallel), a hand-over whose answer is the callee's
// (forward), a random branch, a repeat, a failure, or per-style steps (variant). The entry
// names the service where workflows start and the mix of its endpoints users ask for. A
// short example (YAML):
//
//	name: Shop
//	services:
//	  - name: Front
//	    requirements: {cpu: 1, ram: 1, availability: 0.9, processing_time_ms: 5}
//	    endpoints:
//	      - name: buy
//	        steps:
//	          - parallel:
//	              - {to: Stock/check, request: {body: {item: 42}}}
//	              - {to: Pay/charge, request: {size: 120}}
//	  - name: Stock
//	    requirements: {cpu: 1, processing_time_ms: 2}
//	    endpoints: [{name: check, response: {body: {in_stock: true}}}]
//	  - name: Pay
//	    requirements: {cpu: 1, processing_time_ms: 8}
//	    endpoints:
//	      - name: charge
//	        steps:
//	          - branch: {cases: [{p: 0.01, steps: [{fail: {}}]}, {p: 0.99}]}
//	        response: {size: 64}
//	entry: {service: Front, mix: [{endpoint: buy, p: 1}]}
//
// Unknown fields are errors; so are unknown services or endpoints, a cycle of calls, calls
// to the entry service, probabilities that do not sum to 1 within ProbTolerance, negative
// sizes, bad distributions. Errors name the file and the element: "apps: shop.yaml:
// endpoint "Front/buy" step 1 (parallel) call 2: unknown service "Pay"".
//
// # Sizes
//
// A payload is a JSON body, a REST query or a size in bytes, and is sized under the run's
// size rule exactly as comm sizes the same Go value: under the json rule, the length of its
// canonical JSON encoding (compact; numbers written as Go writes a float64; strings escaped
// alike); under the eclypse rule (the default), what ECLYPSE charges for the Python object it
// decodes to, where a number written with a fraction or an exponent (129.0) is a float and
// any other an int (comm.PySize). A query is sized as comm sizes a URL's query (strings
// under json; ECLYPSE's keyword arguments, numbers read as numbers, under eclypse); a size
// in bytes weighs that under either rule; an empty payload weighs what a nil body weighs.
// So a spec that writes the bodies of a Go application sends messages of the same sizes;
// key order changes nothing. Bodies may hold random integers ({"$randint": {"min": A, "max":
// B, "stream": S}}), counted when drawn. The interpreter sends a comm.Sized value that
// carries both sizes.
//
// # Time
//
// comm charges every service its processing_time as CPU work per request it receives, and
// the entry service once per workflow, when the run has service time on (comm.Load); a work
// step is CPU work on top of that, of the mean it gives, with the service's distribution
// shape, on the same CPU station. With service time off, as in the reference run, neither
// takes time, as ECLYPSE's handlers take none. So a spec without work steps charges exactly
// what a hand-written application on comm charges: SockShop as a spec is SockShop.
//
// # The two styles
//
// MPI: a call is a request message tagged for the callee's endpoint and an answer message
// back; a forward hands the request on, and the end of the chain answers the original caller
// directly. Every service but the entry runs one process that serves its mailbox; a request
// starts a frame, a small state machine that runs the endpoint's program until it waits for
// answers (found by their tags) or for the CPU (see mpi.go). The workflow at the entry asks
// with scenario.Workflow.Ask and AskAny, so it gives up after the run's timeout. REST: each
// endpoint is a handler of "METHOD /name"; a call is a request and a response; a forward is
// a call whose response the handler relays. An answer is a failure when its endpoint failed
// (MPI: a flag beside the body; REST: the same flag, the status is the payload's); a call
// with no answer (unreachable, queue full, lost, given up) is an error. A failed call ends
// the program with the call's on_failure or on_error answer; a parallel step waits for all
// its calls and then fails on the first error in step order, else on the first failure
// (at the entry in MPI, Workflow.AskAny gives up at once on a request that cannot leave or
// is refused). Services other than the entry wait for answers without a deadline, as
// SockShop's Order does: only the workflow times out. An MPI frame whose request or answer
// is lost in flight is dropped at once (no answer will come), and so, up the chain, are the
// frames waiting for it; their callers time out. An async call in MPI is a one-way message:
// its callee runs its program and answers nobody.
//
// # Randomness
//
// Branches, random integers and the entry mix draw from named streams of the run
// (engine.Sim.Rand): by default one per branch, per endpoint's integers and per mix, named
// after the application and the element, so adding one does not shift the others. A spec
// may name a stream to share it on purpose (SockShop's Payment draws its decline and its
// transaction id from "payment", as the Go version does). A branch draws one Float64 each
// time it runs, even with a single case.
//
// # API
//
// Load and Parse read and validate a file (Spec.Validate checks a spec built in Go); New
// makes a validated spec an App, a scenario.App for scenario.Run (Open does both from a
// path). App.Application is the application graph that is placed and audited;
// App.MessagesPerRequest the expected messages of one workflow in a style. Schema returns
// the format's JSON Schema.
//
// A scenario file (Scenario; LoadScenario, ParseScenario, with the same strict decoding and
// errors) lists several spec files to run at once on one infrastructure, each with an
// optional workload of its own; Scenario.Members opens them for scenario.RunApps. With
// several applications in a run, the second and later ones draw from streams of their own
// (scenario.Env.Rand): their default names are prefixed with the application's name.
package spec
