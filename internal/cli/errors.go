package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// Exit codes of every command.
const (
	ExitOK      = 0 // success, and -h
	ExitFailure = 1 // the run failed, or reading or writing failed while working
	ExitUsage   = 2 // a bad flag, flag value or input file: nothing has run
)

// ErrHelp is returned by Set.Parse when -h or -help was given; the usage has been printed.
var ErrHelp = flag.ErrHelp

// UsageError is a bad flag, flag value or input file: exit code 2. Its message names the
// flag (or the file and its element) and says what is valid.
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

// Usagef returns a *UsageError with the formatted message.
func Usagef(format string, a ...any) error {
	return &UsageError{Msg: fmt.Sprintf(format, a...)}
}

// AsUsage turns err into a *UsageError with the same message (nil stays nil).
func AsUsage(err error) error {
	var ue *UsageError
	if err == nil || errors.As(err, &ue) {
		return err
	}
	return &UsageError{Msg: err.Error()}
}

// IsUsage reports whether err is (or wraps) a *UsageError.
func IsUsage(err error) bool {
	var ue *UsageError
	return errors.As(err, &ue)
}

// ExitCode is the exit code for err: 0 for nil and ErrHelp, 2 for a usage error, 1 for
// anything else.
func ExitCode(err error) int {
	switch {
	case err == nil, errors.Is(err, ErrHelp):
		return ExitOK
	case IsUsage(err):
		return ExitUsage
	}
	return ExitFailure
}

// Report prints err for the command name ("compare", or "sweep merge" for a subcommand) on
// stderr, a usage error with one more line pointing at "name -h", and returns the exit
// code. The message is prefixed with the program ("sweep: ") unless it starts with it.
func Report(stderr io.Writer, name string, err error) int {
	code := ExitCode(err)
	if code == ExitOK {
		return code
	}
	msg := err.Error()
	program, _, _ := strings.Cut(name, " ")
	if !strings.HasPrefix(msg, program+":") {
		msg = program + ": " + msg
	}
	fmt.Fprintln(stderr, msg)
	if code == ExitUsage {
		fmt.Fprintf(stderr, "run '%s -h' for the flags and their valid ranges\n", name)
	}
	return code
}
