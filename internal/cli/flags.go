package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Set is a flag set whose flags check their own range when they are parsed. A bad value, an
// unknown flag or a flag given twice makes Parse return one *UsageError naming the flag and
// the valid range; the usage is printed only for -h (Parse then returns ErrHelp).
type Set struct {
	name  string
	intro string
	fs    *flag.FlagSet
	count map[string]int
	multi map[string]bool
	bad   error // the detailed error of the value that failed to parse
}

// NewSet returns an empty Set for the command name; intro is printed by -h before the
// flags.
func NewSet(name, intro string) *Set {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return &Set{name: name, intro: intro, fs: fs, count: map[string]int{}, multi: map[string]bool{}}
}

// Parse parses args. It returns ErrHelp after printing the usage to w for -h, a
// *UsageError for a bad flag, and nil otherwise; the positional arguments are in Args.
func (s *Set) Parse(args []string, w io.Writer) error {
	err := s.fs.Parse(args)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, flag.ErrHelp):
		s.PrintUsage(w)
		return ErrHelp
	case s.bad != nil:
		return s.bad
	}
	return Usagef("%s: %v", s.name, err)
}

// PrintUsage writes the intro and every flag with its default and valid range.
func (s *Set) PrintUsage(w io.Writer) {
	fmt.Fprint(w, s.intro)
	s.fs.SetOutput(w)
	s.fs.PrintDefaults()
	s.fs.SetOutput(io.Discard)
}

// Args are the positional arguments after the flags.
func (s *Set) Args() []string { return s.fs.Args() }

// Given reports whether the flag was on the command line.
func (s *Set) Given(name string) bool { return s.count[name] > 0 }

// Lookup returns the flag of that name, or nil.
func (s *Set) Lookup(name string) *flag.Flag { return s.fs.Lookup(name) }

// parser checks and stores one value of a flag.
type parser interface {
	set(text string) error // the error says what is valid, without the flag name
	get() string           // the current value as text (for the default in -h)
}

// value adapts a parser to flag.Value, counting how often the flag is set.
type value struct {
	s      *Set
	name   string
	p      parser
	isBool bool
}

func (v *value) String() string {
	if v == nil || v.p == nil {
		return ""
	}
	return v.p.get()
}

func (v *value) IsBoolFlag() bool { return v != nil && v.isBool }

func (v *value) Set(text string) error {
	v.s.count[v.name]++
	var err error
	if v.s.count[v.name] > 1 && !v.s.multi[v.name] {
		err = fmt.Errorf("given more than once (this flag takes one value)")
	} else {
		err = v.p.set(text)
	}
	if err != nil {
		v.s.bad = Usagef("-%s %s: %v", v.name, strconv.Quote(text), err)
	}
	return err
}

func (s *Set) add(name, help string, p parser, isBool bool) {
	s.fs.Var(&value{s: s, name: name, p: p, isBool: isBool}, name, help)
}

// Uint64 defines an unsigned integer flag from 0 to max; what, if not empty, is added to
// the error, e.g. to say what a seed is.
func (s *Set) Uint64(p *uint64, name string, def, max uint64, help, what string) {
	*p = def
	s.add(name, help+fmt.Sprintf(" (valid: 0..%d)", max), &uint64Val{p, max, what}, false)
}

// Int defines an integer flag from min to max.
func (s *Set) Int(p *int, name string, def, min, max int, help string) {
	*p = def
	s.add(name, help+fmt.Sprintf(" (valid: %d..%d)", min, max), &intVal{p, min, max}, false)
}

// Float defines a finite number flag from min to max (NaN and infinities are refused).
func (s *Set) Float(p *float64, name string, def, min, max float64, help string) {
	*p = def
	s.add(name, help+fmt.Sprintf(" (valid: %g..%g)", min, max), &floatVal{p, min, max}, false)
}

// Duration defines a Go duration flag ("500ms", "2s", "1h30m") from min to max.
func (s *Set) Duration(p *time.Duration, name string, def, min, max time.Duration, help string) {
	*p = def
	s.add(name, help+fmt.Sprintf(" (valid: %s..%s)", Dur(min), Dur(max)), &durVal{p, min, max}, false)
}

// String defines a string flag; choices, if any, are its only valid values.
func (s *Set) String(p *string, name, def, help string, choices ...string) {
	*p = def
	if len(choices) > 0 {
		help += " (valid: " + strings.Join(choices, ", ") + ")"
	}
	s.add(name, help, &stringVal{p, choices}, false)
}

// Bool defines a boolean flag (-name, -name=true, -name=false).
func (s *Set) Bool(p *bool, name string, def bool, help string) {
	*p = def
	s.add(name, help, &boolVal{p}, true)
}

// Func defines a flag parsed by fn; repeatable flags may be given more than once (fn is
// called for each).
func (s *Set) Func(name, help string, repeatable bool, fn func(string) error) {
	s.multi[name] = repeatable
	s.add(name, help, funcVal(fn), false)
}

type uint64Val struct {
	p    *uint64
	max  uint64
	what string
}

func (v *uint64Val) get() string { return strconv.FormatUint(*v.p, 10) }

func (v *uint64Val) set(text string) error {
	n, err := strconv.ParseUint(strings.TrimSpace(text), 10, 64)
	if err != nil {
		if f, ok := exactFloat(text); ok && f >= 0 && f <= 1<<53 {
			n, err = uint64(f), nil
		}
	}
	if err != nil || n > v.max {
		msg := fmt.Sprintf("want an integer from 0 to %d", v.max)
		if v.max == math.MaxUint64 {
			msg += " (2^64-1)"
		}
		if v.what != "" {
			msg += "; " + v.what
		}
		return errors.New(msg)
	}
	*v.p = n
	return nil
}

// exactFloat parses number notation such as 1e6 when it is a whole number that float64
// holds exactly (below 2^53).
func exactFloat(text string) (float64, bool) {
	f, err := strconv.ParseFloat(strings.TrimSpace(text), 64)
	if err != nil || f != math.Trunc(f) || math.Abs(f) > 1<<53 {
		return 0, false
	}
	return f, true
}

type intVal struct {
	p        *int
	min, max int
}

func (v *intVal) get() string { return strconv.Itoa(*v.p) }

func (v *intVal) set(text string) error {
	n, err := strconv.ParseInt(strings.TrimSpace(text), 10, 64)
	if err != nil {
		if f, ok := exactFloat(text); ok {
			n, err = int64(f), nil
		}
	}
	if err != nil || n < int64(v.min) || n > int64(v.max) {
		return fmt.Errorf("want an integer from %d to %d", v.min, v.max)
	}
	*v.p = int(n)
	return nil
}

type floatVal struct {
	p        *float64
	min, max float64
}

func (v *floatVal) get() string { return strconv.FormatFloat(*v.p, 'g', -1, 64) }

func (v *floatVal) set(text string) error {
	f, err := strconv.ParseFloat(strings.TrimSpace(text), 64)
	if err != nil || math.IsNaN(f) || f < v.min || f > v.max {
		return fmt.Errorf("want a number from %g to %g", v.min, v.max)
	}
	*v.p = f
	return nil
}

type durVal struct {
	p        *time.Duration
	min, max time.Duration
}

func (v *durVal) get() string { return v.p.String() }

func (v *durVal) set(text string) error {
	d, err := time.ParseDuration(strings.TrimSpace(text))
	if err != nil || d < v.min || d > v.max {
		return fmt.Errorf("want a duration with its unit (ns, us, ms, s, m, h), such as 500ms or 2s, from %s to %s", Dur(v.min), Dur(v.max))
	}
	*v.p = d
	return nil
}

type stringVal struct {
	p       *string
	choices []string
}

func (v *stringVal) get() string { return *v.p }

func (v *stringVal) set(text string) error {
	if len(v.choices) > 0 && !slices.Contains(v.choices, text) {
		return fmt.Errorf("want one of %s", strings.Join(v.choices, ", "))
	}
	*v.p = text
	return nil
}

type boolVal struct{ p *bool }

func (v *boolVal) get() string { return strconv.FormatBool(*v.p) }

func (v *boolVal) set(text string) error {
	b, err := strconv.ParseBool(text)
	if err != nil {
		return errors.New("want true or false (-flag alone means true; -flag=false)")
	}
	*v.p = b
	return nil
}

type funcVal func(string) error

func (f funcVal) get() string           { return "" }
func (f funcVal) set(text string) error { return f(text) }

// Dur formats d like time.Duration.String without zero trailing units: 438000h, 1m, 1.5s.
func Dur(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}
