package metrics

// TimeAverage integrates a piecewise-constant integer quantity over virtual time (ns). Set it
// whenever the quantity changes; Mean gives its time average since the last Reset.
type TimeAverage struct {
	value    int64
	since    int64 // time of the last change (or of Reset)
	start    int64 // time of the last Reset
	integral float64
	maxValue int64
}

// Reset starts a new measurement window at now, keeping the current value.
func (a *TimeAverage) Reset(now int64) {
	a.start, a.since, a.integral, a.maxValue = now, now, 0, a.value
}

// Set changes the quantity at time now (now must not go backwards).
func (a *TimeAverage) Set(now, v int64) {
	// The explicit conversion keeps the product from being fused into a multiply-add
	// (the Go spec allows it on arm64): value x ns exceeds 2^53 on long runs, where the
	// fused and unfused sums differ in the last bit.
	a.integral += float64(float64(a.value) * float64(now-a.since))
	a.since = now
	a.value = v
	a.maxValue = max(a.maxValue, v)
}

// Add changes the quantity by d at time now.
func (a *TimeAverage) Add(now, d int64) { a.Set(now, a.value+d) }

// Value is the current value.
func (a *TimeAverage) Value() int64 { return a.value }

// Max is the largest value since the last Reset.
func (a *TimeAverage) Max() int64 { return a.maxValue }

// Mean is the time average over [last Reset, now] (the current value if no time passed).
func (a *TimeAverage) Mean(now int64) float64 {
	if now <= a.start {
		return float64(a.value)
	}
	total := a.integral + float64(float64(a.value)*float64(now-a.since))
	return total / float64(now-a.start)
}
