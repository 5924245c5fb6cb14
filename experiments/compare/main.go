// Command compare runs SockShop in its MPI and its REST variant on the same infrastructure and
// placement, in virtual time, and prints their timing side by side.
//
//	go run ./experiments/compare            # the reference run of SOCKSHOP.md
//	go run ./experiments/compare -h         # every flag
package main

import (
	"os"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }
