package catalog

import (
	"flag"
	"os"
	"testing"
)

var update = flag.Bool("update", false, "rewrite uqsim_fanout.yaml from Fanout(1000)")

// The catalogue's fan-out file is Fanout(1000).
func TestFanoutFile(t *testing.T) {
	want := Fanout(1000)
	if *update {
		if err := os.WriteFile("uqsim_fanout.yaml", []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return // the embedded copy is the old one until the next build
	}
	got, err := FS.ReadFile("uqsim_fanout.yaml")
	if err != nil || string(got) != want {
		t.Errorf("uqsim_fanout.yaml is not Fanout(1000): go test ./apps/catalog -run TestFanoutFile -update (err %v)", err)
	}
}
