package theory

import (
	"errors"
	"testing"
)

func TestTandemIsSumOfMMc(t *testing.T) {
	stations := []OpenStation{{"a", 2, 1}, {"b", 0.7, 3}, {"c", 5, 2}, {"d", 1.1, 1}}
	const lambda = 0.9
	res, err := Tandem(lambda, stations)
	if err != nil {
		t.Fatal(err)
	}
	sum, num := 0.0, 0.0
	for i, st := range stations {
		q, err := NewMMc(lambda, st.Mu, st.C)
		if err != nil {
			t.Fatal(err)
		}
		sum += q.Response
		num += q.Number
		near(t, "station arrival rate", res.Stations[i].Lambda, lambda, 1e-14)
		near(t, "station response", res.Stations[i].Response, q.Response, 1e-13)
		near(t, "visits", res.Visits[i], 1, 1e-14)
	}
	near(t, "tandem response", res.Response, sum, 1e-13)
	near(t, "tandem number", res.Number, num, 1e-13)
	near(t, "throughput", res.Throughput, lambda, 0)
}

// TestJacksonFeedback: one M/M/1 station whose jobs return with probability p. Each job
// visits 1/(1-p) times, the station sees gamma/(1-p), and the time in the network is
// (1/(1-p)) / (mu - gamma/(1-p)) = 1/((1-p) mu - gamma).
func TestJacksonFeedback(t *testing.T) {
	for _, tc := range []struct{ gamma, mu, p float64 }{{0.5, 2, 0.5}, {1, 10, 0.8}, {0.1, 1, 0}} {
		res, err := Jackson(OpenNetwork{
			Stations: []OpenStation{{Mu: tc.mu, C: 1}},
			Arrivals: []float64{tc.gamma},
			Routing:  [][]float64{{tc.p}},
		})
		if err != nil {
			t.Fatal(err)
		}
		near(t, "station rate", res.Stations[0].Lambda, tc.gamma/(1-tc.p), 1e-13)
		near(t, "network response", res.Response, 1/((1-tc.p)*tc.mu-tc.gamma), 1e-12)
	}
}

// TestJacksonThreeStations: a network with external arrivals at two stations, a loop and a
// multi-server station, whose traffic equations are solved by hand:
//
//	l0 = 1 + 0.2 l2,  l1 = 0.5 + 0.6 l0,  l2 = 0.4 l0 + 0.7 l1
//	=> l2 = 0.35 + 0.82 l0, l0 = 1 + 0.2 (0.35 + 0.82 l0) = 1.07 / (1 - 0.164) = 1.27990...
func TestJacksonThreeStations(t *testing.T) {
	net := OpenNetwork{
		Stations: []OpenStation{{"web", 4, 1}, {"db", 1, 3}, {"cache", 5, 2}},
		Arrivals: []float64{1, 0.5, 0},
		Routing: [][]float64{
			{0, 0.6, 0.4},
			{0, 0, 0.7},
			{0.2, 0, 0},
		},
	}
	res, err := Jackson(net)
	if err != nil {
		t.Fatal(err)
	}
	l0 := 1.07 / (1 - 0.164)
	l1 := 0.5 + 0.6*l0
	l2 := 0.4*l0 + 0.7*l1
	want := []float64{l0, l1, l2}
	num, vr := 0.0, 0.0
	for i, w := range want {
		near(t, "lambda "+net.Stations[i].Name, res.Stations[i].Lambda, w, 1e-13)
		q, err := NewMMc(w, net.Stations[i].Mu, net.Stations[i].C)
		if err != nil {
			t.Fatal(err)
		}
		near(t, "response "+net.Stations[i].Name, res.Stations[i].Response, q.Response, 1e-12)
		num += q.Number
		vr += w / 1.5 * q.Response
	}
	near(t, "network number", res.Number, num, 1e-12)
	near(t, "network response (Little)", res.Response, num/1.5, 1e-12)
	near(t, "network response (visits)", res.Response, vr, 1e-12)
}

func TestJacksonBadInputs(t *testing.T) {
	two := []OpenStation{{"a", 1, 1}, {"b", 1, 2}}
	cases := []struct {
		name string
		net  OpenNetwork
		want error
	}{
		{"no stations", OpenNetwork{}, ErrInvalid},
		{"arrivals length", OpenNetwork{Stations: two, Arrivals: []float64{1}}, ErrInvalid},
		{"no arrivals", OpenNetwork{Stations: two, Arrivals: []float64{0, 0}}, ErrInvalid},
		{"negative arrival", OpenNetwork{Stations: two, Arrivals: []float64{1, -1}}, ErrInvalid},
		{"mu 0", OpenNetwork{Stations: []OpenStation{{"a", 0, 1}}, Arrivals: []float64{1}}, ErrInvalid},
		{"c 0", OpenNetwork{Stations: []OpenStation{{"a", 1, 0}}, Arrivals: []float64{0.5}}, ErrInvalid},
		{"routing rows", OpenNetwork{Stations: two, Arrivals: []float64{0.1, 0}, Routing: [][]float64{{0, 1}}}, ErrInvalid},
		{"routing cols", OpenNetwork{Stations: two, Arrivals: []float64{0.1, 0}, Routing: [][]float64{{0, 1}, {0}}}, ErrInvalid},
		{"routing > 1", OpenNetwork{Stations: two, Arrivals: []float64{0.1, 0}, Routing: [][]float64{{0, 1.5}, {0, 0}}}, ErrInvalid},
		{"routing < 0", OpenNetwork{Stations: two, Arrivals: []float64{0.1, 0}, Routing: [][]float64{{0, -0.1}, {0, 0}}}, ErrInvalid},
		{"row sum > 1", OpenNetwork{Stations: two, Arrivals: []float64{0.1, 0}, Routing: [][]float64{{0.6, 0.6}, {0, 0}}}, ErrInvalid},
		// a -> b -> a forever: the traffic equations are singular.
		{"trapped", OpenNetwork{Stations: two, Arrivals: []float64{0.1, 0}, Routing: [][]float64{{0, 1}, {1, 0}}}, ErrInvalid},
		// The second station is overloaded only through feedback: 0.5/(1-0.9) = 5 > 2.
		{"unstable by feedback", OpenNetwork{Stations: two, Arrivals: []float64{0.5, 0}, Routing: [][]float64{{0, 1}, {0.9, 0}}}, ErrUnstable},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Jackson(c.net)
			if !errors.Is(err, c.want) {
				t.Fatalf("err = %v, want errors.Is %v", err, c.want)
			}
		})
	}
	_, err := Tandem(3, []OpenStation{{"front", 10, 1}, {"slow", 1, 2}})
	var u *UnstableError
	if !errors.As(err, &u) || u.Station != "slow" || u.Rho != 1.5 {
		t.Errorf("Tandem overload: err = %v, want *UnstableError for station slow with rho 1.5", err)
	}
	if _, err := Tandem(1, nil); !errors.Is(err, ErrInvalid) {
		t.Errorf("Tandem(no stations): err = %v, want ErrInvalid", err)
	}
}
