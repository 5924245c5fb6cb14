package cpu

import (
	"fmt"
	"strings"
)

// Discipline is how a station shares its cores among the jobs it holds.
type Discipline uint8

const (
	// FCFS serves jobs in arrival order, one job per core, each to completion at the full
	// speed of its core; a job waits while every core is busy (the M/M/c queue's discipline).
	FCFS Discipline = iota
	// PS is processor sharing: each of the n jobs present progresses at min(1, cores/n) of a
	// core, all at once, none waiting (the egalitarian sharing of an operating system's
	// scheduler, idealised).
	PS
)

// Disciplines lists the names ParseDiscipline accepts, in Discipline order (for flag help
// and error messages).
var Disciplines = []string{"fcfs", "ps"}

// names backs String, so a caller editing Disciplines cannot change it.
var names = [...]string{FCFS: "fcfs", PS: "ps"}

// ParseDiscipline returns the discipline named s ("fcfs" or "ps", as in Disciplines). Case
// and surrounding spaces are ignored. The error names the valid values.
func ParseDiscipline(s string) (Discipline, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "fcfs":
		return FCFS, nil
	case "ps":
		return PS, nil
	}
	return 0, fmt.Errorf("cpu: unknown discipline %q (valid: %s)", s, strings.Join(names[:], ", "))
}

// String returns the discipline's name as ParseDiscipline accepts it, or "Discipline(n)" for
// a value that is not one.
func (d Discipline) String() string {
	if int(d) < len(names) {
		return names[d]
	}
	return fmt.Sprintf("Discipline(%d)", uint8(d))
}

func (d Discipline) valid() bool { return d == FCFS || d == PS }
