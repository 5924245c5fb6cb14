//go:build race

package catalog

// raceEnabled: under the race detector runs are about ten times slower, so the catalogue's
// saturation study (about 30 s of CPU without it) is left to the run without it.
const raceEnabled = true
