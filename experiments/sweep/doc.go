// Command sweep runs the SockShop simulation over the cross product of parameter lists and
// writes one CSV row per run, in a fixed grid order that does not depend on the number of
// workers:
//
//	go run ./experiments/sweep -seeds 1-20 -variants mpi,rest -strategies random,first-fit,best-fit \
//	    -nodes 30,100,300 -flap 0,0.02,0.05 -o sweep.csv -summary summary.csv
//
// Grid order: variants vary slowest, then strategies, nodes, partitioning, flap, flap-up,
// steps, step, model, think, timeout, decline, and seeds fastest; run numbers (column run)
// count from 1 in that order. A parameter whose flag is absent takes the reference run's
// value (sockshop.DefaultConfig). Runs execute in parallel on -workers goroutines (default
// runtime.NumCPU()), each run single-threaded and independent; finished rows wait in a
// buffer until every earlier row is written, so the output is byte-identical for any
// number of workers. The sweep sets the GC target to 400% unless GOGC is set: runs keep no
// memory, and collecting less often gave 1.45x runs/s.
//
// Columns: run, runs (grid size), the parameters (variant, strategy, nodes, partitioning,
// flap_down, flap_up, steps, step_ms, model, think_ms, timeout_ms, decline_prob, seed), the
// metrics of report.MetricColumns (workflows, failed, latency_mean_ms, latency_p50_ms,
// latency_p95_ms, latency_p99_ms, latency_max_ms, messages, bytes, lost), and error (empty
// unless the run failed; a failed run has empty metrics and does not stop the sweep).
//
// Sharding: -shard i/n runs the contiguous block of 0-based runs [i*N/n, (i+1)*N/n); -shard
// auto takes i and n from a Kubernetes Indexed Job (JOB_COMPLETION_INDEX, SWEEP_SHARDS) or a
// Slurm job array (SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN, SLURM_ARRAY_TASK_COUNT or
// MAX-MIN+1). `sweep merge` joins shard files into exactly the unsharded file. Subcommands
// `summary` and `plot` read a sweep file. See deploy/ for a Job manifest and an sbatch
// script, and `sweep -h` for every flag.
//
// Input checks (internal/cli): every flag and list is checked before any run; the grid's
// size is the product of the list lengths, computed without expanding a list and refused
// above cli.MaxGridRuns; every configuration of the whole grid is validated; -workers is
// 1..cli.MaxWorkers and never more than the runs; outputs are opened before the first run
// and may not name an input or each other; -out DIR holds the run directories of one grid
// only; sweep files read by merge, summary and plot are bounded (cli.MaxSweepFileBytes,
// cli.MaxSweepLineBytes, cli.MaxGridRuns rows). Exit codes: 0 ok, 1 reading or writing
// failed, 2 a bad flag, list or input file.
package main
