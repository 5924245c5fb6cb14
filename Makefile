# Targets: test (the suite), bench (benchmarks), run (the main job), results (regenerate results/).
GO ?= go

.PHONY: test bench run results race
test:
	$(GO) test ./...

race:
	$(GO) test -race ./...

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

run:
	$(GO) run ./experiments/compare

results:
	mkdir -p results
	$(GO) run ./experiments/compare -format markdown > results/compare.md
	$(GO) run ./experiments/compare -format json > results/compare.json
