//go:build race

package capacity

// raceEnabled: the race detector slows a run about 10x; TestAgainstMVA is then skipped.
const raceEnabled = true
