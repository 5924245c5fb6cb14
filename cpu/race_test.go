//go:build race

package cpu

// raceEnabled is true under the race detector, which slows the simulation about 20 times:
// the statistical tests then run their -short sizes (a station is single-threaded, so longer
// runs would find no more races).
const raceEnabled = true
