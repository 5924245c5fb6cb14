package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestUsage(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run([]string{"-h"}, &out, &errb); code != 0 {
		t.Fatalf("-h: exit %d", code)
	}
	for _, flag := range []string{"-format", "-o", "-short", "markdown", "results/validation.md"} {
		if !strings.Contains(errb.String(), flag) {
			t.Errorf("-h does not mention %s:\n%s", flag, errb.String())
		}
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-format", "xml"}, "table, markdown, csv"},
		{[]string{"extra"}, `unexpected argument "extra"`},
		{[]string{"-short=maybe"}, "invalid boolean"},
		{[]string{"-nope"}, "not defined"},
	} {
		var out, errb bytes.Buffer
		if code := run(tc.args, &out, &errb); code != 2 || !strings.Contains(errb.String(), tc.want) || out.Len() != 0 {
			t.Errorf("%v: exit %d, stderr %q; want 2 mentioning %q", tc.args, code, errb.String(), tc.want)
		}
	}
}

// TestShortCSV runs the short table through the command: every row passes (exit 0), -o
// writes the file and nothing to stdout.
func TestShortCSV(t *testing.T) {
	if raceEnabled {
		t.Skip("the short table takes minutes under the race detector (internal/validate runs tiny ones)")
	}
	path := filepath.Join(t.TempDir(), "v.csv")
	var out, errb bytes.Buffer
	if code := run([]string{"-short", "-format", "csv", "-o", path}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if out.Len() != 0 || len(lines) < 100 || !strings.HasPrefix(lines[0], "section,experiment,variant,quantity,oracle,simulated") {
		t.Errorf("stdout %d bytes; file %d lines, header %q", out.Len(), len(lines), lines[0])
	}
	for _, l := range lines[1:] {
		if !strings.HasSuffix(l, ",yes") {
			t.Errorf("row does not pass: %s", l)
		}
	}
}

// TestResultsAreFresh regenerates the full table: it fails when results/validation.md is
// stale (regenerate it with the command in its first lines and commit it) or when a row
// does not pass (exit 1). About half a minute on two cores, so skipped under -short and
// under the race detector; TestShortCSV and the internal/validate tests check the short
// table there.
func TestResultsAreFresh(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("the full table takes about half a minute (ten times more under -race)")
	}
	want, err := os.ReadFile(filepath.Join("..", "..", "results", "validation.md"))
	if err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	code := run([]string{"-format", "markdown"}, &out, &errb)
	if code != 0 {
		t.Errorf("exit %d: %s", code, errb.String())
	}
	if !bytes.Equal(out.Bytes(), want) {
		t.Errorf("results/validation.md is stale: run `go run ./experiments/validate -format markdown -o results/validation.md` and commit it")
	}
	// The README's digest is the same run's.
	readme := filepath.Join("..", "..", "README.md")
	doc, err := os.ReadFile(readme)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	copyPath := filepath.Join(dir, "README.md")
	if err := os.WriteFile(copyPath, doc, 0o644); err != nil {
		t.Fatal(err)
	}
	if code := run([]string{"-readme", copyPath, "-o", filepath.Join(dir, "v.md")}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if fresh, _ := os.ReadFile(copyPath); !bytes.Equal(fresh, doc) {
		t.Errorf("the README's validation summary is stale: run `go run ./experiments/validate -readme README.md -format markdown -o results/validation.md` and commit it")
	}
}
