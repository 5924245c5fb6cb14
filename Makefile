# Targets: test (the suite), race (the race detector on the -short suite, as CI runs it),
# bench (benchmarks), run (the main job), results (regenerate results/ byte for byte; a test
# fails when the committed files are stale).
GO ?= go
SWEEP = $(GO) run ./experiments/sweep

.PHONY: test race bench run results
test:
	$(GO) test ./...

race:
	$(GO) test -race -short ./...

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

run:
	$(GO) run ./experiments/compare

results:
	mkdir -p results/sweep
	$(GO) run ./experiments/compare -format markdown -cdf results/latency-cdf.svg > results/compare.md
	$(GO) run ./experiments/compare -format json > results/compare.json
	$(SWEEP) -seeds 1-10 -strategies random,first-fit,best-fit -nodes 30,100,300 -quiet -o results/sweep/sweep.csv -summary results/sweep/summary.csv
	$(SWEEP) plot -in results/sweep/sweep.csv -x nodes -y latency_mean_ms -by variant -where strategy=random -o results/sweep/latency-nodes.svg
	$(SWEEP) plot -in results/sweep/sweep.csv -x nodes -y workflows -by strategy -where variant=mpi -o results/sweep/workflows-strategy.svg
	$(SWEEP) -seeds 1-10 -flap 0,0.02,0.05,0.1,0.2 -quiet -o results/sweep/flap.csv -summary results/sweep/flap-summary.csv
	$(SWEEP) plot -in results/sweep/flap.csv -x flap_down -y workflows -by variant -o results/sweep/workflows-flap.svg
	mkdir -p results/capacity
	$(GO) run ./experiments/capacity -format csv -o results/capacity/latency-throughput.csv -plot results/capacity/latency-throughput.svg -quiet
	$(GO) run ./experiments/capacity -format markdown -o results/capacity/capacity.md -quiet
	$(GO) run ./experiments/validate -format markdown -o results/validation.md -readme README.md
