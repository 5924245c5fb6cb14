//go:build race

package validate

// raceEnabled: the race detector slows a run about thirtyfold here (coroutine switches and
// maps), so the tests that need the whole short table skip under it; tiny runs still
// exercise every code path, the worker pool included.
const raceEnabled = true
