// Command compare runs SockShop in its MPI and its REST variant on the same infrastructure and
// placement, in virtual time, and prints their timing side by side.
//
//	go run ./experiments/compare            # the reference run (docs/SOCKSHOP.md)
//	go run ./experiments/compare -h         # every flag, its valid range, the limits
//
// Every flag and input file is checked before anything runs; a bad one exits with code 2
// and a message naming the flag (or the file and its element) and what is valid. A run or
// an output that fails exits with code 1.
package main

import (
	"os"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }
