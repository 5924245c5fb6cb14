package cpu

import (
	"strings"
	"testing"
)

func TestParseDiscipline(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Discipline
		ok   bool
	}{
		{"fcfs", FCFS, true}, {"ps", PS, true}, {" PS ", PS, true}, {"FCFS", FCFS, true},
		{"", 0, false}, {"fifo", 0, false}, {"p s", 0, false}, {"ps2", 0, false},
	} {
		got, err := ParseDiscipline(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("ParseDiscipline(%q) = %v, %v", tc.in, got, err)
		}
		if err != nil && !strings.Contains(err.Error(), "valid: fcfs, ps") {
			t.Errorf("ParseDiscipline(%q): error %q does not name the valid values", tc.in, err)
		}
	}
	for i, name := range Disciplines {
		d, err := ParseDiscipline(name)
		if err != nil || int(d) != i || d.String() != name {
			t.Errorf("%q: %v %v", name, d, err)
		}
	}
	if s := Discipline(9).String(); s != "Discipline(9)" {
		t.Errorf("String of an invalid discipline: %q", s)
	}
}

// FuzzParseDiscipline: any input either fails with a cpu error naming the valid values or
// names a valid discipline whose String parses back to it.
func FuzzParseDiscipline(f *testing.F) {
	for _, s := range []string{"fcfs", "ps", " Ps\t", "", "fifo", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDiscipline(s)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "cpu: unknown discipline") || !strings.Contains(err.Error(), "fcfs, ps") {
				t.Fatalf("error %q", err)
			}
			return
		}
		if !d.valid() {
			t.Fatalf("%q parsed to invalid %d", s, d)
		}
		if back, err := ParseDiscipline(d.String()); err != nil || back != d {
			t.Fatalf("%q: round trip %v %v", s, back, err)
		}
	})
}
