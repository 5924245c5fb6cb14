// Package clitest runs a command's testable main, run(args, stdout, stderr) int, on a table
// of hostile inputs, each under a watchdog: a case fails when the command panics, runs past
// its time bound, or holds more heap than its memory bound, and when its exit code or its
// message is not the expected one. It is imported by the commands' tests only.
//
// The watchdog runs the command on its own goroutine and samples the heap
// (runtime/metrics, /memory/classes/heap/objects:bytes: live and not yet swept objects)
// every few milliseconds. A case that breaks a bound cannot be stopped from outside (Go
// cannot kill a goroutine), so the watchdog reports it and ends the test binary at once
// with exit status 1 rather than let a runaway case take the machine's memory: the report
// names the case, the bound and what was measured.
package clitest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strings"
	"testing"
	"time"
)

// Run is the command's testable main.
type Run func(args []string, stdout, stderr io.Writer) int

// Case is one hostile input.
type Case struct {
	Name string
	// Args are the arguments; "{dir}" in them is replaced by the case's temporary directory.
	Args []string
	// Setup, if set, prepares files in the case's temporary directory before the run.
	Setup func(t *testing.T, dir string)
	// Code is the expected exit code.
	Code int
	// Want are substrings the message must hold (stderr; stdout too for Code 0). A usage
	// error (Code 2) should name the flag or the file element and say what is valid.
	Want []string
	// Check, if set, runs after the command (e.g. to see that an input was not overwritten).
	Check func(t *testing.T, dir, stdout, stderr string)
	// Long cases take seconds (a million steps): they are skipped under -short.
	Long bool
	// Time and Mem are the bounds (defaults DefaultTime and DefaultMem).
	Time time.Duration
	Mem  uint64
	// Skip, if set, skips the case with this reason (for cases waiting on a fix elsewhere).
	Skip string
}

// Default bounds of a case.
const (
	DefaultTime = 20 * time.Second
	DefaultMem  = 256 << 20
)

// MaxOutput bounds what a case may write to stdout and stderr (each); writes beyond it fail.
const MaxOutput = 16 << 20

// limitedBuffer is a bytes.Buffer that refuses to grow beyond MaxOutput.
type limitedBuffer struct{ bytes.Buffer }

var errTooMuch = errors.New("clitest: more than MaxOutput bytes of output")

func (b *limitedBuffer) Write(p []byte) (int, error) {
	if b.Len()+len(p) > MaxOutput {
		return 0, errTooMuch
	}
	return b.Buffer.Write(p)
}

// heapBytes is the heap held by objects (live or not yet swept).
func heapBytes() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// Table runs every case as a subtest, one at a time (the heap is the process's).
func Table(t *testing.T, run Run, cases []Case) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			if c.Skip != "" {
				t.Skip(c.Skip)
			}
			if c.Long && testing.Short() {
				t.Skip("a long case: runs without -short")
			}
			One(t, run, c)
		})
	}
}

type result struct {
	code     int
	panicked any
	stack    []byte
}

// One runs one case under the watchdog.
func One(t *testing.T, run Run, c Case) {
	t.Helper()
	dir := t.TempDir()
	if c.Setup != nil {
		c.Setup(t, dir)
	}
	args := make([]string, len(c.Args))
	for i, a := range c.Args {
		args[i] = strings.ReplaceAll(a, "{dir}", dir)
	}
	limit, mem := c.Time, c.Mem
	if limit == 0 {
		limit = DefaultTime
	}
	if mem == 0 {
		mem = DefaultMem
	}
	runtime.GC()
	base := heapBytes()
	var stdout, stderr limitedBuffer
	done := make(chan result, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				done <- result{panicked: p, stack: debug.Stack()}
			}
		}()
		done <- result{code: run(args, &stdout, &stderr)}
	}()
	deadline := time.NewTimer(limit)
	defer deadline.Stop()
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	peak := uint64(0)
	for {
		select {
		case r := <-done:
			if r.panicked != nil {
				t.Fatalf("%q panicked: %v\n%s", args, r.panicked, r.stack)
			}
			check(t, c, args, r.code, stdout.String(), stderr.String())
			if c.Check != nil {
				c.Check(t, dir, stdout.String(), stderr.String())
			}
			return
		case <-deadline.C:
			abort(t, fmt.Sprintf("%q still running after %v (time bound)", args, limit))
		case <-tick.C:
			if h := heapBytes(); h > base && h-base > peak {
				peak = h - base
				if peak > mem {
					abort(t, fmt.Sprintf("%q holds %d MB of heap, above its bound of %d MB", args, peak>>20, mem>>20))
				}
			}
		}
	}
}

// abort reports a case that broke a bound and ends the test binary: the case's goroutine
// cannot be stopped and would go on eating time or memory.
func abort(t *testing.T, msg string) {
	fmt.Fprintf(os.Stderr, "--- FAIL: %s\n    clitest: %s; ending the test binary (a runaway case cannot be stopped)\n", t.Name(), msg)
	os.Exit(1)
}

func check(t *testing.T, c Case, args []string, code int, stdout, stderr string) {
	t.Helper()
	if code != c.Code {
		t.Errorf("%q: exit %d, want %d\nstderr: %s", args, code, c.Code, stderr)
	}
	text := stderr
	if c.Code == 0 {
		text += stdout
	}
	for _, w := range c.Want {
		if !strings.Contains(text, w) {
			t.Errorf("%q: message does not contain %q\nstderr: %s", args, w, stderr)
		}
	}
	if c.Code == 2 {
		if n := strings.Count(stderr, "\n"); n > 4 {
			t.Errorf("%q: a usage error printed %d lines (the usage belongs to -h only):\n%s", args, n, stderr)
		}
		if stdout != "" {
			t.Errorf("%q: a usage error printed to stdout: %q", args, clip(stdout))
		}
	}
	if strings.Contains(stderr, "goroutine ") && strings.Contains(stderr, "panic") {
		t.Errorf("%q: stderr shows a panic:\n%s", args, stderr)
	}
}

func clip(s string) string {
	if len(s) > 300 {
		return s[:300] + "..."
	}
	return s
}

// WriteFile writes a file for a case's Setup.
func WriteFile(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}
