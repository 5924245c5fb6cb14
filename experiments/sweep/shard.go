package main

import (
	"fmt"
	"strconv"
	"strings"
)

// shard is slice i (0-based) of n. Shard i of n holds the contiguous block of runs with
// 0-based index k in [i*N/n, (i+1)*N/n) (integer division, N the grid size), so the blocks
// cover the grid once, differ in size by at most one, and concatenating the shard files in
// shard order gives the unsharded file (sweep merge checks and does that).
type shard struct{ i, n int }

// bounds is the block of runs [lo, hi) of the shard in a grid of total runs.
func (s shard) bounds(total int) (lo, hi int) {
	return int(int64(s.i) * int64(total) / int64(s.n)), int(int64(s.i+1) * int64(total) / int64(s.n))
}

const shardHelp = "i/n with 0 <= i < n (e.g. 3/10), or auto"

// Environment variables read by -shard auto.
const (
	envK8sIndex   = "JOB_COMPLETION_INDEX" // set by Kubernetes in Indexed Jobs
	envK8sCount   = "SWEEP_SHARDS"         // set in the manifest to spec.completions
	envSlurmID    = "SLURM_ARRAY_TASK_ID"
	envSlurmCount = "SLURM_ARRAY_TASK_COUNT"
	envSlurmMin   = "SLURM_ARRAY_TASK_MIN"
	envSlurmMax   = "SLURM_ARRAY_TASK_MAX"
	envSlurmStep  = "SLURM_ARRAY_TASK_STEP"
)

// parseShard parses -shard: "" (the whole grid), "i/n", or "auto" (from getenv).
func parseShard(s string, getenv func(string) string) (shard, error) {
	switch s {
	case "":
		return shard{0, 1}, nil
	case "auto":
		return autoShard(getenv)
	}
	a, b, ok := strings.Cut(s, "/")
	i, err1 := strconv.Atoi(a)
	n, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || n < 1 || i < 0 || i >= n {
		return shard{}, usagef("bad -shard %q (valid: %s)", s, shardHelp)
	}
	return shard{i, n}, nil
}

// autoShard reads a Kubernetes Indexed Job (JOB_COMPLETION_INDEX, with SWEEP_SHARDS set to
// the Job's completions) or a Slurm job array (SLURM_ARRAY_TASK_ID with
// SLURM_ARRAY_TASK_MIN and SLURM_ARRAY_TASK_COUNT or SLURM_ARRAY_TASK_MAX; the array must be
// contiguous, step 1: index = ID - MIN, count = COUNT = MAX - MIN + 1). Kubernetes wins when
// both are set.
func autoShard(getenv func(string) string) (shard, error) {
	num := func(name string) (int, bool, error) {
		v := strings.TrimSpace(getenv(name))
		if v == "" {
			return 0, false, nil
		}
		n, err := strconv.Atoi(v)
		if err != nil {
			return 0, true, usagef("-shard auto: %s=%q is not an integer", name, v)
		}
		return n, true, nil
	}
	check := func(sh shard, from string) (shard, error) {
		if sh.n < 1 || sh.i < 0 || sh.i >= sh.n {
			return shard{}, usagef("-shard auto: %s gives shard %d/%d (valid: 0 <= index < count)", from, sh.i, sh.n)
		}
		return sh, nil
	}
	if idx, ok, err := num(envK8sIndex); err != nil {
		return shard{}, err
	} else if ok {
		n, ok, err := num(envK8sCount)
		if err != nil {
			return shard{}, err
		}
		if !ok {
			return shard{}, usagef("-shard auto: %s is set but %s is not (set it in the Job manifest to spec.completions)", envK8sIndex, envK8sCount)
		}
		return check(shard{idx, n}, envK8sIndex+"/"+envK8sCount)
	}
	id, ok, err := num(envSlurmID)
	if err != nil {
		return shard{}, err
	}
	if !ok {
		return shard{}, usagef("-shard auto: neither %s (Kubernetes Indexed Job) nor %s (Slurm job array) is set (valid: %s)", envK8sIndex, envSlurmID, shardHelp)
	}
	min, hasMin, err := num(envSlurmMin)
	if err != nil {
		return shard{}, err
	}
	max, hasMax, err := num(envSlurmMax)
	if err != nil {
		return shard{}, err
	}
	count, hasCount, err := num(envSlurmCount)
	if err != nil {
		return shard{}, err
	}
	step, hasStep, err := num(envSlurmStep)
	if err != nil {
		return shard{}, err
	}
	if !hasMin {
		return shard{}, usagef("-shard auto: %s is set but %s is not", envSlurmID, envSlurmMin)
	}
	if hasStep && step != 1 {
		return shard{}, usagef("-shard auto: the Slurm array has step %d; use a contiguous array (--array=0-N)", step)
	}
	switch {
	case hasCount && hasMax && max-min+1 != count:
		return shard{}, usagef("-shard auto: the Slurm array %d-%d has %d tasks, not %d; use a contiguous array (--array=0-N)", min, max, count, max-min+1)
	case !hasCount && hasMax:
		count = max - min + 1
	case !hasCount:
		return shard{}, usagef("-shard auto: %s is set but neither %s nor %s is", envSlurmID, envSlurmCount, envSlurmMax)
	}
	return check(shard{id - min, count}, fmt.Sprintf("%s=%d with %s=%d", envSlurmID, id, envSlurmMin, min))
}
