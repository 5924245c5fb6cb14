// Package golden compares test output with files under testdata/ and rewrites them when the
// test binary runs with -update (go test ./pkg -update; read the diff before committing).
// Every package's golden tests share this one flag and this one message.
package golden

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/ instead of comparing with them")

// Updating reports whether -update was given.
func Updating() bool { return *update }

// Check compares got with testdata/name, or writes it there under -update.
func Check(t testing.TB, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test -update writes it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s (go test -update rewrites it; read the diff before committing):\n%s", path, clip(got))
	}
}

// clip keeps a failure message readable.
func clip(b []byte) string {
	const most = 4000
	if len(b) > most {
		return string(b[:most]) + "\n... (clipped)"
	}
	return string(b)
}
