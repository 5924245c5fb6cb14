package scenario

// SetUsersInProcesses makes the closed loop's users processes (workload.Start) instead of
// callbacks, for tests that compare the two; the returned function restores callbacks.
func SetUsersInProcesses(on bool) (restore func()) {
	usersInProcesses = on
	return func() { usersInProcesses = false }
}

// SetSlicedWaitsInProcess makes workflows' waits wake their processes at every boundary; the
// returned function restores the default.
func SetSlicedWaitsInProcess(on bool) (restore func()) {
	slicedWaitsInProcess = on
	return func() { slicedWaitsInProcess = false }
}
