//go:build race

package main

// raceEnabled: the race detector slows the runs about tenfold, too much for the full table.
const raceEnabled = true
