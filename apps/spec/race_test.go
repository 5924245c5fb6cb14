//go:build race

package spec_test

// raceEnabled: under the race detector runs are about ten times slower, so the statistical
// proofs use their -short sizes.
const raceEnabled = true
