// Command capacity measures how much load an application serves (SockShop, or with -app the
// application of a spec file, see apps/spec): for each variant and placement
// strategy, the throughput and the p50/p95/p99 latency against offered load (closed-loop
// users or an open-loop rate), the saturation point, and the highest load that meets a
// latency objective, with a figure of latency against throughput. The logic is package
// capacity; this command parses flags and writes files.
//
//	go run ./experiments/capacity            # MPI against REST, 1 to 400 users
//	go run ./experiments/capacity -app apps/catalog/crud_api.yaml -strategies first-fit
//	go run ./experiments/capacity -h         # every flag, the definitions and the limits
package main

import "os"

func main() { os.Exit(newCLI().main(os.Args[1:], os.Stdout, os.Stderr)) }
