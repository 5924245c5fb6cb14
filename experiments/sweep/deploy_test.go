package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/edgesim/edgesim/scenario"
	"github.com/edgesim/edgesim/sockshop"
)

// deployArgs reads the sweep arguments of the Kubernetes manifest and the sbatch script.
func deployArgs(t *testing.T) (k8s, slurm []string) {
	t.Helper()
	y, err := os.ReadFile("../../deploy/sweep-job.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(string(y), "\n") {
		if s, ok := strings.CutPrefix(strings.TrimSpace(l), "args: "); ok {
			if err := json.Unmarshal([]byte(s), &k8s); err != nil {
				t.Fatalf("sweep-job.yaml args: %v", err)
			}
		}
	}
	sb, err := os.ReadFile("../../deploy/sweep.sbatch")
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(string(sb), "\n") {
		if s, ok := strings.CutPrefix(l, "GRID=("); ok {
			slurm = strings.Fields(strings.TrimSuffix(s, ")"))
		}
	}
	if k8s == nil || slurm == nil {
		t.Fatal("no sweep arguments found in deploy/")
	}
	return k8s, slurm
}

// TestDeployGrids checks that the shipped Kubernetes Job and sbatch script describe a sweep
// of 100 000 runs in 100 shards: shard 0 of each writes runs 1..1000 of 100000.
func TestDeployGrids(t *testing.T) {
	k8s, slurm := deployArgs(t)
	dir := t.TempDir()
	for _, tc := range []struct {
		name string
		args []string
		env  map[string]string
	}{
		{"kubernetes", k8s, map[string]string{"JOB_COMPLETION_INDEX": "0", "SWEEP_SHARDS": "100"}},
		{"slurm", append(slurm, "-shard", "auto", "-quiet"), map[string]string{"SLURM_ARRAY_TASK_ID": "0", "SLURM_ARRAY_TASK_MIN": "0", "SLURM_ARRAY_TASK_MAX": "99", "SLURM_ARRAY_TASK_COUNT": "100"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(dir, tc.name+".csv")
			var args []string
			for i := 0; i < len(tc.args); i++ {
				if tc.args[i] == "-o" {
					i++
					continue
				}
				args = append(args, tc.args[i])
			}
			c := fakeCLI()
			c.run = func(cfg sockshop.Config) (*sockshop.Result, error) {
				return &sockshop.Result{Result: scenario.Result{Variant: cfg.Variant}}, nil
			}
			c.getenv = func(k string) string { return tc.env[k] }
			if code, _, e := runCLI(c, append(args, "-o", out)...); code != 0 {
				t.Fatal(e)
			}
			b, _ := os.ReadFile(out)
			lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
			if len(lines) != 1001 || !strings.HasPrefix(lines[1], "1,100000,") || !strings.HasPrefix(lines[1000], "1000,100000,") {
				t.Fatalf("%d lines, first %q, last %q; want runs 1..1000 of 100000", len(lines), lines[1], lines[len(lines)-1])
			}
		})
	}
}
