//go:build race

package main

// raceEnabled: the race detector slows a run about 10x; TestResultsAreFresh (the full default
// study) is then left to the run without it.
const raceEnabled = true
