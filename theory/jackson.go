package theory

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// OpenStation is one station of an open network: C identical exponential servers of rate Mu
// (1/s) each, FCFS, unlimited waiting room.
type OpenStation struct {
	Name string  // used in errors; "#i" (its index) when empty
	Mu   float64 // service rate of one server, 1/s
	C    int     // number of servers, >= 1
}

// OpenNetwork is an open Jackson network.
type OpenNetwork struct {
	Stations []OpenStation
	// Arrivals[i] is the rate (1/s) of the external Poisson stream entering station i.
	Arrivals []float64
	// Routing[i][j] is the probability that a job finishing service at station i goes next
	// to station j; with probability 1 - sum_j Routing[i][j] it leaves the network. nil means
	// every job leaves after its first station.
	Routing [][]float64
}

// OpenResult is the steady state of an open Jackson network.
type OpenResult struct {
	// Throughput is the total external arrival rate (1/s), which equals the departure rate.
	Throughput float64
	// Stations[i] is station i solved as an M/M/c queue fed at its total arrival rate
	// Stations[i].Lambda (the solution of the traffic equations).
	Stations []MMc
	// Visits[i] = Stations[i].Lambda / Throughput is the mean number of visits a job makes to
	// station i.
	Visits []float64
	// Number is the mean number of jobs in the network, the sum of the stations' numbers.
	Number float64
	// Response is the mean time a job spends in the network, Number / Throughput by Little's
	// law (equivalently the sum over stations of Visits[i] * Stations[i].Response).
	Response float64
}

// exitTol is the exit probability below which a routing row is taken to keep every job: rows
// written to sum to one often sum to 1 - 1e-16, which must not count as a way out.
const exitTol = 1e-12

// Jackson solves an open Jackson network (Jackson 1963, "Jobshop-like queueing systems";
// Kleinrock 1975, ch. 4; Harchol-Balter 2013, ch. 17): external Poisson arrivals,
// probabilistic routing independent of the state, exponential FCFS multi-server stations.
// The total arrival rates solve the traffic equations
//
//	lambda_j = gamma_j + sum_i lambda_i Routing[i][j]    i.e. (I - P^T) lambda = gamma
//
// (solved by LU with gonum/mat) and, by Jackson's theorem, the joint stationary distribution
// is the product of the stations' M/M/c distributions, so each station's means are those of
// an M/M/c queue with arrival rate lambda_j, and the network's mean response follows from
// Little's law. By the BCMP theorem (Baskett et al. 1975) the same means hold when a station
// is instead a c-core processor-sharing station with any service distribution of mean 1/mu
// (see PS); they do not hold for FCFS stations with non-exponential service.
//
// It returns an error matching ErrInvalid for mismatched lengths, bad rates, routing entries
// outside [0, 1], rows summing to more than 1, no external arrivals, or a set of stations
// from which jobs can never leave (the traffic equations are then singular); and an
// *UnstableError naming the first station with lambda_j >= c_j mu_j.
func Jackson(net OpenNetwork) (OpenResult, error) {
	const model = "Jackson"
	n := len(net.Stations)
	if n == 0 {
		return OpenResult{}, invalid(model, "no stations")
	}
	if len(net.Arrivals) != n {
		return OpenResult{}, invalid(model, "%d arrival rates for %d stations", len(net.Arrivals), n)
	}
	if net.Routing != nil && len(net.Routing) != n {
		return OpenResult{}, invalid(model, "routing has %d rows for %d stations", len(net.Routing), n)
	}
	total := 0.0
	for i, st := range net.Stations {
		name := stationName(st.Name, i)
		if err := checkRate(model, "station "+name+": mu", st.Mu, true); err != nil {
			return OpenResult{}, err
		}
		if err := checkServers(model+": station "+name, st.C); err != nil {
			return OpenResult{}, err
		}
		if err := checkRate(model, "station "+name+": arrival rate", net.Arrivals[i], false); err != nil {
			return OpenResult{}, err
		}
		total += net.Arrivals[i]
	}
	if total <= 0 {
		return OpenResult{}, invalid(model, "no external arrivals (every arrival rate is 0)")
	}
	exit := make([]float64, n)
	for i := range exit {
		exit[i] = 1
	}
	if net.Routing != nil {
		for i, row := range net.Routing {
			name := stationName(net.Stations[i].Name, i)
			if len(row) != n {
				return OpenResult{}, invalid(model, "routing row of station %s has %d entries for %d stations", name, len(row), n)
			}
			sum := 0.0
			for j, p := range row {
				if !finite(p) || p < 0 || p > 1 {
					return OpenResult{}, invalid(model, "routing %s -> %s = %v: must be in [0, 1]", name, stationName(net.Stations[j].Name, j), p)
				}
				sum += p
			}
			if sum > 1+1e-9 {
				return OpenResult{}, invalid(model, "routing row of station %s sums to %v > 1", name, sum)
			}
			exit[i] = 1 - sum
		}
		if i, ok := trapped(net.Routing, exit); !ok {
			return OpenResult{}, invalid(model, "jobs reaching station %s can never leave the network", stationName(net.Stations[i].Name, i))
		}
	}

	lambda, err := trafficRates(net.Arrivals, net.Routing)
	if err != nil {
		return OpenResult{}, fmt.Errorf("theory: %s: traffic equations: %w: %v", model, ErrInvalid, err)
	}
	res := OpenResult{Throughput: total, Stations: make([]MMc, n), Visits: make([]float64, n)}
	for i, st := range net.Stations {
		q, err := newMMc(model, lambda[i], st.Mu, st.C)
		if err != nil {
			if u, ok := err.(*UnstableError); ok {
				u.Station = stationName(st.Name, i)
			}
			return OpenResult{}, err
		}
		res.Stations[i] = q
		res.Visits[i] = lambda[i] / total
		res.Number += q.Number
	}
	res.Response = res.Number / total
	if err := finiteResult(model, res.Number, res.Response); err != nil {
		return OpenResult{}, err
	}
	return res, nil
}

// trafficRates solves (I - P^T) lambda = gamma. The caller has checked that every station can
// reach an exit, so the matrix is non-singular (P is strictly substochastic on every
// recurrent path). Tiny negative rates left by rounding for stations no job reaches are
// set to zero.
func trafficRates(gamma []float64, routing [][]float64) ([]float64, error) {
	n := len(gamma)
	out := make([]float64, n)
	if routing == nil {
		copy(out, gamma)
		return out, nil
	}
	a := mat.NewDense(n, n, nil)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			v := -routing[j][i]
			if i == j {
				v += 1
			}
			a.Set(i, j, v)
		}
	}
	var x mat.VecDense
	if err := x.SolveVec(a, mat.NewVecDense(n, append([]float64(nil), gamma...))); err != nil {
		return nil, err
	}
	total := 0.0
	for _, g := range gamma {
		total += g
	}
	for i := range out {
		v := x.AtVec(i)
		if !finite(v) || v < -1e-9*total {
			return nil, fmt.Errorf("station %d: rate %v", i, v)
		}
		out[i] = math.Max(v, 0)
	}
	return out, nil
}

// trapped checks that from every station some path of positive routing probabilities
// reaches a station with exit probability above exitTol. It returns the index of a station
// that cannot leave, and false, otherwise.
func trapped(routing [][]float64, exit []float64) (int, bool) {
	n := len(exit)
	canLeave := make([]bool, n)
	for i := range exit {
		canLeave[i] = exit[i] > exitTol
	}
	// Backward fixed point: i can leave if it routes with positive probability to a station
	// that can. At most n rounds, each O(n^2): networks are small.
	for changed := true; changed; {
		changed = false
		for i := 0; i < n; i++ {
			if canLeave[i] {
				continue
			}
			for j := 0; j < n; j++ {
				if routing[i][j] > 0 && canLeave[j] {
					canLeave[i], changed = true, true
					break
				}
			}
		}
	}
	for i, ok := range canLeave {
		if !ok {
			return i, false
		}
	}
	return 0, true
}

// Tandem solves the common series network: Poisson arrivals at rate lambda enter the first
// station, each job visits every station once in order and leaves. By Jackson's theorem
// (Burke's output theorem suffices for a series) each station is an M/M/c queue fed at rate
// lambda, and the mean response is the sum of the stations' mean responses.
func Tandem(lambda float64, stations []OpenStation) (OpenResult, error) {
	n := len(stations)
	if n == 0 {
		return OpenResult{}, invalid("Tandem", "no stations")
	}
	arr := make([]float64, n)
	arr[0] = lambda
	routing := make([][]float64, n)
	for i := range routing {
		routing[i] = make([]float64, n)
		if i+1 < n {
			routing[i][i+1] = 1
		}
	}
	return Jackson(OpenNetwork{Stations: stations, Arrivals: arr, Routing: routing})
}

func stationName(name string, i int) string {
	if name != "" {
		return name
	}
	return fmt.Sprintf("#%d", i)
}
