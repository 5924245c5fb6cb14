package clitest

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// fake is a command whose behaviour is its first argument.
func fake(args []string, stdout, stderr io.Writer) int {
	switch args[0] {
	case "ok":
		fmt.Fprintln(stdout, "done")
		return 0
	case "usage":
		fmt.Fprintln(stderr, "fake: -x 3: want 1..2")
		return 2
	case "panic":
		panic("boom")
	case "hang":
		time.Sleep(time.Hour)
	case "grow":
		var keep [][]byte
		for {
			keep = append(keep, make([]byte, 1<<20))
			time.Sleep(time.Millisecond)
			if len(keep) > 1<<14 {
				return 0
			}
		}
	}
	return 1
}

func TestPassingCases(t *testing.T) {
	Table(t, fake, []Case{
		{Name: "ok", Args: []string{"ok"}, Code: 0, Want: []string{"done"}},
		{Name: "usage", Args: []string{"usage"}, Code: 2, Want: []string{"-x 3", "1..2"}},
		{Name: "skipped", Args: []string{"hang"}, Skip: "never run"},
	})
}

// TestWatchdog runs the failing cases in a child test binary (a broken bound ends the
// binary) and checks that each one fails with the right report.
func TestWatchdog(t *testing.T) {
	if mode := os.Getenv("CLITEST_CHILD"); mode != "" {
		One(t, fake, Case{Name: mode, Args: []string{mode}, Code: 0, Time: 300 * time.Millisecond, Mem: 32 << 20})
		return
	}
	for _, tc := range []struct{ mode, want string }{
		{"panic", "panicked: boom"},
		{"hang", "still running after 300ms (time bound)"},
		{"grow", "MB of heap, above its bound of 32 MB"},
		{"usage", "exit 2, want 0"},
	} {
		t.Run(tc.mode, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^TestWatchdog$", "-test.v")
			cmd.Env = append(os.Environ(), "CLITEST_CHILD="+tc.mode)
			out, err := cmd.CombinedOutput()
			if err == nil {
				t.Fatalf("the child passed:\n%s", out)
			}
			if !strings.Contains(string(out), tc.want) {
				t.Fatalf("child output lacks %q:\n%s", tc.want, out)
			}
		})
	}
}
