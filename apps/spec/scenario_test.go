package spec

import (
	"encoding/json"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/edgesim/edgesim/engine"
	"github.com/edgesim/edgesim/workload"
)

const scenarioYAML = `# two shops and an API
applications:
  - spec: sock_shop.yaml
    users: 20
    think: 1s
    think_dist: exp
  - spec: crud_api.yaml
    name: crud
    rate: 50
  - spec: sock_shop.yaml
`

func TestParseScenario(t *testing.T) {
	s, err := ParseScenario("s.yaml", []byte(scenarioYAML))
	if err != nil {
		t.Fatal(err)
	}
	ms, files, err := s.Members(filepath.Join("..", "catalog"))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, m := range ms {
		names = append(names, m.Name)
	}
	if want := []string{"SockShop", "crud", "SockShop#3"}; !reflect.DeepEqual(names, want) {
		t.Errorf("names %q, want %q", names, want)
	}
	if want := filepath.Join("..", "catalog", "crud_api.yaml"); files[1] != want {
		t.Errorf("file %q, want %q", files[1], want)
	}
	want := []*workload.Config{
		{Users: 20, Think: engine.Second, ThinkDist: "exp"},
		{Rate: 50},
		nil,
	}
	for i, m := range ms {
		if !reflect.DeepEqual(m.Workload, want[i]) {
			t.Errorf("applications[%d]: workload %+v, want %+v", i, m.Workload, want[i])
		}
	}
	// The same in JSON.
	n, err := parseYAML([]byte(scenarioYAML))
	if err != nil {
		t.Fatal(err)
	}
	b, err := canonicalKeep(n)
	if err != nil {
		t.Fatal(err)
	}
	back, err := ParseScenario("s.json", b)
	if err != nil || !reflect.DeepEqual(back, s) {
		t.Errorf("JSON form: %v\n%s", err, b)
	}
}

func TestParseScenarioErrors(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", "empty document"},
		{"name: x", "missing field \"applications\""},
		{"applications: []", "applications: none"},
		{"applications:\n  - name: x", "line 2: .applications[0]: missing field \"spec\""},
		{"applications:\n  - spec: a.yaml\n    user: 3", "line 3: .applications[0]: unknown field \"user\" (valid: spec, name, users"},
		{"applications:\n  - spec: a.yaml\n    users: many", "line 3: .applications[0].users: want an integer"},
		{"applications:\n  - spec: ''", "applications[0]: empty spec"},
		{"applications:\n  - {spec: a, name: x}\n  - {spec: b, name: x}", `applications[1]: name "x": already the name of applications[0]`},
		{"applications:\n  - {spec: a, users: 0}", "applications[0]: users 0: want at least 1"},
		{"applications:\n  - {spec: a, think: soon}", `applications[0]: think "soon"`},
		{"applications:\n  - {spec: a, think: -1s}", `applications[0]: think "-1s"`},
		{"applications:\n  - {spec: a, rate: 0}", "applications[0]: rate 0"},
		{"applications:\n  - {spec: a, rate: 5, users: 2}", "applications[0]: workload: an open loop"},
		{"applications:\n  - {spec: a, think_dist: gamma}", `applications[0]: workload: unknown think-time distribution "gamma"`},
		{"applications:\n  - {spec: a, arrivals: poisson}", `applications[0]: workload: arrivals "poisson" needs a rate`},
		{"applications:\n  - {spec: a, users: 1000000}", "applications[0]: workload: users must be in"},
		{"applications:\n" + strings.Repeat("  - {spec: a}\n", 65), "applications: 65, at most 64"},
	} {
		_, err := ParseScenario("s.yaml", []byte(tc.in))
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "apps: s.yaml: ") {
			t.Errorf("%q: err = %v, want it to contain %q", tc.in, err, tc.want)
		}
	}
	// A spec that does not open names the application.
	s, err := ParseScenario("s.yaml", []byte("applications:\n  - spec: nope.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Members(t.TempDir()); err == nil || !strings.Contains(err.Error(), "applications[0]: ") {
		t.Errorf("missing spec: err = %v", err)
	}
	// A missing file, a file too large.
	if _, err := LoadScenario(filepath.Join(t.TempDir(), "none.yaml")); err == nil {
		t.Error("LoadScenario of a missing file: no error")
	}
	for _, load := range []func(string) error{
		func(p string) error { _, err := LoadScenario(p); return err },
		func(p string) error { _, err := Load(p); return err },
	} {
		if err := load(t.TempDir()); err == nil || !strings.Contains(err.Error(), "not a regular file") {
			t.Errorf("a directory: err = %v, want not a regular file", err)
		}
	}
	if _, err := ParseScenario("big.yaml", make([]byte, MaxFileBytes+1)); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("a scenario too large: err = %v", err)
	}
}

// FuzzParseScenario: no input panics or hangs; an accepted scenario survives a JSON round
// trip and every error names the file.
func FuzzParseScenario(f *testing.F) {
	f.Add([]byte(scenarioYAML))
	f.Add([]byte("applications: [{spec: a, rate: 1e300}]"))
	f.Add([]byte(`{"applications": [{"spec": "a", "think": "1h"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := ParseScenario("f.yaml", data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "apps: f.yaml: ") {
				t.Errorf("error without the file's name: %v", err)
			}
			return
		}
		b, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		back, err := ParseScenario("back.json", b)
		if err != nil {
			t.Fatalf("the model's JSON does not parse: %v\n%s", err, b)
		}
		if !reflect.DeepEqual(s, back) {
			t.Errorf("round trip changed the scenario:\n%s", b)
		}
	})
}
