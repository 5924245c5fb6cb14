//go:build unix

package main

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/edgesim/edgesim/internal/cli"
)

// TestOutputToSpecialFiles: -o to something that is not a regular file (a pipe here; the
// same code path handles /dev/null and /dev/stdout) is written in place: the pipe stays a
// pipe, no temporary file is left, and the reader gets the CSV.
func TestOutputToSpecialFiles(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "pipe")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip("mkfifo:", err)
	}
	got := make(chan string)
	go func() {
		f, err := os.Open(fifo)
		if err != nil {
			got <- err.Error()
			return
		}
		b, _ := io.ReadAll(f)
		f.Close()
		got <- string(b)
	}()
	if code, _, e := runCLI(fakeCLI(), "-seeds", "1-2", "-variants", "mpi", "-quiet", "-o", fifo); code != 0 {
		t.Fatal(e)
	}
	if s := <-got; !strings.HasPrefix(s, "run,runs,") || strings.Count(s, "\n") != 3 {
		t.Fatalf("read from the pipe: %q", s)
	}
	fi, err := os.Lstat(fifo)
	if err != nil || fi.Mode()&os.ModeNamedPipe == 0 {
		t.Fatalf("the pipe was replaced: %v %v", fi.Mode(), err)
	}
	noTemp(t, dir)

	// a regular file: written whole, no .tmp left
	reg := filepath.Join(dir, "sub", "s.csv")
	if code, _, e := runCLI(fakeCLI(), "-seeds", "1-2", "-variants", "mpi", "-quiet", "-o", reg); code != 0 {
		t.Fatal(e)
	}
	if b, err := os.ReadFile(reg); err != nil || !strings.HasPrefix(string(b), "run,runs,") {
		t.Fatalf("%s: %v", reg, err)
	}
	noTemp(t, filepath.Dir(reg))
}

// noTemp fails if a temporary file of an output is left in dir.
func noTemp(t *testing.T, dir string) {
	t.Helper()
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if cli.IsTemp(e.Name()) {
			t.Errorf("temporary file %s left in %s", e.Name(), dir)
		}
	}
}
