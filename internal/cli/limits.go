package cli

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/edgesim/edgesim/network"
)

// The limits of the commands. Each keeps a mistyped flag from exhausting time or memory;
// none comes close to what the reference experiments need. The README's "Limits" section
// lists them with the same values (a test checks it).
const (
	// MaxSteps is the most steps of a run (the reference run has 100). A run keeps one row
	// of statistics per step (96 bytes) and, today, schedules every step boundary before it
	// starts (about 120 bytes each): a run of this many steps holds about 220 MB and takes
	// tens of seconds.
	MaxSteps = 1_000_000

	// MaxVirtualTime bounds the virtual length of a run (steps x step) and every duration
	// flag: 50 years of 365 days, 438000h. Virtual time is int64 nanoseconds (at most about
	// 292 years), and a run adds a duration (a timeout, a think time, an outage) to an
	// instant of the run: with both under this limit every sum the run forms stays far from
	// overflow.
	MaxVirtualTime = 50 * 365 * 24 * time.Hour

	// MaxNodes is the most nodes of a run's infrastructure, generated or read from a file:
	// the 10 000-node infrastructures the simulator is built to handle (a 10 000-node
	// reference compare takes 53 s of CPU and 680 MB).
	MaxNodes = 10_000

	// MaxLinks is the most directed links of a run's infrastructure, generated (counted as
	// the generator does: 2 per node for same-tier links plus 2 per pair of nodes in
	// consecutive tiers) or read from a file: 2^25, which the reference partitioning reaches
	// above 10 000 nodes (19.5 million links at 10 000); the dynamics draw two numbers per
	// link at every step.
	MaxLinks = 1 << 25

	// MaxInfraFileBytes is the largest node-link JSON file an -infra flag reads (32 MiB).
	MaxInfraFileBytes = 32 << 20

	// MaxInfraElements is the most nodes and edges (together) of an -infra file: parsing
	// takes about 1.5 KB per element, so this bounds it near 300 MB allocated. A
	// 1000-node hierarchical infrastructure has about 98 500 edges (197 000 when written
	// directed, as WriteNodeLink does).
	MaxInfraElements = 200_000

	// MaxGridRuns is the largest sweep grid (all shards together).
	MaxGridRuns = 1_000_000

	// MaxWorkers is the most parallel runs of a sweep (and never more than its runs).
	MaxWorkers = 256

	// MaxSweepFileBytes is the largest sweep CSV file that sweep merge, summary and plot read
	// (1 GiB; a row takes about 300 bytes, so MaxGridRuns rows take about 300 MB).
	MaxSweepFileBytes = 1 << 30

	// MaxSweepLineBytes is the longest line of a sweep CSV file (1 MiB).
	MaxSweepLineBytes = 1 << 20

	// MaxRouteNodes is the most up nodes routes prints every pair of (999 000 pairs).
	MaxRouteNodes = 1000
)

// limitRows are the limits by key, in the order Limits prints them.
var limitRows = [][3]string{
	{"steps", "steps of a run", strconv.Itoa(MaxSteps)},
	{"time", "virtual time (steps x step, every duration)", Dur(MaxVirtualTime) + " (50 years)"},
	{"nodes", "nodes of an infrastructure", strconv.Itoa(MaxNodes)},
	{"links", "directed links of an infrastructure", strconv.Itoa(MaxLinks)},
	{"infra", "-infra file", strconv.Itoa(MaxInfraFileBytes) + " bytes (32 MiB), a regular file, at most " + strconv.Itoa(MaxInfraElements) + " nodes and edges"},
	{"grid", "sweep grid", strconv.Itoa(MaxGridRuns) + " runs"},
	{"workers", "-workers", strconv.Itoa(MaxWorkers) + " (and at most the runs of the sweep)"},
	{"sweepfile", "sweep file read by merge, summary and plot", strconv.Itoa(MaxSweepFileBytes) + " bytes (1 GiB), a regular file; lines of at most " + strconv.Itoa(MaxSweepLineBytes) + " bytes"},
	{"routes", "up nodes whose every pair routes prints", strconv.Itoa(MaxRouteNodes)},
}

// Limits is the table of the limits with the given keys (steps, time, nodes, links, infra,
// grid, workers, sweepfile, routes), printed by the commands' -h.
func Limits(keys ...string) string {
	var b strings.Builder
	for _, l := range limitRows {
		if slices.Contains(keys, l[0]) {
			fmt.Fprintf(&b, "  %-44s %s\n", l[1], l[2])
		}
	}
	return b.String()
}

// HierarchicalLinks is the number of directed links the hierarchical generator makes for n
// nodes in tiers of the given sizes, as the generator counts them: 2 per pair of nodes in
// consecutive tiers plus 2 per node (an upper bound for the same-tier links).
func HierarchicalLinks(sizes []int) float64 {
	links := 0.0
	for t, s := range sizes {
		links += 2 * float64(s)
		if t+1 < len(sizes) {
			links += 2 * float64(s) * float64(sizes[t+1])
		}
	}
	return links
}

// hierLinks is HierarchicalLinks for n, or +Inf-like when the partitioning does not split n.
func hierLinks(n int, parts []float64) (float64, bool) {
	sizes, err := network.HierarchicalConfig{N: n, Partitioning: parts}.TierSizes()
	if err != nil {
		return 0, false
	}
	return HierarchicalLinks(sizes), true
}

// NodeRange is the range of generator sizes n, at most MaxNodes, that the partitioning
// splits into tiers of at least one node each, with at most MaxLinks links: lo..hi (lo > hi
// when there is none). The scans are bounded: lo is searched up to hi.
func NodeRange(parts []float64) (lo, hi int) {
	// hi: the largest n within MaxLinks (links grow with n; binary search over n).
	a, b := 1, MaxNodes
	for a < b {
		m := a + (b-a+1)/2
		l, ok := hierLinks(m, parts)
		if ok && l > MaxLinks {
			b = m - 1
		} else {
			a = m
		}
	}
	hi = a
	// lo: tier i (all but the last, which takes the remainder) needs floor(n*f_i/sum) >= 1,
	// so no n below sum/min(f_i) works: start the scan just below it and go up.
	sum, fmin := 0.0, math.Inf(1)
	for i, f := range parts {
		if !(f > 0) || math.IsInf(f, 0) {
			return 1, 0
		}
		sum += f
		if i < len(parts)-1 {
			fmin = math.Min(fmin, f)
		}
	}
	start := 1.0
	if len(parts) > 1 {
		start = sum / fmin
	}
	if math.IsInf(sum, 0) || start > float64(hi)+2 {
		return hi + 1, hi
	}
	for lo = max(1, int(start)-2); lo <= hi; lo++ {
		if _, ok := hierLinks(lo, parts); ok {
			break
		}
	}
	return lo, hi
}

// CheckNodes checks that the hierarchical generator can build n nodes (flag) with this
// partitioning (partsFlag) within MaxLinks; the error names the flag and the valid range.
func CheckNodes(flag string, n int, partsFlag string, parts []float64) error {
	for i, f := range parts {
		if !(f > 0) || math.IsInf(f, 0) {
			return Usagef("%s %s: fraction %d is %v: every tier needs a finite fraction > 0", partsFlag, joinParts(parts), i+1, f)
		}
	}
	sizes, err := network.HierarchicalConfig{N: n, Partitioning: parts}.TierSizes()
	if err == nil && HierarchicalLinks(sizes) <= MaxLinks && n <= MaxNodes {
		return nil
	}
	lo, hi := NodeRange(parts)
	why := "does not give every tier a node"
	switch {
	case err == nil && n > MaxNodes:
		why = fmt.Sprintf("is above the limit of %d nodes", MaxNodes)
	case err == nil:
		why = fmt.Sprintf("gives %.0f links, above the limit of %d", HierarchicalLinks(sizes), MaxLinks)
	}
	if lo > hi {
		return Usagef("%s %d with %s %s: %s (no size works with this partitioning: give every tier a larger fraction)", flag, n, partsFlag, joinParts(parts), why)
	}
	return Usagef("%s %d with %s %s: %s (valid: %d..%d with this partitioning)", flag, n, partsFlag, joinParts(parts), why, lo, hi)
}

func joinParts(parts []float64) string {
	s := make([]string, len(parts))
	for i, f := range parts {
		s[i] = strconv.FormatFloat(f, 'g', -1, 64)
	}
	return strings.Join(s, ",")
}

// CheckHorizon checks that steps x step stays within MaxVirtualTime; the error names the
// flags and the valid range.
func CheckHorizon(stepsFlag string, steps int, stepFlag string, step time.Duration) error {
	if steps < 1 || step <= 0 || steps <= int(MaxVirtualTime/step) {
		return nil
	}
	return Usagef("%s %d x %s %v is longer than the longest run, %v (50 years of virtual time): with this step at most %d steps",
		stepsFlag, steps, stepFlag, step, MaxVirtualTime, int64(MaxVirtualTime/step))
}
